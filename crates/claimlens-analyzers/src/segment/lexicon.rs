//! Word lists the segmenter consults. Matching is ASCII case-insensitive on the word without
//! its final period.

/// Abbreviations that precede a name or number and so never end a sentence
/// ("Gen. Smith", "No. 5", "Fig. 3").
const PREFIX_ABBREVIATIONS: &[&str] = &[
    "adm", "ald", "amb", "apt", "art", "assn", "asst", "atty", "bldg", "brig", "capt", "cdr", "cf",
    "ch", "cmdr", "col", "comdr", "con", "cpl", "det", "dr", "drs", "eq", "fig", "figs", "fr",
    "gen", "gov", "hon", "insp", "lt", "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "msgr",
    "mt", "no", "nos", "op", "pp", "pres", "prof", "pt", "pvt", "rep", "reps", "rev", "sen",
    "sens", "sgt", "sr", "sra", "srta", "st", "supt", "vol", "vs", "v",
];

/// Abbreviations that may end a sentence when a clear sentence start follows
/// ("... in the U.S. The next day ...") but usually do not ("Inc. said", "Jan. 5").
const OTHER_ABBREVIATIONS: &[&str] = &[
    "a.d", "a.k.a", "a.m", "ala", "ariz", "ark", "aug", "ave", "b.c", "blvd", "calif", "co",
    "colo", "conn", "corp", "d.c", "dec", "del", "dept", "e.g", "est", "etc", "feb", "fla", "fri",
    "ga", "i.e", "ill", "inc", "ind", "jan", "jr", "jul", "jun", "kan", "ky", "la", "ltd", "mass",
    "md", "mich", "minn", "miss", "mo", "mon", "mont", "nev", "nov", "oct", "okla", "ore", "p.m",
    "pa", "ph.d", "plc", "rd", "sat", "sep", "sept", "sun", "tenn", "tex", "thu", "thurs", "tue",
    "tues", "u.k", "u.n", "u.s", "u.s.a", "va", "vt", "wash", "wed", "wis", "wyo", "approx",
    "dist", "div", "govt", "intl", "natl", "univ", "yr", "yrs",
];

/// Words that very often start a sentence and rarely follow an abbreviation inside one; used
/// to decide whether an abbreviation's period also ends the sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "a",
    "after",
    "also",
    "although",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "during",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "meanwhile",
    "more",
    "most",
    "my",
    "no",
    "now",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "still",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "thus",
    "to",
    "today",
    "two",
    "we",
    "what",
    "when",
    "where",
    "while",
    "who",
    "why",
    "with",
    "yet",
    "you",
    "your",
];

fn contains_ci(list: &[&str], word: &str) -> bool {
    word.len() <= 8 && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Kind of abbreviation, if `word` (without its final period) is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbrev {
    /// Precedes a name or number; never ends a sentence.
    Prefix,
    /// May end a sentence.
    Other,
}

/// Abbreviations that are only abbreviations before a number ("No. 5", "Art. 2", "Vol. 3").
const NUMERIC_PREFIXES: &[&str] = &[
    "no", "nos", "art", "vol", "op", "pp", "fig", "figs", "eq", "ch", "pt",
];

/// True for abbreviations that only abbreviate before a number.
pub(crate) fn is_numeric_prefix(word: &str) -> bool {
    contains_ci(NUMERIC_PREFIXES, word)
}

/// Classifies a word that was followed by a period.
pub(crate) fn abbreviation(word: &str) -> Option<Abbrev> {
    if contains_ci(PREFIX_ABBREVIATIONS, word) {
        return Some(Abbrev::Prefix);
    }
    if contains_ci(OTHER_ABBREVIATIONS, word) {
        return Some(Abbrev::Other);
    }
    let bytes = word.as_bytes();
    // A single capital letter is an initial ("J. Smith").
    // "I" is excluded: "So do I." ends sentences far more often than "I. M. Pei" appears.
    if bytes.len() == 1 && bytes[0].is_ascii_uppercase() && bytes[0] != b'I' {
        return Some(Abbrev::Prefix);
    }
    // Dotted acronyms not in the list ("F.B.I", "e.g") keep their period.
    if bytes.len() >= 3
        && bytes.contains(&b'.')
        && bytes.split(|&b| b == b'.').all(|part| {
            !part.is_empty() && part.len() <= 2 && part.iter().all(u8::is_ascii_alphabetic)
        })
    {
        return Some(Abbrev::Other);
    }
    None
}

/// True for words that commonly start a sentence.
pub(crate) fn is_sentence_starter(word: &str) -> bool {
    contains_ci(SENTENCE_STARTERS, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_abbreviations() {
        assert_eq!(abbreviation("Gen"), Some(Abbrev::Prefix));
        assert_eq!(abbreviation("U.S"), Some(Abbrev::Other));
        assert_eq!(abbreviation("F.B.I"), Some(Abbrev::Other));
        assert_eq!(abbreviation("J"), Some(Abbrev::Prefix));
        assert_eq!(abbreviation("Feb"), Some(Abbrev::Other));
        assert_eq!(abbreviation("house"), None);
        assert!(is_sentence_starter("The"));
    }
}
