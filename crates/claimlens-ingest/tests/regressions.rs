//! Regression tests for ingest bugs found by property tests and fuzzing.

use claimlens_ingest::decode::decode;
use claimlens_ingest::ErrorKind;
use encoding_rs::Encoding;

fn assert_empty(bytes: &[u8], forced: Option<&'static Encoding>) {
    match decode(bytes, forced) {
        Err(ErrorKind::Empty) => {}
        Ok(d) => panic!("{bytes:?} decoded to {:?} ({})", d.text, d.encoding),
        Err(e) => panic!("{bytes:?}: unexpected {e}"),
    }
}

/// Found by `decode_never_panics_and_text_is_non_empty`: a byte-order mark with nothing after
/// it decoded to `Ok("")` instead of an empty-input error.
#[test]
fn a_bom_alone_is_empty_input() {
    for bytes in [&b"\xef\xbb\xbf"[..], b"\xff\xfe", b"\xfe\xff"] {
        assert_empty(bytes, None);
    }
    // Same with a forced encoding whose escape sequences decode to no text.
    assert_empty(b"\x1b(B", Some(encoding_rs::ISO_2022_JP));
}

/// Found by the CLI bad-input tests: random bytes with no known signature contain a few
/// well-formed multi-byte UTF-8 sequences by chance and were reported as "invalid UTF-8 at
/// byte 0 ... pass --encoding", instead of as binary data.
#[test]
fn random_junk_is_binary_not_corrupt_utf8() {
    let mut seed: u64 = 42;
    let junk: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    assert!(
        matches!(decode(&junk, None), Err(ErrorKind::Binary(_))),
        "{:?}",
        decode(&junk, None).map(|d| d.encoding)
    );
}
