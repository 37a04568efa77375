//! With FTS5 ranking (the ranking index off), a search without filters is ranked from the
//! full-text index alone; with filters, over the matches joined to `documents`. Both must
//! give the same pages: bm25 first, then `doc_id`, including where many documents tie (same
//! length, same count of the word), on every page. The ranking index orders ties by the
//! document's key instead; its pages, filtered or not, must agree with one another too.

mod common;

use claimlens_core::Doc;
use claimlens_store::{Entry, SearchHit, SearchQuery, SqliteStore, Store};

/// `ties` documents that score the same for "harbour" (one occurrence, equal length), and
/// some that score better (the word twice) or worse (longer), all from one outlet.
fn store(ties: usize, ranking_index: bool) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("c.db")).unwrap();
    store.use_ranking_index(ranking_index);
    let mut batch = Vec::new();
    let mut add = |text: String| {
        let mut doc = Doc::new("d", text);
        doc.meta.outlet = Some("Herald".to_owned());
        batch.push(Entry::Document(Box::new(doc)));
    };
    for i in 0..ties {
        add(format!(
            "The harbour report number w{i:04} was filed today."
        ));
    }
    for i in 0..7 {
        add(format!("The harbour harbour report r{i} was filed today."));
        add(format!(
            "The long harbour report number l{i} was filed today by the clerk of the port."
        ));
        add(format!("An unrelated note u{i} about the weather."));
    }
    store.write_batch(&batch).unwrap();
    (dir, store)
}

fn page(store: &SqliteStore, filtered: bool, limit: u32, offset: u32) -> (u64, Vec<String>) {
    let page = store
        .search(&SearchQuery {
            query: "harbour".into(),
            // Every document is from this outlet: the filter changes the plan, not the hits.
            outlet: filtered.then(|| "Herald".to_owned()),
            limit: Some(limit),
            offset: Some(offset),
            ..SearchQuery::default()
        })
        .unwrap();
    let ids = page
        .items
        .iter()
        .map(|h: &SearchHit| h.doc_id.clone())
        .collect();
    (page.total, ids)
}

#[test]
fn pages_from_the_index_equal_pages_from_the_join_with_and_without_ties_past_the_margin() {
    // 30 ties fit in the candidates fetched past a page; 200 do not (the index path then
    // hands over to the join).
    for (ties, ranking_index) in [(30, false), (200, false), (30, true), (200, true)] {
        let (_dir, store) = store(ties, ranking_index);
        let expected_total = (ties + 14) as u64;
        for (limit, offset) in [(5, 0), (10, 3), (50, 0), (20, 40), (50, 200), (7, 210)] {
            let from_index = page(&store, false, limit, offset);
            let joined = page(&store, true, limit, offset);
            assert_eq!(
                from_index, joined,
                "ties {ties}, limit {limit}, offset {offset}"
            );
            assert_eq!(from_index.0, expected_total);
        }
        // The double mentions come first, the long documents last.
        let (_, all) = page(&store, false, 500, 0);
        assert_eq!(all.len(), ties + 14);
        let (_, top) = page(&store, true, 7, 0);
        assert_eq!(&all[..7], &top[..]);
    }
}

#[test]
fn speaker_and_layer_filters_rank_from_the_index_as_the_join_does() {
    let (_dir, mut store) = common::store_with(&common::analysed());
    store.use_ranking_index(false);
    let ids = |q: SearchQuery| {
        let page = store.search(&q).unwrap();
        let ids: Vec<String> = page.items.into_iter().map(|h| h.doc_id).collect();
        (page.total, ids)
    };
    for (query, speaker, layer, kind) in [
        ("cranes", Some("Maria Lopez"), None, None),
        ("budget", None, Some("claims"), Some("CLAIM")),
        ("the", None, Some("entities"), None),
        ("said", None, None, Some("PERSON")),
    ] {
        let q = SearchQuery {
            query: query.into(),
            speaker: speaker.map(str::to_owned),
            layer: layer.map(str::to_owned),
            annotation_type: kind.map(str::to_owned),
            ..SearchQuery::default()
        };
        // Every stored article is dated: the date filter only moves the plan to the join.
        let joined = SearchQuery {
            published_from: Some("1900-01-01".into()),
            ..q.clone()
        };
        let (from_index, through_join) = (ids(q), ids(joined));
        assert_eq!(from_index, through_join, "{query}");
        assert!(from_index.0 > 0, "{query}");
    }
}
