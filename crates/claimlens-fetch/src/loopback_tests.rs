//! Fetches against a canned server on a loopback port: pages, refusals, redirects, caps,
//! deadlines, content types and charsets, end to end through ureq and ingest.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use claimlens_ingest::{read, IngestOptions};
use claimlens_testkit::http_server::{respond, LoopbackServer};

use crate::fetch::fetch_with;
use crate::guard::GuardedResolver;
use crate::{fetch, FetchError, FetchOptions};

fn allowing_private() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        ..FetchOptions::default()
    }
}

fn article_page() -> String {
    let paragraph = "<p>The harbour master said on Tuesday that the old port will close for \
        repairs next spring, and that ferries will use the north quay until June.</p>";
    format!(
        "<html><head><title>Port to close</title></head><body><article><h1>Port to close</h1>\
         {}</article></body></html>",
        paragraph.repeat(4)
    )
}

fn html_server() -> LoopbackServer {
    LoopbackServer::start(|_, stream| {
        let page = article_page();
        let headers = [("Content-Type", "text/html; charset=utf-8")];
        respond(stream, "200 OK", &headers, page.as_bytes()).ok();
    })
}

#[test]
fn an_html_page_is_fetched_and_read_with_its_address_and_time() {
    let server = html_server();
    let url = server.url("/story");
    let fetched = fetch(&url, &allowing_private()).unwrap();
    assert_eq!(fetched.final_url, url);
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.content_type, "text/html; charset=utf-8");
    assert!(fetched.fetched_at.ends_with('Z') && fetched.fetched_at.len() == 20);
    let doc = read(&fetched.input, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.origin.format, "html");
    assert_eq!(doc.origin.source, url);
    assert!(doc.text().contains("The harbour master said on Tuesday"));
    assert_eq!(doc.meta.title.as_deref(), Some("Port to close"));
    assert_eq!(doc.meta.fetched_url.as_deref(), Some(url.as_str()));
    assert_eq!(
        doc.meta.fetched_at.as_deref(),
        Some(fetched.fetched_at.as_str())
    );
}

#[test]
fn a_loopback_address_is_refused_without_sending_anything() {
    let server = html_server();
    for url in [
        server.url("/story"),
        format!("http://localhost:{}/story", server.port()),
    ] {
        match fetch(&url, &FetchOptions::default()) {
            Err(FetchError::Refused { addr, why, .. }) => {
                assert!(addr.is_loopback(), "{addr}");
                assert_eq!(why, "loopback");
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    assert_eq!(server.requests(), 0);
}

/// `/hop/N` redirects to `/hop/N+1` (relative `Location`), for ever.
fn endless_redirects() -> LoopbackServer {
    LoopbackServer::start(|request, stream| {
        let n: u32 = request
            .path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let next = format!("{}", n + 1);
        respond(stream, "302 Found", &[("Location", &next)], b"").ok();
    })
}

#[test]
fn a_redirect_chain_longer_than_the_cap_is_refused() {
    let server = endless_redirects();
    let opts = FetchOptions {
        max_redirects: 3,
        ..allowing_private()
    };
    match fetch(&server.url("/hop/0"), &opts) {
        Err(e @ FetchError::TooManyRedirects { limit: 3, .. }) => {
            assert_eq!(e.http_status(), 502)
        }
        other => panic!("{other:?}"),
    }
    // The first request and three redirects followed.
    assert_eq!(server.requests(), 4);
}

#[test]
fn redirects_within_the_cap_are_followed_to_the_final_url() {
    let server = LoopbackServer::start(|request, stream| match request.path.as_str() {
        "/old" => {
            respond(stream, "301 Moved", &[("Location", "/news/story")], b"").ok();
        }
        "/news/story" => {
            let page = article_page();
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                page.as_bytes(),
            )
            .ok();
        }
        _ => {
            respond(stream, "404 Not Found", &[], b"").ok();
        }
    });
    let fetched = fetch(&server.url("/old"), &allowing_private()).unwrap();
    assert_eq!(fetched.final_url, server.url("/news/story"));
    let doc = read(&fetched.input, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.meta.fetched_url, Some(server.url("/news/story")));
}

#[test]
fn a_redirect_to_a_private_address_is_refused() {
    // The server itself is trusted (it is the test's); where it redirects to is judged.
    let trusted = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
    for target in [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]/admin",
        "http://127.0.0.2/",
    ] {
        let server = LoopbackServer::start(move |_, stream| {
            respond(stream, "302 Found", &[("Location", target)], b"").ok();
        });
        let result = fetch_with(
            &server.url("/"),
            &FetchOptions::default(),
            GuardedResolver::trusting(trusted.clone()),
        );
        match result {
            Err(e @ FetchError::Refused { .. }) => {
                assert_eq!(e.http_status(), 403);
                // The error names the hop that was refused, not the first URL.
                assert_eq!(e.url(), target);
            }
            other => panic!("{target}: {other:?}"),
        }
    }
}

#[test]
fn a_redirect_to_another_scheme_is_refused() {
    let server = LoopbackServer::start(|_, stream| {
        respond(
            stream,
            "302 Found",
            &[("Location", "file:///etc/passwd")],
            b"",
        )
        .ok();
    });
    assert!(matches!(
        fetch(&server.url("/"), &allowing_private()),
        Err(FetchError::InvalidUrl { .. })
    ));
}

/// A server that sends an endless body (no `Content-Length`, ended by closing) and reports
/// how many bytes it got out before the client hung up.
fn endless_body(sent: mpsc::Sender<u64>) -> LoopbackServer {
    LoopbackServer::start(move |_, stream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
        let mut written = 0u64;
        if stream.write_all(head.as_bytes()).is_ok() {
            let chunk = [b'a'; 64 * 1024];
            // At most 256 MiB, so the thread ends even if the client never hangs up.
            while written < 256 << 20 && stream.write_all(&chunk).is_ok() {
                written += chunk.len() as u64;
            }
        }
        sent.send(written).ok();
    })
}

#[test]
fn a_body_over_the_cap_stops_the_read() {
    let (tx, rx) = mpsc::channel();
    let server = endless_body(tx);
    let opts = FetchOptions {
        max_bytes: 100_000,
        ..allowing_private()
    };
    match fetch(&server.url("/big"), &opts) {
        Err(e @ FetchError::TooLarge { limit: 100_000, .. }) => assert_eq!(e.http_status(), 413),
        other => panic!("{other:?}"),
    }
    // The server could get out no more than what the socket buffers hold once the client
    // stopped reading, far from the 256 MiB it offered.
    let written = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(written < 64 << 20, "the server wrote {written} bytes");
}

#[test]
fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = LoopbackServer::start(|_, stream| {
        respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/html")],
            &[b'a'; 5000],
        )
        .ok();
    });
    let opts = FetchOptions {
        max_bytes: 4999,
        ..allowing_private()
    };
    assert!(matches!(
        fetch(&server.url("/"), &opts),
        Err(FetchError::TooLarge { limit: 4999, .. })
    ));
}

#[test]
fn a_slow_server_times_out_within_the_deadline() {
    // Headers at once, then one byte every 100 ms: each read is quick, the whole is not.
    let trickle = LoopbackServer::start(|_, stream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_ok() {
            while stream.write_all(b"a").is_ok() {
                thread::sleep(Duration::from_millis(100));
            }
        }
    });
    // Accepts and never answers.
    let silent = LoopbackServer::start(|_, _| thread::sleep(Duration::from_secs(30)));
    let opts = FetchOptions {
        timeout: Duration::from_secs(1),
        ..allowing_private()
    };
    for url in [trickle.url("/slow"), silent.url("/silent")] {
        let started = Instant::now();
        match fetch(&url, &opts) {
            Err(e @ FetchError::Timeout { .. }) => assert_eq!(e.http_status(), 504),
            other => panic!("{url}: {other:?}"),
        }
        let took = started.elapsed();
        assert!(took < Duration::from_millis(2500), "{url}: took {took:?}");
    }
}

#[test]
fn content_types_that_are_not_articles_are_refused() {
    for content_type in ["application/pdf", "image/png", "application/json"] {
        let server = LoopbackServer::start(move |_, stream| {
            respond(
                stream,
                "200 OK",
                &[("Content-Type", content_type)],
                b"%PDF-1.7",
            )
            .ok();
        });
        match fetch(&server.url("/file"), &allowing_private()) {
            Err(e @ FetchError::UnsupportedContentType { .. }) => {
                assert_eq!(e.http_status(), 415);
                assert!(e.to_string().contains(content_type), "{e}");
            }
            other => panic!("{content_type}: {other:?}"),
        }
    }
}

#[test]
fn an_error_status_is_reported_with_its_code() {
    let server = LoopbackServer::start(|_, stream| {
        respond(
            stream,
            "404 Not Found",
            &[("Content-Type", "text/html")],
            b"gone",
        )
        .ok();
    });
    match fetch(&server.url("/missing"), &allowing_private()) {
        Err(e @ FetchError::Status { code: 404, .. }) => assert_eq!(e.http_status(), 502),
        other => panic!("{other:?}"),
    }
}

fn serving(content_type: &'static str, body: &'static [u8]) -> LoopbackServer {
    LoopbackServer::start(move |_, stream| {
        respond(stream, "200 OK", &[("Content-Type", content_type)], body).ok();
    })
}

#[test]
fn the_charset_of_the_content_type_decodes_the_page() {
    // "café" in windows-1252, declared only by the header.
    let server = serving(
        "text/plain; charset=windows-1252",
        b"The caf\xe9 owner said prices rose.",
    );
    let fetched = fetch(&server.url("/cafe"), &allowing_private()).unwrap();
    let doc = read(&fetched.input, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.text(), "The café owner said prices rose.");
    assert_eq!(doc.origin.encoding, "windows-1252");
}

#[test]
fn a_legacy_page_without_a_charset_is_detected_and_says_so() {
    let server = serving(
        "text/plain",
        b"The caf\xe9 owner said prices rose \x96 by a third \x96 since the na\xefve plan.",
    );
    let fetched = fetch(&server.url("/cafe"), &allowing_private()).unwrap();
    let ingested = read(&fetched.input, &IngestOptions::default())
        .with_diagnostics()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        ingested.doc.text(),
        "The café owner said prices rose – by a third – since the naïve plan."
    );
    assert!(
        ingested
            .diagnostics
            .iter()
            .any(|d| d.message.contains("detected")),
        "{:?}",
        ingested.diagnostics
    );
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    // A plain HTTP server answers a TLS hello with an HTTP error at once, unread.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/story", listener.local_addr().unwrap());
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").ok();
            thread::sleep(Duration::from_secs(2));
        }
    });
    match fetch(&url, &allowing_private()) {
        Err(e @ FetchError::Network { .. }) => {
            assert!(e.to_string().starts_with("TLS: "), "{e}");
            assert_eq!(e.http_status(), 502);
        }
        other => panic!("{other:?}"),
    }
}
