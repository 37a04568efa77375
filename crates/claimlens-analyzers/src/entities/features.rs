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

/// Template ids (one byte each, never reused).
mod t {
    pub const BIAS: u8 = 1;
    pub const W0: u8 = 2;
    pub const RAW0: u8 = 3;
    pub const PRE: u8 = 4;
    pub const SUF: u8 = 5;
    pub const SHAPE: u8 = 6;
    pub const LONG_SHAPE: u8 = 7;
    pub const WM1: u8 = 8;
    pub const WP1: u8 = 9;
    pub const WM2: u8 = 10;
    pub const WP2: u8 = 11;
    pub const SHAPE_M1: u8 = 12;
    pub const SHAPE_P1: u8 = 13;
    pub const WM1_W0: u8 = 14;
    pub const W0_WP1: u8 = 15;
    pub const SHAPES3: u8 = 16;
    pub const FIRST: u8 = 17;
    pub const CAPS_LINE: u8 = 18;
    pub const DOC_CASE: u8 = 19;
    pub const DOC_CASE_FIRST: u8 = 20;
    pub const WM1_SHAPE0: u8 = 21;
    pub const SHAPE0_WP1: u8 = 22;
    pub const RAW_M1: u8 = 23;
    pub const RAW_P1: u8 = 24;
    pub const LEN: u8 = 25;
    pub const SUF_M1: u8 = 26;
    pub const CLUSTER_FINE: u8 = 27;
    pub const CLUSTER_COARSE: u8 = 28;
    pub const CLUSTER_M1: u8 = 29;
    pub const CLUSTER_P1: u8 = 30;
    pub const GAZETTEER: u8 = 31;
    pub const GAZETTEER_SHAPE: u8 = 32;
    pub const FIRST_NAME: u8 = 33;
    pub const AFTER_FIRST_NAME: u8 = 34;
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
        v.push(Hasher::new(t::BIAS).finish());
        // Index 1 is the word identity (the perceptron's history features use it).
        v.push(Hasher::new(t::W0).word(w0).finish());
        v.push(Hasher::new(t::RAW0).raw(w0.as_bytes()).finish());
        for k in 1..=4 {
            if w0.chars().count() > k {
                v.push(
                    Hasher::new(t::PRE)
                        .byte(k as u8)
                        .word(&w0[..char_prefix_end(w0, k)])
                        .finish(),
                );
                v.push(
                    Hasher::new(t::SUF)
                        .byte(k as u8)
                        .word(&w0[char_suffix_start(w0, k)..])
                        .finish(),
                );
            }
        }
        v.push(Hasher::new(t::SHAPE).raw(shp(ii)).finish());
        shape(w0, true, &mut long);
        v.push(Hasher::new(t::LONG_SHAPE).raw(&long).finish());
        v.push(Hasher::new(t::WM1).word(word(ii - 1)).finish());
        v.push(Hasher::new(t::WP1).word(word(ii + 1)).finish());
        v.push(Hasher::new(t::WM2).word(word(ii - 2)).finish());
        v.push(Hasher::new(t::WP2).word(word(ii + 2)).finish());
        v.push(Hasher::new(t::RAW_M1).raw(word(ii - 1).as_bytes()).finish());
        v.push(Hasher::new(t::RAW_P1).raw(word(ii + 1).as_bytes()).finish());
        v.push(Hasher::new(t::SHAPE_M1).raw(shp(ii - 1)).finish());
        v.push(Hasher::new(t::SHAPE_P1).raw(shp(ii + 1)).finish());
        v.push(Hasher::new(t::WM1_W0).word(word(ii - 1)).word(w0).finish());
        v.push(Hasher::new(t::W0_WP1).word(w0).word(word(ii + 1)).finish());
        v.push(
            Hasher::new(t::SHAPES3)
                .raw(shp(ii - 1))
                .raw(shp(ii))
                .raw(shp(ii + 1))
                .finish(),
        );
        v.push(
            Hasher::new(t::WM1_SHAPE0)
                .word(word(ii - 1))
                .raw(shp(ii))
                .finish(),
        );
        v.push(
            Hasher::new(t::SHAPE0_WP1)
                .raw(shp(ii))
                .word(word(ii + 1))
                .finish(),
        );
        if i > 0 {
            let prev = words[i - 1];
            v.push(
                Hasher::new(t::SUF_M1)
                    .word(&prev[char_suffix_start(prev, 2.min(prev.chars().count().max(1)))..])
                    .finish(),
            );
        }
        let first = (i == 0) as u8;
        v.push(Hasher::new(t::FIRST).byte(first).raw(shp(ii)).finish());
        v.push(
            Hasher::new(t::CAPS_LINE)
                .byte(caps as u8)
                .raw(shp(ii))
                .finish(),
        );
        let seen = ctx.seen(w0);
        let own = case_of(w0);
        v.push(Hasher::new(t::DOC_CASE).byte(seen).byte(own).finish());
        v.push(
            Hasher::new(t::DOC_CASE_FIRST)
                .byte(seen)
                .byte(own)
                .byte(first | (caps as u8) << 1)
                .finish(),
        );
        v.push(
            Hasher::new(t::LEN)
                .byte(w0.chars().count().min(12) as u8)
                .finish(),
        );
        if let Some((coarse, fine)) = cluster(ii) {
            v.push(
                Hasher::new(t::CLUSTER_FINE)
                    .raw(&fine.to_le_bytes())
                    .finish(),
            );
            v.push(
                Hasher::new(t::CLUSTER_COARSE)
                    .raw(&coarse.to_le_bytes())
                    .finish(),
            );
        }
        let coarse_of = |c: Option<(u16, u16)>| c.map_or(u16::MAX, |(c, _)| c).to_le_bytes();
        v.push(
            Hasher::new(t::CLUSTER_M1)
                .raw(&coarse_of(cluster(ii - 1)))
                .finish(),
        );
        v.push(
            Hasher::new(t::CLUSTER_P1)
                .raw(&coarse_of(cluster(ii + 1)))
                .finish(),
        );
        let first_name = |i: isize| i >= 0 && (i as usize) < n && is_first_name(words[i as usize]);
        if first_name(ii) {
            v.push(Hasher::new(t::FIRST_NAME).raw(shp(ii + 1)).finish());
        }
        if first_name(ii - 1) {
            v.push(Hasher::new(t::AFTER_FIRST_NAME).raw(shp(ii)).finish());
        }
        if gaz[i] != 0 {
            v.push(Hasher::new(t::GAZETTEER).byte(gaz[i]).finish());
            v.push(
                Hasher::new(t::GAZETTEER_SHAPE)
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
