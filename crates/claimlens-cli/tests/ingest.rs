//! `claimlens ingest`: documents and layers stored, re-runs skip what is there, failed
//! records kept with their reason, and every kind of store it cannot use refused clearly.

mod timed;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use claimlens_store::{content_id, SqliteStore, Store};
use timed::{command_with_env, command_with_stdin, write, Run, DEADLINE, GOOD_TEXT};

const OTHER_TEXT: &str = "The council said on Tuesday that the bridge would close for repairs. \
Residents said the closure would hurt shops.\n";

fn ingest(args: &[&OsStr]) -> Run {
    command_with_stdin("ingest", args, b"")
}

/// The counts of the summary line: (stored, skipped, rejected).
#[track_caller]
fn counts(run: &Run) -> (u64, u64, u64) {
    let line = timed::stderr_line(run, "claimlens: stored ");
    let number_after = |word: &str| -> u64 {
        let rest = &line[line
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {line}"))
            + word.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("number after {word} in {line}"))
    };
    (
        number_after("stored "),
        number_after("skipped "),
        number_after("rejected "),
    )
}

/// A folder with a text article and a JSONL feed: one new article, one repeating the text
/// file's article, one malformed line and one without text.
fn corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.txt", GOOD_TEXT);
    let feed = [
        serde_json::json!({"id": "c1", "outlet": "Coast Radio", "text": OTHER_TEXT}).to_string(),
        serde_json::json!({"id": "dup", "text": GOOD_TEXT}).to_string(),
        "{not json".to_owned(),
        serde_json::json!({"title": "no text here"}).to_string(),
    ];
    write(&corpus, "feed.jsonl", feed.join("\n") + "\n");
    corpus
}

#[test]
fn documents_are_stored_once_and_failed_records_kept_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let db = dir.path().join("corpus.db");
    let args = [OsStr::new("--db"), db.as_os_str(), corpus.as_os_str()];

    let run = ingest(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(counts(&run), (2, 1, 2), "{}", run.stderr);
    assert!(
        run.stderr.contains("record 3: malformed JSON"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rejected 1 × no article text"),
        "{}",
        run.stderr
    );

    // A second run analyses nothing again and lists the rejections once more, but the store
    // keeps one row per rejected record.
    let run = ingest(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(counts(&run), (0, 3, 2), "{}", run.stderr);

    let store = SqliteStore::open(&db).unwrap();
    store.check_integrity().unwrap();
    let contents = store.contents().unwrap();
    let mut expected = vec![content_id(GOOD_TEXT), content_id(OTHER_TEXT)];
    expected.sort();
    assert_eq!(contents.doc_ids, expected);
    assert_eq!(contents.rejected, 2);
    // Every layer of the catalogue is there for each document (tokens excepted), empty
    // ones included, and layers hold annotations.
    let mut expected_layers: Vec<&str> = claimlens_schema::LAYERS
        .iter()
        .map(|l| l.name)
        // `narratives` needs a store of cases: `ingest` does not match them.
        .filter(|&n| n != "tokens" && n != claimlens_schema::layer::NARRATIVES)
        .collect();
    expected_layers.sort_unstable();
    let conn = store.connection();
    let mut stmt = conn
        .prepare("SELECT group_concat(name, ',') FROM (SELECT doc, name FROM layers ORDER BY doc, name) GROUP BY doc")
        .unwrap();
    let per_doc: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        per_doc,
        [expected_layers.join(","), expected_layers.join(",")]
    );
    for layer in [
        "paragraphs",
        "sentences",
        "attributions",
        "claims",
        "sourcing",
    ] {
        assert!(
            contents.annotations.get(layer).copied().unwrap_or(0) > 0,
            "no {layer} annotations: {:?}",
            contents.annotations
        );
    }
    let outlet: String = store
        .connection()
        .query_row(
            "SELECT outlet FROM documents WHERE source_id = 'c1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(outlet, "Coast Radio");
}

#[test]
fn a_store_inside_the_folder_it_ingests_never_reads_itself_or_its_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let db = corpus.join("corpus.db");
    let args = [OsStr::new("--db"), db.as_os_str(), corpus.as_os_str()];
    let run = ingest(&args);
    assert_eq!(counts(&run), (2, 1, 2), "{}", run.stderr);
    // The search index beside the store (its `meta.json` a JSON file) was committed at the
    // end of the run, and the next run walks past it.
    let index = claimlens_store::search_index_dir(&db);
    assert!(index.join("meta.json").is_file());
    let run = ingest(&args);
    assert_eq!(counts(&run), (0, 3, 2), "{}", run.stderr);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.search_index_documents(), Some(2));
}

#[test]
fn standard_input_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let line = serde_json::json!({"text": OTHER_TEXT}).to_string() + "\n";
    let run = command_with_stdin(
        "ingest",
        [
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--input-format"),
            OsStr::new("jsonl"),
            OsStr::new("-"),
        ],
        line.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(counts(&run), (1, 0, 0));
}

#[test]
fn the_default_store_is_in_the_users_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let article = write(dir.path(), "a.txt", GOOD_TEXT);
    let data = dir.path().join("data");
    let run = command_with_env(
        "ingest",
        [article.as_os_str()],
        b"",
        &[("XDG_DATA_HOME", data.as_os_str())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let db = data.join("claimlens").join("corpus.db");
    assert!(
        run.stderr.contains(&db.display().to_string()),
        "{}",
        run.stderr
    );
    assert_eq!(
        SqliteStore::open(&db)
            .unwrap()
            .contents()
            .unwrap()
            .doc_ids
            .len(),
        1
    );
}

#[test]
fn stores_that_cannot_be_used_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let article = write(dir.path(), "a.txt", GOOD_TEXT);

    // A folder that is a file: nothing can be created there.
    let under_file = article.join("corpus.db");
    let run = ingest(&[
        OsStr::new("--db"),
        under_file.as_os_str(),
        article.as_os_str(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot open store"), "{}", run.stderr);

    // Not a database at all: an article given as --db by mistake is left as it was.
    let run = ingest(&[OsStr::new("--db"), article.as_os_str(), article.as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a database"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&article).unwrap(), GOOD_TEXT);

    // A store from a newer claimlens.
    let newer = dir.path().join("newer.db");
    let store = SqliteStore::open(&newer).unwrap();
    store
        .connection()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    drop(store);
    let run = ingest(&[OsStr::new("--db"), newer.as_os_str(), article.as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("schema version 99"), "{}", run.stderr);
}

#[test]
fn a_write_that_fails_mid_run_stops_the_ingest_with_the_stores_error() {
    // The writer runs on a thread of its own: its failure must end the run with its own
    // message and status 2, not hang the analysis or be reported as something else.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (i, text) in [GOOD_TEXT, OTHER_TEXT, "Officials said the port reopened.\n"]
        .iter()
        .enumerate()
    {
        write(&corpus, &format!("{i}.txt"), *text);
    }
    let db = dir.path().join("full.db");
    let store = SqliteStore::open(&db).unwrap();
    // Stands in for a disk that fills after the first document.
    store
        .connection()
        .execute_batch(
            "CREATE TRIGGER store_full BEFORE INSERT ON documents \
             WHEN (SELECT count(*) FROM documents) >= 1 \
             BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END;",
        )
        .unwrap();
    drop(store);
    let run = ingest(&[
        OsStr::new("--db"),
        db.as_os_str(),
        OsStr::new("--batch"),
        OsStr::new("1"),
        OsStr::new("--jobs"),
        OsStr::new("2"),
        corpus.as_os_str(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("database or disk is full (test)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("writer stopped"), "{}", run.stderr);
    // The batch written before the failure stays whole.
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.contents().unwrap().doc_ids.len(), 1);
}

#[test]
fn a_write_protected_store_is_refused_with_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let article = write(dir.path(), "a.txt", GOOD_TEXT);
    let db = dir.path().join("ro.db");
    drop(SqliteStore::open(&db).unwrap());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&db).is_ok() {
        // Permissions do not bind this user (root): the refusal cannot be provoked here.
        eprintln!("write-protection is not enforced for this user; nothing to check");
        return;
    }
    let run = ingest(&[OsStr::new("--db"), db.as_os_str(), article.as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is read-only"), "{}", run.stderr);
}

#[test]
fn two_ingests_into_one_store_at_once_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    // Two feeds sharing half their articles.
    let article = |i: usize| {
        serde_json::json!({"text": format!("Officials said {i} ships had docked. Unions said fewer had.")})
            .to_string()
    };
    let first: Vec<String> = (0..40).map(article).collect();
    let second: Vec<String> = (20..60).map(article).collect();
    let a = write(dir.path(), "a.jsonl", first.join("\n"));
    let b = write(dir.path(), "b.jsonl", second.join("\n"));
    let started = Instant::now();
    let mut children: Vec<_> = [a, b]
        .iter()
        .map(|feed| {
            claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
                .args(["ingest", "--no-progress", "--batch", "4", "--db"])
                .arg(&db)
                .arg(feed)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in &mut children {
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
                assert!(status.success(), "{err}");
                break;
            }
            assert!(started.elapsed() < DEADLINE, "concurrent ingests hung");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    let store = SqliteStore::open(&db).unwrap();
    store.check_integrity().unwrap();
    assert_eq!(store.contents().unwrap().doc_ids.len(), 60);
}
