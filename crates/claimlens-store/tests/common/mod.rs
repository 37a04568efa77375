//! The small corpus the read-back tests share: five short articles written here, analysed
//! by the real pipeline and stored.

use claimlens_core::Doc;
use claimlens_pipeline::Pipeline;
use claimlens_store::{Entry, PostgresStore, SqliteStore, Store};
use claimlens_testkit::postgres::TestDatabase;

/// (outlet, published, title, text): two outlets on the harbour story in one week, a third a
/// week later, an unrelated story, and one in French with non-ASCII text.
#[allow(dead_code)]
pub const ARTICLES: &[(&str, &str, &str, &str)] = &[
    (
        "Daily Ledger",
        "2026-03-02",
        "Port to reopen in June",
        "Maria Lopez, the director of the harbour authority, said on Monday that the port \
         would reopen in June. \"We have repaired both cranes and the quay,\" Lopez told \
         reporters.\n\nUnion leaders said the timetable was too optimistic.",
    ),
    (
        "Coast Radio",
        "2026-03-04T18:30:00Z",
        "Harbour reopening questioned",
        "The harbour will not reopen before July, the fishermen's union said on Wednesday. \
         Maria Lopez said last week that repairs were finished. Engineers said the cranes \
         still needed new cables.",
    ),
    (
        "Harbour Weekly",
        "2026-03-12",
        "Cranes back in service",
        "Both cranes were back in service on Tuesday, Maria Lopez said. The first ferry is \
         expected in April, according to the operator.",
    ),
    (
        "Daily Ledger",
        "2026-03-20",
        "Council approves budget",
        "The city council approved a budget of 4 million euros on Thursday. Mayor Tom Berg \
         said the money would pay for new schools.",
    ),
    (
        "Le Quotidien",
        "2026-03-21",
        "Le port rouvrira",
        "« Le port rouvrira en juin », a déclaré Élodie Martin, porte-parole du syndicat. \
         Les grues ont été réparées.",
    ),
];

#[allow(dead_code)]
pub fn analysed() -> Vec<Doc> {
    let pipeline = Pipeline::default_pipeline();
    ARTICLES
        .iter()
        .enumerate()
        .map(|(i, (outlet, published, title, text))| {
            let mut doc = Doc::new(format!("article-{i}"), *text);
            doc.meta.outlet = Some(outlet.to_string());
            doc.meta.published = Some(published.to_string());
            doc.meta.title = Some(title.to_string());
            doc.meta.url = Some(format!("https://news.example/{i}"));
            doc.meta.language = Some(if i == 4 { "fr" } else { "en" }.to_owned());
            doc.meta.author = Some("Desk".to_owned());
            doc.meta.fetched_url = Some(format!("https://news.example/{i}?ref=feed"));
            doc.meta.fetched_at = Some("2026-03-22T08:00:00Z".to_owned());
            doc.origin.source = "feed.jsonl".to_owned();
            doc.origin.record = Some(i as u64 + 1);
            doc.origin.format = "jsonl";
            doc.origin.encoding = if i == 4 { "windows-1252" } else { "UTF-8" };
            pipeline.run(&mut doc);
            doc
        })
        .collect()
}

#[allow(dead_code)]
pub fn store_with(docs: &[Doc]) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("corpus.db")).unwrap();
    let batch: Vec<Entry> = docs
        .iter()
        .map(|d| Entry::Document(Box::new(d.clone())))
        .collect();
    store.write_batch(&batch).unwrap();
    (dir, store)
}

/// A store of one back-end, with what keeps it alive (its folder, its database).
#[allow(dead_code)]
pub struct Backend {
    /// `sqlite`, `sqlite-fts5` (the ranking index off) or `postgres`.
    pub name: &'static str,
    pub store: Box<dyn Store>,
    _keep: (Option<tempfile::TempDir>, Option<TestDatabase>),
}

/// An empty store of every back-end this machine has: SQLite always, PostgreSQL when
/// `CLAIMLENS_TEST_POSTGRES` names a server (otherwise a skip line says it did not run).
#[allow(dead_code)]
pub fn backends() -> Vec<Backend> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("corpus.db")).unwrap();
    // The same back-end with FTS5 ranking every search, as when the ranking index beside
    // the file is behind or cannot be opened.
    let fts5_dir = tempfile::tempdir().unwrap();
    let mut fts5 = SqliteStore::open(&fts5_dir.path().join("corpus.db")).unwrap();
    fts5.use_ranking_index(false);
    let mut all = vec![
        Backend {
            name: "sqlite",
            store: Box::new(sqlite),
            _keep: (Some(dir), None),
        },
        Backend {
            name: "sqlite-fts5",
            store: Box::new(fts5),
            _keep: (Some(fts5_dir), None),
        },
    ];
    if let Some(db) = claimlens_testkit::postgres::database() {
        let store = PostgresStore::open(&db.url).unwrap();
        all.push(Backend {
            name: "postgres",
            store: Box::new(store),
            _keep: (None, Some(db)),
        });
    }
    all
}

/// [`backends`], each holding `docs`.
#[allow(dead_code)]
pub fn backends_with(docs: &[Doc]) -> Vec<Backend> {
    let batch: Vec<Entry> = docs
        .iter()
        .map(|d| Entry::Document(Box::new(d.clone())))
        .collect();
    let mut all = backends();
    for b in &mut all {
        b.store.write_batch(&batch).unwrap();
    }
    all
}
