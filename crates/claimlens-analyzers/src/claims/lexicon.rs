//! The small closed word classes that check-worthiness features and claim types read. Each
//! list is matched against a whole token, lowercased (ASCII), so "Will" and "will" match
//! and "willing" does not.

/// Future and predictive modals: a claim about what will happen (Full Fact "prediction").
pub const FUTURE: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "gonna",
    "won't",
    "wont",
    "going",
    "forecast",
    "forecasts",
    "predict",
    "predicts",
    "predicted",
    "expect",
    "expects",
    "projected",
    "likely",
];

/// Weaker modals: possibility rather than prediction (a feature, not a type).
pub const MODAL: &[&str] = &["would", "could", "may", "might", "should", "must", "can"];

/// Causal connectives (Full Fact "correlation or causation").
pub const CAUSAL: &[&str] = &[
    "because",
    "cause",
    "caused",
    "causes",
    "causing",
    "due",
    "result",
    "resulted",
    "results",
    "resulting",
    "lead",
    "leads",
    "led",
    "therefore",
    "consequently",
    "thanks",
    "responsible",
    "blame",
    "blamed",
    "blames",
    "linked",
    "contributed",
    "contributes",
    "effect",
    "effects",
    "impact",
    "why",
];

/// Comparison words: a checkable claim often compares amounts or states a change.
pub const COMPARATIVE: &[&str] = &[
    "more",
    "less",
    "fewer",
    "most",
    "least",
    "than",
    "higher",
    "lower",
    "highest",
    "lowest",
    "bigger",
    "biggest",
    "larger",
    "largest",
    "smaller",
    "greater",
    "greatest",
    "increase",
    "increased",
    "increases",
    "decrease",
    "decreased",
    "doubled",
    "tripled",
    "rise",
    "rose",
    "risen",
    "fell",
    "fallen",
    "drop",
    "dropped",
    "grew",
    "grown",
    "cut",
    "record",
    "only",
    "every",
    "never",
    "always",
    "first",
];

/// Laws, rules and their institutions (Full Fact "rules and laws").
pub const LAWS: &[&str] = &[
    "law",
    "laws",
    "legal",
    "illegal",
    "illegally",
    "legislation",
    "bill",
    "bills",
    "act",
    "rule",
    "rules",
    "regulation",
    "regulations",
    "ban",
    "banned",
    "bans",
    "constitution",
    "constitutional",
    "unconstitutional",
    "court",
    "courts",
    "statute",
    "treaty",
    "sanctions",
    "tax",
    "taxes",
    "mandate",
    "lawful",
    "unlawful",
    "prohibited",
    "prohibits",
    "veto",
    "vetoed",
    "voted",
    "amendment",
    "resolution",
    "convention",
    "signed",
];

/// First-person pronouns: with an experience verb, a claim about the speaker's experience.
pub const FIRST_PERSON: &[&str] = &["i", "me", "my", "i'm", "i've", "i'd", "myself"];

/// Verbs of personal experience.
pub const EXPERIENCE: &[&str] = &[
    "saw",
    "seen",
    "met",
    "visited",
    "experienced",
    "felt",
    "lived",
    "grew",
    "heard",
    "remember",
    "went",
    "worked",
    "talked",
    "spoke",
    "watched",
    "knew",
    "born",
    "raised",
];

/// Opinion and evaluation words: statements of opinion are rarely checkable.
pub const OPINION: &[&str] = &[
    "think",
    "believe",
    "feel",
    "hope",
    "wish",
    "want",
    "love",
    "great",
    "wonderful",
    "terrible",
    "thank",
    "thanks",
    "please",
    "welcome",
    "good",
    "bad",
    "fantastic",
];

/// True when the lowercased `word` is in `list`.
pub fn contains(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}
