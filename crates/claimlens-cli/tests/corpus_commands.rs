//! `claimlens search` and `claimlens speakers` on a store that `claimlens ingest` built from
//! articles written here, the examples of their `--help` run as written, and the corpus
//! commands (ingest, search, speakers, clusters, export) run against PostgreSQL by URL with
//! the same answers as on SQLite.

mod timed;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use timed::{command_with_stdin, run_help_examples, write};

const ARTICLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "a",
        "Daily Ledger",
        "2026-03-02",
        "Port to reopen in June",
        "Maria Lopez, the director of the harbour authority, said on Monday that the port \
         would reopen in June. \"We have repaired both cranes and the quay,\" Lopez told \
         reporters. Union leaders said the timetable was too optimistic.",
    ),
    (
        "b",
        "Coast Radio",
        "2026-03-04",
        "Harbour reopening questioned",
        "The harbour will not reopen before July, the fishermen's union said on Wednesday. \
         Maria Lopez said last week that repairs were finished. Engineers said the cranes \
         still needed new cables.",
    ),
    (
        "c",
        "Le Quotidien",
        "2026-03-21",
        "Le port rouvrira",
        "« Le port rouvrira en juin », a déclaré Élodie Martin, porte-parole du syndicat. \
         Les grues ont été réparées.",
    ),
];

fn feed() -> String {
    ARTICLES
        .iter()
        .map(|(id, outlet, published, title, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "published": published,
                "title": title, "text": text})
            .to_string()
                + "\n"
        })
        .collect()
}

/// `claimlens ingest` of the feed into `db` (a path or a URL).
fn ingest(dir: &Path, db: &OsStr) {
    let feed = write(dir, "news.jsonl", feed());
    let run = command_with_stdin("ingest", [OsStr::new("--db"), db, feed.as_os_str()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn store(dir: &Path) -> PathBuf {
    let db = dir.join("corpus.db");
    ingest(dir, db.as_os_str());
    db
}

fn json(subcommand: &str, db: &OsStr, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        OsStr::new("--db"),
        db,
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    all.extend(args.iter().map(OsStr::new));
    let run = command_with_stdin(subcommand, all, b"");
    assert_eq!(run.code, 0, "{subcommand} {args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn search_lists_ranked_hits_with_bracketed_matches() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let run = command_with_stdin(
        "search",
        [OsStr::new("--db"), db.as_os_str(), OsStr::new("cranes")],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("[cranes]").count(), 2, "{}", run.stdout);
    assert!(run.stderr.contains("2 document(s) match"), "{}", run.stderr);
    // Accents and case do not matter; the speaker filter reads who is quoted.
    let page = json("search", db.as_os_str(), &["elodie"]);
    assert_eq!(page["total"], 1);
    let page = json(
        "search",
        db.as_os_str(),
        &["reopen*", "--speaker", "Maria Lopez"],
    );
    assert_eq!(page["total"], 2, "{page}");
    let run = command_with_stdin(
        "search",
        [
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("\"unbalanced"),
        ],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid query"), "{}", run.stderr);
}

#[test]
fn speakers_are_counted_and_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let page = json("speakers", db.as_os_str(), &["--quotes"]);
    let lopez = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Maria Lopez")
        .unwrap_or_else(|| panic!("{page}"));
    assert_eq!(lopez["document_count"], 2);
    assert!(lopez["quotes"].as_array().unwrap().len() >= 2);
    let run = command_with_stdin(
        "speakers",
        [
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--name-contains"),
            OsStr::new("LOPEZ"),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Maria Lopez"), "{}", run.stdout);
}

#[test]
fn a_missing_store_is_an_error_not_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    for subcommand in ["search", "speakers"] {
        let mut args = vec![OsStr::new("--db"), missing.as_os_str()];
        if subcommand == "search" {
            args.push(OsStr::new("port"));
        }
        let run = command_with_stdin(subcommand, args, b"");
        assert_eq!(run.code, 2, "{subcommand}");
        assert!(run.stderr.contains("no store at"), "{}", run.stderr);
        assert!(!missing.exists());
    }
}

#[test]
fn every_help_example_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news.jsonl", feed());
    assert!(run_help_examples("search", dir.path(), "claimlens ", "") >= 5);
    assert!(run_help_examples("speakers", dir.path(), "claimlens ", "") >= 4);
}

/// The corpus commands give the same answers on a PostgreSQL store, named by URL, as on an
/// SQLite file (ranks aside: BM25 and `ts_rank_cd` score differently).
#[test]
fn postgres_by_url_answers_as_sqlite_does() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = store(dir.path());
    let sqlite = sqlite.as_os_str();
    let postgres = OsStr::new(&database.url);
    ingest(dir.path(), postgres);
    // A second ingest stores nothing new.
    let feed = dir.path().join("news.jsonl");
    let again = command_with_stdin(
        "ingest",
        [OsStr::new("--db"), postgres, feed.as_os_str()],
        b"",
    );
    assert!(
        again.stderr.contains("stored 0 documents"),
        "{}",
        again.stderr
    );

    let hits = |db: &OsStr, query: &[&str]| -> Vec<String> {
        let page = json("search", db, query);
        let mut ids: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    for query in [
        &["cranes"][..],
        &["\"both cranes\""],
        &["harb* OR port"],
        &["title:port"],
        &["reopen*", "--speaker", "Maria Lopez"],
        &["port", "--from", "2026-03-03", "--to", "2026-03-21"],
        &["elodie"],
    ] {
        assert_eq!(hits(sqlite, query), hits(postgres, query), "{query:?}");
    }
    assert_eq!(
        json("speakers", sqlite, &["--quotes"]),
        json("speakers", postgres, &["--quotes"])
    );
    let clusters = |db: &OsStr| {
        let run = command_with_stdin(
            "clusters",
            [
                OsStr::new("--db"),
                db,
                OsStr::new("--format"),
                OsStr::new("json"),
                OsStr::new("--min-size"),
                OsStr::new("1"),
            ],
            b"",
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    assert_eq!(clusters(sqlite), clusters(postgres));
    // The export's tables: the same tables, the same row counts.
    let tables = |db: &OsStr, out: &str| {
        let out = dir.path().join(out);
        let run = command_with_stdin(
            "export",
            [
                OsStr::new("--db"),
                db,
                OsStr::new("--format"),
                OsStr::new("csv"),
                OsStr::new("--out"),
                out.as_os_str(),
            ],
            b"",
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].to_string(), t["rows"].to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tables(sqlite, "from-sqlite"),
        tables(postgres, "from-postgres")
    );
}
