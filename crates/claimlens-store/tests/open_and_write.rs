//! Opening stores in every state (new, current, newer, foreign, not a database) and writing
//! batches: deduplication by content, rejections recorded once, links and offsets kept.

use claimlens_core::{Annotation, Doc, Layer, Link, Reason, Span};
use claimlens_store::{content_id, Entry, Rejection, SqliteStore, Store, StoreError};

fn doc(id: &str, text: &str) -> Doc {
    let mut doc = Doc::new(id, text);
    // The first two words.
    let first = text.find(' ').unwrap();
    let second = first + 1 + text[first + 1..].find(' ').unwrap();
    let mut layer = Layer::new("claims", "claims");
    layer.push(
        Annotation::new(
            Span::new(0, first),
            "CLAIM",
            Reason::scored("claims", "m", 0.25),
        )
        .with_attr("speaker", "Ann"),
    );
    layer.push(
        Annotation::new(
            Span::new(first + 1, second),
            "CLAIM",
            Reason::rule("claims", "m"),
        )
        .with_link(Link {
            role: "speaker".into(),
            layer: "claims".into(),
            index: 0,
        }),
    );
    doc.insert_layer(layer).unwrap();
    doc
}

fn rejection(record: u64) -> Entry {
    Entry::Rejected(Rejection {
        source: "feed.jsonl".into(),
        record: Some(record),
        reason: "malformed JSON".into(),
    })
}

#[test]
fn documents_are_stored_once_by_content_and_rejections_once_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let first = store
        .write_batch(&[
            Entry::Document(Box::new(doc("a", "Één said “no” today."))),
            Entry::Document(Box::new(doc("b", "Één said “no” today."))),
            rejection(3),
        ])
        .unwrap();
    assert_eq!(
        (first.stored, first.already_stored, first.rejected),
        (1, 1, 1)
    );
    drop(store);

    // Reopened (a second run): the same entries change nothing.
    let mut store = SqliteStore::open(&path).unwrap();
    let again = store
        .write_batch(&[
            Entry::Document(Box::new(doc("a", "Één said “no” today."))),
            rejection(3),
        ])
        .unwrap();
    assert_eq!((again.stored, again.already_stored), (0, 1));
    let contents = store.contents().unwrap();
    assert_eq!(contents.doc_ids, [content_id("Één said “no” today.")]);
    assert_eq!(contents.annotations["claims"], 2);
    assert_eq!(contents.rejected, 1);
    store.check_integrity().unwrap();

    // Offsets in bytes and code points, the covered text, attrs as JSON, links.
    let conn = store.connection();
    let (text, sb, sc, eb, ec): (String, i64, i64, i64, i64) = conn
        .query_row(
            "SELECT text, start_byte, start_char, end_byte, end_char FROM annotations
             WHERE layer = 'claims' AND idx = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    // "Één" is 5 bytes but 3 code points.
    assert_eq!((text.as_str(), sb, eb), ("said", 6, 10));
    assert_eq!((sc, ec), (4, 8));
    let speaker: String = conn
        .query_row(
            "SELECT json_extract(a.attrs, '$.speaker') FROM links l
             JOIN annotations a ON a.doc = l.doc AND a.layer = l.to_layer AND a.idx = l.to_idx
             WHERE l.role = 'speaker'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(speaker, "Ann");
}

#[test]
fn a_store_from_a_newer_claimlens_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    {
        let conn = rusqlite_conn(&path);
        conn.execute_batch("PRAGMA user_version = 42").unwrap();
    }
    let err = SqliteStore::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Newer { found: 42, .. }), "{err}");
    assert!(err.to_string().contains("upgrade claimlens"), "{err}");
}

#[test]
fn other_files_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "This is not a database, but it is long enough to look like one.\n".repeat(20),
    )
    .unwrap();
    let err = SqliteStore::open(&text).err().expect("refused");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert!(err.to_string().contains("not a database"), "{err}");

    let foreign = dir.path().join("app.db");
    rusqlite_conn(&foreign)
        .execute_batch("CREATE TABLE people (name TEXT)")
        .unwrap();
    let err = SqliteStore::open(&foreign).err().expect("refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");

    let missing_dir = dir.path().join("no-such-folder").join("s.db");
    let err = SqliteStore::open(&missing_dir).err().expect("refused");
    assert!(err.to_string().contains("cannot open store"), "{err}");
}

#[test]
fn two_connections_writing_at_once_are_serialised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = SqliteStore::open(&path).unwrap();
                for i in 0..20 {
                    // Both writers store the shared documents; each also has its own.
                    let batch = [
                        Entry::Document(Box::new(doc("s", &format!("Shared text {i} here.")))),
                        Entry::Document(Box::new(doc("o", &format!("Own text {w} {i} here.")))),
                    ];
                    store.write_batch(&batch).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    store.check_integrity().unwrap();
    let contents = store.contents().unwrap();
    assert_eq!(contents.doc_ids.len(), 60);
    assert_eq!(contents.annotations["claims"], 120);
}

/// A plain connection, to put a file in a state the store must cope with.
fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
