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

/// The `--format json` document of a single-document run.
#[track_caller]
fn json_doc(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// The message of the document's first diagnostic from `stage`.
#[track_caller]
fn diagnostic(doc: &serde_json::Value, stage: &str) -> String {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["stage"] == stage)
        .unwrap_or_else(|| panic!("no {stage} diagnostic: {}", doc["diagnostics"]))["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn one_stray_byte_is_an_error_with_its_offset_and_lossy_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let head = "Café owners met the mayor.\nThe mayor said ";
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff the port stays open.\n");
    let path = write(dir.path(), "stray.txt", &bytes);

    for forced in [&[][..], &["--encoding", "utf-8"][..]] {
        let run = analyze(with_path(forced, &path));
        assert_eq!(run.code, 1, "{}", run.stderr);
        let line = stderr_line(&run, "invalid UTF-8");
        assert!(line.contains(&format!("byte {}", head.len())), "{line}");
        assert!(line.contains("--lossy"), "{line}");

        let mut lossy = forced.to_vec();
        lossy.extend(["--lossy", "--format", "json"]);
        let doc = json_doc(&analyze(with_path(&lossy, &path)));
        assert!(doc["text"]
            .as_str()
            .unwrap()
            .contains("The mayor said \u{fffd} the port"));
        let warning = diagnostic(&doc, "ingest");
        assert!(
            warning.starts_with("1 invalid UTF-8 sequence replaced")
                && warning.contains(&format!("byte {}", head.len())),
            "{warning}"
        );
    }
}

#[test]
fn stray_bytes_in_ascii_text_are_not_decoded_as_a_legacy_encoding() {
    // Before, chardetng guessed windows-1251 and the quote read "said яю the port".
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ascii.txt",
        b"The mayor said \xff\xfe the port stays open. Nobody objected.\n",
    );
    let run = analyze(with_path(&[], &path));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stderr_line(&run, "ascii.txt").contains("invalid UTF-8 at byte 15"));
}

#[test]
fn utf16_without_a_bom_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Señor Pérez said “no” to the plan. The council agreed.\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let path = write(dir.path(), "utf16.txt", bytes);
    let doc = json_doc(&analyze(with_path(&["--format", "json"], &path)));
    assert_eq!(doc["text"], text);
    assert_eq!(doc["origin"]["encoding"], "UTF-16LE");
    assert!(diagnostic(&doc, "ingest").contains("without a byte-order mark"));
}

#[test]
fn a_short_html_page_with_one_real_paragraph_is_analyzed_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The council will meet on Thursday to vote on the harbour plan, a \
                     spokeswoman said.";
    for (name, page) in [
        (
            "bare.html",
            format!("<html><body><nav><a href='/'>Home</a></nav><p>{paragraph}</p></body></html>"),
        ),
        (
            "article.html",
            format!("<html><body><article><p>{paragraph}</p></article></body></html>"),
        ),
    ] {
        let path = write(dir.path(), name, page);
        let doc = json_doc(&analyze(with_path(&["--format", "json"], &path)));
        assert_eq!(doc["text"], paragraph, "{name}");
        assert!(
            diagnostic(&doc, "ingest").contains("whole body text"),
            "{name}"
        );
    }
    // A page of links and furniture still has no article.
    let path = write(
        dir.path(),
        "menu.html",
        "<html><body><nav><a href='/'>Home</a></nav><p><a href='/a'>Read more</a></p></body></html>",
    );
    let run = analyze(with_path(&[], &path));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stderr_line(&run, "menu.html").contains("no article text found"));
}

/// `--html-extractor` chooses how a page's article is taken; every choice reads the article,
/// and an unknown one is a usage error.
#[test]
fn each_html_extractor_reads_the_article_and_an_unknown_one_is_refused() {
    let story = "The harbour authority said on Monday that both cranes on the north quay \
                 will be replaced before the winter storms, at a cost of four million euros.";
    let page = format!(
        "<!DOCTYPE html><html><head><title>Cranes to go</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <article><h1>Cranes to go</h1><p>{story}</p><p>{story}</p></article>\
         <footer>Share this story. Sign up for our newsletter.</footer></body></html>"
    );
    for extractor in ["select", "readability", "trafilatura"] {
        let run = analyze_with_stdin(
            [
                "--input-format",
                "html",
                "--html-extractor",
                extractor,
                "--format",
                "json",
                "--no-narratives",
                "-",
            ],
            page.as_bytes(),
        );
        assert_eq!(run.code, 0, "{extractor}: {}", run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let text = doc["text"].as_str().unwrap();
        assert!(
            text.contains("both cranes on the north quay"),
            "{extractor}: {text}"
        );
        assert!(!text.contains("Home News"), "{extractor}: {text}");
    }
    let run = analyze_with_stdin(["--html-extractor", "boilerpipe", "-"], page.as_bytes());
    assert_eq!(run.code, 2, "{}", run.stderr);
}
