//! The example queries of docs/store.md on the version 3 tables (`<!-- store-query: NAME -->`
//! blocks), run against the small corpus of `common` with their rows checked, so the
//! documented SQL keeps working. (The `<!-- query: -->` blocks are run by the CLI's tests on
//! a store `claimlens ingest` built.)

mod common;

use claimlens_store::{Entry, PostgresStore, Store};
use claimlens_testkit::doc_sql::{postgres_rows, rows, rows_match, sql_blocks};
use claimlens_testkit::workspace_root;
use common::{analysed, store_with};

/// What each documented query must return; a cell ending in `…` matches by prefix.
fn expected(name: &str) -> Vec<Vec<&'static str>> {
    match name {
        "search-snippets" => vec![
            vec!["Cranes back in service", "Both [cranes] were back in service…"],
            vec!["Port to reopen in June", "…repaired both [cranes] and the quay…"],
        ],
        "who-is-quoted" => vec![
            vec!["Maria Lopez", "5", "3"],
            vec!["Engineers", "1", "1"],
            vec!["Tom Berg", "1", "1"],
        ],
        "what-a-speaker-said" => vec![
            vec!["Daily Ledger", "that the port would reopen in June"],
            vec!["Daily Ledger", "\"We have repaired both cranes and the quay,\""],
            vec!["Coast Radio", "that repairs were finished"],
            vec!["Harbour Weekly", "Both cranes were back in service on Tuesday"],
            vec!["Harbour Weekly", "The first ferry is expected in April"],
        ],
        "pg-search-headlines" => vec![
            vec!["Cranes back in service", "[cranes] were back in service…"],
            vec!["Port to reopen in June", "[cranes] and the quay…"],
        ],
        "pg-entity-mentions" => vec![
            vec!["Daily Ledger", "Maria Lopez", "0", "11"],
            vec!["Daily Ledger", "Lopez", "…", "…"],
            vec!["Coast Radio", "Maria Lopez", "…", "…"],
            vec!["Harbour Weekly", "Maria Lopez", "…", "…"],
        ],
        "pg-who-is-quoted" => expected("who-is-quoted"),
        other => panic!(
            "docs/store.md has a store-query `{other}` that this test does not check: add its rows here"
        ),
    }
}

#[test]
fn every_store_query_in_the_docs_returns_its_documented_rows() {
    let (_dir, store) = store_with(&analysed());
    let queries = sql_blocks(&workspace_root().join("docs/store.md"), "store-query: ");
    assert!(
        queries.len() >= 3,
        "the store-query blocks of docs/store.md were not found"
    );
    for (name, sql) in queries {
        let rows = rows(store.connection(), &sql).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ok = rows_match(&rows, &expected(&name));
        assert!(ok, "{name}: got {rows:#?}");
    }
}

#[test]
fn every_postgres_query_in_the_docs_returns_its_documented_rows() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    let mut store = PostgresStore::open(&database.url).unwrap();
    let batch: Vec<Entry> = analysed()
        .into_iter()
        .map(|d| Entry::Document(Box::new(d)))
        .collect();
    store.write_batch(&batch).unwrap();
    drop(store);
    let mut client = postgres::Client::connect(&database.url, postgres::NoTls).unwrap();
    let queries = sql_blocks(&workspace_root().join("docs/store.md"), "pg-query: ");
    assert!(
        queries.len() >= 3,
        "the pg-query blocks of docs/store.md were not found"
    );
    for (name, sql) in queries {
        let rows = postgres_rows(&mut client, &sql).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let ok = rows_match(&rows, &expected(&name));
        assert!(ok, "{name}: got {rows:#?}");
    }
}
