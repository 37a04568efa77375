//! The general list of subjective words (`data/subjective-words.tsv`: the VADER sentiment
//! lexicon, MIT licence, via the PyPI package `vaderSentiment`; rebuilt by
//! `scripts/build-subjective-words.py`).
//!
//! The training spans name most loaded words once or twice, too rarely for the induced
//! lexicon or the word features to learn them; a general list of words rated for their
//! emotional charge lets the span tagger weigh "notorious" or "terrorists" by their class
//! (strongly negative, negative, positive, strongly positive) without having seen them.

use std::collections::HashMap;
use std::sync::LazyLock;

const WORDS: &str = include_str!("../../data/subjective-words.tsv");

static VALENCE: LazyLock<HashMap<&'static str, f32>> = LazyLock::new(|| {
    WORDS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, v) = l.split_once('\t')?;
            Some((w, v.parse().ok()?))
        })
        .collect()
});

/// The class of a listed word (lower-cased): `"neg2"` (valence ≤ −2), `"neg"`, `"pos"`,
/// `"pos2"` (≥ 2); `None` when the word is not listed.
pub fn class(lower: &str) -> Option<&'static str> {
    let v = *VALENCE.get(lower)?;
    Some(match v {
        v if v <= -2.0 => "neg2",
        v if v < 0.0 => "neg",
        v if v < 2.0 => "pos",
        _ => "pos2",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_charged_words_and_ignores_neutral_ones() {
        assert_eq!(class("terrorists"), Some("neg2"));
        assert_eq!(class("notorious"), Some("neg"));
        assert_eq!(class("table"), None);
        assert!(VALENCE.len() > 7000);
    }
}
