//! Vague-sourcing phrases: claims that rest on unnamed or no sources.

/// Phrases (lowercase) that mark vague or absent sourcing, with the rule id reported.
pub const VAGUE_PHRASES: &[(&str, &str)] = &[
    ("there were reports", "vague:there-were-reports"),
    ("there are reports", "vague:there-are-reports"),
    ("reports say", "vague:reports-say"),
    ("new reports", "vague:new-reports"),
    ("according to reports", "vague:according-to-reports"),
    ("according to media reports", "vague:according-to-reports"),
    ("reportedly", "vague:reportedly"),
    ("allegedly", "vague:allegedly"),
    ("it is believed", "vague:it-is-believed"),
    ("it is said", "vague:it-is-said"),
    ("it is claimed", "vague:it-is-claimed"),
    ("is understood to", "vague:is-understood"),
    ("sources say", "vague:sources-say"),
    ("sources said", "vague:sources-say"),
    ("some say", "vague:some-say"),
    ("many believe", "vague:many-believe"),
    ("experts say", "vague:experts-say"),
    ("observers say", "vague:observers-say"),
    ("rumours", "vague:rumours"),
    ("rumors", "vague:rumours"),
];

/// Whether the phrase of `rule` names a voice a speaker can cite ("there were reports",
/// "sources say", "experts say") rather than only hedging a statement ("reportedly",
/// "allegedly", "is understood to"): such a phrase inside a claim's content is an unnamed
/// step of its source chain.
pub fn names_a_voice(rule: &str) -> bool {
    !matches!(
        rule,
        "vague:reportedly" | "vague:allegedly" | "vague:is-understood"
    )
}
