//! Every example query of docs/store.md, run against a store that `claimlens ingest` built
//! from four short articles written here, with its rows checked: the documented SQL keeps
//! working as the schema and the layers evolve.

mod timed;

use std::ffi::OsStr;

use claimlens_store::SqliteStore;
use claimlens_testkit::doc_sql::{rows, rows_match, sql_blocks};
use claimlens_testkit::workspace_root;
use timed::{command_with_stdin, write};

/// Four articles: two outlets carry the harbour story in the week of 2 March 2026, a third a
/// week later, and an unrelated one; the last line has no text and is rejected.
fn feed() -> String {
    let articles = [
        serde_json::json!({"id": "ledger-1", "outlet": "Daily Ledger", "published": "2026-03-02",
            "title": "Port to reopen in June",
            "text": "Maria Lopez, the director of the harbour authority, said on Monday that the \
port would reopen in June. \"We have repaired both cranes and the quay,\" Lopez told reporters. \
Union leaders said the timetable was too optimistic."}),
        serde_json::json!({"id": "radio-1", "outlet": "Coast Radio", "published": "2026-03-04",
            "title": "Harbour reopening questioned",
            "text": "The harbour will not reopen before July, the fishermen's union said on \
Wednesday. Maria Lopez said last week that repairs were finished. Engineers said the cranes \
still needed new cables."}),
        serde_json::json!({"id": "weekly-1", "outlet": "Harbour Weekly", "published": "2026-03-12",
            "title": "Cranes back in service",
            "text": "Both cranes were back in service on Tuesday, Maria Lopez said. The first \
ferry is expected in April."}),
        serde_json::json!({"id": "ledger-2", "outlet": "Daily Ledger", "published": "2026-03-20",
            "title": "Council approves budget",
            "text": "The city council approved a budget of 4 million euros on Thursday. Mayor \
Tom Berg said the money would pay for new schools."}),
        serde_json::json!({"id": "empty", "title": "A headline with no article"}),
    ];
    articles.iter().map(|a| a.to_string() + "\n").collect()
}

/// What each documented query must return. A cell `<probability>` matches any number in
/// [0, 1] (a model's score, which retraining moves); a cell ending in `…` matches by prefix.
fn expected(name: &str) -> Vec<Vec<&'static str>> {
    match name {
        "claims-by-speaker" => vec![
            vec![
                "Daily Ledger",
                "2026-03-02",
                "that the port would reopen in June",
                "<probability>",
            ],
            vec![
                "Daily Ledger",
                "2026-03-02",
                "\"We have repaired both cranes and the quay,\"",
                "<probability>",
            ],
            vec![
                "Coast Radio",
                "2026-03-04",
                "that repairs were finished",
                "<probability>",
            ],
            vec![
                "Harbour Weekly",
                "2026-03-12",
                "Both cranes were back in service on Tuesday",
                "<probability>",
            ],
        ],
        "outlets-in-week" => vec![vec!["Coast Radio"], vec!["Daily Ledger"]],
        "entity-mentions" => vec![
            vec!["Daily Ledger", "Maria Lopez", "0", "11"],
            vec!["Daily Ledger", "Lopez", "148", "153"],
            vec!["Coast Radio", "Maria Lopez", "82", "93"],
            vec!["Harbour Weekly", "Maria Lopez", "45", "56"],
        ],
        "claims-with-cues" => vec![
            vec!["Daily Ledger", "that the port would reopen in June", "said"],
            vec![
                "Daily Ledger",
                "\"We have repaired both cranes and the quay,\"",
                "told",
            ],
            vec!["Coast Radio", "that repairs were finished", "said"],
            vec![
                "Harbour Weekly",
                "Both cranes were back in service on Tuesday",
                "said",
            ],
        ],
        "rejected-reasons" => vec![vec!["no article text: …", "1"]],
        other => panic!(
            "docs/store.md has a query `{other}` that this test does not check: add its rows here"
        ),
    }
}

#[test]
fn every_documented_query_returns_the_documented_rows() {
    let dir = tempfile::tempdir().unwrap();
    let feed = write(dir.path(), "feed.jsonl", feed());
    let db = dir.path().join("corpus.db");
    let run = command_with_stdin(
        "ingest",
        [OsStr::new("--db"), db.as_os_str(), feed.as_os_str()],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let store = SqliteStore::open(&db).unwrap();
    let conn = store.connection();
    let queries = sql_blocks(&workspace_root().join("docs/store.md"), "query: ");
    let names: Vec<&str> = queries.iter().map(|(n, _)| n.as_str()).collect();
    for required in ["claims-by-speaker", "outlets-in-week", "entity-mentions"] {
        assert!(
            names.contains(&required),
            "docs/store.md lost the `{required}` query"
        );
    }
    for (name, sql) in &queries {
        let rows = rows(conn, sql)
            .unwrap_or_else(|e| panic!("query {name} does not compile or run: {e}\n{sql}"));
        let want = expected(name);
        let ok = rows_match(&rows, &want);
        assert!(ok, "query {name} returned\n{rows:#?}\nexpected\n{want:#?}");
    }
}
