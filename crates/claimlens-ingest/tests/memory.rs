//! In-memory input (what a server receives) reads exactly as a file with the same bytes.

use claimlens_ingest::{read, Format, IngestOptions, Input};

fn texts(input: &Input) -> Vec<String> {
    read(input, &IngestOptions::default())
        .map(|d| d.expect("a document").text().to_owned())
        .collect()
}

#[test]
fn content_type_chooses_the_format_and_its_charset_decodes() {
    let jsonl = b"{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"Two.\"}\n";
    let input = Input::memory("batch", &jsonl[..], Some("application/x-ndjson"));
    assert_eq!(texts(&input), ["One.", "Two."]);
    // No content type: sniffed, as for stdin.
    assert_eq!(
        texts(&Input::memory("batch", &jsonl[..], None)),
        ["One.", "Two."]
    );
    // "Café" in windows-1252, declared by the content type.
    let latin = b"Caf\xe9 owners said prices rose.";
    let input = Input::memory("cafe", &latin[..], Some("text/plain; charset=windows-1252"));
    let doc = read(&input, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.text(), "Café owners said prices rose.");
    assert_eq!(doc.origin.encoding, "windows-1252");
    assert_eq!(
        Format::from_content_type("TEXT/HTML; charset=utf-8"),
        Some(Format::Html)
    );
    assert_eq!(Format::from_content_type("application/octet-stream"), None);
}

#[test]
fn memory_and_file_inputs_give_the_same_document() {
    let dir = std::env::temp_dir().join(format!("claimlens-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("note.txt");
    let bytes = "The council said the bridge “will reopen” in May.\n\nNobody objected.";
    std::fs::write(&path, bytes).unwrap();
    let from_file = read(&Input::file(&path), &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    let name = path.display().to_string();
    let input = Input::memory(name, bytes.as_bytes(), Some("text/plain"));
    let from_memory = read(&input, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(from_file.text(), from_memory.text());
    assert_eq!(from_file.id, from_memory.id);
    assert_eq!(from_file.paragraphs, from_memory.paragraphs);
    std::fs::remove_dir_all(&dir).ok();
}

/// A page whose `<meta>` names one legacy charset, served with a `Content-Type` naming
/// another: the header wins, as in browsers (the HTTP charset outranks the page's own
/// declaration); without the header the page's declaration is used.
#[test]
fn a_header_charset_wins_over_the_pages_meta_charset() {
    let paragraph = "<p>The owner of the harbour caf\u{e9} said on Tuesday that prices \
        will rise in spring, and that the old terrace will close for repairs.</p>";
    let page = format!(
        "<html><head><meta charset=\"windows-1251\"><title>Harbour caf\u{e9}</title></head>\
         <body><article><h1>Harbour caf\u{e9}</h1>{}</article></body></html>",
        paragraph.repeat(4)
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&page);
    let read_one = |content_type: &str| {
        let input = Input::memory("page", bytes.to_vec(), Some(content_type));
        read(&input, &IngestOptions::default())
            .next()
            .unwrap()
            .unwrap()
    };
    let doc = read_one("text/html; charset=windows-1252");
    assert_eq!(doc.origin.encoding, "windows-1252");
    assert!(doc.text().contains("harbour café said"), "{}", doc.text());
    // Without a header charset, the page's meta is what there is to go by: "é" (0xE9) is
    // "й" in windows-1251.
    let doc = read_one("text/html");
    assert_eq!(doc.origin.encoding, "windows-1251");
    assert!(doc.text().contains("harbour cafй said"), "{}", doc.text());
}
