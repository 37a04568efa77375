//! Input traps: formats, sizes and encodings that used to be misread silently or refused with
//! a misleading message. Inputs are built in each test; every run has a deadline (`timed`).

mod timed;

use std::ffi::OsString;
use std::fs;

use timed::{analyze, analyze_with_stdin, jsonl_docs, stderr_line, summary, write, Run, GOOD_TEXT};

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

fn with_path(list: &[&str], path: &std::path::Path) -> Vec<OsString> {
    let mut a = args(list);
    a.push(path.as_os_str().to_owned());
    a
}

#[track_caller]
fn texts(run: &Run) -> Vec<String> {
    jsonl_docs(run)
        .iter()
        .map(|d| d["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_json_array_file_is_read_record_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = serde_json::json!([
        {"id": "a", "text": "The mayor said the port would reopen."},
        {"id": "b", "text": "Fishermen disputed the claim on Tuesday."},
    ]);
    let path = write(
        dir.path(),
        "export.json",
        serde_json::to_string_pretty(&records).unwrap(),
    );
    let run = analyze(with_path(&["--format", "jsonl"], &path));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = jsonl_docs(&run);
    assert_eq!(docs.len(), 2, "{}", run.stdout);
    assert_eq!(docs[1]["text"], "Fishermen disputed the claim on Tuesday.");
    assert_eq!(docs[1]["origin"]["format"], "json");
    assert_eq!(docs[1]["origin"]["record"], 2);

    // Sniffed from the content on stdin too.
    let run = analyze_with_stdin(
        args(&["--format", "jsonl", "-"]),
        records.to_string().as_bytes(),
    );
    assert_eq!(texts(&run).len(), 2, "{}", run.stderr);
}

#[test]
fn a_json_file_that_is_not_records_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "numbers.json", "[1, 2]");
    let run = analyze(with_path(&["--format", "jsonl"], &path));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stderr_line(&run, "record 1").contains("expected an object per record"));
}

#[test]
fn csv_on_stdin_is_detected_by_its_header() {
    let csv = "id,title,text\n1,Port,\"The mayor said, on Monday, that the port would reopen.\"\n\
               2,Boats,Fishermen disputed the claim.\n";
    let run = analyze_with_stdin(args(&["--format", "jsonl", "-"]), csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        texts(&run),
        [
            "The mayor said, on Monday, that the port would reopen.",
            "Fishermen disputed the claim."
        ]
    );
}

#[test]
fn an_unterminated_csv_quote_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv =
        "id,text\n1,The mayor spoke.\n2,\"The quote opens here\n3,and swallows this\n4,and this\n";
    let path = write(dir.path(), "broken.csv", csv);
    let run = analyze(with_path(&["--format", "jsonl"], &path));
    assert_eq!(texts(&run), ["The mayor spoke."]);
    let line = stderr_line(&run, "unterminated quote");
    assert!(
        line.contains("record 3") && line.contains("line 3"),
        "{line}"
    );
    assert_eq!(summary(&run), (1, 1, 0));
}

#[test]
fn dev_zero_is_refused_at_the_limit_with_a_clear_message() {
    let run = analyze(args(&["--max-doc-bytes", "100000", "/dev/zero"]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = stderr_line(&run, "/dev/zero");
    assert!(line.contains("more than 100000 bytes"), "{line}");
    assert!(!line.contains(" 0 bytes"), "{line}");
}

#[test]
fn stdin_over_the_limit_stops_at_the_limit() {
    let big = GOOD_TEXT.repeat(2000);
    let run = analyze_with_stdin(args(&["--max-doc-bytes", "10000", "-"]), big.as_bytes());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stderr_line(&run, "claimlens: -:").contains("more than 10000 bytes"));
}

#[test]
fn a_file_over_the_limit_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = GOOD_TEXT.repeat(200);
    let path = write(dir.path(), "big.txt", &big);
    let run = analyze(with_path(&["--max-doc-bytes", "1000"], &path));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = stderr_line(&run, "big.txt");
    assert!(line.contains(&format!("{} bytes is over the 1000-byte limit", big.len())));
}

#[test]
fn a_huge_csv_record_stops_reading_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = b"id,text\n1,The mayor spoke.\n2,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'a', 3_000_000));
    let path = write(dir.path(), "huge.csv", &csv);
    let run = analyze(with_path(
        &["--format", "jsonl", "--max-doc-bytes", "100000"],
        &path,
    ));
    assert_eq!(texts(&run), ["The mayor spoke."]);
    let line = stderr_line(&run, "record 3");
    assert!(line.contains("more than 100000 bytes"), "{line}");
    fs::remove_file(path).unwrap();
}
