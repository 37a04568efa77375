//! Features of the word-class tagger: the word, its affixes and shape, and two words either
//! side (the perceptron adds the two previous predicted classes).
//!
//! Curly quotes and apostrophes are folded to ASCII first: the training treebank is ASCII,
//! news text is mostly not.

use crate::learn::features::{Features, Hasher};

/// Feature templates. Each feature hashes its template's
/// discriminant first, so the discriminants are part of every trained model: add templates
/// at the end, never renumber or reuse one (a dropped one leaves a gap, hence the explicit
/// discriminants after gaps).
#[derive(Clone, Copy)]
#[repr(u8)]
enum T {
    Bias = 0,
    Word,
    Suffix3,
    Suffix2,
    Suffix1,
    Prefix1,
    Shape,
    PrevWord,
    PrevPrevWord,
    NextWord,
    NextNextWord,
    PrevSuffix3,
    NextSuffix3,
    PrevAndWord,
    Capitalised,
    First,
}

impl From<T> for u8 {
    fn from(t: T) -> u8 {
        t as u8
    }
}

/// ASCII form of a quote or apostrophe; other words as they are.
fn fold(w: &str) -> &str {
    match w {
        "\u{201c}" | "\u{201d}" | "\u{201e}" | "\u{ab}" | "\u{bb}" => "\"",
        "\u{2018}" | "\u{2019}" => "'",
        "\u{2019}s" | "\u{2019}S" => "'s",
        "n\u{2019}t" | "N\u{2019}T" => "n't",
        "\u{2014}" | "\u{2013}" | "\u{2015}" => "--",
        _ => w,
    }
}

/// The last `n` characters of `w` (all of it when shorter).
fn suffix(w: &str, n: usize) -> &str {
    let start = w.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &w[start..]
}

/// Word shape: X for upper, x for lower, d for digit, other characters kept; runs collapsed.
fn shape(w: &str, mut h: Hasher) -> Hasher {
    let mut last = '\0';
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s != last {
            let mut buf = [0u8; 4];
            h = h.raw(s.encode_utf8(&mut buf).as_bytes());
            last = s;
        }
    }
    h
}

/// Extracts the features of one sentence's words into `out` (cleared first).
pub fn extract(words: &[&str], out: &mut Features) {
    out.values.clear();
    out.starts.clear();
    let at = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else {
            words.get(i as usize).map_or("</s>", |w| fold(w))
        }
    };
    for (i, word) in words.iter().enumerate() {
        out.starts.push(out.values.len());
        let v = &mut out.values;
        let w = fold(word);
        let ii = i as isize;
        v.push(Hasher::new(T::Bias).finish());
        // Index 1: the word identity the perceptron's history features combine with.
        v.push(Hasher::new(T::Word).word(w).finish());
        v.push(Hasher::new(T::Suffix3).word(suffix(w, 3)).finish());
        v.push(Hasher::new(T::Suffix2).word(suffix(w, 2)).finish());
        v.push(Hasher::new(T::Suffix1).word(suffix(w, 1)).finish());
        v.push(
            Hasher::new(T::Prefix1)
                .word(&w[..w.chars().next().map_or(0, char::len_utf8)])
                .finish(),
        );
        v.push(shape(w, Hasher::new(T::Shape)).finish());
        v.push(Hasher::new(T::PrevWord).word(at(ii - 1)).finish());
        v.push(Hasher::new(T::PrevPrevWord).word(at(ii - 2)).finish());
        v.push(Hasher::new(T::NextWord).word(at(ii + 1)).finish());
        v.push(Hasher::new(T::NextNextWord).word(at(ii + 2)).finish());
        v.push(
            Hasher::new(T::PrevSuffix3)
                .word(suffix(at(ii - 1), 3))
                .finish(),
        );
        v.push(
            Hasher::new(T::NextSuffix3)
                .word(suffix(at(ii + 1), 3))
                .finish(),
        );
        v.push(
            Hasher::new(T::PrevAndWord)
                .word(at(ii - 1))
                .word(w)
                .finish(),
        );
        // Case is folded in the word features; a capital mid-sentence marks a name.
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        v.push(
            Hasher::new(T::Capitalised)
                .byte(capital as u8)
                .byte((i == 0) as u8)
                .finish(),
        );
        if i == 0 {
            v.push(Hasher::new(T::First).word(w).finish());
        }
    }
    out.starts.push(out.values.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template ids the committed model was trained with.
    #[test]
    fn template_ids_are_pinned() {
        assert_eq!((T::Bias as u8, T::First as u8), (0, 15));
    }

    #[test]
    fn curly_marks_share_features_with_ascii_ones() {
        let mut a = Features::default();
        let mut b = Features::default();
        extract(&["Russia", "\u{2019}s", "\u{201c}", "plan"], &mut a);
        extract(&["Russia", "'s", "\"", "plan"], &mut b);
        assert_eq!(a.values, b.values);
        assert_eq!(a.len(), 4);
        assert_eq!(suffix("é", 3), "é");
        assert_eq!(suffix("warned", 2), "ed");
    }
}
