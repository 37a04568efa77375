//! Reading the store back: documents rebuilt exactly (their JSON export byte-identical to the
//! original's), listing with filters and paging, full-text search with snippets, and who
//! said what, on a small corpus analysed by the real pipeline here.

mod common;

use std::collections::BTreeMap;

use claimlens_core::Doc;
use claimlens_export::{write_json, DocView, ExportOptions};
use claimlens_store::{content_id, DocumentQuery, SearchQuery, SpeakerQuery, Store, StoreError};
use common::{analysed, backends_with, ARTICLES};

fn export(doc: &Doc, tokens: bool) -> String {
    let mut out = Vec::new();
    write_json(&mut out, &DocView::new(doc, &[]), ExportOptions { tokens }).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn documents_read_back_export_byte_for_byte_as_before() {
    let docs = analysed();
    for backend in backends_with(&docs) {
        let store = &*backend.store;
        for doc in &docs {
            let back = store.document(&content_id(doc.text())).unwrap().unwrap();
            assert!(!back.tokens.is_empty() && back.layers().len() > 3);
            for tokens in [false, true] {
                assert_eq!(
                    export(&back, tokens),
                    export(doc, tokens),
                    "{} in {}",
                    doc.id,
                    backend.name
                );
            }
        }
        assert!(store
            .document(&content_id("never stored"))
            .unwrap()
            .is_none());
    }
}

#[test]
fn a_summary_of_a_document_in_memory_counts_as_the_store_does() {
    let docs = analysed();
    for backend in backends_with(&docs) {
        let store = &*backend.store;
        let listed = store.documents(&DocumentQuery::default()).unwrap();
        for doc in &docs {
            let summary = claimlens_store::DocumentSummary::of(doc);
            let stored = listed
                .items
                .iter()
                .find(|s| s.doc_id == summary.doc_id)
                .unwrap();
            assert_eq!(&summary, stored, "{}", doc.id);
        }
    }
}

#[test]
fn listing_filters_orders_and_pages() {
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        let all = store.documents(&DocumentQuery::default()).unwrap();
        assert_eq!(all.total, 5);
        let published: Vec<_> = all
            .items
            .iter()
            .map(|d| d.published.clone().unwrap())
            .collect();
        assert_eq!(published[0], "2026-03-21");
        assert_eq!(published[4], "2026-03-02");
        let first = &all.items[4];
        assert_eq!(first.title.as_deref(), Some("Port to reopen in June"));
        assert_eq!(first.chars, ARTICLES[0].3.chars().count() as u64);
        assert!(first.words.unwrap() > 20 && first.quotes >= 2 && first.entities >= 1);

        let week = store
            .documents(&DocumentQuery {
                published_from: Some("2026-03-02".into()),
                published_to: Some("2026-03-04".into()),
                ..DocumentQuery::default()
            })
            .unwrap();
        // The Coast Radio article was published in the evening of the last day: still in.
        assert_eq!(week.total, 2);
        let ledger = store
            .documents(&DocumentQuery {
                outlet: Some("Daily Ledger".into()),
                limit: Some(1),
                offset: Some(1),
                ..DocumentQuery::default()
            })
            .unwrap();
        assert_eq!((ledger.total, ledger.items.len()), (2, 1));
        assert_eq!(ledger.items[0].published.as_deref(), Some("2026-03-02"));
        let french = store
            .documents(&DocumentQuery {
                language: Some("fr".into()),
                ..DocumentQuery::default()
            })
            .unwrap();
        assert_eq!(french.total, 1);
        let bad = store.documents(&DocumentQuery {
            published_to: Some("March 2026".into()),
            ..DocumentQuery::default()
        });
        assert!(matches!(bad, Err(StoreError::InvalidQuery { .. })));
    }
}

fn search(
    store: &dyn Store,
    query: &str,
) -> Result<claimlens_store::Page<claimlens_store::SearchHit>, StoreError> {
    store.search(&SearchQuery {
        query: query.into(),
        ..SearchQuery::default()
    })
}

#[test]
fn search_finds_words_with_exact_code_point_offsets() {
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        let cranes = search(store, "cranes").unwrap();
        assert_eq!(cranes.total, 3);
        assert!(cranes.items.windows(2).all(|w| w[0].rank >= w[1].rank));
        // A title match weighs more: the article headlined with the word comes first.
        assert_eq!(
            cranes.items[0].title.as_deref(),
            Some("Cranes back in service")
        );
        for hit in &cranes.items {
            let text: Vec<char> = ARTICLES
                .iter()
                .find(|a| Some(a.2) == hit.title.as_deref())
                .unwrap()
                .3
                .chars()
                .collect();
            let s = &hit.snippet;
            assert_eq!(
                s.text,
                text[s.start as usize..s.end as usize]
                    .iter()
                    .collect::<String>()
            );
            assert!(!s.matches.is_empty());
            for m in &s.matches {
                let word: String = text[m.start as usize..m.end as usize].iter().collect();
                assert_eq!(word.to_lowercase(), "cranes");
            }
        }
        // Diacritics fold, offsets stay code points of the original text.
        let french = search(store, "elodie").unwrap();
        assert_eq!(french.total, 1);
        let m = french.items[0].snippet.matches[0];
        let text: Vec<char> = ARTICLES[4].3.chars().collect();
        assert_eq!(
            text[m.start as usize..m.end as usize]
                .iter()
                .collect::<String>(),
            "Élodie"
        );

        assert_eq!(search(store, "\"both cranes\"").unwrap().total, 2);
        assert_eq!(search(store, "cranes NOT cables").unwrap().total, 2);
        assert_eq!(search(store, "reop*").unwrap().total, 2);
        assert_eq!(search(store, "title:budget").unwrap().total, 1);
    }
}

#[test]
fn a_search_counts_every_match_whatever_page_is_asked_for() {
    // PostgreSQL counts the matches in the statement that ranks the page; a page past the
    // last match, or of no rows, must still carry the count.
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        let page = |limit: Option<u32>, offset: Option<u32>| {
            store
                .search(&SearchQuery {
                    query: "cranes".into(),
                    limit,
                    offset,
                    ..SearchQuery::default()
                })
                .unwrap()
        };
        let all = page(None, None);
        assert_eq!((all.total, all.items.len()), (3, 3), "{}", backend.name);
        let second = page(Some(2), Some(2));
        assert_eq!(
            (second.total, second.items.len()),
            (3, 1),
            "{}",
            backend.name
        );
        assert_eq!(
            second.items[0].doc_id, all.items[2].doc_id,
            "{}",
            backend.name
        );
        let past = page(Some(2), Some(10));
        assert_eq!((past.total, past.items.len()), (3, 0), "{}", backend.name);
        let none = page(Some(0), None);
        assert_eq!((none.total, none.items.len()), (3, 0), "{}", backend.name);
        assert_eq!(
            search(store, "zeppelins").unwrap().total,
            0,
            "{}",
            backend.name
        );
    }
}

#[test]
fn search_filters_by_speaker_layer_type_and_metadata() {
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        let by = |q: SearchQuery| store.search(&q).unwrap().total;
        let q = |query: &str| SearchQuery {
            query: query.into(),
            ..SearchQuery::default()
        };
        assert_eq!(
            by(SearchQuery {
                speaker: Some("Maria Lopez".into()),
                ..q("cranes")
            }),
            3
        );
        assert_eq!(
            by(SearchQuery {
                speaker: Some("Tom Berg".into()),
                ..q("cranes")
            }),
            0
        );
        assert_eq!(
            by(SearchQuery {
                outlet: Some("Coast Radio".into()),
                ..q("cranes")
            }),
            1
        );
        assert_eq!(
            by(SearchQuery {
                layer: Some("claims".into()),
                annotation_type: Some("CLAIM".into()),
                ..q("budget")
            }),
            1
        );
        assert_eq!(
            by(SearchQuery {
                layer: Some("no-such-layer".into()),
                ..q("budget")
            }),
            0
        );
    }
}

#[test]
fn malformed_searches_are_clear_errors_and_never_inject() {
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        for bad in [
            "\"unbalanced",
            "cranes AND",
            "OR",
            "NEAR(",
            "nosuchcolumn:word",
            "   ",
            "*",
        ] {
            match search(store, bad) {
                Err(StoreError::InvalidQuery { message }) => assert!(!message.is_empty()),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        // SQL in the search text is only ever a search.
        assert!(matches!(
            search(store, "x'); DROP TABLE documents; --"),
            Ok(_) | Err(StoreError::InvalidQuery { .. })
        ));
        assert_eq!(store.contents().unwrap().doc_ids.len(), 5);
    }
}

#[test]
fn speakers_are_counted_across_the_corpus_with_their_quotes() {
    for backend in backends_with(&analysed()) {
        let store = &*backend.store;
        let all = store.speakers(&SpeakerQuery::default()).unwrap();
        let lopez = all
            .items
            .iter()
            .find(|s| s.name == "Maria Lopez")
            .unwrap_or_else(|| panic!("{all:?}"));
        assert_eq!(all.items[0].name, "Maria Lopez");
        assert_eq!(lopez.document_count, 3);
        assert!(lopez.quote_count >= 3 && lopez.quotes.is_empty());

        let one = store
            .speakers(&SpeakerQuery {
                name: Some("Maria Lopez".into()),
                with_quotes: true,
                ..SpeakerQuery::default()
            })
            .unwrap();
        assert_eq!(one.total, 1);
        let quotes = &one.items[0].quotes;
        assert_eq!(quotes.len() as u64, one.items[0].quote_count);
        assert_eq!(quotes[0].published.as_deref(), Some("2026-03-12"));
        for q in quotes {
            let text: Vec<char> = ARTICLES
                .iter()
                .find(|a| Some(a.2) == q.title.as_deref())
                .unwrap()
                .3
                .chars()
                .collect();
            assert!(!q.content.is_empty());
            for part in q.content.iter().chain(&q.cue) {
                let at: String = text[part.range.start as usize..part.range.end as usize]
                    .iter()
                    .collect();
                assert_eq!(at, part.text);
            }
        }
        let contains = store
            .speakers(&SpeakerQuery {
                name_contains: Some("LOPEZ".into()),
                outlet: Some("Daily Ledger".into()),
                ..SpeakerQuery::default()
            })
            .unwrap();
        assert_eq!(contains.total, 1);
        assert_eq!(contains.items[0].document_count, 1);
    }
}

#[test]
fn speakers_agree_with_the_export_digest_of_each_document() {
    let docs = analysed();
    let expected = speakers_by_digest(&docs);
    assert!(!expected.is_empty());
    for backend in backends_with(&docs) {
        let (actual, total) = speakers_listed(&*backend.store);
        assert_eq!(actual, expected);
        assert_eq!(total as usize, expected.len());
    }
}

/// Each speaker's (quotes, documents) as the export's who-said-what digest gives them.
fn speakers_by_digest<'a>(docs: impl IntoIterator<Item = &'a Doc>) -> BTreeMap<String, (u64, u64)> {
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for doc in docs {
        for (name, said) in claimlens_export::who_said_what(doc) {
            let entry = counts.entry(name).or_default();
            entry.0 += said.len() as u64;
            entry.1 += 1;
        }
    }
    counts
}

/// Each speaker's (quotes, documents) on the store's first speakers page, and its total.
fn speakers_listed(store: &dyn Store) -> (BTreeMap<String, (u64, u64)>, u64) {
    let listed = store.speakers(&SpeakerQuery::default()).unwrap();
    let counts = listed
        .items
        .into_iter()
        .map(|s| (s.name, (s.quote_count, s.document_count)))
        .collect();
    (counts, listed.total)
}

/// PostgreSQL keeps the references between layers, annotations and links by its writer, not
/// by foreign keys: the integrity check finds rows that lost what they refer to.
#[test]
fn a_postgres_store_missing_referenced_rows_fails_its_integrity_check() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    let mut store = claimlens_store::PostgresStore::open(&database.url).unwrap();
    let docs = analysed();
    store
        .write_batch(&[claimlens_store::Entry::Document(Box::new(docs[0].clone()))])
        .unwrap();
    store.check_integrity().unwrap();
    let mut client = postgres::Client::connect(&database.url, postgres::NoTls).unwrap();
    client
        .batch_execute("DELETE FROM layers WHERE name = 'entities'")
        .unwrap();
    let e = store.check_integrity().unwrap_err();
    assert!(
        matches!(&e, StoreError::Damaged { report, .. } if report.contains("annotations of a layer not stored")),
        "{e}"
    );
}

/// Two writers storing the same documents at once, in opposite orders, neither fails (no
/// deadlock on the unique keys) and each document is stored once.
#[test]
fn concurrent_postgres_writers_store_each_document_once() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    let docs = analysed();
    let forward: Vec<claimlens_store::Entry> = docs
        .iter()
        .map(|d| claimlens_store::Entry::Document(Box::new(d.clone())))
        .collect();
    let backward: Vec<claimlens_store::Entry> = docs
        .iter()
        .rev()
        .map(|d| claimlens_store::Entry::Document(Box::new(d.clone())))
        .collect();
    let outcomes: Vec<claimlens_store::BatchOutcome> = std::thread::scope(|scope| {
        [&forward, &backward]
            .map(|batch| {
                let url = &database.url;
                scope.spawn(move || {
                    let mut store = claimlens_store::PostgresStore::open(url).unwrap();
                    store.write_batch(batch).unwrap()
                })
            })
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    let stored: u64 = outcomes.iter().map(|o| o.stored).sum();
    let skipped: u64 = outcomes.iter().map(|o| o.already_stored).sum();
    assert_eq!((stored, skipped), (docs.len() as u64, docs.len() as u64));
    let store = claimlens_store::PostgresStore::open(&database.url).unwrap();
    assert_eq!(store.contents().unwrap().doc_ids.len(), docs.len());
    store.check_integrity().unwrap();
}

/// Typographic apostrophes, quotes, dashes and ellipses separate words on both back-ends,
/// and the matched words' offsets point at them in the original text.
#[test]
fn typographic_punctuation_breaks_words_on_every_back_end() {
    let text = "Clinton’s plan reached the White House…Yet «critics»—the union—said no.";
    let doc = claimlens_core::Doc::new("typo", text);
    for mut backend in common::backends() {
        let store = &mut *backend.store;
        store
            .write_batch(&[claimlens_store::Entry::Document(Box::new(doc.clone()))])
            .unwrap();
        for (query, words) in [
            ("clinton", vec!["Clinton"]),
            ("\"White House\"", vec!["White", "House"]),
            ("critics union", vec!["critics", "union"]),
        ] {
            let page = search(store, query).unwrap();
            assert_eq!(page.total, 1, "{query} in {}", backend.name);
            let snippet = &page.items[0].snippet;
            let found: Vec<String> = snippet
                .matches
                .iter()
                .map(|m| {
                    text.chars()
                        .skip(m.start as usize)
                        .take((m.end - m.start) as usize)
                        .collect()
                })
                .collect();
            // A phrase is one range on SQLite, a range per word on PostgreSQL.
            let found_words: Vec<&str> = found.iter().flat_map(|f| f.split(' ')).collect();
            assert_eq!(found_words, words, "{query} in {}", backend.name);
        }
    }
}

/// The derived tables (`layer_types`, `speaker_counts`) follow a document deleted by hand
/// with plain SQL, as `said` does by its foreign key: the speakers page and the layer filter
/// then answer for the documents left, and the integrity check finds nothing wrong.
#[test]
fn deleting_a_document_by_hand_keeps_the_derived_tables_true() {
    let docs = analysed();
    let gone = &docs[1];
    let kept: Vec<&Doc> = docs.iter().filter(|d| d.id != gone.id).collect();
    let batch: Vec<claimlens_store::Entry> = docs
        .iter()
        .map(|d| claimlens_store::Entry::Document(Box::new(d.clone())))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let mut sqlite = claimlens_store::SqliteStore::open(&path).unwrap();
    sqlite.write_batch(&batch).unwrap();
    let delete = format!(
        "DELETE FROM documents WHERE doc_id = '{}'",
        content_id(gone.text())
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = ON; {delete}"))
        .unwrap();
    let mut stores: Vec<(&str, Box<dyn Store>)> = vec![("sqlite", Box::new(sqlite))];
    let database = claimlens_testkit::postgres::database();
    if let Some(database) = &database {
        let mut pg = claimlens_store::PostgresStore::open(&database.url).unwrap();
        pg.write_batch(&batch).unwrap();
        let mut client = postgres::Client::connect(&database.url, postgres::NoTls).unwrap();
        // Annotations and links have no foreign keys on PostgreSQL (docs/store.md): a hand
        // deletion takes them first.
        let doc = format!(
            "(SELECT doc FROM documents WHERE doc_id = '{}')",
            content_id(gone.text())
        );
        client
            .batch_execute(&format!(
                "DELETE FROM links WHERE doc = {doc}; DELETE FROM annotations WHERE doc = {doc}; {delete}"
            ))
            .unwrap();
        stores.push(("postgres", Box::new(pg)));
    }
    let expected = speakers_by_digest(kept.iter().copied());
    let with_claims = kept
        .iter()
        .filter(|d| {
            d.layer("claims")
                .is_some_and(|l| l.annotations.iter().any(|a| a.label == "CLAIM"))
        })
        .count() as u64;
    for (name, store) in &stores {
        store
            .check_integrity()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(speakers_listed(&**store).0, expected, "{name}");
        let claims = store
            .search(&SearchQuery {
                query: "said OR déclaré".into(),
                layer: Some("claims".into()),
                annotation_type: Some("CLAIM".into()),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(claims.total, with_claims, "{name}");
        assert!(claims
            .items
            .iter()
            .all(|h| h.doc_id != content_id(gone.text())));
    }
}

/// Documents written over several batches, some already stored, are all in the full-text
/// index (ingest indexes each batch's new documents at its end), and FTS5's own check finds
/// the index equal to the documents.
#[test]
fn every_batch_is_searchable_and_the_index_matches_the_documents() {
    let docs = analysed();
    for mut backend in common::backends() {
        let store = &mut *backend.store;
        let entry = |d: &Doc| claimlens_store::Entry::Document(Box::new(d.clone()));
        store
            .write_batch(&[entry(&docs[0]), entry(&docs[1])])
            .unwrap();
        store
            .write_batch(&[
                entry(&docs[1]),
                entry(&docs[2]),
                entry(&docs[0]),
                entry(&docs[3]),
            ])
            .unwrap();
        store.write_batch(&[entry(&docs[4])]).unwrap();
        store.check_integrity().unwrap();
        for doc in &docs {
            let title = doc.meta.title.as_deref().unwrap();
            let hits = store
                .search(&SearchQuery {
                    query: format!("\"{title}\""),
                    ..SearchQuery::default()
                })
                .unwrap();
            assert!(
                hits.items
                    .iter()
                    .any(|h| h.doc_id == content_id(doc.text())),
                "{title} in {}",
                backend.name
            );
        }
    }
}

/// A document inserted into `documents` by hand is not in the full-text index until it is
/// rebuilt (docs/store.md), and the integrity check says so.
#[test]
fn the_integrity_check_finds_a_document_missing_from_the_full_text_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let mut store = claimlens_store::SqliteStore::open(&path).unwrap();
    let doc = Doc::new("a", "The harbour reopened on Monday.");
    store
        .write_batch(&[claimlens_store::Entry::Document(Box::new(doc))])
        .unwrap();
    store.check_integrity().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO documents (doc_id, source_id, source, format, text, ingested_at)
         VALUES ('x', 'x', '-', 'text', 'Cranes were repaired.', '2026-12-05T00:00:00Z')",
    )
    .unwrap();
    let e = store.check_integrity().unwrap_err();
    assert!(e.to_string().contains("full-text index"), "{e}");
    conn.execute_batch("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
        .unwrap();
    store.check_integrity().unwrap();
}
