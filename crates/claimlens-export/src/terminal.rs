//! Making input text safe to print on a terminal: the one place that decides which characters
//! of an article, an id, a file name or a metadata field may reach a terminal.
//!
//! An article (or a JSONL `id`, or a file name) can carry escape sequences that drive the
//! terminal which prints a report or an error message: `ESC ] 52 ; c ; … BEL` writes the
//! clipboard, `ESC [ 2 J` clears the screen, others retitle the window or fake output. Bidi
//! embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the characters
//! shown after them, so a line can display differently from what it holds ("Trojan Source").
//!
//! [`clean`] replaces each such character with U+FFFD, one for one, instead of removing it or
//! the sequence it starts: the reader sees that something was there (`�]52;c;…�`), nothing
//! can drive the terminal (an escape sequence needs its ESC, CSI or OSC introducer, and the
//! C1 forms of those are replaced too), and a snippet keeps its length, so offsets counted on
//! the printed text still point at the same characters.
//!
//! Kept on purpose: the left-to-right and right-to-left marks U+200E, U+200F and the Arabic
//! letter mark U+061C. They open no embedding and have no scope, so they cannot reverse a run
//! of letters (they only settle the direction of neutral characters beside them), and Hebrew,
//! Arabic and Persian news text uses them routinely around numbers and Latin names; replacing
//! them would damage genuine articles and defend against nothing a terminal can be made to do.

use std::borrow::Cow;

/// The character that stands in for a removed control character.
pub const REPLACEMENT: char = '\u{fffd}';

/// True for characters that must never reach a terminal or a report as they are: C0 controls
/// (including ESC), DEL, C1 controls (including the one-byte CSI U+009B and OSC U+009D), and
/// the bidi embeddings, overrides and isolates. Line breaks and tabs are among them; callers
/// that keep line structure handle those first.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// True for the bidi embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI,
/// RLI, FSI, PDI), which reorder the text after them. See the module documentation for the
/// marks that are kept.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line of terminal-safe text: line breaks and tabs (`\n`, `\r`, `\t`, and the Unicode line
/// and paragraph separators) become spaces, and every other [`is_unsafe`] character becomes
/// U+FFFD. Borrows when there is nothing to replace.
///
/// ```
/// use claimlens_export::terminal::clean;
///
/// let id = "doc\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{202e}1";
/// assert_eq!(clean(id), "doc\u{fffd}]52;c;ZXZpbA==\u{fffd}\u{fffd}[2J\u{fffd}1");
/// assert_eq!(clean("two\nlines"), "two lines");
/// ```
pub fn clean(s: &str) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) || matches!(c, '\u{2028}' | '\u{2029}');
    let Some(first) = s.find(needs) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        out.push(match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
            c if is_unsafe(c) => REPLACEMENT,
            c => c,
        });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_introducers() {
        let s = clean("a\u{1b}]52;c;ZXZpbA==\u{7}b\u{1b}[2Jc\u{9b}31md\u{9d}0;title\u{9c}");
        assert!(!s.chars().any(|c| c.is_control()), "{s:?}");
        assert_eq!(s, "a�]52;c;ZXZpbA==�b�[2Jc�31md�0;title�");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_replaced_marks_kept() {
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'] {
            assert_eq!(clean(&format!("x{c}y")), "x\u{fffd}y");
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(clean(&format!("x{c}y")), "x\u{fffd}y");
        }
        let marks = "\u{5e9}\u{5dc}\u{5d5}\u{5dd} 2026\u{200f} \u{200e}AB \u{61c}";
        assert!(matches!(clean(marks), Cow::Borrowed(_)));
    }

    #[test]
    fn line_structure_becomes_spaces_and_length_is_kept() {
        let s = "a\r\nb\tc\u{2028}d\u{7f}e\u{0}";
        let c = clean(s);
        assert_eq!(c, "a  b c d\u{fffd}e\u{fffd}");
        assert_eq!(c.chars().count(), s.chars().count());
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(clean("Café “quoted” — 東京 🙂"), Cow::Borrowed(_)));
        assert!(matches!(clean(""), Cow::Borrowed(_)));
    }
}
