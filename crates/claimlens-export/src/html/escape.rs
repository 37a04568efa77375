//! Escaping of input text for HTML element content and quoted attribute values.
//!
//! Bidi embeddings, overrides and isolates are replaced like control characters (the set is
//! decided in [`crate::terminal`]): inside an HTML paragraph an RLO reverses every character
//! after it up to the paragraph's end, across highlights and sentence spans, so a claim could be
//! shown in another order than the one it has in the text and the JSON export. `<bdi>` around
//! a field does not help (it isolates the field from its surroundings, not its own characters
//! from each other), and stripping them would shift every code-point offset after them; one
//! U+FFFD for one control keeps the offsets and shows that something was there.

use std::fmt;

use crate::terminal::is_bidi_control;

/// HTML-escapes text for use in element content and in quoted attribute values; replaces
/// control characters other than `\n` and `\t` (a `\r\n` pair becomes `\n`, a lone `\r` a
/// `\n`, anything else U+FFFD); replaces the bidi controls of
/// [`crate::terminal::is_bidi_control`] with U+FFFD.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let b = s.as_bytes();
        let mut last = 0;
        let mut i = 0;
        while i < b.len() {
            let (rep, width) = match b[i] {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&#39;", 1),
                b'\n' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'\r' if b.get(i + 1) == Some(&b'\n') => ("", 1),
                b'\r' => ("\n", 1),
                0..=0x1f | 0x7f => ("\u{fffd}", 1),
                // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
                0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => ("\u{fffd}", 2),
                // U+202A..U+202E and U+2066..U+2069 all start with E2 and are three bytes.
                0xe2 if s[i..].chars().next().is_some_and(is_bidi_control) => ("\u{fffd}", 3),
                _ => {
                    i += 1;
                    continue;
                }
            };
            f.write_str(&s[last..i])?;
            f.write_str(rep)?;
            i += width;
            last = i;
        }
        f.write_str(&s[last..])
    }
}
