//! `claimlens analyze --claims-only --format jsonl`: one line per claim, by rank within each
//! document, with code-point offsets into the document's text.

use std::process::Command;

use serde_json::Value;

fn analyze(args: &[&str], input: &str) -> (i32, String, String) {
    claimlens_testkit::run_with_stdin(
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .arg("analyze")
            .args(args)
            .arg("-"),
        input,
    )
}

/// An article with multi-byte characters before its claims, so byte and code-point offsets
/// differ, and with an amount, a date, a place and a named speaker to check.
const ARTICLE: &str = "Café owners in Valletta protested on Monday. \
The port authority said that more than 460 incidents had been recorded since January 2019. \
“We will pledge $5 million to the fishermen,” said Maria Borg, the transport minister. \
There were reports that several boats had been damaged near the harbour.";

/// `text[start..end]` in code points.
fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON object"))
        .collect()
}

#[test]
fn one_line_per_claim_by_rank_with_code_point_offsets() {
    let (code, stdout, stderr) = analyze(&["--claims-only", "--format", "jsonl"], ARTICLE);
    assert_eq!(code, 0, "{stderr}");
    let claims = lines(&stdout);
    assert!(claims.len() >= 4, "{stdout}");
    let mut last_score = f64::INFINITY;
    for (i, c) in claims.iter().enumerate() {
        assert_eq!(c["rank"], i as u64 + 1, "{c}");
        assert_eq!(c["document"], claims[0]["document"]);
        assert!(c["source"].is_string());
        let p = c["checkworthy"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p) && p <= last_score, "{c}");
        last_score = p;
        for key in ["type", "speaker", "sourcing"] {
            assert!(!c[key].as_str().unwrap().is_empty(), "{key} in {c}");
        }
        let (start, end) = (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap());
        assert_eq!(chars(ARTICLE, start, end), c["text"].as_str().unwrap());
        for d in c["details"].as_array().unwrap() {
            let (ds, de) = (d["start"].as_u64().unwrap(), d["end"].as_u64().unwrap());
            assert!(start <= ds && de <= end, "detail outside its claim: {c}");
            assert_eq!(chars(ARTICLE, ds, de), d["text"].as_str().unwrap());
            assert!(d["layer"].is_string() && d["index"].is_u64(), "{d}");
        }
    }
    let pledge = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("$5 million"))
        .expect("the pledge is a claim");
    assert_eq!(pledge["speaker"], "Maria Borg");
    assert!(
        pledge["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["role"] == "amount" && d["type"] == "MONEY" && d["text"] == "$5 million"),
        "{pledge}"
    );
}

#[test]
fn ranks_restart_for_each_document() {
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "first", "text": ARTICLE}),
        serde_json::json!({"id": "second", "text": "The council said that 12 roads were closed on Friday."}),
    );
    let (code, stdout, stderr) = analyze(
        &[
            "--claims-only",
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
        ],
        &input,
    );
    assert_eq!(code, 0, "{stderr}");
    let claims = lines(&stdout);
    let second: Vec<&Value> = claims
        .iter()
        .filter(|c| c["document"] == "second")
        .collect();
    assert!(!second.is_empty(), "{stdout}");
    assert_eq!(second[0]["rank"], 1);
    assert!(claims.iter().any(|c| c["document"] == "first"));
}

#[test]
fn claims_only_without_jsonl_is_a_usage_error() {
    let (code, stdout, stderr) = analyze(&["--claims-only", "--format", "json"], ARTICLE);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("--format jsonl"), "{stderr}");
}
