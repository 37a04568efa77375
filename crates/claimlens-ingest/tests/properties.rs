//! Property tests of ingest: decoding and reading arbitrary bytes never panics, and whatever
//! comes out is either a document with non-blank text or an error that names its source.

use std::path::PathBuf;

use claimlens_ingest::decode::{decode, decode_with_policy, DecodeNote};
use claimlens_ingest::{read, ErrorKind, Format, IngestOptions, Input};
use proptest::prelude::*;

/// Bytes that look like text with damage: UTF-8 pieces, legacy bytes, BOMs, controls.
fn texty_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"The mayor said. ".to_vec()),
        Just("“Café” — naïve 👩‍🔬 قال. ".as_bytes().to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\xfe\xff".to_vec()),
        Just(b"\x93quoted\x94 caf\xe9 ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"  \t".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\x89PNG\r\n\x1a\n".to_vec()),
        Just(b"%PDF-".to_vec()),
        Just(b"<html><p>".to_vec()),
        Just(b"{\"text\": \"".to_vec()),
        Just(b"\",".to_vec()),
        Just(b"}".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
        "\\PC{0,12}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..600), texty_bytes()]
}

/// JSONL-shaped bytes: lines of (mostly) objects with text-ish fields, some broken.
fn jsonl_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        ("\\PC{0,40}", "\\PC{0,10}").prop_map(|(text, id)| {
            serde_json::json!({"id": id, "text": text})
                .to_string()
                .into_bytes()
        }),
        "\\PC{0,40}".prop_map(|html| serde_json::json!({ "html": html }).to_string().into_bytes()),
        Just(b"[1, 2]".to_vec()),
        Just(b"{\"text\": 5}".to_vec()),
        Just(b"{\"text\": [\"a\", \"b\"]}".to_vec()),
        Just(b"{\"body\": \"   \"}".to_vec()),
        Just(b"\xef\xbb\xbf{\"text\": \"BOM line.\"}".to_vec()),
        Just(b"".to_vec()),
        Just(b"   ".to_vec()),
        prop::collection::vec(any::<u8>(), 0..30),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join(&b"\n"[..]))
}

/// CSV-shaped bytes: a header and records, some ragged or with odd quoting.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        "id,title,text",
        "text",
        "id,body",
        "id,title",
        "html,url",
        "",
        "\"text\",\"id\"",
    ]);
    let field = prop_oneof![
        "[a-zA-Z .,]{0,20}".prop_map(|s| s.into_bytes()),
        "\\PC{0,20}".prop_map(|s| format!("\"{}\"", s.replace('"', "\"\"")).into_bytes()),
        Just(b"\"unterminated".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        prop::collection::vec(any::<u8>(), 0..10),
    ];
    let record = prop::collection::vec(field, 0..5).prop_map(|f| f.join(&b","[..]));
    (header, prop::collection::vec(record, 0..8)).prop_map(|(h, recs)| {
        let mut out = h.as_bytes().to_vec();
        for r in recs {
            out.push(b'\n');
            out.extend(r);
        }
        out
    })
}

/// JSON-array-shaped bytes: the JSONL lines' objects as array elements, some broken.
fn json_array_bytes() -> impl Strategy<Value = Vec<u8>> {
    let sep = prop::sample::select(vec![",", ", ", ",\n  ", " ", "", ",,"]);
    (
        prop::collection::vec((jsonl_bytes(), sep), 0..6),
        prop::sample::select(vec!["]", "", "]\n", "] x"]),
    )
        .prop_map(|(items, close)| {
            let mut out = b"[".to_vec();
            for (item, sep) in items {
                out.extend(item);
                out.extend(sep.as_bytes());
            }
            out.extend(close.as_bytes());
            out
        })
}

/// A scratch file per test (cases of one test run one after another).
fn scratch(test: &str, ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "claimlens-ingest-prop-{}-{test}.{ext}",
        std::process::id()
    ))
}

/// Reads `bytes` from a file with extension `ext` (format forced by `format` if given) and
/// checks every item. Returns (documents, errors).
fn read_checked(
    test: &str,
    ext: &str,
    bytes: &[u8],
    format: Option<Format>,
    max_doc_bytes: u64,
) -> Result<(usize, usize), TestCaseError> {
    let path = scratch(test, ext);
    std::fs::write(&path, bytes).unwrap();
    let opts = IngestOptions {
        format,
        max_doc_bytes,
        ..IngestOptions::default()
    };
    let input = Input::file(&path);
    let (mut docs, mut errors) = (0, 0);
    // Each line or record yields at most one item, plus one for a header or IO error.
    let mut bound = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 2;
    if ext == "json" || format == Some(Format::Json) || test == "sniff" {
        // Array elements are separated by commas, not lines.
        bound += bytes.iter().filter(|&&b| b == b',').count();
    }
    for item in read(&input, &opts) {
        match item {
            Ok(doc) => {
                prop_assert!(
                    !doc.text().trim().is_empty(),
                    "document with blank text {:?}",
                    doc.text()
                );
                prop_assert!(doc.text().len() as u64 <= max_doc_bytes.max(1) * 4);
                docs += 1;
            }
            Err(e) => {
                prop_assert_eq!(&e.source, &input.name);
                let msg = e.to_string();
                prop_assert!(msg.starts_with(&input.name), "{}", msg);
                prop_assert!(msg.len() > input.name.len() + 2, "no message: {}", msg);
                errors += 1;
            }
        }
        prop_assert!(docs + errors <= bound, "more items than lines");
    }
    Ok((docs, errors))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn decode_never_panics_and_text_is_non_empty(bytes in any_bytes()) {
        if let Ok(d) = decode(&bytes, None) {
            prop_assert!(!d.text.is_empty(), "empty text from {:?} ({})", bytes, d.encoding);
        }
    }

    #[test]
    fn decode_with_a_forced_encoding_never_panics(
        bytes in any_bytes(),
        label in prop::sample::select(vec![
            "utf-8", "windows-1252", "iso-8859-2", "utf-16le", "utf-16be", "shift_jis",
            "gb18030", "koi8-r", "euc-kr", "iso-2022-jp", "x-user-defined", "replacement",
        ]),
    ) {
        let mut opts = IngestOptions::default();
        opts.set_encoding_label(label).unwrap();
        if let Ok(d) = decode(&bytes, opts.encoding) {
            prop_assert!(!d.text.is_empty(), "empty text from {:?} as {}", bytes, label);
        }
    }

    #[test]
    fn utf8_text_round_trips(text in "\\PC{1,200}") {
        // Valid UTF-8 without NULs or control-byte floods is returned unchanged.
        let bytes = text.as_bytes();
        let controls = bytes.iter().filter(|&&b| b < 0x20 && !b"\t\n\r\x0c".contains(&b)).count();
        prop_assume!(!text.starts_with('\u{feff}') && controls == 0);
        prop_assume!(!bytes.starts_with(b"BZh") && !bytes.starts_with(b"GIF8"));
        prop_assume!(!bytes.starts_with(b"%PDF-") && !bytes.starts_with(b"PK\x03\x04"));
        let d = decode(bytes, None).unwrap();
        prop_assert_eq!(d.text, text);
        prop_assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn lossy_utf8_counts_every_replacement_and_keeps_the_rest(
        head in "[a-z .\n]{0,40}",
        tail in "[a-zé .\n]{0,40}",
        bad in prop::collection::vec(prop::sample::select(vec![0xffu8, 0xfe, 0xc0, 0x80, 0xf5]), 1..4),
    ) {
        let mut bytes = format!("café {head}").into_bytes();
        let at = bytes.len();
        bytes.extend_from_slice(&bad);
        bytes.extend_from_slice(tail.as_bytes());
        let d = decode_with_policy(&bytes, Some(encoding_rs::UTF_8), true).unwrap();
        let replaced = d.text.matches('\u{fffd}').count() as u64;
        prop_assert_eq!(
            &d.notes,
            &vec![DecodeNote::Replaced { count: replaced, first_byte: at as u64 }]
        );
        prop_assert_eq!(d.text.replace('\u{fffd}', ""), format!("café {head}{tail}"));
    }

    #[test]
    fn corrupt_utf8_errors_point_at_the_first_bad_byte(
        head in "[a-z .\n]{0,40}",
        tail in "\\PC{0,40}",
        bad in prop::sample::select(vec![0xffu8, 0xfe, 0xc0, 0x80, 0xf5]),
    ) {
        // Text with a real multi-byte character and one invalid byte: an error, not mojibake.
        let mut bytes = format!("café {head}").into_bytes();
        let at = bytes.len();
        bytes.push(bad);
        bytes.extend_from_slice(tail.as_bytes());
        match decode(&bytes, None) {
            Err(ErrorKind::InvalidUtf8 { byte, line, .. }) => {
                prop_assert_eq!(byte as usize, at);
                let lines = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                prop_assert_eq!(line, lines);
            }
            Err(ErrorKind::Binary(_)) => {}
            other => prop_assert!(false, "unexpected {:?}", other.map(|d| d.text)),
        }
    }

    #[test]
    fn reading_arbitrary_bytes_as_jsonl_never_panics(bytes in prop_oneof![any_bytes(), jsonl_bytes()]) {
        read_checked("jsonl", "jsonl", &bytes, None, 1 << 20)?;
    }

    #[test]
    fn reading_arbitrary_bytes_as_json_never_panics(
        bytes in prop_oneof![any_bytes(), jsonl_bytes(), json_array_bytes()],
    ) {
        read_checked("json", "json", &bytes, None, 1 << 20)?;
    }

    #[test]
    fn a_json_array_reads_like_the_same_records_as_jsonl(
        records in prop::collection::vec(("\\PC{0,40}", "[a-z0-9]{1,8}"), 1..8),
        pretty in any::<bool>(),
    ) {
        let values: Vec<serde_json::Value> = records
            .iter()
            .map(|(text, id)| serde_json::json!({"id": id, "text": text}))
            .collect();
        let array = if pretty {
            serde_json::to_vec_pretty(&values).unwrap()
        } else {
            serde_json::to_vec(&values).unwrap()
        };
        let lines: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let read_all = |ext: &str, bytes: &[u8]| -> Vec<Result<(String, String), String>> {
            let path = scratch("array-vs-lines", ext);
            std::fs::write(&path, bytes).unwrap();
            read(&Input::file(&path), &IngestOptions::default())
                .map(|item| match item {
                    Ok(doc) => Ok((doc.id.clone(), doc.text().to_owned())),
                    Err(e) => Err(e.kind.to_string()),
                })
                .collect()
        };
        let from_array = read_all("json", &array);
        let from_lines = read_all("jsonl", lines.join("\n").as_bytes());
        prop_assert_eq!(from_array, from_lines);
    }

    #[test]
    fn reading_arbitrary_bytes_as_csv_never_panics(bytes in prop_oneof![any_bytes(), csv_bytes()]) {
        read_checked("csv", "csv", &bytes, None, 1 << 20)?;
    }

    #[test]
    fn reading_arbitrary_bytes_as_text_never_panics(bytes in any_bytes()) {
        let (docs, errors) = read_checked("text", "txt", &bytes, None, 1 << 20)?;
        prop_assert_eq!(docs + errors, 1);
    }

    #[test]
    fn reading_arbitrary_bytes_as_html_never_panics(bytes in any_bytes()) {
        let (docs, errors) = read_checked("html", "html", &bytes, None, 1 << 20)?;
        prop_assert_eq!(docs + errors, 1);
    }

    #[test]
    fn sniffed_format_never_panics(bytes in prop_oneof![any_bytes(), jsonl_bytes(), csv_bytes()]) {
        read_checked("sniff", "dat", &bytes, None, 1 << 20)?;
    }

    #[test]
    fn tiny_size_limits_never_panic(
        bytes in prop_oneof![jsonl_bytes(), csv_bytes(), texty_bytes()],
        format in prop::sample::select(vec![Format::Text, Format::Jsonl, Format::Csv]),
        limit in 0u64..64,
    ) {
        read_checked("limit", "in", &bytes, Some(format), limit)?;
    }
}
