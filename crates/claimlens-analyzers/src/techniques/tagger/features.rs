//! The span tagger's features: what it reads of each word of a sentence, and of the
//! document around it (how often the text uses the word, which word pairs it used before).

use std::collections::HashMap;

use claimlens_core::{Doc, TokenKind};

use super::super::subjective;
use crate::learn::bio::Tag;
use crate::learn::features::{lowercase_into, Features, Hasher};
use crate::learn::vector_clusters::VectorClusters;

use super::TAGS;

#[repr(u8)]
#[derive(Clone, Copy)]
enum Template {
    Bias = 1,
    Word = 2,
    Suffix = 3,
    Shape = 4,
    Previous = 5,
    Next = 6,
    PairBefore = 7,
    PairAfter = 8,
    Class = 9,
    ClassBefore = 10,
    ClassAfter = 11,
    DocCount = 12,
    Previous2 = 13,
    Next2 = 14,
    VectorFine = 15,
    VectorCoarse = 16,
    VectorBefore = 17,
    VectorAfter = 18,
    Headline = 19,
    HeadlineClass = 20,
    Prefix = 21,
    SentenceEnd = 22,
    PairSeenBefore = 23,
}

impl From<Template> for u8 {
    fn from(t: Template) -> u8 {
        t as u8
    }
}

/// Reusable buffers for feature extraction and tagging.
#[derive(Debug, Default)]
pub struct Scratch {
    lower: Vec<String>,
    classes: Vec<&'static str>,
    /// Each word's GloVe (coarse, fine) cluster, looked up once (each is read three times).
    clusters: Vec<Option<(u16, u16)>>,
    counts: HashMap<u64, u16>,
    /// Per token of the document: how often its word (four letters or more) occurred
    /// before it, and (bit 0) whether the pair it starts, (bit 1) the pair it ends occurred
    /// before. Annotators mark the repeats, not the first use: of the 608 training
    /// Repetition spans whose words recur, 545 are a later occurrence.
    pub(super) seen: Vec<(u8, u8)>,
    pairs: HashMap<u64, u16>,
    pub(super) features: Features,
    pub(super) tags: Vec<Tag>,
    pub(super) scores: Vec<[f32; TAGS]>,
}

fn shape(s: &str, kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Number => "d",
        TokenKind::Punct => "p",
        TokenKind::Word => {
            let mut chars = s.chars();
            let first = chars.next().is_some_and(char::is_uppercase);
            let rest_upper = s.chars().skip(1).all(|c| !c.is_lowercase());
            match (first, rest_upper, s.contains('-')) {
                (true, true, _) if s.chars().count() > 1 => "XX",
                (true, _, _) => "Xx",
                (false, _, true) => "x-x",
                _ => "x",
            }
        }
        _ => "s",
    }
}

fn word_key(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Scratch {
    /// Counts the content words (four letters or more) of `doc` and marks, per token, how
    /// often its word and whether the word pairs it starts or ends (two adjacent words, one
    /// of four letters or more) occurred before it: the repetition features. Call once per
    /// document before its sentences.
    pub fn document(&mut self, doc: &Doc) {
        self.counts.clear();
        self.pairs.clear();
        self.seen.clear();
        self.seen.resize(doc.tokens.len(), (0, 0));
        let mut lower = String::new();
        // The previous token's key when it was a word (a pair is two adjacent words).
        let mut previous: Option<(usize, u64, bool)> = None;
        for (i, t) in doc.tokens.iter().enumerate() {
            if t.kind != TokenKind::Word {
                previous = None;
                continue;
            }
            let s = doc.slice(t.span);
            lowercase_into(&mut lower, s);
            let key = word_key(&lower);
            let long = s.len() >= 4;
            if long {
                let c = self.counts.entry(key).or_default();
                self.seen[i].0 = u8::try_from(*c).unwrap_or(u8::MAX);
                *c = c.saturating_add(1);
            }
            if let Some((j, before, before_long)) = previous {
                if long || before_long {
                    let c = self.pairs.entry(before.rotate_left(17) ^ key).or_default();
                    if *c > 0 {
                        self.seen[j].1 |= 1;
                        self.seen[i].1 |= 2;
                    }
                    *c = c.saturating_add(1);
                }
            }
            previous = Some((i, key, long));
        }
    }

    /// The features of the tokens `range` of `doc` (one sentence) into `self.features`.
    pub(super) fn sentence(&mut self, doc: &Doc, range: std::ops::Range<usize>) {
        let seen = &self.seen[range.clone()];
        let tokens = &doc.tokens[range];
        let n = tokens.len();
        let headline = tokens.first().is_some_and(|t| {
            doc.paragraphs
                .first()
                .is_some_and(|p| p.span.contains(t.span))
        });
        // How the sentence ends (of an over-long sentence tagged in parts, how the part
        // ends): questions carry doubt, exclamations loaded words.
        let end = match tokens.last().map(|t| doc.slice(t.span)) {
            Some("?") => "?",
            Some("!") => "!",
            _ => ".",
        };
        while self.lower.len() < n {
            self.lower.push(String::new());
        }
        for (k, t) in tokens.iter().enumerate() {
            lowercase_into(&mut self.lower[k], doc.slice(t.span));
        }
        self.classes.clear();
        self.classes.extend(
            self.lower[..n]
                .iter()
                .map(|w| subjective::class(w).unwrap_or("none")),
        );
        self.clusters.clear();
        match VectorClusters::embedded() {
            Ok(c) => self
                .clusters
                .extend(self.lower[..n].iter().map(|w| c.lookup(w))),
            Err(_) => self.clusters.resize(n, None),
        }
        let clusters = &self.clusters;
        let fine_at = |k: Option<usize>| {
            k.and_then(|k| clusters[k])
                .map_or(u16::MAX, |(_, f)| f)
                .to_le_bytes()
        };
        let f = &mut self.features;
        f.values.clear();
        f.starts.clear();
        let lower = &self.lower[..n];
        let word = |k: Option<usize>| k.map_or("<s>", |k| lower[k].as_str());
        let classes = &self.classes;
        let class = |k: Option<usize>| k.map_or("none", |k| classes[k]);
        for (k, t) in tokens.iter().enumerate() {
            f.starts.push(f.values.len());
            let w = lower[k].as_str();
            let prev = k.checked_sub(1);
            let next = (k + 1 < n).then_some(k + 1);
            let s = doc.slice(t.span);
            f.values.push(Hasher::new(Template::Bias).finish());
            f.values.push(Hasher::new(Template::Word).word(w).finish());
            let cut = w.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            f.values
                .push(Hasher::new(Template::Suffix).word(&w[cut..]).finish());
            f.values
                .push(Hasher::new(Template::Shape).word(shape(s, t.kind)).finish());
            f.values
                .push(Hasher::new(Template::Previous).word(word(prev)).finish());
            f.values
                .push(Hasher::new(Template::Next).word(word(next)).finish());
            f.values.push(
                Hasher::new(Template::Previous2)
                    .word(word(k.checked_sub(2)))
                    .finish(),
            );
            f.values.push(
                Hasher::new(Template::Next2)
                    .word(word((k + 2 < n).then_some(k + 2)))
                    .finish(),
            );
            f.values.push(
                Hasher::new(Template::PairBefore)
                    .word(word(prev))
                    .word(w)
                    .finish(),
            );
            f.values.push(
                Hasher::new(Template::PairAfter)
                    .word(w)
                    .word(word(next))
                    .finish(),
            );
            f.values
                .push(Hasher::new(Template::Class).word(class(Some(k))).finish());
            f.values.push(
                Hasher::new(Template::ClassBefore)
                    .word(class(prev))
                    .finish(),
            );
            f.values
                .push(Hasher::new(Template::ClassAfter).word(class(next)).finish());
            // The word's clusters and its neighbours' fine ones (the neighbours' added the
            // technique-agnostic span F1 on the folds).
            if let Some((coarse, fine)) = clusters[k] {
                f.values.push(
                    Hasher::new(Template::VectorFine)
                        .raw(&fine.to_le_bytes())
                        .finish(),
                );
                f.values.push(
                    Hasher::new(Template::VectorCoarse)
                        .raw(&coarse.to_le_bytes())
                        .finish(),
                );
            }
            f.values.push(
                Hasher::new(Template::VectorBefore)
                    .raw(&fine_at(prev))
                    .finish(),
            );
            f.values.push(
                Hasher::new(Template::VectorAfter)
                    .raw(&fine_at(next))
                    .finish(),
            );
            let cut = w.char_indices().nth(3).map_or(w.len(), |(i, _)| i);
            f.values
                .push(Hasher::new(Template::Prefix).word(&w[..cut]).finish());
            f.values
                .push(Hasher::new(Template::SentenceEnd).word(end).finish());
            if headline {
                f.values.push(Hasher::new(Template::Headline).finish());
                f.values.push(
                    Hasher::new(Template::HeadlineClass)
                        .word(class(Some(k)))
                        .finish(),
                );
            }
            if t.kind == TokenKind::Word && w.len() >= 4 {
                let c = self.counts.get(&word_key(w)).copied().unwrap_or(1);
                let bucket = match c {
                    0..=1 => "1",
                    2 => "2",
                    3..=4 => "3-4",
                    _ => "5+",
                };
                f.values
                    .push(Hasher::new(Template::DocCount).word(bucket).finish());
            }
            // A pair of words the text used before: Repetition spans are phrases ("illegal
            // alien", "the tyrant") as often as words. (A count of the word's earlier uses,
            // tried beside it, lost on every technique.)
            if seen[k].1 != 0 {
                f.values.push(
                    Hasher::new(Template::PairSeenBefore)
                        .raw(&[seen[k].1])
                        .finish(),
                );
            }
        }
        f.starts.push(f.values.len());
    }
}
