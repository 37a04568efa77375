//! Latency of the store's read queries on an existing store, for docs/evaluation.md:
//!
//! ```sh
//! cargo run --release -p claimlens-store --example read_latency -- corpus.db
//! cargo run --release -p claimlens-store --example read_latency -- postgres://user@host/db
//! ```
//!
//! Each query runs 30 times after one warm-up run; the median and the slowest are printed
//! with the number of results (the republication clustering, which reads every document,
//! once; then further pages of it). On a SQLite store, searches use the ranking index beside the
//! file (built first if it is missing or behind); `--fts5` after the path ranks them with
//! FTS5 alone, for comparison.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use claimlens_store::{
    ClusterQuery, DocumentQuery, Location, SearchQuery, SpeakerQuery, SqliteStore, Store,
};

const RUNS: usize = 30;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: read_latency STORE.db|postgres://…")?
        .into();
    let location = Location::of(&path);
    let fts5 = std::env::args().nth(2).as_deref() == Some("--fts5");
    let store: Box<dyn Store> = match &location {
        Location::File(db) => {
            let mut sqlite = SqliteStore::open(db)?;
            sqlite.use_ranking_index(!fts5);
            let started = Instant::now();
            match sqlite.build_search_index() {
                Some(n) => println!(
                    "ranking index: {n} documents (brought up to date in {:.1} s)",
                    started.elapsed().as_secs_f64()
                ),
                None => println!("ranking index: off, FTS5 ranks every search"),
            }
            Box::new(sqlite)
        }
        Location::Postgres(_) => location.open()?,
    };
    let docs = store.documents(&DocumentQuery::default())?;
    println!("store: {location} ({} documents)", docs.total);
    println!(
        "{:<44} {:>8} {:>10} {:>10}",
        "query", "results", "median ms", "max ms"
    );

    let search = |query: &str| SearchQuery {
        query: query.into(),
        ..SearchQuery::default()
    };
    let top_speaker = store
        .speakers(&SpeakerQuery::default())?
        .items
        .first()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let first_outlet = docs.items.first().and_then(|d| d.outlet.clone());
    let cases: Vec<(String, SearchQuery)> = vec![
        ("search: said (common word)".into(), search("said")),
        ("search: Clinton".into(), search("Clinton")),
        (
            "search: \"health care\" (phrase)".into(),
            search("\"health care\""),
        ),
        ("search: immigr* (prefix)".into(), search("immigr*")),
        (
            "search: immigra* (7-letter prefix)".into(),
            search("immigra*"),
        ),
        ("search: pr* (2-letter prefix)".into(), search("pr*")),
        ("search: pre* (3-letter prefix)".into(), search("pre*")),
        (
            "search: Trump NOT Clinton".into(),
            search("Trump NOT Clinton"),
        ),
        (
            format!("search: said, speaker {top_speaker}"),
            SearchQuery {
                speaker: Some(top_speaker.clone()),
                ..search("said")
            },
        ),
        (
            "search: said, layer claims type CLAIM".into(),
            SearchQuery {
                layer: Some("claims".into()),
                annotation_type: Some("CLAIM".into()),
                ..search("said")
            },
        ),
        (
            "search: said, layer techniques".into(),
            SearchQuery {
                layer: Some("techniques".into()),
                ..search("said")
            },
        ),
        (
            "search: said, type Loaded_Language".into(),
            SearchQuery {
                annotation_type: Some("Loaded_Language".into()),
                ..search("said")
            },
        ),
        (
            "search: health, outlet and month".into(),
            SearchQuery {
                outlet: first_outlet.clone(),
                published_from: Some("2026-03-01".into()),
                published_to: Some("2026-03-31".into()),
                ..search("health")
            },
        ),
    ];
    for (name, q) in &cases {
        let total = store.search(q)?.total;
        report(name, total, || {
            store.search(q).map(|_| ()).unwrap();
        });
    }
    report("documents: first page of 50", docs.total, || {
        store.documents(&DocumentQuery::default()).unwrap();
    });
    let month = DocumentQuery {
        published_from: Some("2016-03-01".into()),
        published_to: Some("2016-03-31".into()),
        ..DocumentQuery::default()
    };
    let in_month = store.documents(&month)?.total;
    report("documents: published in March 2016", in_month, || {
        store.documents(&month).unwrap();
    });
    let speakers = store.speakers(&SpeakerQuery::default())?.total;
    report("speakers: first page of 50", speakers, || {
        store.speakers(&SpeakerQuery::default()).unwrap();
    });
    let with_quotes = SpeakerQuery {
        name: Some(top_speaker.clone()),
        with_quotes: true,
        ..SpeakerQuery::default()
    };
    let quotes = store.speakers(&with_quotes)?.items[0].quote_count;
    report(
        &format!("speakers: {top_speaker} with quotes"),
        quotes,
        || {
            store.speakers(&with_quotes).unwrap();
        },
    );
    let first = docs
        .items
        .first()
        .ok_or("the store is empty")?
        .doc_id
        .clone();
    report("document: read one back whole", 1, || {
        store.document(&first).unwrap();
    });
    // The clustering once (it reads every document), then pages cut from the kept one.
    let started = Instant::now();
    let clusters = store.clusters(&ClusterQuery::default())?.total;
    println!(
        "{:<44} {clusters:>8} {:>10.2} {:>10}",
        "clusters: computed (one run)",
        started.elapsed().as_secs_f64() * 1000.0,
        "-"
    );
    let mut offset = 0;
    report(
        "clusters: a further page, kept clustering",
        clusters,
        || {
            offset = (offset + 50) % clusters.max(1) as u32;
            store
                .clusters(&ClusterQuery {
                    offset: Some(offset),
                    ..ClusterQuery::default()
                })
                .unwrap();
        },
    );
    Ok(())
}

fn report(name: &str, results: u64, mut run: impl FnMut()) {
    run();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<44} {results:>8} {:>10.2} {:>10.2}",
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}
