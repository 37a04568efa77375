//! Web archives written by the tests themselves: records of every common type, compressed and
//! not, and the ways real crawls go wrong.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::{read, ErrorKind, IngestError, IngestOptions, Ingested, Input};

/// An article page with enough prose for the extractor.
fn page(headline: &str) -> String {
    let para = "The harbour authority said on Monday that the new quay would open in May, \
                after two years of delays caused by a dispute over the dredging contract.";
    format!(
        "<!doctype html><html><head><title>{headline}</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{headline}</h1>\
         <p>{para}</p><p>{para} Fishermen were not consulted, a spokesman added.</p>\
         <p>{para} The mayor declined to comment.</p></article></body></html>"
    )
}

fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// One WARC record; `length` overrides the true Content-Length (a record that lies).
fn record(
    kind: &str,
    uri: &str,
    content_type: &str,
    block: &[u8],
    length: Option<usize>,
) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\n\
         WARC-Date: 2024-05-07T08:30:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        length.unwrap_or(block.len())
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uri: &str, http_bytes: &[u8]) -> Vec<u8> {
    record(
        "response",
        uri,
        "application/http; msgtype=response",
        http_bytes,
        None,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn read_all(bytes: Vec<u8>, limit: u64) -> Vec<Result<Ingested, IngestError>> {
    let opts = IngestOptions {
        max_doc_bytes: limit,
        ..IngestOptions::default()
    };
    read(&Input::memory("crawl.warc", bytes, None), &opts)
        .with_diagnostics()
        .collect()
}

/// A small crawl: the records a crawler writes around two article pages.
fn crawl() -> Vec<Vec<u8>> {
    let html = page("Quay to open in May");
    vec![
        record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
            None,
        ),
        record(
            "request",
            "https://news.example/quay",
            "application/http; msgtype=request",
            b"GET /quay HTTP/1.1\r\nHost: news.example\r\n\r\n",
            None,
        ),
        response(
            "https://news.example/quay",
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=utf-8"],
                html.as_bytes(),
            ),
        ),
        response(
            "https://news.example/old",
            &http("301 Moved Permanently", &["Location: /quay"], b""),
        ),
        response(
            "https://news.example/logo.png",
            &http("200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n"),
        ),
        record(
            "metadata",
            "https://news.example/quay",
            "application/warc-fields",
            b"fetchTimeMs: 12\r\n",
            None,
        ),
        record(
            "resource",
            "file:///saved/dredging.html",
            "text/html",
            page("Dredging contract disputed").as_bytes(),
            None,
        ),
    ]
}

fn ok(items: &[Result<Ingested, IngestError>]) -> Vec<&Ingested> {
    items.iter().filter_map(|r| r.as_ref().ok()).collect()
}

#[test]
fn html_responses_and_resources_become_documents_with_their_archive_metadata() {
    let items = read_all(crawl().concat(), 1 << 20);
    assert_eq!(items.len(), 2, "only the two pages: {items:?}");
    let docs = ok(&items);
    let quay = &docs[0].doc;
    assert!(quay.text().contains("new quay would open in May"));
    assert!(
        !quay.text().contains("Home"),
        "navigation is not article text"
    );
    assert_eq!(quay.id, "urn:uuid:response-25");
    assert_eq!(quay.origin.format, "warc");
    assert_eq!(quay.origin.record, Some(3));
    assert_eq!(
        quay.meta.fetched_url.as_deref(),
        Some("https://news.example/quay")
    );
    assert_eq!(
        quay.meta.fetched_at.as_deref(),
        Some("2024-05-07T08:30:00Z")
    );
    assert_eq!(quay.meta.title.as_deref(), Some("Quay to open in May"));
    let dredging = &docs[1].doc;
    assert_eq!(dredging.origin.record, Some(7));
    assert_eq!(
        dredging.meta.title.as_deref(),
        Some("Dredging contract disputed")
    );
}

#[test]
fn gzip_per_record_reads_like_the_plain_archive() {
    let plain: Vec<String> = ok(&read_all(crawl().concat(), 1 << 20))
        .iter()
        .map(|i| i.doc.text().to_owned())
        .collect();
    let compressed: Vec<u8> = crawl().iter().flat_map(|r| gzip(r)).collect();
    let items = read_all(compressed, 1 << 20);
    let texts: Vec<String> = ok(&items).iter().map(|i| i.doc.text().to_owned()).collect();
    assert_eq!(texts, plain);
}

#[test]
fn chunked_and_gzip_encoded_bodies_are_decoded() {
    let html = page("Chunked page");
    let gz = gzip(html.as_bytes());
    let (a, b) = gz.split_at(gz.len() / 2);
    let mut chunked = format!("{:x};ext=1\r\n", a.len()).into_bytes();
    chunked.extend_from_slice(a);
    chunked.extend_from_slice(format!("\r\n{:X}\r\n", b.len()).as_bytes());
    chunked.extend_from_slice(b);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let bytes = response(
        "https://news.example/chunked",
        &http(
            "200 OK",
            &[
                "Content-Type: text/html",
                "Transfer-Encoding: chunked",
                "Content-Encoding: gzip",
            ],
            &chunked,
        ),
    );
    let items = read_all(bytes, 1 << 20);
    let docs = ok(&items);
    assert_eq!(docs.len(), 1, "{items:?}");
    assert!(docs[0].doc.text().contains("dredging contract"));
}

#[test]
fn a_body_that_inflates_past_the_limit_is_refused() {
    let bomb = gzip(&vec![b' '; 4 << 20]);
    let mut bytes = response(
        "https://news.example/bomb",
        &http(
            "200 OK",
            &["Content-Type: text/html", "Content-Encoding: gzip"],
            &bomb,
        ),
    );
    bytes.extend(response(
        "https://news.example/after",
        &http(
            "200 OK",
            &["Content-Type: text/html"],
            page("After").as_bytes(),
        ),
    ));
    let items = read_all(bytes, 1 << 20);
    assert_eq!(items.len(), 2);
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.record, Some(1));
    assert!(matches!(err.kind, ErrorKind::TooLarge { .. }), "{err}");
    assert!(items[1].is_ok(), "the next record is still read");
}

#[test]
fn a_record_over_the_limit_is_skipped_unread_and_the_next_one_read() {
    // Over the limit even with the allowance for the HTTP head: passed over, not buffered.
    let big = page(&"Long ".repeat(20_000));
    let mut bytes = response(
        "https://news.example/big",
        &http("200 OK", &["Content-Type: text/html"], big.as_bytes()),
    );
    bytes.extend(response(
        "https://news.example/small",
        &http(
            "200 OK",
            &["Content-Type: text/html"],
            page("Small").as_bytes(),
        ),
    ));
    let items = read_all(bytes, 2_000);
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[0].as_ref().unwrap_err().kind,
        ErrorKind::TooLarge { .. }
    ));
    assert!(items[1].is_ok(), "{:?}", items[1]);
}

#[test]
fn a_length_that_lies_ends_the_archive_with_a_clear_error_after_the_good_records() {
    let good = response(
        "https://news.example/quay",
        &http(
            "200 OK",
            &["Content-Type: text/html"],
            page("Good").as_bytes(),
        ),
    );
    // Declares fewer bytes than it holds: the next "record" starts inside its body.
    let short = record(
        "response",
        "https://news.example/liar",
        "application/http; msgtype=response",
        &http(
            "200 OK",
            &["Content-Type: text/html"],
            page("Liar").as_bytes(),
        ),
        Some(40),
    );
    let items = read_all([good.clone(), short].concat(), 1 << 20);
    assert!(items[0].is_ok());
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert!(last.to_string().contains("malformed WARC"), "{last}");
    assert!(
        last.to_string().contains("Content-Length may be wrong"),
        "{last}"
    );

    // Declares more bytes than the archive has left.
    let long = record(
        "resource",
        "file:///x.html",
        "text/html",
        page("Cut").as_bytes(),
        Some(1_000_000),
    );
    let items = read_all([good, long].concat(), 1 << 20);
    assert_eq!(items.len(), 2);
    let err = items[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("ends inside a record"), "{err}");
}

#[test]
fn a_truncated_gzip_member_is_an_error_after_the_records_before_it() {
    let first = gzip(&crawl()[2]);
    let second = gzip(&crawl()[6]);
    let cut = [first, second[..second.len() / 2].to_vec()].concat();
    let items = read_all(cut, 1 << 20);
    assert!(items[0].is_ok(), "{items:?}");
    assert!(items.last().unwrap().is_err());
    assert!(items.len() <= 2);
}

#[test]
fn a_charset_header_that_contradicts_utf8_bytes_does_not_garble_them() {
    let html = page("Café owners protest").replace("harbour", "harbour café");
    let bytes = response(
        "https://news.example/cafe",
        &http(
            "200 OK",
            &["Content-Type: text/html; charset=windows-1252"],
            html.as_bytes(),
        ),
    );
    let items = read_all(bytes, 1 << 20);
    let docs = ok(&items);
    assert!(
        docs[0].doc.text().contains("harbour café"),
        "{}",
        docs[0].doc.text()
    );
}

#[test]
fn a_legacy_charset_from_the_http_header_decodes_the_page() {
    let html = page("Señal").replace("harbour", "harbour se\u{f1}al");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    let bytes = response(
        "https://news.example/latin",
        &http(
            "200 OK",
            &["Content-Type: text/html; charset=iso-8859-1"],
            &latin1,
        ),
    );
    let docs = read_all(bytes, 1 << 20);
    let doc = &docs[0].as_ref().unwrap().doc;
    assert!(doc.text().contains("harbour señal"), "{}", doc.text());
}

#[test]
fn not_an_archive_and_garbage_after_a_record_are_clear_errors() {
    let items = read_all(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n".to_vec(), 1 << 20);
    assert_eq!(items.len(), 1);
    assert!(items[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("Content-Length"));
    let items = read_all(b"WARC/1.0\r\n".repeat(10_000), 1 << 20);
    assert!(items.len() <= 1 && items.iter().all(Result::is_err));
}
