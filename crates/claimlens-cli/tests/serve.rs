//! `claimlens serve` as a user starts it: the binary listens, says where, answers the API with
//! the same export as `claimlens analyze --format json`, says clearly when a PostgreSQL store
//! cannot be reached (without printing its password),
//! and stops on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A plain HTTP/1.1 request over a socket; returns the status line and the body.
fn request(addr: &str, head: &str, body: &[u8]) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn serve_answers_the_api_like_analyze_and_stops_on_sigterm() {
    let mut child =
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();

    let (status, health) = request(&addr, "GET /healthz HTTP/1.1", b"");
    assert!(status.contains("200"), "{status} {health}");

    let article = "The harbour master said on Monday that the old quay would close. \
                   \"It is not safe,\" she told reporters.";
    let (status, served) = request(
        &addr,
        "POST /api/analyze HTTP/1.1\r\nContent-Type: text/plain; charset=utf-8",
        article.as_bytes(),
    );
    assert!(status.contains("200"), "{status} {served}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pasted");
    std::fs::write(&file, article).unwrap();
    let analyzed =
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .current_dir(dir.path())
            .args(["analyze", "--format", "json", "pasted"])
            .output()
            .unwrap();
    let served: serde_json::Value = serde_json::from_str(&served).unwrap();
    let analyzed: serde_json::Value = serde_json::from_slice(&analyzed.stdout).unwrap();
    assert_eq!(served["layers"], analyzed["layers"]);
    assert_eq!(served["digests"], analyzed["digests"]);

    // SIGTERM: a graceful stop, exit status 0.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_says_when_a_postgres_store_cannot_be_reached() {
    // Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
    let out = claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .args([
            "serve",
            "--db",
            "postgres://user:s3cret@127.0.0.1:9/corpus",
            "--addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "cannot connect to the PostgreSQL store postgres://user:***@127.0.0.1:9/corpus"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}
