//! Bytes to text: BOM sniffing, UTF-8 validation, legacy-encoding detection, binary rejection.
//!
//! Policy, in order:
//! 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE).
//! 2. An explicit encoding from the caller (`--encoding`) decides; with `lossy`, invalid UTF-8
//!    becomes U+FFFD, counted in a [`DecodeNote::Replaced`].
//! 3. Known binary signatures (PNG, PDF, ZIP, GZIP, ...) reject the input as binary.
//! 4. UTF-16 without a byte-order mark is recognised by its NUL bytes in alternate positions
//!    (ASCII-range text has a zero high byte in every code unit) and decoded, with a note.
//! 5. NUL / control-byte density rejects the input as binary.
//! 6. Valid UTF-8 is taken as is.
//! 7. Invalid UTF-8 that is otherwise UTF-8 (it contains well-formed multi-byte sequences) or
//!    ASCII with a few stray bytes is corrupt UTF-8: an error names the first bad byte, or with
//!    `lossy` the bad bytes become U+FFFD and a note counts them. A legacy guess would turn
//!    the good characters into mojibake or put a wrong letter into a quotation.
//! 8. Otherwise `chardetng` guesses a legacy encoding (Windows-1252 for Western text) and
//!    `encoding_rs` decodes it, with a note saying so.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::ErrorKind;

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Canonical name of the encoding (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// What a reader of the text should know about how it was decoded.
    pub notes: Vec<DecodeNote>,
}

/// Something about the decoding that the document's diagnostics should say.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeNote {
    /// Invalid UTF-8 sequences were replaced by U+FFFD (lossy mode).
    Replaced {
        /// Number of invalid sequences replaced.
        count: u64,
        /// Byte offset in the input of the first one.
        first_byte: u64,
    },
    /// The bytes are not UTF-8; the encoding was guessed from them.
    Detected,
    /// UTF-16 without a byte-order mark, recognised by its NUL-byte pattern.
    Utf16WithoutBom,
}

impl std::fmt::Display for DecodeNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeNote::Replaced { count, first_byte } => write!(
                f,
                "{count} invalid UTF-8 sequence{} replaced by U+FFFD (�), the first at byte \
                 {first_byte} of the input: the text around {} may be damaged",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" }
            ),
            DecodeNote::Detected => write!(
                f,
                "not UTF-8: the encoding was detected from the bytes (pass --encoding to choose)"
            ),
            DecodeNote::Utf16WithoutBom => write!(
                f,
                "UTF-16 without a byte-order mark, recognised by its NUL bytes in alternate \
                 positions"
            ),
        }
    }
}

/// Magic numbers of common binary formats people feed to text tools by mistake.
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
];

/// Decodes `bytes` under the policy in the module docs. `forced` overrides detection;
/// invalid UTF-8 is an error (see [`decode_with_policy`] for the lossy mode).
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, ErrorKind> {
    decode_with_policy(bytes, forced, false)
}

/// [`decode`], and with `lossy` invalid UTF-8 is replaced by U+FFFD and counted in a
/// [`DecodeNote::Replaced`] instead of being an error.
///
/// Strict is the default because claimlens is for checking what a source said: a quotation
/// with a damaged byte must be noticed before it is quoted, and an error cannot be missed the
/// way a note in a long report can. `--lossy` is one flag away, and its note gives the count
/// and where the first damage is.
pub fn decode_with_policy(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    lossy: bool,
) -> Result<Decoded, ErrorKind> {
    if bytes.is_empty() {
        return Err(ErrorKind::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..], lossy, bom_len);
    }
    if let Some(enc) = forced {
        return decode_with(enc, bytes, lossy, 0);
    }
    if let Some(what) = binary_signature(bytes) {
        return Err(ErrorKind::Binary(what.to_owned()));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        if let Ok(mut decoded) = decode_with(enc, bytes, false, 0) {
            decoded.notes.push(DecodeNote::Utf16WithoutBom);
            return Ok(decoded);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_control_density(text.as_bytes())?;
            Ok(Decoded {
                text: text.to_owned(),
                encoding: UTF_8.name(),
                notes: Vec::new(),
            })
        }
        Err(_) => {
            check_control_density(bytes)?;
            if has_multibyte_utf8(bytes) {
                return decode_with(UTF_8, bytes, lossy, 0);
            }
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(None, chardetng::Utf8Detection::Deny);
            if has_stray_bytes(bytes, enc) {
                return decode_with(UTF_8, bytes, lossy, 0);
            }
            let mut decoded = decode_with(enc, bytes, false, 0)?;
            decoded.notes.push(DecodeNote::Detected);
            Ok(decoded)
        }
    }
}

/// Decodes with one encoding. `offset` is where `bytes` start in the input (after a BOM), so
/// positions in errors and notes are the input's.
fn decode_with(
    enc: &'static Encoding,
    bytes: &[u8],
    lossy: bool,
    offset: usize,
) -> Result<Decoded, ErrorKind> {
    let (text, used, had_errors) = enc.decode(bytes);
    let mut notes = Vec::new();
    if had_errors && used == UTF_8 {
        let e = std::str::from_utf8(bytes).unwrap_err();
        let first = offset + e.valid_up_to();
        if !lossy {
            let (line, column) = line_col(bytes, e.valid_up_to());
            return Err(ErrorKind::InvalidUtf8 {
                byte: first as u64,
                line,
                column,
            });
        }
        notes.push(DecodeNote::Replaced {
            count: invalid_utf8_sequences(bytes),
            first_byte: first as u64,
        });
    } else if had_errors {
        return Err(ErrorKind::Undecodable(used.name()));
    }
    if text.is_empty() {
        return Err(ErrorKind::Empty); // a BOM alone, or escape sequences only
    }
    check_control_density(text.as_bytes())?;
    Ok(Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        notes,
    })
}

/// Number of maximal invalid subsequences, each of which becomes one U+FFFD.
fn invalid_utf8_sequences(bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut rest = bytes;
    while let Err(e) = std::str::from_utf8(rest) {
        count += 1;
        let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
        rest = &rest[e.valid_up_to() + skip..];
    }
    count
}

/// UTF-16 without a byte-order mark: text in the ASCII range has a NUL high byte in nearly
/// every code unit, so NULs fill one parity of positions and almost none of the other.
/// Binary data has NULs scattered on both.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let units = sample.len() / 2;
    if units < 4 {
        return None;
    }
    let zeros = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= units * 6;
    let hardly = |n: usize| n * 20 <= units;
    if mostly(odd) && hardly(even) {
        Some(UTF_16LE)
    } else if mostly(even) && hardly(odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Mostly-ASCII bytes whose few non-ASCII bytes look like damage rather than a legacy
/// encoding: a run of one or two such bytes that, in the guessed encoding `enc`, is a letter
/// standing alone between non-letters ("said \xff\xfe the"), or an upper-case letter right
/// after a lower-case one ("caf\xc3 ", a UTF-8 "é" cut short). Real legacy text puts its
/// accented letters inside words in their proper case ("caf\xe9") and its typographic
/// punctuation anywhere (" \x96 " is a dash). Text that is not mostly ASCII (Cyrillic, Greek
/// in a legacy code page) is left to detection.
fn has_stray_bytes(bytes: &[u8], enc: &'static Encoding) -> bool {
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    if high == 0 || high * 20 > bytes.len() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii() {
            i += 1;
        }
        if i - start > 2 {
            continue;
        }
        let before = start.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i).copied();
        let (run, _) = enc.decode_without_bom_handling(&bytes[start..i]);
        let Some(first) = run.chars().next() else {
            continue;
        };
        let is_letter = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        let alone = !is_letter(before) && !is_letter(after);
        if alone && run.chars().any(char::is_alphanumeric) {
            return true;
        }
        if before.is_some_and(|b| b.is_ascii_lowercase()) && first.is_uppercase() {
            return true;
        }
    }
    false
}

fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    BINARY_SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Text has almost no C0 control bytes besides tab, newline, carriage return and form feed;
/// binary data is full of them. One NUL is enough: no text format we read contains one.
fn check_control_density(bytes: &[u8]) -> Result<(), ErrorKind> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if memchr::memchr(0, sample).is_some() {
        let parity = |p: usize| {
            sample
                .iter()
                .skip(p)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        let (even, odd) = (parity(0), parity(1));
        // Most NULs on one parity: UTF-16 the detection could not confirm.
        let hint = if even.max(odd) >= 4 * even.min(odd).max(1) {
            "; if this is UTF-16 text without a byte-order mark, pass --encoding utf-16le \
             (or utf-16be)"
        } else {
            ""
        };
        return Err(ErrorKind::Binary(format!("contains NUL bytes{hint}")));
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls * 100 > sample.len().max(1) * 2 {
        return Err(ErrorKind::Binary(format!(
            "{controls} control bytes in the first {} bytes",
            sample.len()
        )));
    }
    Ok(())
}

/// True when the bytes contain at least one well-formed UTF-8 multi-byte sequence.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let good = &rest[..e.valid_up_to()];
                if !good.is_ascii() {
                    return true;
                }
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                rest = &rest[e.valid_up_to() + skip..];
            }
        }
    }
}

/// 1-based line and column (in bytes) of a byte offset, for error messages.
fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, (offset - line_start) as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("“Ça va?” 👍".as_bytes(), None).unwrap();
        assert_eq!(d.text, "“Ça va?” 👍");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Señor said “no”.".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "Señor said “no”.");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn windows_1252_is_detected() {
        // "The café’s owner said “yes”." in Windows-1252.
        let bytes = b"The caf\xe9\x92s owner said \x93yes\x94 and left the caf\xe9 at noon.";
        let d = decode(bytes, None).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(
            d.text,
            "The café’s owner said “yes” and left the café at noon."
        );
    }

    #[test]
    fn corrupt_utf8_is_an_error_with_position() {
        let bytes = b"caf\xc3\xa9 ok\nbad \xff here";
        match decode(bytes, None) {
            Err(ErrorKind::InvalidUtf8 { byte, line, column }) => {
                assert_eq!((byte, line, column), (13, 2, 5));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn binary_is_rejected() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            Err(ErrorKind::Binary(_))
        ));
        assert!(matches!(
            decode(b"abc\0def", None),
            Err(ErrorKind::Binary(_))
        ));
        assert!(matches!(decode(b"", None), Err(ErrorKind::Empty)));
    }

    #[test]
    fn lossy_mode_replaces_and_counts() {
        let bytes = b"caf\xc3\xa9 ok\nbad \xff here \xfe\xfe";
        let d = decode_with_policy(bytes, None, true).unwrap();
        assert_eq!(d.text, "café ok\nbad \u{fffd} here \u{fffd}\u{fffd}");
        assert_eq!(
            d.notes,
            [DecodeNote::Replaced {
                count: 3,
                first_byte: 13
            }]
        );
        // Forced UTF-8 is lossy too when asked, and strict otherwise.
        let d = decode_with_policy(b"one \xff", Some(UTF_8), true).unwrap();
        assert_eq!(d.text, "one \u{fffd}");
        assert!(decode(b"one \xff", Some(UTF_8)).is_err());
    }

    #[test]
    fn stray_bytes_in_ascii_are_corrupt_utf8_not_a_legacy_encoding() {
        for bytes in [
            &b"The mayor said \xff\xfe the port stays open. Nobody objected."[..],
            b"The caf\xc3 owner said the port stays open.",
            b"The mayor said the port stays open \xd0 and left.",
        ] {
            match decode(bytes, None) {
                Err(ErrorKind::InvalidUtf8 { .. }) => {}
                other => panic!("{bytes:?}: unexpected {other:?}"),
            }
        }
        // Legacy text with few accents, in words and in case, is still detected.
        for (bytes, text) in [
            (&b"A na\xefve caf\xe9 owner."[..], "A naïve café owner."),
            (
                b"Prices rose 2019 \x96 2020, he said.",
                "Prices rose 2019 – 2020, he said.",
            ),
        ] {
            let d = decode(bytes, None).unwrap();
            assert_eq!(d.text, text);
            assert_eq!(d.notes, [DecodeNote::Detected]);
        }
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "The mayor said “no”. Señor Pérez agreed.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let d = decode(&bytes, None).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (text, name));
            assert_eq!(d.notes, [DecodeNote::Utf16WithoutBom]);
        }
        // Binary with NULs on one side only gets a hint instead.
        let mut odd = b"a\0b\0c\0".repeat(4);
        odd.extend_from_slice(&[0x00, 0xd8, b'A', 0x00]); // a lone surrogate: not UTF-16
        match decode(&odd, None) {
            Err(ErrorKind::Binary(what)) => assert!(what.contains("utf-16le"), "{what}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn forced_encoding_wins() {
        let d = decode(b"na\xefve", Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "naïve");
    }
}
