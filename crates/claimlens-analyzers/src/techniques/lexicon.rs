//! The lexicon span finder: word n-grams (1 to [`MAX_N`] tokens, starting and ending on a
//! word, inside one sentence) that the training articles mostly label inside a span of one
//! technique. An entry keeps its counts, so a match can say why it fired
//! ("'notorious' 9 of 11 in spans").
//!
//! [`Counts`] gathers the n-gram statistics of some training articles once; [`Counts::select`]
//! then builds the lexicon for any thresholds (a minimum number of occurrences inside spans
//! and a minimum share inside), so trying thresholds on folds costs no recounting.

use std::collections::{HashMap, HashSet};

use claimlens_core::{tokens_within, Doc, Span, TokenKind};

/// Longest n-gram, in tokens.
pub const MAX_N: usize = 4;

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Hash of the n-gram's lowercased tokens (see `extend_key`).
    pub key: u64,
    /// Technique index ([`super::catalogue::TECHNIQUES`]).
    pub technique: u8,
    /// Training occurrences inside a span of the technique.
    pub inside: u32,
    /// All training occurrences.
    pub total: u32,
    /// The n-gram as first seen, lowercased.
    pub text: String,
}

impl Entry {
    /// Share of the occurrences inside spans, smoothed toward zero for rare n-grams
    /// (`inside / (total + 1)`): the span's score.
    pub fn precision(&self) -> f32 {
        self.inside as f32 / (self.total as f32 + 1.0)
    }
}

/// A lexicon: entries sorted by (key, technique).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    /// The entries.
    pub entries: Vec<Entry>,
    /// Each entry's key, in the same order: every n-gram of a document is searched for, and
    /// a search over these 8-byte keys reads a few cache lines where one over the entries
    /// (with their texts) read one per step.
    keys: Vec<u64>,
}

/// Thresholds of one technique's entries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Minimum occurrences inside spans.
    pub min_inside: u32,
    /// Minimum smoothed share inside ([`Entry::precision`]).
    pub min_precision: f32,
}

/// The grid the trainer tries per technique (plus "no lexicon").
pub const GRID: &[Thresholds] = &{
    const MIN_INSIDE: [u32; 4] = [2, 3, 5, 8];
    const MIN_PRECISION: [f32; 5] = [0.3, 0.4, 0.5, 0.6, 0.75];
    let mut out = [Thresholds {
        min_inside: 0,
        min_precision: 0.0,
    }; 20];
    let mut i = 0;
    while i < 20 {
        out[i] = Thresholds {
            min_inside: MIN_INSIDE[i / 5],
            min_precision: MIN_PRECISION[i % 5],
        };
        i += 1;
    }
    out
};

const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV64_PRIME: u64 = 0x0100_0000_01b3;

/// An n-gram's key is the 64-bit FNV-1a of its tokens, each lowercased (ASCII) and followed
/// by a separator. This is `h` continued over one more token: FNV-1a runs byte by byte, so
/// the key of an n-gram is its first n − 1 tokens' key continued, and every n-gram at a
/// position costs one token.
fn extend_key(mut h: u64, token: &str) -> u64 {
    for &b in token.as_bytes() {
        h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV64_PRIME);
    }
    (h ^ 0xff).wrapping_mul(FNV64_PRIME)
}

/// Calls `f(sentence, first token, n, key)` for every n-gram of every sentence of `doc`.
fn for_each_ngram(doc: &Doc, mut f: impl FnMut(usize, usize, usize, u64)) {
    for (k, s) in doc.sentences.iter().enumerate() {
        let r = tokens_within(&doc.tokens, s.span);
        for i in r.clone() {
            if doc.tokens[i].kind != TokenKind::Word {
                continue;
            }
            let mut key = FNV64_OFFSET;
            for n in 1..=MAX_N.min(r.end - i) {
                let last = &doc.tokens[i + n - 1];
                key = extend_key(key, doc.slice(last.span));
                if last.kind == TokenKind::Word {
                    f(k, i, n, key);
                }
            }
        }
    }
}

/// N-gram statistics of some training articles.
#[derive(Debug, Default)]
pub struct Counts {
    total: HashMap<u64, u32>,
    inside: HashMap<(u64, u8), u32>,
    text: HashMap<u64, String>,
}

impl Counts {
    /// Adds one article: `doc` segmented, `spans` its gold (technique, byte span) pairs.
    pub fn add(&mut self, doc: &Doc, spans: &[(u8, Span)]) {
        let mut inside: HashSet<(usize, usize, u8)> = HashSet::new();
        for &(t, span) in spans {
            let r = tokens_within(&doc.tokens, span);
            for i in r.clone() {
                for n in 1..=MAX_N.min(r.end - i) {
                    inside.insert((i, n, t));
                }
            }
        }
        let mut hits: Vec<u8> = Vec::new();
        for_each_ngram(doc, |_, i, n, key| {
            *self.total.entry(key).or_default() += 1;
            hits.clear();
            hits.extend(
                (0..super::catalogue::TECHNIQUES.len() as u8)
                    .filter(|&t| inside.contains(&(i, n, t))),
            );
            if hits.is_empty() {
                return;
            }
            for &t in &hits {
                *self.inside.entry((key, t)).or_default() += 1;
            }
            self.text.entry(key).or_insert_with(|| {
                let span = Span::new(
                    doc.tokens[i].span.start as usize,
                    doc.tokens[i + n - 1].span.end as usize,
                );
                doc.slice(span).to_lowercase()
            });
        });
    }

    /// The lexicon under per-technique thresholds (`None`: no entries for it); the minimum
    /// count is multiplied by `count_scale` (the trainer's folds see less data than the
    /// final model).
    pub fn select(&self, thresholds: &[Option<Thresholds>], count_scale: f32) -> Lexicon {
        let mut entries: Vec<Entry> = self
            .inside
            .iter()
            .filter_map(|(&(key, t), &inside)| {
                let th = thresholds.get(usize::from(t)).copied().flatten()?;
                let entry = Entry {
                    key,
                    technique: t,
                    inside,
                    total: self.total.get(&key).copied().unwrap_or(inside),
                    text: String::new(),
                };
                let min = (th.min_inside as f32 * count_scale).round() as u32;
                (inside >= min && entry.precision() >= th.min_precision).then_some(entry)
            })
            .collect();
        for e in &mut entries {
            e.text = self.text.get(&e.key).cloned().unwrap_or_default();
        }
        Lexicon::new(entries)
    }
}

/// One lexicon match, merged with overlapping or adjacent matches of the same technique.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Technique index.
    pub technique: u8,
    /// The span (bytes), from the first matched token to the last.
    pub span: Span,
    /// The entry with the highest precision among the merged matches.
    pub entry: usize,
}

impl Lexicon {
    /// A lexicon of `entries`, sorted by (key, technique).
    pub fn new(mut entries: Vec<Entry>) -> Lexicon {
        entries.sort_by_key(|e| (e.key, e.technique));
        let keys = entries.iter().map(|e| e.key).collect();
        Lexicon { entries, keys }
    }

    /// Indices of the entries of `key`.
    fn lookup(&self, key: u64) -> std::ops::Range<usize> {
        let a = self.keys.partition_point(|&k| k < key);
        a..a + self.keys[a..].partition_point(|&k| k == key)
    }

    /// Every match in `doc`, merged per technique where matches in one sentence overlap
    /// or touch (no token between them), in text order.
    pub fn find(&self, doc: &Doc) -> Vec<Hit> {
        // (technique, sentence, first token, last token, entry)
        let mut raw: Vec<(u8, usize, usize, usize, usize)> = Vec::new();
        if self.entries.is_empty() {
            return Vec::new();
        }
        for_each_ngram(doc, |k, i, n, key| {
            for e in self.lookup(key) {
                raw.push((self.entries[e].technique, k, i, i + n - 1, e));
            }
        });
        raw.sort_unstable();
        let mut out: Vec<(u8, usize, usize, usize, usize)> = Vec::new();
        for h in raw {
            match out.last_mut() {
                Some(last) if (last.0, last.1) == (h.0, h.1) && h.2 <= last.3 + 1 => {
                    last.3 = last.3.max(h.3);
                    if self.entries[h.4].precision() > self.entries[last.4].precision() {
                        last.4 = h.4;
                    }
                }
                _ => out.push(h),
            }
        }
        let mut hits: Vec<Hit> = out
            .into_iter()
            .map(|(t, _, a, b, e)| Hit {
                technique: t,
                span: Span::new(
                    doc.tokens[a].span.start as usize,
                    doc.tokens[b].span.end as usize,
                ),
                entry: e,
            })
            .collect();
        hits.sort_by_key(|h| (h.span.start, h.span.end, h.technique));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::Stage;

    fn doc(text: &str) -> Doc {
        let mut d = Doc::new("t", text);
        Segmenter.run(&mut d);
        d
    }

    #[test]
    fn induces_words_mostly_inside_spans_and_finds_them_merged() {
        let mut counts = Counts::default();
        for _ in 0..3 {
            let d = doc("The notorious thugs left. The thugs were notorious. Cats left.");
            // "notorious thugs" (4..19) and "notorious" (41..50) as technique 14.
            counts.add(&d, &[(14, Span::new(4, 19)), (14, Span::new(41, 50))]);
        }
        let mut th = vec![None; 23];
        th[14] = Some(Thresholds {
            min_inside: 2,
            min_precision: 0.7,
        });
        let lex = counts.select(&th, 1.0);
        let texts: Vec<&str> = lex.entries.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.contains(&"notorious"), "{texts:?}");
        assert!(
            !texts.contains(&"thugs"),
            "thugs is inside only half the time"
        );
        let d = doc("Those notorious thugs again.");
        let hits = lex.find(&d);
        assert_eq!(hits.len(), 1);
        assert_eq!(d.slice(hits[0].span), "notorious thugs");
        assert_eq!(hits[0].technique, 14);
        assert!(Lexicon::default().find(&d).is_empty());
    }

    /// The key of `tokens` hashed whole, the definition the continued keys must equal.
    fn ngram_key(doc: &Doc, tokens: &[claimlens_core::Token]) -> u64 {
        let mut h = FNV64_OFFSET;
        for t in tokens {
            for &b in doc.slice(t.span).as_bytes() {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV64_PRIME);
            }
            h = (h ^ 0xff).wrapping_mul(FNV64_PRIME);
        }
        h
    }

    #[test]
    fn ngram_keys_continued_token_by_token_are_whole_keys() {
        let d = doc("The so-called “experts”, again! Those Notorious thugs — 2019.");
        let mut seen = 0;
        for_each_ngram(&d, |_, i, n, key| {
            assert_eq!(key, ngram_key(&d, &d.tokens[i..i + n]));
            assert_eq!(d.tokens[i + n - 1].kind, TokenKind::Word);
            seen += 1;
        });
        assert!(seen >= 10, "{seen} n-grams");
    }
}
