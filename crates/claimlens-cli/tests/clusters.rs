//! `claimlens clusters` on a store that `claimlens ingest` built from articles written here:
//! one story carried by three outlets with small edits, one unrelated story, and the
//! examples of `--help` run as written.

mod timed;

use std::ffi::OsStr;
use std::path::Path;

use timed::{command_with_stdin, run_help_examples, write};

const STORY: &str = "The harbour authority said on Monday that both cranes on the north quay \
will be replaced before the winter storms. The work will cost four million euros, paid from \
the port's reserve fund. Dock workers had complained for years that the cranes broke down in \
high wind. A spokesperson for the union welcomed the decision but asked for the night shifts \
to be kept during the works. The mayor told reporters the ferry service would not be \
interrupted. Shipping companies were informed by letter last week.";

const OTHER: &str = "A new public library opened on Saturday in the old town hall, with a \
reading room for children and a cafe run by volunteers. The building had stood empty since \
the council moved to its offices by the station.";

fn feed() -> String {
    let edited = STORY.replace("informed by letter", "told in a letter");
    let boilerplate = format!("{STORY} Subscribe to The Gazette for local news.");
    let articles = [
        serde_json::json!({"id": "h", "outlet": "Herald", "published": "2026-03-03",
            "title": "Cranes to go", "text": edited}),
        serde_json::json!({"id": "c", "outlet": "Courier", "published": "2026-03-01",
            "title": "Quay cranes replaced", "text": STORY}),
        serde_json::json!({"id": "g", "outlet": "The Gazette", "published": "2026-03-04",
            "title": "New cranes", "text": boilerplate}),
        serde_json::json!({"id": "l", "outlet": "Herald", "published": "2026-03-02",
            "title": "Library opens", "text": OTHER}),
    ];
    articles.iter().map(|a| a.to_string() + "\n").collect()
}

fn store(dir: &Path) -> std::path::PathBuf {
    let feed = write(dir, "news.jsonl", feed());
    let db = dir.join("corpus.db");
    let run = command_with_stdin(
        "ingest",
        [OsStr::new("--db"), db.as_os_str(), feed.as_os_str()],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    db
}

#[test]
fn text_and_json_list_the_story_and_its_republications() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let run = command_with_stdin("clusters", [OsStr::new("--db"), db.as_os_str()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("3 documents, 3 outlet(s); first: 2026-03-01  Courier"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].contains("2026-03-03  Herald  \"Cranes to go\""),
        "{}",
        run.stdout
    );
    assert!(lines[2].contains("The Gazette"), "{}", run.stdout);
    assert!(!run.stdout.contains("Library"), "{}", run.stdout);
    assert!(run.stderr.contains("1 cluster(s)"), "{}", run.stderr);

    let run = command_with_stdin(
        "clusters",
        [
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--min-size"),
            OsStr::new("1"),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(page["total"], 2);
    let story = &page["items"][0];
    assert_eq!(story["size"], 3);
    assert_eq!(story["first"]["outlet"], "Courier");
    assert_eq!(
        story["outlets"],
        serde_json::json!(["Courier", "Herald", "The Gazette"])
    );
    let j = story["timeline"][1]["jaccard"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&j), "{j}");
    assert_eq!(page["items"][1]["first"]["title"], "Library opens");
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let run = command_with_stdin("clusters", [OsStr::new("--db"), missing.as_os_str()], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no store at"), "{}", run.stderr);
    assert!(!missing.exists(), "a missing store must not be created");
    let db = store(dir.path());
    for (flag, value, says) in [
        ("--threshold", "1.5", "threshold"),
        ("--from", "March 1", "YYYY-MM-DD"),
    ] {
        let run = command_with_stdin(
            "clusters",
            [
                OsStr::new("--db"),
                db.as_os_str(),
                OsStr::new(flag),
                OsStr::new(value),
            ],
            b"",
        );
        assert_eq!(run.code, 2, "{flag}");
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
}

#[test]
fn every_help_example_runs() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path());
    let ran = run_help_examples(
        "clusters",
        dir.path(),
        "claimlens clusters",
        " --no-progress",
    );
    assert!(ran >= 4);
}
