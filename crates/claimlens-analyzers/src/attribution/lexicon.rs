//! The cue lexicon: words that often introduce an attribution, learned from training data.

use std::collections::HashSet;

/// Lowercased single words that frequently occur inside cue spans in training data.
#[derive(Debug, Clone, Default)]
pub struct CueLexicon {
    words: HashSet<String>,
}

impl CueLexicon {
    /// A lexicon from words (stored lowercased).
    pub fn new<I: IntoIterator<Item = String>>(words: I) -> Self {
        CueLexicon {
            words: words.into_iter().map(|w| w.to_lowercase()).collect(),
        }
    }

    /// True when the word (any case) is in the lexicon.
    pub fn contains(&self, word: &str) -> bool {
        if word.len() > 24 {
            return false;
        }
        if word.bytes().all(|b| !b.is_ascii_uppercase()) {
            return self.words.contains(word);
        }
        self.words.contains(&word.to_lowercase())
    }

    /// The words, sorted (for serialization).
    pub fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.words.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}
