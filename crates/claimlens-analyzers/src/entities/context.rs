//! Document-wide evidence about how each word is written.
//!
//! Sentence-initial words and headlines hide whether a word is a name ("BRUSSELS",
//! "Police said ..."); the same word written elsewhere in the document, mid-sentence in
//! ordinary case, tells. The context records, per lowercased word, the spellings seen in such
//! informative positions.

use std::collections::HashMap;

use crate::learn::features::Hasher;
use crate::learn::perceptron::IdentityHasher;

/// Seen mid-sentence with an initial capital (in a sentence that is not all caps).
pub const TITLE: u8 = 1;
/// Seen mid-sentence in lower case.
pub const LOWER: u8 = 2;
/// Seen mid-sentence fully upper-case (in a sentence that is not all caps).
pub const UPPER: u8 = 4;

/// How the words of one document are written where their case is informative.
#[derive(Debug, Default)]
pub struct DocContext {
    seen: HashMap<u32, u8, std::hash::BuildHasherDefault<IdentityHasher>>,
}

fn key(word: &str) -> u32 {
    Hasher::new(0).word(word).finish()
}

/// True when a sentence is a headline-style all-caps line: most of its letters-only words of
/// two or more letters are upper case.
pub fn is_all_caps(words: &[&str]) -> bool {
    let (mut upper, mut alpha) = (0, 0);
    for w in words {
        if w.chars().count() >= 2 && w.chars().all(char::is_alphabetic) {
            alpha += 1;
            if w.chars().all(char::is_uppercase) {
                upper += 1;
            }
        }
    }
    alpha >= 2 && upper * 10 >= alpha * 6
}

/// The case class of a word: [`TITLE`], [`LOWER`], [`UPPER`] or 0 (no letters, mixed).
pub fn case_of(word: &str) -> u8 {
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else { return 0 };
    let rest_lower = word.chars().skip(1).all(|c| !c.is_uppercase());
    let all_upper = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    if first.is_lowercase() && word.chars().all(|c| !c.is_uppercase()) {
        LOWER
    } else if all_upper && word.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        UPPER
    } else if first.is_uppercase() && rest_lower {
        TITLE
    } else {
        0
    }
}

impl DocContext {
    /// Collects the evidence of a document's sentences (each a list of words).
    pub fn new<'a, S>(sentences: impl IntoIterator<Item = S>) -> DocContext
    where
        S: AsRef<[&'a str]>,
    {
        let mut ctx = DocContext::default();
        for s in sentences {
            let words = s.as_ref();
            let caps = is_all_caps(words);
            for (i, w) in words.iter().enumerate() {
                // The first word's case is grammar, not evidence; so is an all-caps line's.
                if i == 0 || (caps && case_of(w) == UPPER) || w.len() > 64 {
                    continue;
                }
                let c = case_of(w);
                if c != 0 {
                    *ctx.seen.entry(key(w)).or_default() |= c;
                }
            }
        }
        ctx
    }

    /// The case classes a word was seen with in informative positions (bit set).
    pub fn seen(&self, word: &str) -> u8 {
        if word.len() > 64 {
            return 0;
        }
        self.seen.get(&key(word)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_informative_case_only() {
        let s1 = ["BRUSSELS", "TALKS", "END"];
        let s2 = ["Police", "in", "Brussels", "said", "police", "work", "ends"];
        let ctx = DocContext::new([&s1[..], &s2[..]]);
        assert_eq!(ctx.seen("BRUSSELS"), TITLE);
        assert_eq!(ctx.seen("police"), LOWER); // sentence-initial "Police" ignored
        assert_eq!(ctx.seen("talks"), 0);
        assert!(is_all_caps(&s1));
        assert!(!is_all_caps(&s2));
        assert_eq!(case_of("McDonald"), 0);
        assert_eq!(case_of("U.S."), UPPER);
        assert_eq!(case_of("1996"), 0);
    }
}
