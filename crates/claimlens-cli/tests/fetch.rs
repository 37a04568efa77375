//! `claimlens analyze <url>` against a canned server on a loopback port: the page is
//! fetched, read as HTML and exported with where and when it was fetched; a URL that fails
//! is one error line and the other inputs still run.

mod timed;

use claimlens_testkit::http_server::{respond, LoopbackServer};
use timed::{analyze, jsonl_docs, stderr_line, summary, write, GOOD_TEXT};

fn page() -> String {
    let paragraphs: String = GOOD_TEXT
        .split(". ")
        .map(|s| format!("<p>{s}.</p>"))
        .collect();
    format!(
        "<html><head><title>Port story</title></head><body><article>{paragraphs}\
         </article></body></html>"
    )
}

/// `/story` is an article, `/old` redirects to it, `/report.pdf` is a PDF, anything else 404.
fn newsroom() -> LoopbackServer {
    LoopbackServer::start(|request, stream| {
        let result = match request.path.as_str() {
            "/story" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8")],
                page().as_bytes(),
            ),
            "/old" => respond(
                stream,
                "301 Moved Permanently",
                &[("Location", "/story")],
                b"",
            ),
            "/report.pdf" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "application/pdf")],
                b"%PDF-1.7",
            ),
            _ => respond(
                stream,
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"",
            ),
        };
        result.ok();
    })
}

#[test]
fn a_url_is_fetched_and_exported_with_its_address_and_time() {
    let server = newsroom();
    let run = analyze([
        "--allow-private-fetch",
        "--format",
        "json",
        &server.url("/old"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let meta = &doc["meta"];
    assert_eq!(meta["fetched_url"], server.url("/story").as_str());
    assert_eq!(meta["title"], "Port story");
    let fetched_at = meta["fetched_at"].as_str().unwrap();
    assert!(
        fetched_at.len() == 20 && fetched_at.ends_with('Z'),
        "{fetched_at}"
    );
    assert_eq!(doc["origin"]["source"], server.url("/story").as_str());
    assert!(doc["text"]
        .as_str()
        .unwrap()
        .contains("The harbour authority said"));
}

#[test]
fn urls_that_fail_are_reported_and_the_other_inputs_still_run() {
    let server = newsroom();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "local.txt", GOOD_TEXT);
    let missing = server.url("/missing");
    let pdf = server.url("/report.pdf");
    let run = analyze([
        "--allow-private-fetch",
        "--format",
        "jsonl",
        &missing,
        &server.url("/story"),
        &pdf,
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = jsonl_docs(&run);
    let sources: Vec<&str> = docs
        .iter()
        .map(|d| d["origin"]["source"].as_str().unwrap())
        .collect();
    // Documents in command-line order.
    assert_eq!(
        sources,
        [server.url("/story").as_str(), file.to_str().unwrap()]
    );
    assert_eq!(summary(&run), (2, 2, 0));
    let line = stderr_line(&run, &missing);
    assert!(line.contains("HTTP 404"), "{line}");
    let line = stderr_line(&run, &pdf);
    assert!(line.contains("application/pdf"), "{line}");
}

#[test]
fn a_private_address_is_refused_without_the_flag() {
    let server = newsroom();
    let run = analyze(["--format", "json", &server.url("/story")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = stderr_line(&run, "refused");
    assert!(line.contains("loopback"), "{line}");
    assert!(line.contains("--allow-private-fetch"), "{line}");
    assert_eq!(server.requests(), 0);
}

#[test]
fn fetch_errors_are_one_clean_line() {
    // A URL with an escape sequence and a newline in it: the error names it without either.
    let run = analyze(["http://example.invalid/\u{1b}[31mred\nnext line"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    let line = stderr_line(&run, "cannot fetch");
    assert!(line.contains("not a valid URL"), "{line}");
    assert!(line.contains("next line"), "{line}");
}

/// `--urls FILE`: every listed URL fetched in order, a server that answers 503 twice tried
/// again until it answers, a 404 not retried, a line that is no URL reported by its number.
#[test]
fn a_url_list_is_fetched_with_retries_and_bad_lines_are_reported_by_number() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let flaky_calls = Arc::new(AtomicUsize::new(0));
    let calls = Arc::clone(&flaky_calls);
    let server = LoopbackServer::start(move |request, stream| {
        let result = match request.path.as_str() {
            "/flaky" if calls.fetch_add(1, Ordering::SeqCst) < 2 => {
                respond(stream, "503 Service Unavailable", &[], b"")
            }
            "/flaky" | "/story" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8")],
                page().as_bytes(),
            ),
            _ => respond(stream, "404 Not Found", &[], b""),
        };
        result.ok();
    });
    let dir = tempfile::tempdir().unwrap();
    let list = write(
        dir.path(),
        "urls.txt",
        format!(
            "# today's links\n{}\n\nnot a url\n{}\n",
            server.url("/flaky"),
            server.url("/gone")
        ),
    );
    let run = analyze([
        "--allow-private-fetch",
        "--format",
        "jsonl",
        "--urls",
        list.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = jsonl_docs(&run);
    assert_eq!(docs.len(), 1, "{}", run.stderr);
    assert_eq!(docs[0]["meta"]["title"], "Port story");
    assert_eq!(flaky_calls.load(Ordering::SeqCst), 3);
    let line = stderr_line(&run, "not a url");
    assert!(line.contains("urls.txt") && line.contains('4'), "{line}");
    let line = stderr_line(&run, "/gone");
    assert!(
        line.contains("HTTP 404") && !line.contains("tried"),
        "{line}"
    );
    assert_eq!(summary(&run).0, 1);
}
