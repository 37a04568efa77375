//! `claimlens analyze --format jsonl -` as a streaming filter (what Spark's RDD.pipe and Hadoop
//! Streaming run): with `--error-records` every non-blank input line has exactly one output
//! line, in input order, a failed record's line saying why; each line is written as soon as
//! its document is done, before the input ends.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

fn claimlens() -> Command {
    claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
}

fn analyze(args: &[&str], input: &str) -> (i32, String, String) {
    claimlens_testkit::run_with_stdin(claimlens().arg("analyze").args(args).arg("-"), input)
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is one JSON object"))
        .collect()
}

const FILTER: &[&str] = &[
    "--input-format",
    "jsonl",
    "--format",
    "jsonl",
    "--no-narratives",
    "--error-records",
    "--max-doc-bytes",
    "400",
];

/// Good and bad records interleaved, one of each kind of failure a JSONL record can have;
/// the blank line is not a record.
fn mixed_input() -> (String, Vec<(&'static str, Option<&'static str>)>) {
    let long_text = "The minister said the port would close. ".repeat(20);
    let records = [
        (
            r#"{"id":"a1","text":"The mayor said on Monday that the harbour would reopen."}"#
                .to_owned(),
            ("doc", Some("a1")),
        ),
        (
            r#"{"id":"no-text","title":"A headline only"}"#.to_owned(),
            ("no article text", Some("no-text")),
        ),
        ("not json at all".to_owned(), ("malformed JSON", None)),
        (
            r#"{"id":"a2","text":"Police said two people were hurt in the fire."}"#.to_owned(),
            ("doc", Some("a2")),
        ),
        (
            r#"["an","array"]"#.to_owned(),
            ("expected an object per line", None),
        ),
        // A text field of white space only is no text.
        (
            r#"{"id":"blank","text":"   "}"#.to_owned(),
            ("no article text", Some("blank")),
        ),
        (
            format!(r#"{{"id":"long","text":"{long_text}"}}"#),
            ("over the 400-byte limit", None),
        ),
        (
            r#"{"id":"a3","text":"Officials said the bridge was safe."}"#.to_owned(),
            ("doc", Some("a3")),
        ),
    ];
    let mut input = String::new();
    let mut expected = Vec::new();
    for (i, (line, want)) in records.into_iter().enumerate() {
        input.push_str(&line);
        input.push('\n');
        if i == 3 {
            input.push('\n');
        }
        expected.push(want);
    }
    (input, expected)
}

#[test]
fn every_record_has_one_line_in_input_order() {
    let (input, expected) = mixed_input();
    // Several workers: the order must hold when documents finish out of order.
    for jobs in ["1", "3"] {
        let mut args = FILTER.to_vec();
        args.extend(["--jobs", jobs]);
        let (code, stdout, stderr) = analyze(&args, &input);
        assert_eq!(code, 0, "{stderr}");
        let out = lines(&stdout);
        assert_eq!(out.len(), expected.len(), "one line per record:\n{stdout}");
        let mut line_no = 0;
        for (got, (want, id)) in out.iter().zip(&expected) {
            line_no += 1;
            if line_no == 5 {
                line_no += 1; // the blank line after the fourth record
            }
            if *want == "doc" {
                assert_eq!(got["schema"], "claimlens.doc/2", "{got}");
                assert_eq!(got["id"], id.unwrap());
                assert_eq!(got["origin"]["record"], line_no);
                continue;
            }
            assert_eq!(got["schema"], "claimlens.error/1", "{got}");
            assert_eq!(got["source"], "-");
            assert_eq!(got["record"], line_no, "{got}");
            match id {
                Some(id) => assert_eq!(got["id"], *id, "{got}"),
                None => assert!(got["id"].is_null(), "{got}"),
            }
            let error = got["error"].as_str().unwrap();
            assert!(error.contains(want), "`{error}` should say `{want}`");
            // The stderr report is unchanged: the same message, with source and record.
            assert!(
                stderr.contains(&format!("claimlens: -: record {line_no}: {error}")),
                "{stderr}"
            );
        }
    }
}

#[test]
fn without_the_flag_failed_records_write_nothing() {
    let (input, expected) = mixed_input();
    let args: Vec<&str> = FILTER
        .iter()
        .copied()
        .filter(|a| *a != "--error-records")
        .collect();
    let (code, stdout, stderr) = analyze(&args, &input);
    assert_eq!(code, 0, "{stderr}");
    let ids: Vec<Value> = lines(&stdout).iter().map(|d| d["id"].clone()).collect();
    let good: Vec<&str> = expected
        .iter()
        .filter(|(want, _)| *want == "doc")
        .map(|(_, id)| id.unwrap())
        .collect();
    assert_eq!(ids, good);
    assert!(
        stderr.contains("analyzed 3 documents, 5 errors"),
        "{stderr}"
    );
}

#[test]
fn a_partition_with_no_good_record_or_none_at_all_succeeds() {
    // Under RDD.pipe a non-zero exit fails the task: an empty partition, or one whose every
    // record is broken, is still a complete answer when each record has its line.
    let (code, stdout, stderr) = analyze(FILTER, "");
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    let (code, stdout, stderr) = analyze(FILTER, "not json\n{\"id\":\"x\"}\n");
    assert_eq!(code, 0, "{stderr}");
    let out = lines(&stdout);
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|l| l["schema"] == "claimlens.error/1"));
    // --strict still reports the failures in the exit status.
    let mut strict = FILTER.to_vec();
    strict.push("--strict");
    let (code, stdout, _) = analyze(&strict, "not json\n");
    assert_eq!((code, lines(&stdout).len()), (1, 1));
}

#[test]
fn error_records_need_jsonl_output() {
    let (code, _, stderr) = analyze(&["--error-records"], "{\"text\":\"It rained.\"}\n");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--format jsonl"), "{stderr}");
}

#[test]
fn each_line_is_written_before_the_input_ends() {
    let mut child = claimlens()
        .arg("analyze")
        .args(FILTER)
        .args(["--jobs", "1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start claimlens");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    // One record at a time, stdin kept open: each answer must come back while the process
    // waits for the next record, as a caller feeding one record and waiting would see.
    for (id, record) in [
        (
            "s1",
            r#"{"id":"s1","text":"The mayor said the harbour would reopen."}"#,
        ),
        ("s2", "broken"),
        ("s3", r#"{"id":"s3","text":"Police said nobody was hurt."}"#),
    ] {
        writeln!(stdin, "{record}").unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no output for {id} while the input was open"));
        let value: Value = serde_json::from_str(&line).unwrap();
        if id == "s2" {
            assert_eq!(value["schema"], "claimlens.error/1");
        } else {
            assert_eq!(value["id"], id);
        }
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}
