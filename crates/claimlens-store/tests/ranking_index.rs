//! The ranking index beside a SQLite store: it finds exactly what FTS5 finds, for every
//! kind of search and filter, and it follows the store wherever it was left behind (written
//! without it, documents deleted by hand from another connection, its folder removed or
//! damaged), answering only when it holds the store's documents.

mod common;

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use claimlens_core::Doc;
use claimlens_store::{search_index_dir, Entry, SearchQuery, SqliteStore, Store};
use common::analysed;

/// The five analysed articles and 300 plain ones whose words vary by number, outlet and
/// day, so prefixes expand to many terms and filters cut across them.
fn corpus() -> Vec<Doc> {
    let mut docs = analysed();
    let outlets = ["Herald", "Courier", "Gazette"];
    let topics = [
        "harbour cranes",
        "budget vote",
        "ferry timetable",
        "school repairs",
        "prefect decree",
    ];
    for i in 0..300 {
        let topic = topics[i % topics.len()];
        let mut doc = Doc::new(
            format!("plain-{i}"),
            format!(
                "Report {i} on the {topic}. The press office prepared statement p{i} and \
                 pr{} for the {} edition; presumably nothing changed. Präsident Müller {}.",
                i % 37,
                outlets[i % 3],
                if i % 4 == 0 { "declined" } else { "agreed" }
            ),
        );
        doc.meta.outlet = Some(outlets[i % 3].to_owned());
        doc.meta.title = Some(format!("{} {}", topic, i % 11));
        doc.meta.published = Some(format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
        docs.push(doc);
    }
    docs
}

fn write(store: &mut SqliteStore, docs: &[Doc]) {
    for chunk in docs.chunks(64) {
        let batch: Vec<Entry> = chunk
            .iter()
            .map(|d| Entry::Document(Box::new(d.clone())))
            .collect();
        store.write_batch(&batch).unwrap();
    }
}

/// Every match's id and the total, at most 500 (one page holds them all here).
fn found(store: &SqliteStore, q: &SearchQuery) -> (u64, BTreeSet<String>) {
    let (total, hits) = snippets(store, q);
    (total, hits.into_iter().map(|(id, _)| id).collect())
}

/// A hit's id with its snippet's window and matched words.
type Marked = (String, (u32, u32, Vec<(u32, u32)>));

/// Every match's id with its snippet, and the total.
fn snippets(store: &SqliteStore, q: &SearchQuery) -> (u64, BTreeSet<Marked>) {
    let page = store
        .search(&SearchQuery {
            limit: Some(500),
            ..q.clone()
        })
        .unwrap_or_else(|e| panic!("{q:?}: {e}"));
    let hits = page
        .items
        .iter()
        .map(|h| {
            let s = &h.snippet;
            let words = s.matches.iter().map(|m| (m.start, m.end)).collect();
            (h.doc_id.clone(), (s.start, s.end, words))
        })
        .collect();
    (page.total, hits)
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        query: text.to_owned(),
        ..SearchQuery::default()
    }
}

#[test]
fn the_index_finds_what_fts5_finds_for_every_kind_of_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut indexed = SqliteStore::open(&path).unwrap();
    let docs = corpus();
    write(&mut indexed, &docs);
    assert_eq!(indexed.search_index_documents(), Some(docs.len() as u64));
    let mut fts5 = SqliteStore::open(&path).unwrap();
    fts5.use_ranking_index(false);
    assert_eq!(fts5.search_index_documents(), None);

    let mut searches: Vec<SearchQuery> = [
        "cranes",
        "Cranes harbour",
        "\"harbour cranes\"",
        "\"press office\"",
        "pr*",
        "pr1*",
        "pre*",
        "presumably",
        "\"the press\"*",
        "p1*",
        "budget OR ferry",
        "budget ferry",
        "report NOT budget",
        "(budget OR ferry) NOT declined",
        "budget AND vote",
        "title:budget",
        "text:budget",
        "title:\"ferry timetable\"",
        "title:fer*",
        "elodie",
        "Élodie",
        "prasident",
        "muller",
        "Müller",
        "lopez said",
        "nothingmatchesthis",
        "report_9",
    ]
    .iter()
    .map(|t| query(t))
    .collect();
    let filtered = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = query("report OR cranes OR budget");
        f(&mut q);
        q
    };
    searches.extend([
        filtered(&|q| q.outlet = Some("Herald".into())),
        filtered(&|q| q.outlet = Some("Daily Ledger".into())),
        filtered(&|q| q.language = Some("en".into())),
        filtered(&|q| q.published_from = Some("2026-03-04".into())),
        filtered(&|q| q.published_to = Some("2026-03-04".into())),
        filtered(&|q| {
            q.published_from = Some("2026-02-28".into());
            q.published_to = Some("2026-03-12".into());
        }),
        filtered(&|q| q.speaker = Some("Maria Lopez".into())),
        filtered(&|q| q.layer = Some("claims".into())),
        filtered(&|q| q.layer = Some("entities".into())),
        filtered(&|q| q.annotation_type = Some("PER".into())),
        filtered(&|q| {
            q.layer = Some("claims".into());
            q.annotation_type = Some("CLAIM".into());
        }),
        filtered(&|q| q.layer = Some("no-such-layer".into())),
    ]);
    let mut nonempty = 0;
    for q in &searches {
        // The same documents, and in each the same words marked as FTS5's highlight().
        let (total, hits) = snippets(&indexed, q);
        assert_eq!(
            (total, &hits),
            (snippets(&fts5, q).0, &snippets(&fts5, q).1),
            "{q:?}"
        );
        assert_eq!(total as usize, hits.len(), "{q:?}");
        nonempty += usize::from(total > 0);
    }
    assert!(
        nonempty > searches.len() * 3 / 4,
        "{nonempty} of {}",
        searches.len()
    );
    // Pages follow one another without a gap or a repeat.
    let all = found(&indexed, &query("report")).1;
    let mut paged = BTreeSet::new();
    for offset in (0..all.len()).step_by(7) {
        let page = indexed
            .search(&SearchQuery {
                limit: Some(7),
                offset: Some(offset as u32),
                ..query("report")
            })
            .unwrap();
        for hit in page.items {
            assert!(paged.insert(hit.doc_id));
        }
    }
    assert_eq!(paged, all);
    // NEAR is FTS5's alone: still answered, by FTS5.
    assert_eq!(found(&indexed, &query("NEAR(harbour cranes, 3)")).0, 60);
}

#[test]
fn the_index_follows_the_store_it_was_left_behind_by() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let docs = corpus();
    {
        // Written with the index off, as by an older version.
        let mut store = SqliteStore::open(&path).unwrap();
        store.use_ranking_index(false);
        write(&mut store, &docs[..200]);
    }
    assert!(!search_index_dir(&path).exists());
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(found(&store, &query("report")).0, 195);
    assert_eq!(store.search_index_documents(), Some(200));
    write(&mut store, &docs[200..]);
    assert_eq!(store.search_index_documents(), Some(docs.len() as u64));

    // Deleted by hand from another connection (a user's SQL shell).
    let shell = rusqlite::Connection::open(&path).unwrap();
    shell
        .execute_batch(
            "PRAGMA foreign_keys = ON;
             DELETE FROM documents WHERE doc IN (SELECT doc FROM documents WHERE text LIKE 'Report 1%');",
        )
        .unwrap();
    let remaining: i64 = shell
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(found(&store, &query("report")).0, remaining as u64 - 5);
    assert_eq!(store.search_index_documents(), Some(remaining as u64));
    // And from this store's own connection.
    store
        .connection()
        .execute_batch("DELETE FROM documents WHERE text LIKE 'Report 2%'")
        .unwrap();
    let after = found(&store, &query("report")).0;
    assert!(after < remaining as u64 - 5);
    drop(store);

    // The folder removed, then damaged: built again, never a failed search.
    std::fs::remove_dir_all(search_index_dir(&path)).unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(found(&store, &query("report")).0, after);
    drop(store);
    std::fs::write(search_index_dir(&path).join("meta.json"), "{ not json").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(found(&store, &query("report")).0, after);
    assert!(store.search_index_documents().is_some());
}

#[test]
fn a_second_store_on_the_file_reads_the_index_the_first_one_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let docs = corpus();
    let mut writer = SqliteStore::open(&path).unwrap();
    write(&mut writer, &docs[..100]);
    let reader = SqliteStore::open(&path).unwrap();
    // Batches of an ingest are committed to the index every few seconds: until then the
    // writer holds them (and the index's lock), and FTS5 answers the other store.
    assert_eq!(reader.search_index_documents(), None);
    assert_eq!(found(&reader, &query("report")).0, 95);
    // One document at a time, as the web workbench adds them: each is found at once, by
    // the index or (while the writer holds it uncommitted) by FTS5.
    for (i, doc) in docs[100..110].iter().enumerate() {
        writer
            .write_batch(&[Entry::Document(Box::new(doc.clone()))])
            .unwrap();
        let id = claimlens_store::content_id(doc.text());
        assert!(found(&reader, &query("report OR cranes OR budget"))
            .1
            .contains(&id));
        assert_eq!(reader.search_index_documents(), Some(101 + i as u64));
    }
}

#[test]
fn a_store_that_indexes_after_another_process_did_starts_from_that_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let docs = corpus();
    let late = SqliteStore::open(&path).unwrap();
    assert_eq!(late.search_index_documents(), Some(0));
    {
        // Another writer (an ingest) indexes 100 documents and commits as it ends.
        let mut ingest = SqliteStore::open(&path).unwrap();
        write(&mut ingest, &docs[..100]);
    }
    let mut late = late;
    write(&mut late, &docs[100..101]);
    assert_eq!(late.search_index_documents(), Some(101));
    let fresh = SqliteStore::open(&path).unwrap();
    assert_eq!(fresh.search_index_documents(), Some(101));
    assert_eq!(found(&fresh, &query("report")).0, 96);
    assert_eq!(found(&late, &query("report")).0, 96);
}

/// One store, read through both engines, for the generated searches below.
type Shared = (tempfile::TempDir, SqliteStore, SqliteStore);

fn shared() -> std::sync::MutexGuard<'static, Shared> {
    static STORES: OnceLock<Mutex<Shared>> = OnceLock::new();
    let stores = STORES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut indexed = SqliteStore::open(&path).unwrap();
        write(&mut indexed, &corpus());
        assert!(indexed.search_index_documents().is_some());
        let mut fts5 = SqliteStore::open(&path).unwrap();
        fts5.use_ranking_index(false);
        Mutex::new((dir, indexed, fts5))
    });
    stores.lock().unwrap_or_else(|p| p.into_inner())
}

/// A search of the query language: words, prefixes, phrases and column filters joined by
/// `AND`, `OR`, `NOT`, juxtaposition and parentheses.
fn search_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just("harbour".to_owned()),
        Just("cranes".to_owned()),
        Just("report".to_owned()),
        Just("budget".to_owned()),
        Just("ferry".to_owned()),
        Just("declined".to_owned()),
        Just("said".to_owned()),
        Just("Müller".to_owned()),
        Just("pr*".to_owned()),
        Just("re*".to_owned()),
        Just("p1*".to_owned()),
        Just("\"press office\"".to_owned()),
        Just("\"the harbour\"".to_owned()),
        Just("title:budget".to_owned()),
        Just("text:vote".to_owned()),
        Just("title:sch*".to_owned()),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} AND {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} NOT {b}")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the operators and their nesting, the index reads a search as FTS5 does.
    #[test]
    fn generated_searches_find_the_same_documents_through_both_engines(text in search_text()) {
        let stores = shared();
        let (_, indexed, fts5) = &*stores;
        let q = query(&text);
        let by_index = indexed.search(&SearchQuery { limit: Some(500), ..q.clone() });
        let by_fts5 = fts5.search(&SearchQuery { limit: Some(500), ..q });
        match (by_index, by_fts5) {
            (Ok(a), Ok(b)) => {
                let ids = |p: &claimlens_store::Page<claimlens_store::SearchHit>| {
                    p.items.iter().map(|h| h.doc_id.clone()).collect::<BTreeSet<_>>()
                };
                proptest::prop_assert_eq!(a.total, b.total, "{}", text);
                proptest::prop_assert_eq!(ids(&a), ids(&b), "{}", text);
            }
            // A search FTS5 refuses is refused whichever engine is asked first.
            (Err(a), Err(b)) => proptest::prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => proptest::prop_assert!(false, "{}: {:?} / {:?}", text, a.map(|p| p.total), b.map(|p| p.total)),
        }
    }
}
