//! Features of one text unit (a sentence, or a paragraph for the baseline) for the
//! per-technique classifiers: lowercased words and word pairs, a few cues that persuasion
//! leans on (exclamation and question marks, quotation marks, capitals, "we"/"you", hedges
//! and scare words), and the content words the document already used (repetition).
//!
//! Each feature keeps a name ([`FeatureName`]) beside its hash, so a prediction's reason can
//! show the reader the words that carried it.

use std::collections::HashSet;

use claimlens_core::{Doc, Token, TokenKind};

use crate::learn::features::{lowercase_into, Hasher};

#[repr(u8)]
#[derive(Clone, Copy)]
enum Template {
    Word = 1,
    Pair = 2,
    Cue = 3,
    Repeated = 4,
    Length = 5,
}

impl From<Template> for u8 {
    fn from(t: Template) -> u8 {
        t as u8
    }
}

/// What a feature is, for the reason text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureName {
    /// The word of token `i` (index into `doc.tokens`).
    Word(usize),
    /// Tokens `i` and `i + 1` of the word sequence (indices into `doc.tokens`).
    Pair(usize, usize),
    /// A cue.
    Cue(&'static str),
    /// The word of token `i`, already used earlier in the document.
    Repeated(usize),
}

impl FeatureName {
    /// How the reason shows it: `'word'`, `'two words'`, `cue:exclamation`,
    /// `repeated:'word'`.
    pub fn describe(self, doc: &Doc) -> String {
        let word = |i: usize| doc.slice(doc.tokens[i].span).to_lowercase();
        match self {
            FeatureName::Word(i) => format!("'{}'", word(i)),
            FeatureName::Pair(i, j) => format!("'{} {}'", word(i), word(j)),
            FeatureName::Cue(c) => format!("cue:{c}"),
            FeatureName::Repeated(i) => format!("repeated:'{}'", word(i)),
        }
    }
}

/// Hedges, scare words and intensifiers: a cue each, so that the classifier can weigh the
/// class as a whole where a single word is too rare to learn.
const HEDGES: &[&str] = &[
    "allegedly",
    "reportedly",
    "supposedly",
    "so-called",
    "purported",
    "purportedly",
    "apparently",
    "claimed",
    "claims",
    "questionable",
    "dubious",
];
const INTENSIFIERS: &[&str] = &[
    "very",
    "extremely",
    "totally",
    "absolutely",
    "completely",
    "utterly",
    "never",
    "always",
    "everyone",
    "nobody",
    "massive",
    "huge",
    "unprecedented",
    "biggest",
    "worst",
];
const FEAR: &[&str] = &[
    "threat",
    "danger",
    "dangerous",
    "destroy",
    "destruction",
    "deadly",
    "catastrophe",
    "catastrophic",
    "terror",
    "terrorist",
    "terrorists",
    "war",
    "crisis",
    "invasion",
];

/// The features of units extracted in document order (the repetition cue needs the words
/// before the unit). Reusable across units and documents: [`Extractor::reset`] between
/// documents.
#[derive(Debug, Default)]
pub struct Extractor {
    seen: HashSet<u32>,
    /// Feature hashes of the last unit.
    pub hashes: Vec<u32>,
    /// Their names, index for index.
    pub names: Vec<FeatureName>,
    words: Vec<usize>,
    lower: String,
    previous: String,
}

impl Extractor {
    /// Forgets the words of the previous document.
    pub fn reset(&mut self) {
        self.seen.clear();
    }

    fn push(&mut self, h: u32, name: FeatureName) {
        self.hashes.push(h);
        self.names.push(name);
    }

    /// Extracts the features of `tokens` (a unit's tokens, indices `first..` in
    /// `doc.tokens`), then remembers its content words for the repetition cue.
    pub fn extract(&mut self, doc: &Doc, first: usize, tokens: &[Token]) {
        self.hashes.clear();
        self.names.clear();
        self.words.clear();
        let mut cues: [bool; 9] = [false; 9];
        const CUES: [&str; 9] = [
            "exclamation",
            "question",
            "quotation",
            "capitals",
            "we",
            "you",
            "hedge",
            "intensifier",
            "fear",
        ];
        let mut new_words = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            let i = first + k;
            let s = doc.slice(t.span);
            match t.kind {
                TokenKind::Punct => {
                    cues[0] |= s == "!";
                    cues[1] |= s == "?";
                    cues[2] |= matches!(s, "\"" | "“" | "”" | "'" | "‘" | "’");
                    continue;
                }
                TokenKind::Word | TokenKind::Number => {}
                _ => continue,
            }
            lowercase_into(&mut self.lower, s);
            let w = self.lower.as_str();
            cues[3] |= s.len() >= 3 && s.chars().all(|c| c.is_ascii_uppercase());
            cues[4] |= matches!(w, "we" | "us" | "our" | "ours");
            cues[5] |= matches!(w, "you" | "your" | "yours");
            cues[6] |= HEDGES.contains(&w);
            cues[7] |= INTENSIFIERS.contains(&w);
            cues[8] |= FEAR.contains(&w);
            let h = Hasher::new(Template::Word).word(w).finish();
            let pair = self.words.last().map(|&prev| {
                (
                    prev,
                    Hasher::new(Template::Pair)
                        .word(&self.previous)
                        .word(w)
                        .finish(),
                )
            });
            let content = w.len() >= 5;
            let repeated = content && self.seen.contains(&h);
            let r = Hasher::new(Template::Repeated).word(w).finish();
            self.push(h, FeatureName::Word(i));
            if let Some((prev, p)) = pair {
                self.push(p, FeatureName::Pair(prev, i));
            }
            if repeated {
                self.push(r, FeatureName::Repeated(i));
            } else if content {
                new_words.push(h);
            }
            self.words.push(i);
            std::mem::swap(&mut self.previous, &mut self.lower);
        }
        for (on, cue) in cues.iter().zip(CUES) {
            if *on {
                self.push(
                    Hasher::new(Template::Cue).word(cue).finish(),
                    FeatureName::Cue(cue),
                );
            }
        }
        let length = match self.words.len() {
            0..=5 => "short",
            6..=15 => "medium",
            16..=30 => "long",
            _ => "very-long",
        };
        self.push(
            Hasher::new(Template::Length).word(length).finish(),
            FeatureName::Cue(length),
        );
        self.seen.extend(new_words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::Stage;

    #[test]
    fn words_pairs_cues_and_repetition() {
        let mut doc = Doc::new("t", "Stop the invasion now! We must stop the invasion.");
        Segmenter.run(&mut doc);
        let mut x = Extractor::default();
        let described = |x: &Extractor, doc: &Doc| -> Vec<String> {
            x.names.iter().map(|n| n.describe(doc)).collect()
        };
        let s0 = doc.sentences[0].span;
        let r = claimlens_core::tokens_within(&doc.tokens, s0);
        x.extract(&doc, r.start, &doc.tokens[r.clone()]);
        let first = described(&x, &doc);
        assert!(first.contains(&"'the invasion'".to_owned()), "{first:?}");
        assert!(first.contains(&"cue:exclamation".to_owned()));
        assert!(first.contains(&"cue:fear".to_owned()));
        assert!(!first.iter().any(|f| f.starts_with("repeated")));
        let s1 = doc.sentences[1].span;
        let r = claimlens_core::tokens_within(&doc.tokens, s1);
        x.extract(&doc, r.start, &doc.tokens[r.clone()]);
        let second = described(&x, &doc);
        assert!(
            second.contains(&"repeated:'invasion'".to_owned()),
            "{second:?}"
        );
        assert!(second.contains(&"cue:we".to_owned()));
        assert_eq!(x.hashes.len(), x.names.len());
    }
}
