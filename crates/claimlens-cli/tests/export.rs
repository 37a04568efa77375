//! `claimlens export` on a store that `claimlens ingest` built from articles written here:
//! Parquet and CSV folders read back by independent readers (pyarrow and DuckDB, from PyPI;
//! the test skips visibly without them), an earlier export replaced, anything else refused,
//! and the examples of `--help` run as written.

mod timed;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use claimlens_testkit::{skip, Requirement};
use timed::{command_with_stdin, run_help_examples, write};

fn feed() -> String {
    let articles = [
        serde_json::json!({"id": "a1", "outlet": "Herald", "published": "2026-03-03",
            "title": "Quay cranes to be replaced",
            "text": "The harbour authority said on Monday that both cranes on the north quay \
                     will be replaced before the winter. “The work will cost four million \
                     euros,” said Élodie Marchand, the port's director. Union leaders told \
                     the Herald that the night shifts must be kept."}),
        serde_json::json!({"id": "a2", "outlet": "Courier", "published": "2026-03-04",
            "text": "Officials in Lyon, who asked not to be named, said the ferry service \
                     would not be interrupted. The mayor, Paul Girard, called the plan \
                     \"a disgrace\" on Tuesday, according to a statement."}),
    ];
    articles.iter().map(|a| a.to_string() + "\n").collect()
}

fn store(dir: &Path) -> PathBuf {
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

fn export(db: &Path, out: &Path, format: &str) -> timed::Run {
    command_with_stdin(
        "export",
        [
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
            OsStr::new("--format"),
            OsStr::new(format),
        ],
        b"",
    )
}

/// Reads every table of the manifest with pyarrow (Parquet) or DuckDB (CSV), checks the row
/// counts, that each annotation's text is its code-point slice of the document's text, and
/// that DuckDB's SQL over the Parquet files joins the tables; prints a summary line.
const READ_BACK: &str = r#"
import json, sys, duckdb, pyarrow.parquet as pq
folder = sys.argv[1]
m = json.load(open(f"{folder}/manifest.json"))
assert m["schema"] == "claimlens.tables/1", m["schema"]
def read(file):
    path = f"{folder}/{file}"
    if m["format"] == "parquet":
        return pq.read_table(path).to_pylist()
    rel = duckdb.sql(f"SELECT * FROM read_csv('{path}', header=true, all_varchar=true)")
    return [dict(zip(rel.columns, row)) for row in rel.fetchall()]
tables = {t["name"]: (t, read(t["file"])) for t in m["tables"]}
for name, (t, rows) in tables.items():
    assert len(rows) == t["rows"], (name, len(rows), t["rows"])
texts = {d["doc_id"]: d["text"] for d in tables["documents"][1]}
checked = 0
for name, (t, rows) in tables.items():
    if name.startswith("layers/"):
        for r in rows:
            start, end = int(r["start_char"]), int(r["end_char"])
            assert texts[r["doc_id"]][start:end] == r["text"], (name, r)
            json.loads(r["attrs"])
            checked += 1
assert checked > 50, checked
if m["format"] == "parquet":
    said = duckdb.sql(f"""
        SELECT s.speaker, d.outlet FROM '{folder}/said.parquet' s
        JOIN '{folder}/documents.parquet' d USING (doc_id) ORDER BY 1""").fetchall()
    assert ("Élodie Marchand", "Herald") in said, said
print(f"read back {len(tables)} tables, {checked} annotations")
"#;

fn python_readers() -> bool {
    Command::new("python3")
        .args(["-c", "import pyarrow, duckdb"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn parquet_and_csv_exports_read_back_with_pyarrow_and_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let readers = python_readers();
    if !readers {
        skip(
            Requirement::PythonReaders,
            "python3 with pyarrow and duckdb is not installed (pip install pyarrow duckdb)",
        );
    }
    for format in ["parquet", "csv"] {
        let out = dir.path().join(format!("tables-{format}"));
        let run = export(&db, &out, format);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("2 document(s)"), "{}", run.stderr);
        for file in [
            "documents",
            "layers/claims",
            "layers/attributions",
            "links",
            "said",
        ] {
            assert!(out.join(format!("{file}.{format}")).is_file(), "{file}");
        }
        if readers {
            let read = Command::new("python3")
                .args(["-c", READ_BACK])
                .arg(&out)
                .output()
                .unwrap();
            assert!(
                read.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&read.stderr)
            );
            assert!(String::from_utf8_lossy(&read.stdout).starts_with("read back"));
        }
    }
}

#[test]
fn an_earlier_export_is_replaced_and_other_folders_and_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let out = dir.path().join("tables");
    assert_eq!(export(&db, &out, "csv").code, 0);
    let run = export(&db, &out, "parquet");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("documents.parquet").is_file());
    assert!(!out.join("documents.csv").exists(), "no stale table stays");

    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    write(&notes, "draft.txt", "mine");
    for target in [notes.as_path(), db.as_path()] {
        let run = export(&db, target, "parquet");
        assert_ne!(run.code, 0);
        assert!(
            run.stderr.contains("choose another output folder"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(notes.join("draft.txt")).unwrap(),
        "mine"
    );
    // Nothing half-written is left beside the targets.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let missing = export(&dir.path().join("none.db"), &dir.path().join("t2"), "csv");
    assert_ne!(missing.code, 0);
    assert!(missing.stderr.contains("no store at"), "{}", missing.stderr);
}

#[test]
fn every_help_example_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news.jsonl", feed());
    assert!(run_help_examples("export", dir.path(), "claimlens ", "") >= 3);
}
