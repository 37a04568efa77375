//! Bytes to text: BOM sniffing, UTF-8 validation, legacy-encoding detection, binary rejection.
//!
//! Policy, in order:
//! 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE).
//! 2. An explicit encoding from the caller (`--encoding`) decides.
//! 3. Known binary signatures (PNG, PDF, ZIP, GZIP, ...) or NUL / control-byte density reject
//!    the input as binary.
//! 4. Valid UTF-8 is taken as is.
//! 5. Bytes that contain well-formed multi-byte UTF-8 sequences *and* invalid ones are corrupt
//!    UTF-8: an error names the first bad byte, because guessing a legacy encoding would turn
//!    the valid characters into mojibake.
//! 6. Otherwise `chardetng` guesses a legacy encoding (Windows-1252 for Western text) and
//!    `encoding_rs` decodes it.

use encoding_rs::{Encoding, UTF_8};

use crate::ErrorKind;

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Canonical name of the encoding (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
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

/// Decodes `bytes` under the policy in the module docs. `forced` overrides detection.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, ErrorKind> {
    if bytes.is_empty() {
        return Err(ErrorKind::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    if let Some(enc) = forced {
        return decode_with(enc, bytes);
    }
    if let Some(what) = binary_signature(bytes) {
        return Err(ErrorKind::Binary(what.to_owned()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_control_density(text.as_bytes())?;
            Ok(Decoded {
                text: text.to_owned(),
                encoding: UTF_8.name(),
            })
        }
        Err(e) => {
            let valid_up_to = e.valid_up_to();
            check_control_density(bytes)?;
            if has_multibyte_utf8(bytes) {
                let (line, column) = line_col(bytes, valid_up_to);
                return Err(ErrorKind::InvalidUtf8 {
                    byte: valid_up_to as u64,
                    line,
                    column,
                });
            }
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(None, chardetng::Utf8Detection::Deny);
            decode_with(enc, bytes)
        }
    }
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, ErrorKind> {
    let (text, used, had_errors) = enc.decode(bytes);
    if had_errors && used == UTF_8 {
        let e = std::str::from_utf8(bytes).unwrap_err();
        let (line, column) = line_col(bytes, e.valid_up_to());
        return Err(ErrorKind::InvalidUtf8 {
            byte: e.valid_up_to() as u64,
            line,
            column,
        });
    }
    if had_errors {
        return Err(ErrorKind::Undecodable(used.name()));
    }
    if text.is_empty() {
        return Err(ErrorKind::Empty); // a BOM alone, or escape sequences only
    }
    check_control_density(text.as_bytes())?;
    Ok(Decoded {
        text: text.into_owned(),
        encoding: used.name(),
    })
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
        return Err(ErrorKind::Binary("contains NUL bytes".to_owned()));
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
    fn forced_encoding_wins() {
        let d = decode(b"na\xefve", Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "naïve");
    }
}
