//! Feature templates of the entity tagger: the word and its neighbours, affixes, word
//! shapes, headline and sentence position, how the word is written elsewhere in the
//! document ([`DocContext`]), word clusters learned from unlabelled news
//! ([`crate::learn::clusters`]) and of GloVe's general vocabulary
//! ([`crate::learn::vector_clusters`]), GeoNames gazetteer matches ([`crate::gazetteer::Gazetteer`])
//! and a first-name list ([`crate::first_names`]).
//!
//! Clusters, gazetteer and names are the embedded ones, so the committed model must be
//! retrained whenever one of those files changes.

use super::context::{case_of, is_all_caps, DocContext};
use crate::first_names::is_first_name;
use crate::learn::features::{Features, Hasher};
use crate::learn::vector_clusters::VectorClusters;

/// Feature templates. Each feature hashes its template's
/// discriminant first, so the discriminants are part of every trained model: add templates
/// at the end, never renumber or reuse one (a dropped one leaves a gap, hence the explicit
/// discriminants after gaps).
#[derive(Clone, Copy)]
#[repr(u8)]
enum T {
    Bias = 1,
    Word,
    RawWord,
    Prefix,
    Suffix,
    Shape,
    LongShape,
    PrevWord,
    NextWord,
    PrevPrevWord,
    NextNextWord,
    PrevShape,
    NextShape,
    PrevAndWord,
    WordAndNext,
    ShapeTrigram,
    First,
    CapsLine,
    DocCase,
    DocCaseFirst,
    PrevWordAndShape,
    ShapeAndNextWord,
    PrevRawWord,
    NextRawWord,
    Length,
    PrevSuffix,
    ClusterFine,
    ClusterCoarse,
    PrevCluster,
    NextCluster,
    Gazetteer,
    GazetteerShape,
    FirstName,
    AfterFirstName,
    VectorFine,
    VectorCoarse,
    PrevVectorFine,
    NextVectorFine,
}

impl From<T> for u8 {
    fn from(t: T) -> u8 {
        t as u8
    }
}

/// Longest gazetteer names looked up, in words.
const MAX_GAZETTEER_WORDS: usize = 4;

/// Per word: the kind bit set ([`crate::gazetteer::Gazetteer::kind_mask`]) of the longest
/// place name of capitalised words starting or continuing there, with bit 7 set inside a
/// name (not on its first word); 0 outside names.
fn gazetteer_marks(words: &[&str], out: &mut Vec<u8>) {
    out.clear();
    out.resize(words.len(), 0);
    let gazetteer = crate::gazetteer::Gazetteer::embedded();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let (mut phrase, mut key) = (String::new(), String::new());
    let mut i = 0;
    while i < words.len() {
        if !capitalised(words[i]) {
            i += 1;
            continue;
        }
        let mut found = None;
        let longest = MAX_GAZETTEER_WORDS.min(words.len() - i);
        for len in (1..=longest).rev() {
            if !words[i..i + len]
                .iter()
                .all(|w| capitalised(w) || w.contains('-'))
            {
                continue;
            }
            phrase.clear();
            for (k, w) in words[i..i + len].iter().enumerate() {
                if k > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(w);
            }
            crate::gazetteer::fold_into(&phrase, &mut key);
            let mask = gazetteer.kind_mask(&key);
            if mask != 0 {
                found = Some((len, mask));
                break;
            }
        }
        match found {
            Some((len, mask)) => {
                out[i] = mask;
                for m in &mut out[i + 1..i + len] {
                    *m = mask | 0x80;
                }
                i += len;
            }
            None => i += 1,
        }
    }
}

/// Short word shape: each character class once per run (`Xx`, `X.X.`, `d-d`), at most 8
/// bytes; `long` keeps runs up to 4 (`Xxxx`, `dddd`).
fn shape(word: &str, long: bool, out: &mut Vec<u8>) {
    out.clear();
    let mut run = 0;
    let mut last = 0u8;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'o'
        };
        run = if class == last { run + 1 } else { 1 };
        last = class;
        if run == 1 || (long && run <= 4) {
            out.push(class);
        }
        if out.len() >= 12 {
            break;
        }
    }
}

/// Byte offset after the first `n` characters (or the end).
fn char_prefix_end(w: &str, n: usize) -> usize {
    w.char_indices().nth(n).map_or(w.len(), |(i, _)| i)
}

/// Byte offset of the last `n` characters (or 0).
fn char_suffix_start(w: &str, n: usize) -> usize {
    w.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i)
}

/// Appends the features of every word of one sentence to `out` (which may already hold
/// earlier sentences' tokens).
pub fn extract(words: &[&str], ctx: &DocContext, out: &mut Features) {
    extract_with(words, ctx, |_, _| {}, out);
}

/// [`extract`], with `extra(i, values)` appending more features of word `i` after its own
/// (the second pass's non-local ones).
pub fn extract_with(
    words: &[&str],
    ctx: &DocContext,
    mut extra: impl FnMut(usize, &mut Vec<u32>),
    out: &mut Features,
) {
    if out.starts.is_empty() {
        out.starts.push(0);
    }
    let sentence = Sentence::new(words);
    let mut long = Vec::new();
    for i in 0..words.len() {
        // The order of the groups is the order of each word's features; index 1 (the word)
        // is the identity the perceptron's history features combine with.
        let v = &mut out.values;
        sentence.word_features(i, &mut long, v);
        sentence.neighbour_features(i, v);
        sentence.document_features(i, ctx, v);
        sentence.cluster_features(i, v);
        sentence.name_features(i, v);
        extra(i, v);
        out.starts.push(out.values.len());
    }
}

/// One sentence's words with what their features read several times, computed once.
struct Sentence<'a> {
    words: &'a [&'a str],
    /// Whether the whole sentence is in capitals (a headline).
    caps: bool,
    /// Every word's short shape, back to back (each is read up to three times) ...
    shape_bytes: Vec<u8>,
    /// ... and where each ends.
    shape_ends: Vec<usize>,
    /// Gazetteer marks ([`gazetteer_marks`]).
    gazetteer: Vec<u8>,
    /// Each word's (coarse, fine) cluster, looked up once: each is read as w0, w-1 and w+1.
    clusters: Vec<Option<(u16, u16)>>,
    /// The same, of the general vocabulary's clusters ([`VectorClusters`]).
    vector_clusters: Vec<Option<(u16, u16)>>,
}

impl<'a> Sentence<'a> {
    fn new(words: &'a [&'a str]) -> Self {
        let n = words.len();
        let (mut shape_bytes, mut shape_ends) = (Vec::with_capacity(n * 4), Vec::with_capacity(n));
        let mut one = Vec::new();
        for w in words {
            shape(w, false, &mut one);
            shape_bytes.extend_from_slice(&one);
            shape_ends.push(shape_bytes.len());
        }
        let mut gazetteer = Vec::new();
        gazetteer_marks(words, &mut gazetteer);
        let embedded = crate::learn::clusters::Clusters::embedded().ok();
        Sentence {
            words,
            caps: is_all_caps(words),
            shape_bytes,
            shape_ends,
            gazetteer,
            clusters: words
                .iter()
                .map(|w| embedded.and_then(|c| c.lookup(w)))
                .collect(),
            vector_clusters: match VectorClusters::embedded() {
                Ok(c) => words.iter().map(|w| c.lookup(w)).collect(),
                Err(_) => vec![None; n],
            },
        }
    }

    /// The word at `i`, or a sentence-boundary marker outside the sentence.
    fn word(&self, i: isize) -> &'a str {
        if i < 0 {
            "<s>"
        } else if i as usize >= self.words.len() {
            "</s>"
        } else {
            self.words[i as usize]
        }
    }

    /// The short shape of the word at `i`, or `<>` outside the sentence.
    fn shp(&self, i: isize) -> &[u8] {
        if i < 0 || i as usize >= self.words.len() {
            b"<>"
        } else {
            let i = i as usize;
            let start = if i == 0 { 0 } else { self.shape_ends[i - 1] };
            &self.shape_bytes[start..self.shape_ends[i]]
        }
    }

    fn cluster(&self, i: isize) -> Option<(u16, u16)> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.clusters.get(i).copied().flatten())
    }

    fn vector_cluster(&self, i: isize) -> Option<(u16, u16)> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.vector_clusters.get(i).copied().flatten())
    }

    fn is_first_name(&self, i: isize) -> bool {
        i >= 0 && (i as usize) < self.words.len() && is_first_name(self.words[i as usize])
    }

    /// The word as it is and folded, its affixes and shapes (`long` is a reused buffer).
    fn word_features(&self, i: usize, long: &mut Vec<u8>, v: &mut Vec<u32>) {
        let w0 = self.words[i];
        v.push(Hasher::new(T::Bias).finish());
        v.push(Hasher::new(T::Word).word(w0).finish());
        v.push(Hasher::new(T::RawWord).raw(w0.as_bytes()).finish());
        for k in 1..=4 {
            if w0.chars().count() > k {
                v.push(
                    Hasher::new(T::Prefix)
                        .byte(k as u8)
                        .word(&w0[..char_prefix_end(w0, k)])
                        .finish(),
                );
                v.push(
                    Hasher::new(T::Suffix)
                        .byte(k as u8)
                        .word(&w0[char_suffix_start(w0, k)..])
                        .finish(),
                );
            }
        }
        v.push(Hasher::new(T::Shape).raw(self.shp(i as isize)).finish());
        shape(w0, true, long);
        v.push(Hasher::new(T::LongShape).raw(long).finish());
    }

    /// The words and shapes around the word, alone and combined with it.
    fn neighbour_features(&self, i: usize, v: &mut Vec<u32>) {
        let (w0, ii) = (self.words[i], i as isize);
        let (word, shp) = (|d: isize| self.word(ii + d), |d: isize| self.shp(ii + d));
        v.push(Hasher::new(T::PrevWord).word(word(-1)).finish());
        v.push(Hasher::new(T::NextWord).word(word(1)).finish());
        v.push(Hasher::new(T::PrevPrevWord).word(word(-2)).finish());
        v.push(Hasher::new(T::NextNextWord).word(word(2)).finish());
        v.push(
            Hasher::new(T::PrevRawWord)
                .raw(word(-1).as_bytes())
                .finish(),
        );
        v.push(Hasher::new(T::NextRawWord).raw(word(1).as_bytes()).finish());
        v.push(Hasher::new(T::PrevShape).raw(shp(-1)).finish());
        v.push(Hasher::new(T::NextShape).raw(shp(1)).finish());
        v.push(Hasher::new(T::PrevAndWord).word(word(-1)).word(w0).finish());
        v.push(Hasher::new(T::WordAndNext).word(w0).word(word(1)).finish());
        v.push(
            Hasher::new(T::ShapeTrigram)
                .raw(shp(-1))
                .raw(shp(0))
                .raw(shp(1))
                .finish(),
        );
        v.push(
            Hasher::new(T::PrevWordAndShape)
                .word(word(-1))
                .raw(shp(0))
                .finish(),
        );
        v.push(
            Hasher::new(T::ShapeAndNextWord)
                .raw(shp(0))
                .word(word(1))
                .finish(),
        );
        if i > 0 {
            let prev = self.words[i - 1];
            v.push(
                Hasher::new(T::PrevSuffix)
                    .word(&prev[char_suffix_start(prev, 2.min(prev.chars().count().max(1)))..])
                    .finish(),
            );
        }
    }

    /// Position and case in the sentence and in the document, and length.
    fn document_features(&self, i: usize, ctx: &DocContext, v: &mut Vec<u32>) {
        let (w0, shp) = (self.words[i], self.shp(i as isize));
        let first = (i == 0) as u8;
        v.push(Hasher::new(T::First).byte(first).raw(shp).finish());
        v.push(
            Hasher::new(T::CapsLine)
                .byte(self.caps as u8)
                .raw(shp)
                .finish(),
        );
        let seen = ctx.seen(w0);
        let own = case_of(w0);
        v.push(Hasher::new(T::DocCase).byte(seen).byte(own).finish());
        v.push(
            Hasher::new(T::DocCaseFirst)
                .byte(seen)
                .byte(own)
                .byte(first | (self.caps as u8) << 1)
                .finish(),
        );
        v.push(
            Hasher::new(T::Length)
                .byte(w0.chars().count().min(12) as u8)
                .finish(),
        );
    }

    /// The word's clusters and its neighbours' coarse ones.
    fn cluster_features(&self, i: usize, v: &mut Vec<u32>) {
        let ii = i as isize;
        if let Some((coarse, fine)) = self.cluster(ii) {
            v.push(
                Hasher::new(T::ClusterFine)
                    .raw(&fine.to_le_bytes())
                    .finish(),
            );
            v.push(
                Hasher::new(T::ClusterCoarse)
                    .raw(&coarse.to_le_bytes())
                    .finish(),
            );
        }
        let coarse_of = |c: Option<(u16, u16)>| c.map_or(u16::MAX, |(c, _)| c).to_le_bytes();
        v.push(
            Hasher::new(T::PrevCluster)
                .raw(&coarse_of(self.cluster(ii - 1)))
                .finish(),
        );
        v.push(
            Hasher::new(T::NextCluster)
                .raw(&coarse_of(self.cluster(ii + 1)))
                .finish(),
        );
        // The general vocabulary's clusters: the word's two, its neighbours' fine ones (fine
        // neighbours measured a little better than coarse ones on folds of CoNLL train).
        if let Some((coarse, fine)) = self.vector_cluster(ii) {
            v.push(Hasher::new(T::VectorFine).raw(&fine.to_le_bytes()).finish());
            v.push(
                Hasher::new(T::VectorCoarse)
                    .raw(&coarse.to_le_bytes())
                    .finish(),
            );
        }
        let fine_of = |c: Option<(u16, u16)>| c.map_or(u16::MAX, |(_, f)| f).to_le_bytes();
        v.push(
            Hasher::new(T::PrevVectorFine)
                .raw(&fine_of(self.vector_cluster(ii - 1)))
                .finish(),
        );
        v.push(
            Hasher::new(T::NextVectorFine)
                .raw(&fine_of(self.vector_cluster(ii + 1)))
                .finish(),
        );
    }

    /// First names around the word and gazetteer place names.
    fn name_features(&self, i: usize, v: &mut Vec<u32>) {
        let ii = i as isize;
        if self.is_first_name(ii) {
            v.push(Hasher::new(T::FirstName).raw(self.shp(ii + 1)).finish());
        }
        if self.is_first_name(ii - 1) {
            v.push(Hasher::new(T::AfterFirstName).raw(self.shp(ii)).finish());
        }
        let gaz = self.gazetteer[i];
        if gaz != 0 {
            v.push(Hasher::new(T::Gazetteer).byte(gaz).finish());
            v.push(
                Hasher::new(T::GazetteerShape)
                    .byte(gaz)
                    .raw(self.shp(ii))
                    .finish(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template ids the committed model was trained with.
    #[test]
    fn template_ids_are_pinned() {
        assert_eq!((T::Bias as u8, T::AfterFirstName as u8), (1, 34));
    }

    #[test]
    fn shapes_and_affixes_are_char_safe() {
        let mut s = Vec::new();
        shape("McDonald's", false, &mut s);
        assert_eq!(s, b"XxXx'x");
        shape("1996-08-22", true, &mut s);
        assert_eq!(s, b"dddd-dd-dd");
        assert_eq!(char_suffix_start("Zürich", 3), 4);
        assert_eq!(char_prefix_end("Éa", 1), 2);
        let mut f = Features::default();
        let ctx = DocContext::default();
        extract(&["Ünïcödé", "é", "."], &ctx, &mut f);
        extract(&["Again"], &ctx, &mut f);
        assert_eq!(f.len(), 4);
        assert!(!f.of(3).is_empty());
    }

    #[test]
    fn gazetteer_marks_longest_capitalised_names() {
        let mut marks = Vec::new();
        gazetteer_marks(
            &["flights", "to", "New", "York", "and", "Paris", "."],
            &mut marks,
        );
        assert_eq!(marks[0], 0);
        assert_ne!(marks[2], 0);
        assert_eq!(marks[3] & 0x80, 0x80);
        assert_ne!(marks[5] & 4, 0, "Paris is a city");
        assert_eq!(marks[6], 0);
    }
}
