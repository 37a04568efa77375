//! Token features the attribution taggers share (shapes, quotation state, affixes, stems,
//! distance buckets, word classes); the cue tagger's own features are in `cue` (hashing in
//! [`crate::learn::features`]).

use claimlens_core::{Token, TokenKind};

pub use crate::learn::features::Features;
use crate::pos::PosClass;

mod cue;

pub use cue::CueFeatures;

/// The word-class byte of a position before the first or after the last token.
pub const OUTSIDE: u8 = 0xfe;

/// Word classes of a document's tokens, sentence by sentence, from the embedded
/// part-of-speech model (all [`PosClass::Other`] if it failed to load, so a broken model
/// file degrades tagging rather than stopping it; a test loads it).
pub fn word_classes(text: &str, tokens: &[Token], sentence_of: &[u32]) -> Vec<PosClass> {
    match crate::pos::Model::embedded() {
        Ok(model) => model.tag_tokens(text, tokens, sentence_of),
        Err(_) => vec![PosClass::Other; tokens.len()],
    }
}

/// Coarse word shape: `Xx`, `x`, `X`, `d`, `p` (punct), `q` (quote), `o` (other).
pub fn shape(tok: &str, kind: TokenKind) -> u8 {
    if is_quote(tok) {
        return b'q';
    }
    match kind {
        TokenKind::Number => b'd',
        TokenKind::Punct => b'p',
        TokenKind::Symbol | TokenKind::Url => b'o',
        TokenKind::Word => {
            let mut chars = tok.chars();
            let first = chars.next().unwrap_or(' ');
            if first.is_uppercase() {
                if tok
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                    && tok.len() > 1
                {
                    b'X'
                } else {
                    b'C'
                }
            } else {
                b'x'
            }
        }
    }
}

/// Quote marks, including the doubled ASCII quotes of PTB-style text.
pub fn is_quote(tok: &str) -> bool {
    matches!(tok, "“" | "”" | "\"" | "«" | "»" | "„" | "``" | "''")
}

fn opens_quote(tok: &str) -> Option<bool> {
    match tok {
        "“" | "«" | "„" | "``" => Some(true),
        "”" | "»" | "''" => Some(false),
        _ => None,
    }
}

/// Whether each token is inside a quotation (quote marks included). News style reopens a
/// quotation in every paragraph it runs over, so the state resets at paragraph starts.
pub fn quote_state(text: &str, tokens: &[Token], paragraph_of: &[u32]) -> Vec<bool> {
    let n = tokens.len();
    let mut inq = vec![false; n];
    let mut state = false;
    for i in 0..n {
        if i == 0 || paragraph_of[i] != paragraph_of[i - 1] {
            state = false;
        }
        let w = &text[tokens[i].span.range()];
        match opens_quote(w) {
            Some(true) => {
                state = true;
                inq[i] = true;
            }
            Some(false) => {
                inq[i] = state;
                state = false;
            }
            None if w == "\"" => {
                state = !state;
                inq[i] = true;
            }
            None => inq[i] = state,
        }
    }
    inq
}

/// The first and last three characters of a word longer than three characters.
pub fn affixes(w: &str) -> Option<(&str, &str)> {
    let nchars = w.chars().count();
    (nchars > 3).then(|| {
        let suffix_start = w.char_indices().nth(nchars - 3).map_or(0, |(b, _)| b);
        let prefix_end = w.char_indices().nth(3).map_or(w.len(), |(b, _)| b);
        (&w[..prefix_end], &w[suffix_start..])
    })
}

/// Distance buckets: 0, 1, 2, 3–5, 6–10, 11–20, more.
pub fn bucket(d: usize) -> u8 {
    match d {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=5 => 3,
        6..=10 => 4,
        11..=20 => 5,
        _ => 6,
    }
}

/// The word without an inflection ending (-s, -es, -ies, -ed, -ied, -ing) and a final -e, so "warns",
/// "warned" and "warning" (and "argue", "argues", "argued") share one stem. Case is kept
/// (the hasher lowercases); a slice, so nothing is allocated.
pub fn stem(w: &str) -> &str {
    let b = w.as_bytes();
    let ends =
        |suf: &[u8]| b.len() > suf.len() && b[b.len() - suf.len()..].eq_ignore_ascii_case(suf);
    let keep = |n: usize| b.len() - n >= 3;
    // "denied"/"denies" -> "deni"; "-es" only after a sibilant ("discusses" -> "discuss").
    let two = ends(b"ied")
        || ends(b"ies")
        || (ends(b"ed") && keep(2))
        || ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| ends(s.as_bytes()));
    let strip = if ends(b"ing") && keep(3) {
        3
    } else if two {
        2
    } else if ends(b"s") && !ends(b"ss") && !ends(b"us") && !ends(b"is") && keep(1) {
        1
    } else {
        0
    };
    let mut end = b.len() - strip;
    if end >= 4 && b[end - 1].eq_ignore_ascii_case(&b'e') {
        end -= 1;
    }
    if !w.is_char_boundary(end) {
        return w;
    }
    &w[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_stem() {
        for w in ["warns", "warned", "warning", "warn"] {
            assert_eq!(stem(w), "warn", "{w}");
        }
        for w in ["argue", "argues", "argued", "arguing"] {
            assert_eq!(stem(w), "argu", "{w}");
        }
        assert_eq!(stem("denies"), stem("denied"));
        assert_eq!(stem("Says"), "Say");
        for w in ["said", "is", "as", "discuss", "focus", "", "é", "ßs"] {
            assert_eq!(stem(w), w, "{w}");
        }
        assert_eq!(stem("discusses"), "discuss");
    }
}
