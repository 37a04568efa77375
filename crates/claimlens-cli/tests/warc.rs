//! `claimlens analyze` on web archives written by the test: found in a directory walk (plain
//! and `.warc.gz`), sniffed on stdin, each archived article with its address and date.

mod timed;

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use timed::{analyze, analyze_with_stdin, jsonl_docs, summary, write, GOOD_TEXT};

fn record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Date: 2024-05-07T08:30:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn archived_page(id: &str, uri: &str) -> Vec<u8> {
    let paragraphs: String = GOOD_TEXT
        .split(". ")
        .map(|s| format!("<p>{s}.</p>"))
        .collect();
    let html = format!(
        "<html><head><title>Port story</title></head><body><article>{paragraphs}\
         </article></body></html>"
    );
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    http.extend_from_slice(html.as_bytes());
    record(
        "response",
        id,
        uri,
        "application/http; msgtype=response",
        &http,
    )
}

fn archive() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "info",
            "",
            "application/warc-fields",
            b"software: t\r\n",
        ),
        archived_page("a", "https://news.example/a"),
        record(
            "response",
            "redirect",
            "https://news.example/old",
            "application/http; msgtype=response",
            b"HTTP/1.1 301 Moved\r\nLocation: /a\r\n\r\n",
        ),
        archived_page("b", "https://news.example/b"),
    ]
}

#[test]
fn archives_in_a_directory_plain_and_gzipped_give_one_document_per_page() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "crawl.warc", archive().concat());
    let gz: Vec<u8> = archive()
        .iter()
        .flat_map(|r| {
            let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
            enc.write_all(r).unwrap();
            enc.finish().unwrap()
        })
        .collect();
    write(dir.path(), "crawl2.warc.gz", gz);
    let run = analyze([
        "--format".as_ref(),
        "jsonl".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(summary(&run), (4, 0, 0), "{}", run.stderr);
    let docs = jsonl_docs(&run);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["urn:uuid:a", "urn:uuid:b", "urn:uuid:a", "urn:uuid:b"]
    );
    assert_eq!(docs[1]["meta"]["fetched_url"], "https://news.example/b");
    assert_eq!(docs[1]["meta"]["fetched_at"], "2024-05-07T08:30:00Z");
    assert_eq!(docs[1]["origin"]["format"], "warc");
    assert_eq!(docs[1]["origin"]["record"], 4);
    assert!(docs[0]["layers"].as_array().unwrap().len() > 3);
}

#[test]
fn an_archive_on_stdin_is_sniffed_and_a_broken_one_is_a_counted_error() {
    let run = analyze_with_stdin(["--format", "jsonl", "-"], &archive().concat());
    assert_eq!(summary(&run), (2, 0, 0), "{}", run.stderr);
    let mut broken = archive().concat();
    broken.truncate(broken.len() - 200);
    let run = analyze_with_stdin(["--format", "jsonl", "-"], &broken);
    assert_eq!(summary(&run), (1, 1, 0), "{}", run.stderr);
    assert!(run.stderr.contains("malformed WARC"), "{}", run.stderr);
}
