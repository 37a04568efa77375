//! End-to-end tests that nothing from the input drives the terminal: escape sequences and bidi
//! overrides in a JSONL `id` are cleaned out of the text report, and in a file name out of the
//! error messages that name it (both go through `claimlens_export::terminal::clean`).

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Clipboard write (OSC 52), screen clear (CSI 2 J), a right-to-left override and the one-byte
/// CSI form.
const EVIL: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{202e}\u{9b}2J";

fn claimlens(args: &[&std::ffi::OsStr]) -> Output {
    claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .arg("analyze")
        .arg("--no-progress")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the claimlens binary")
}

/// Asserts that `out` holds none of the hostile characters, and no escape at all (colours are
/// off when the output is not a terminal).
fn assert_clean(what: &str, out: &str) {
    for bad in ["\u{1b}", "\u{7}", "\u{202e}", "\u{9b}"] {
        assert!(!out.contains(bad), "{what} holds {bad:?}:\n{out}");
    }
}

#[test]
fn jsonl_id_with_escape_sequences_is_cleaned_in_the_text_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let record = serde_json::json!({
        "id": format!("story-1{EVIL}"),
        "title": format!("Port{EVIL} closes"),
        "text": format!("The mayor said{EVIL} the port would close on Friday."),
    });
    std::fs::write(&path, format!("{record}\n")).unwrap();
    let out = claimlens(&[path.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    assert_clean("text report", &report);
    assert!(
        report.starts_with(
            "== story-1\u{fffd}]52;c;ZXZpbA==\u{fffd}\u{fffd}[2J\u{fffd}\u{fffd}2J =="
        ),
        "header: {}",
        report.lines().next().unwrap_or("")
    );
}

#[cfg(unix)]
#[test]
fn file_name_with_escape_sequences_is_cleaned_in_error_messages() {
    let dir = tempfile::tempdir().unwrap();
    // A binary file is refused with an error naming it.
    let binary = dir.path().join(format!("photo{EVIL}.txt"));
    std::fs::write(&binary, b"\0\x01\x02\x03binary\0\0\0 junk \xff\xfe\0\0").unwrap();
    let out = claimlens(&[binary.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_clean("error message", &stderr);
    assert!(stderr.contains("photo\u{fffd}]52;c;ZXZpbA=="), "{stderr}");

    // A missing file, and an --out that is also an input (an error of the whole run).
    let missing = dir.path().join(format!("missing{EVIL}.txt"));
    let out = claimlens(&[missing.as_os_str()]);
    assert_clean("error message", &String::from_utf8_lossy(&out.stderr));
    let good = dir.path().join(format!("good{EVIL}.txt"));
    std::fs::write(&good, "The mayor said the port would close.\n").unwrap();
    let out = claimlens(&[
        "--out".as_ref(),
        good.as_os_str(),
        Path::new(&good).as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("also an input"), "{stderr}");
    assert_clean("error message", &stderr);
}
