//! `claimlens bench` on an article written here: the start-up timed apart, per-document
//! latency percentiles, and with `--db` the narratives stage in the pipeline with its own
//! percentiles.

use std::process::{Command, Output};

const CASES: &str = "id\tclaim\ttitle\tverdict\turl\tdate\n\
    bridge-1\tThe harbour bridge will be closed to traffic for a whole year.\tNo, the harbour bridge is not closing for a year\tFalse\thttps://checks.example/bridge-1\t2026-03-01\n";

const ARTICLE: &str = "The mayor said on Monday that the harbour bridge would be closed to \
traffic for a whole year. Shop owners disputed the claim. The weather was mild.\n";

fn claimlens(args: &[&str]) -> Output {
    let output =
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .args(args)
            .output()
            .expect("run claimlens");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn report(args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&claimlens(args).stdout).expect("bench --json prints JSON")
}

#[test]
fn bench_reports_latency_per_document_and_the_narratives_stage_with_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("article.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let cases = dir.path().join("cases.tsv");
    std::fs::write(&cases, CASES).unwrap();
    let db = dir.path().join("cases.db");
    let (article, cases, db) = (
        article.to_str().unwrap(),
        cases.to_str().unwrap(),
        db.to_str().unwrap(),
    );

    let plain = report(&["bench", "--corpus", article, "--json"]);
    let latency = &plain["latency_ms"];
    assert!(latency["p50"].as_f64().unwrap() > 0.0, "{plain:#}");
    assert!(
        latency["p50"].as_f64() <= latency["p99"].as_f64(),
        "{plain:#}"
    );
    assert!(plain["narratives_latency_ms"].is_null(), "{plain:#}");
    // The embedded models are decoded in the start-up, timed on its own, not inside the
    // first (here the only) document: decoding them takes far longer than one short article.
    let startup = plain["startup_seconds"].as_f64().unwrap();
    assert!(
        startup * 1e3 > latency["max"].as_f64().unwrap(),
        "{plain:#}"
    );

    claimlens(&[
        "narratives",
        "import",
        "--bm25-only",
        "--db",
        db,
        "--format",
        "tsv",
        cases,
    ]);
    let with_store = report(&[
        "bench",
        "--corpus",
        article,
        "--db",
        db,
        "--bm25-only",
        "--json",
    ]);
    let stages: Vec<&str> = with_store["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(stages.last(), Some(&"narratives"), "{with_store:#}");
    let narratives = &with_store["narratives_latency_ms"];
    assert!(narratives["max"].as_f64().unwrap() > 0.0, "{with_store:#}");
    assert!(
        narratives["max"].as_f64() <= with_store["latency_ms"]["max"].as_f64(),
        "{with_store:#}"
    );
}

#[test]
fn bench_refuses_a_missing_store() {
    let out = claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .args([
            "bench",
            "--corpus",
            "Cargo.toml",
            "--db",
            "/nonexistent/cases.db",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store at"));
}
