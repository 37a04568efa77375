//! Stores written by earlier schema versions open, migrate and read: one SQL dump per
//! version in `tests/fixtures/` (reviewable text, not a binary file), loaded into a fresh
//! file and opened as a user's store would be.

use claimlens_core::Doc;
use claimlens_store::{
    content_id, DocumentQuery, Entry, SearchQuery, SqliteStore, Store, SCHEMA_VERSION,
};

const V1: &str = include_str!("fixtures/v1.sql");
const V1_TEXT: &str = "The mayor said on Monday that the bridge would reopen.\n";
const V2: &str = include_str!("fixtures/v2.sql");
const V3: &str = include_str!("fixtures/v3.sql");

#[test]
fn a_version_1_store_opens_at_the_current_version_with_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(V1)
        .unwrap();

    let mut store = SqliteStore::open(&path).unwrap();
    let version: i64 = store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    store.check_integrity().unwrap();
    let contents = store.contents().unwrap();
    assert_eq!(contents.doc_ids, [content_id(V1_TEXT)]);
    assert_eq!(contents.annotations["claims"], 1);
    assert_eq!(contents.annotations["sentences"], 1);

    // Still writable, and the old document is still recognised.
    assert!(store.contains(&content_id(V1_TEXT)).unwrap());
    let outcome = store
        .write_batch(&[
            Entry::Document(Box::new(Doc::new("old", V1_TEXT))),
            Entry::Document(Box::new(Doc::new("new", "A new article."))),
        ])
        .unwrap();
    assert_eq!((outcome.stored, outcome.already_stored), (1, 1));

    // Version 2 added the (empty) cases table.
    assert!(store.cases().unwrap().is_empty());
}

#[test]
fn a_version_2_store_opens_at_the_current_version_with_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(V2)
        .unwrap();

    let mut store = SqliteStore::open(&path).unwrap();
    store.check_integrity().unwrap();
    assert_eq!(store.contents().unwrap().doc_ids, [content_id(V1_TEXT)]);
    let cases = store.cases().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(
        (cases[0].source.as_str(), cases[0].case_id.as_str()),
        ("desk", "bridge-1")
    );
    assert_eq!(cases[0].verdict.as_deref(), Some("False"));

    // Importing the same case again changes nothing.
    let outcome = store.upsert_cases(&cases).unwrap();
    assert_eq!((outcome.inserted, outcome.unchanged), (0, 1));
}

#[test]
fn a_version_2_store_is_searchable_and_readable_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(V2)
        .unwrap();
    let mut store = SqliteStore::open(&path).unwrap();

    // The full-text index was back-filled by the migration ...
    let hits = store
        .search(&SearchQuery {
            query: "bridge".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.items[0].doc_id, content_id(V1_TEXT));
    assert_eq!(hits.items[0].snippet.matches[0].start, 34);

    // ... and the document reads back with its layers (in the catalogue's order, which
    // version 2 did not record) but without tokens, which version 2 did not store.
    let doc = store.document(&content_id(V1_TEXT)).unwrap().unwrap();
    assert_eq!(doc.text(), V1_TEXT);
    assert_eq!((doc.paragraphs.len(), doc.sentences.len()), (1, 1));
    assert!(doc.tokens.is_empty());
    let names: Vec<&str> = doc.layers().iter().map(|l| l.name.as_ref()).collect();
    let catalogue: Vec<&str> = claimlens_schema::LAYERS
        .iter()
        .map(|l| l.name)
        .filter(|n| names.contains(n))
        .collect();
    assert_eq!(names, catalogue);
    let listed = store.documents(&DocumentQuery::default()).unwrap();
    assert_eq!((listed.total, listed.items[0].words), (1, None));

    // A document written after the upgrade is indexed in the same transaction.
    store
        .write_batch(&[Entry::Document(Box::new(Doc::new("n", "The ferry sails.")))])
        .unwrap();
    let ferry = store
        .search(&SearchQuery {
            query: "ferry".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(ferry.total, 1);
}

#[test]
fn a_version_3_store_opens_searches_and_reads_back_with_its_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(V3)
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    store.check_integrity().unwrap();
    let hits = store
        .search(&SearchQuery {
            query: "mayor bridge".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.total, 1);
    let doc = store.document(&content_id(V1_TEXT)).unwrap().unwrap();
    assert_eq!(doc.tokens.len(), 11);
    assert_eq!(doc.origin.encoding, "UTF-8");
    let listed = store.documents(&DocumentQuery::default()).unwrap();
    assert_eq!(listed.items[0].words, Some(10));
    // Version 5 rebuilt the full-text index but kept the triggers on `documents`: a document
    // deleted by hand leaves the index, and every derived table, in step.
    store
        .connection()
        .execute_batch("PRAGMA foreign_keys = ON; DELETE FROM documents;")
        .unwrap();
    store.check_integrity().unwrap();
    let gone = store
        .search(&SearchQuery {
            query: "mayor bridge".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(gone.total, 0);
}
