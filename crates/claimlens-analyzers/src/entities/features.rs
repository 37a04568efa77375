//! Feature templates of the entity tagger: the word and its neighbours, affixes, word
//! shapes, headline and sentence position, how the word is written elsewhere in the
//! document ([`DocContext`]), word clusters learned from unlabelled news
//! ([`crate::learn::clusters`]), GeoNames gazetteer matches ([`crate::places::Gazetteer`])
//! and a first-name list ([`super::names`]).
//!
//! Clusters, gazetteer and names are the embedded ones, so the committed model must be
//! retrained whenever one of those files changes.

use super::context::{case_of, is_all_caps, DocContext};
use super::names::is_first_name;
use crate::learn::features::{Features, Hasher};

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
}

impl From<T> for u8 {
    fn from(t: T) -> u8 {
        t as u8
    }
}

/// Longest gazetteer names looked up, in words.
const MAX_GAZETTEER_WORDS: usize = 4;

/// Per word: the kind bit set ([`crate::places::Gazetteer::kind_mask`]) of the longest
/// place name of capitalised words starting or continuing there, with bit 7 set inside a
/// name (not on its first word); 0 outside names.
fn gazetteer_marks(words: &[&str], out: &mut Vec<u8>) {
    out.clear();
    out.resize(words.len(), 0);
    let gazetteer = crate::places::Gazetteer::embedded();
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
            crate::places::fold_into(&phrase, &mut key);
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
    if out.starts.is_empty() {
        out.starts.push(0);
    }
    let caps = is_all_caps(words);
    let n = words.len();
    // Every word's short shape, back to back in one buffer (read up to three times each).
    let (mut shape_bytes, mut shape_ends) = (Vec::with_capacity(n * 4), Vec::with_capacity(n));
    let mut one = Vec::new();
    for w in words {
        shape(w, false, &mut one);
        shape_bytes.extend_from_slice(&one);
        shape_ends.push(shape_bytes.len());
    }
    let mut long = Vec::new();
    let mut gaz = Vec::new();
    gazetteer_marks(words, &mut gaz);
    let clusters = crate::learn::clusters::Clusters::embedded().ok();
    // Looked up once per word: each is read three times (as w0, w-1 and w+1).
    let word_clusters: Vec<Option<(u16, u16)>> = words
        .iter()
        .map(|w| clusters.and_then(|c| c.lookup(w)))
        .collect();
    let cluster = |i: isize| -> Option<(u16, u16)> {
        usize::try_from(i)
            .ok()
            .and_then(|i| word_clusters.get(i).copied().flatten())
    };
    let word = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else if i as usize >= n {
            "</s>"
        } else {
            words[i as usize]
        }
    };
    let shp = |i: isize| -> &[u8] {
        if i < 0 || i as usize >= n {
            b"<>"
        } else {
            let i = i as usize;
            let start = if i == 0 { 0 } else { shape_ends[i - 1] };
            &shape_bytes[start..shape_ends[i]]
        }
    };
    for i in 0..n {
        let v = &mut out.values;
        let w0 = words[i];
        let ii = i as isize;
        v.push(Hasher::new(T::Bias).finish());
        // Index 1 is the word identity (the perceptron's history features use it).
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
        v.push(Hasher::new(T::Shape).raw(shp(ii)).finish());
        shape(w0, true, &mut long);
        v.push(Hasher::new(T::LongShape).raw(&long).finish());
        v.push(Hasher::new(T::PrevWord).word(word(ii - 1)).finish());
        v.push(Hasher::new(T::NextWord).word(word(ii + 1)).finish());
        v.push(Hasher::new(T::PrevPrevWord).word(word(ii - 2)).finish());
        v.push(Hasher::new(T::NextNextWord).word(word(ii + 2)).finish());
        v.push(
            Hasher::new(T::PrevRawWord)
                .raw(word(ii - 1).as_bytes())
                .finish(),
        );
        v.push(
            Hasher::new(T::NextRawWord)
                .raw(word(ii + 1).as_bytes())
                .finish(),
        );
        v.push(Hasher::new(T::PrevShape).raw(shp(ii - 1)).finish());
        v.push(Hasher::new(T::NextShape).raw(shp(ii + 1)).finish());
        v.push(
            Hasher::new(T::PrevAndWord)
                .word(word(ii - 1))
                .word(w0)
                .finish(),
        );
        v.push(
            Hasher::new(T::WordAndNext)
                .word(w0)
                .word(word(ii + 1))
                .finish(),
        );
        v.push(
            Hasher::new(T::ShapeTrigram)
                .raw(shp(ii - 1))
                .raw(shp(ii))
                .raw(shp(ii + 1))
                .finish(),
        );
        v.push(
            Hasher::new(T::PrevWordAndShape)
                .word(word(ii - 1))
                .raw(shp(ii))
                .finish(),
        );
        v.push(
            Hasher::new(T::ShapeAndNextWord)
                .raw(shp(ii))
                .word(word(ii + 1))
                .finish(),
        );
        if i > 0 {
            let prev = words[i - 1];
            v.push(
                Hasher::new(T::PrevSuffix)
                    .word(&prev[char_suffix_start(prev, 2.min(prev.chars().count().max(1)))..])
                    .finish(),
            );
        }
        let first = (i == 0) as u8;
        v.push(Hasher::new(T::First).byte(first).raw(shp(ii)).finish());
        v.push(
            Hasher::new(T::CapsLine)
                .byte(caps as u8)
                .raw(shp(ii))
                .finish(),
        );
        let seen = ctx.seen(w0);
        let own = case_of(w0);
        v.push(Hasher::new(T::DocCase).byte(seen).byte(own).finish());
        v.push(
            Hasher::new(T::DocCaseFirst)
                .byte(seen)
                .byte(own)
                .byte(first | (caps as u8) << 1)
                .finish(),
        );
        v.push(
            Hasher::new(T::Length)
                .byte(w0.chars().count().min(12) as u8)
                .finish(),
        );
        if let Some((coarse, fine)) = cluster(ii) {
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
                .raw(&coarse_of(cluster(ii - 1)))
                .finish(),
        );
        v.push(
            Hasher::new(T::NextCluster)
                .raw(&coarse_of(cluster(ii + 1)))
                .finish(),
        );
        let first_name = |i: isize| i >= 0 && (i as usize) < n && is_first_name(words[i as usize]);
        if first_name(ii) {
            v.push(Hasher::new(T::FirstName).raw(shp(ii + 1)).finish());
        }
        if first_name(ii - 1) {
            v.push(Hasher::new(T::AfterFirstName).raw(shp(ii)).finish());
        }
        if gaz[i] != 0 {
            v.push(Hasher::new(T::Gazetteer).byte(gaz[i]).finish());
            v.push(
                Hasher::new(T::GazetteerShape)
                    .byte(gaz[i])
                    .raw(shp(ii))
                    .finish(),
            );
        }
        out.starts.push(out.values.len());
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
