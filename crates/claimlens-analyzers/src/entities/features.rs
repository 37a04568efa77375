//! Feature templates of the entity tagger: the word and its neighbours, affixes, word
//! shapes, headline and sentence position, and how the word is written elsewhere in the
//! document ([`DocContext`]).

use super::context::{case_of, is_all_caps, DocContext};
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
    let mut shapes: Vec<Vec<u8>> = Vec::with_capacity(n);
    for w in words {
        let mut s = Vec::new();
        shape(w, false, &mut s);
        shapes.push(s);
    }
    let mut long = Vec::new();
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
            &shapes[i as usize]
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
}
