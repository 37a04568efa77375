//! How fast each back-end stores analysed documents: the part of `claimlens ingest` that the
//! back-end decides. Reads a JSONL corpus (`id`, `text`, `title`, `outlet`, `published`),
//! analyses every document once with the default pipeline, then times writing them in
//! batches of 64 into a new SQLite file (with its ranking index, then without it) and, when a
//! URL is given, into a PostgreSQL database (which must be empty), and reading every one back.
//!
//! ```sh
//! cargo run --release -p claimlens-store --example write_rate -- corpus.jsonl 2000 \
//!     [postgres://user@host/empty_db]
//! ```

use std::io::BufRead;
use std::time::Instant;

use claimlens_core::Doc;
use claimlens_pipeline::Pipeline;
use claimlens_store::{content_id, Entry, Location, SqliteStore, Store};

const BATCH: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(corpus), Some(limit)) = (args.first(), args.get(1)) else {
        eprintln!("usage: write_rate CORPUS.jsonl N [postgres://…]");
        std::process::exit(2);
    };
    let limit: usize = limit.parse().expect("N is a number");
    let docs = analysed(corpus, limit);
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    println!(
        "{} documents, {:.1} MB of text, analysed once",
        docs.len(),
        bytes as f64 / 1e6
    );
    let dir = tempfile::tempdir().unwrap();
    // SQLite with its ranking index (the default), then without it, into a file of its own.
    let mut targets = vec![
        ("sqlite", Location::File(dir.path().join("rate.db"))),
        ("sqlite-fts5", Location::File(dir.path().join("fts5.db"))),
    ];
    if let Some(url) = args.get(2) {
        targets.push(("postgres", Location::Postgres(url.clone())));
    }
    for (name, location) in targets {
        let mut store: Box<dyn Store> = match &location {
            Location::File(db) => {
                let mut sqlite = SqliteStore::open(db).expect("open the store");
                sqlite.use_ranking_index(name == "sqlite");
                Box::new(sqlite)
            }
            Location::Postgres(_) => location.open().expect("open the store"),
        };
        let started = Instant::now();
        for chunk in docs.chunks(BATCH) {
            let batch: Vec<Entry> = chunk
                .iter()
                .map(|d| Entry::Document(Box::new(d.clone())))
                .collect();
            let outcome = store.write_batch(&batch).expect("write");
            assert_eq!(
                outcome.stored as usize,
                chunk.len(),
                "the store must be empty"
            );
        }
        // Until the ranking index's last commit, which the end of an ingest waits for too.
        store.prepare_search();
        let write = started.elapsed().as_secs_f64();
        let started = Instant::now();
        for d in &docs {
            assert!(store.document(&content_id(d.text())).unwrap().is_some());
        }
        let read = started.elapsed().as_secs_f64();
        println!(
            "{:<12} write {:>7.1} docs/s ({:.2} MB/s of text), read back {:>7.1} docs/s",
            name,
            docs.len() as f64 / write,
            bytes as f64 / 1e6 / write,
            docs.len() as f64 / read
        );
    }
}

/// The first `limit` records of a JSONL corpus, analysed (analysis runs on every core).
fn analysed(path: &str, limit: usize) -> Vec<Doc> {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("open the corpus"));
    let mut docs: Vec<Doc> = file
        .lines()
        .take(limit)
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line.unwrap()).expect("JSONL");
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            let mut doc = Doc::new(
                field("id").unwrap_or_default(),
                field("text").unwrap_or_default(),
            );
            doc.meta.title = field("title");
            doc.meta.outlet = field("outlet");
            doc.meta.published = field("published");
            doc
        })
        .collect();
    let pipeline = Pipeline::default_pipeline();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = docs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in docs.chunks_mut(per_thread) {
            let pipeline = &pipeline;
            scope.spawn(move || {
                for doc in part {
                    pipeline.run(doc);
                }
            });
        }
    });
    docs
}
