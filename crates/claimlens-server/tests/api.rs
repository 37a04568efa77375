//! The JSON API over plain HTTP: what a tool calling it gets for good, bad, oversize and
//! concurrent requests.

mod common;

use std::time::Duration;

use claimlens_server::ServerConfig;
use serde_json::Value;

use common::{client, example_article, start};

fn body_json(mut r: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
    )
}

#[test]
fn analyze_returns_the_documented_export_with_a_permalink() {
    let server = start(ServerConfig::default());
    let agent = client();
    let article = example_article();
    let r = agent
        .post(format!("{}/api/analyze", server.base))
        .header("Content-Type", "text/plain; charset=utf-8")
        .send(article.as_bytes())
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let (status, doc) = body_json(r);
    assert_eq!(status, 200);
    assert!(doc["schema"]
        .as_str()
        .unwrap()
        .starts_with("claimlens.doc/"));
    assert_eq!(doc["text"].as_str().unwrap(), article);
    // Every annotation's text is exactly the characters its offsets select.
    let chars: Vec<char> = article.chars().collect();
    let mut checked = 0;
    for layer in doc["layers"].as_array().unwrap() {
        for a in layer["annotations"].as_array().unwrap() {
            let (s, e) = (
                a["start"].as_u64().unwrap() as usize,
                a["end"].as_u64().unwrap() as usize,
            );
            let covered: String = chars[s..e].iter().collect();
            assert_eq!(covered, a["text"].as_str().unwrap());
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} annotations");

    // The same document through JSON input, and through its permalink.
    let r = agent
        .post(format!("{}/api/analyze", server.base))
        .header("Content-Type", "application/json")
        .send(serde_json::json!({"text": article}).to_string().as_bytes())
        .unwrap();
    let (status, again) = body_json(r);
    assert_eq!(status, 200);
    assert_eq!(again["layers"], doc["layers"]);
    let id = location.rsplit('/').next().unwrap();
    let (status, stored) = body_json(
        agent
            .get(format!("{}/api/documents/{id}", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!(status, 200);
    assert_eq!(stored["layers"], doc["layers"]);
    let page = agent
        .get(format!("{}{location}", server.base))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let server = start(ServerConfig {
        max_body_bytes: 64 * 1024,
        ..ServerConfig::default()
    });
    let agent = client();
    let url = format!("{}/api/analyze", server.base);
    let post = |ct: &str, body: &[u8]| {
        body_json(
            agent
                .post(&url)
                .header("Content-Type", ct)
                .send(body)
                .unwrap(),
        )
    };
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("text/plain", vec![b'a'; 65 * 1024], 413, "too_large"),
        ("text/plain", Vec::new(), 422, "unprocessable"),
        ("text/plain", b"  \n\t ".to_vec(), 422, "unprocessable"),
        (
            "application/pdf",
            b"%PDF-1.4".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "application/json",
            b"{\"text\": ".to_vec(),
            400,
            "bad_request",
        ),
        (
            "application/json",
            b"{\"txt\": \"a\"}".to_vec(),
            400,
            "bad_request",
        ),
        (
            "application/json",
            br#"{"text":"a","html":"<p>b</p>"}"#.to_vec(),
            400,
            "bad_request",
        ),
        // Declared UTF-8 but is not: refused, never guessed or mangled.
        (
            "text/plain; charset=utf-8",
            b"The mayor said caf\xe9 prices rose \xff\xfe.".to_vec(),
            422,
            "unprocessable",
        ),
        // Binary.
        (
            "text/plain",
            b"\x00\x01\x02\x03PK\x03\x04\x00\x00\x00".to_vec(),
            422,
            "unprocessable",
        ),
    ];
    for (ct, body, status, code) in cases {
        let (got, json) = post(ct, &body);
        assert_eq!(
            (got, json["code"].as_str().unwrap()),
            (status, code),
            "{ct} {json}"
        );
        assert!(!json["message"].as_str().unwrap().is_empty());
    }
    // Legacy bytes without a charset are detected, as the CLI does.
    let (status, doc) = post(
        "text/plain",
        "Le maire a d\u{e9}clar\u{e9} que le caf\u{e9} fermerait. The mayor said the caf\u{e9} would close."
            .chars()
            .map(|c| c as u32 as u8)
            .collect::<Vec<u8>>()
            .as_slice(),
    );
    assert_eq!(status, 200, "{doc}");
    assert!(doc["text"].as_str().unwrap().contains("café"));
    let (status, json) = body_json(
        agent
            .get(format!("{}/api/nothing", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!((status, json["code"].as_str().unwrap()), (404, "not_found"));
    let (status, json) = body_json(
        agent
            .get(format!("{}/api/documents/abc", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!((status, json["code"].as_str().unwrap()), (404, "not_found"));
}

#[test]
fn a_full_queue_answers_503_with_retry_after_and_health_stays_up() {
    // One worker, no queue: of many simultaneous analyses most are refused at once.
    let server = start(ServerConfig {
        workers: 1,
        queue: 0,
        ..ServerConfig::default()
    });
    let article = example_article().repeat(20);
    let url = format!("{}/api/analyze", server.base);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (url, article) = (url.clone(), article.clone());
            std::thread::spawn(move || {
                let r = client()
                    .post(&url)
                    .header("Content-Type", "text/plain")
                    .send(article.as_bytes())
                    .unwrap();
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned());
                (r.status().as_u16(), retry)
            })
        })
        .collect();
    // While they run, the reactor still answers.
    let health = client()
        .get(format!("{}/healthz", server.base))
        .call()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = results.iter().filter(|(s, _)| *s == 200).count();
    let busy: Vec<_> = results.iter().filter(|(s, _)| *s == 503).collect();
    assert!(ok >= 1, "{results:?}");
    assert_eq!(ok + busy.len(), results.len(), "{results:?}");
    assert!(
        busy.iter().all(|(_, retry)| retry.as_deref() == Some("1")),
        "{results:?}"
    );
    // Afterwards the server serves again.
    std::thread::sleep(Duration::from_millis(100));
    let r = client()
        .post(&url)
        .header("Content-Type", "text/plain")
        .send(b"The mayor said it rained.".as_slice())
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[test]
fn openapi_describes_the_routes() {
    let server = start(ServerConfig::default());
    let (status, doc) = body_json(
        client()
            .get(format!("{}/api/openapi.json", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/analyze",
        "/api/documents",
        "/api/documents/{id}",
        "/api/search",
        "/api/speakers",
        "/api/clusters",
        "/healthz",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[test]
fn a_silent_or_dribbling_connection_is_closed() {
    use std::io::{Read, Write};
    let server = start(ServerConfig {
        idle_timeout: Duration::from_millis(500),
        ..ServerConfig::default()
    });
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // Half a request head, then silence.
    stream
        .write_all(b"POST /api/analyze HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "connection held for {:?}",
        started.elapsed()
    );
    // The server itself is still serving.
    let health = client()
        .get(format!("{}/healthz", server.base))
        .call()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
}
