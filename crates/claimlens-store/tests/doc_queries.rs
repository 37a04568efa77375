//! The example queries of docs/store.md on the version 3 tables (`<!-- store-query: NAME -->`
//! blocks), run against the small corpus of `common` with their rows checked, so the
//! documented SQL keeps working. (The `<!-- query: -->` blocks are run by the CLI's tests on
//! a store `claimlens ingest` built.)

mod common;

use common::{analysed, store_with};
use rusqlite::types::ValueRef;

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
            vec!["Mayor Tom Berg", "1", "1"],
        ],
        "what-a-speaker-said" => vec![
            vec!["Daily Ledger", "that the port would reopen in June"],
            vec!["Daily Ledger", "\"We have repaired both cranes and the quay,\""],
            vec!["Coast Radio", "that repairs were finished"],
            vec!["Harbour Weekly", "Both cranes were back in service on Tuesday"],
            vec!["Harbour Weekly", "The first ferry is expected in April"],
        ],
        other => panic!(
            "docs/store.md has a store-query `{other}` that this test does not check: add its rows here"
        ),
    }
}

/// The `<!-- store-query: NAME -->` SQL blocks of docs/store.md.
fn documented_queries() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/store.md"))
        .expect("read docs/store.md");
    let mut queries = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- store-query: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```sql"),
            "{name}: a ```sql block must follow"
        );
        let sql: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        queries.push((name.to_owned(), sql.join("\n")));
    }
    queries
}

fn cell(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

fn matches(expected: &str, actual: &str) -> bool {
    match expected.strip_suffix('…') {
        Some(prefix) => actual.starts_with(prefix),
        None => expected == actual,
    }
}

#[test]
fn every_store_query_in_the_docs_returns_its_documented_rows() {
    let (_dir, store) = store_with(&analysed());
    let queries = documented_queries();
    assert!(
        queries.len() >= 3,
        "the store-query blocks of docs/store.md were not found"
    );
    for (name, sql) in queries {
        let conn = store.connection();
        let mut stmt = conn.prepare(&sql).unwrap_or_else(|e| panic!("{name}: {e}"));
        let columns = stmt.column_count();
        let rows: Vec<Vec<String>> = stmt
            .query_map([], |r| {
                (0..columns).map(|i| Ok(cell(r.get_ref(i)?))).collect()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let want = expected(&name);
        let ok = rows.len() == want.len()
            && rows
                .iter()
                .zip(&want)
                .all(|(r, w)| r.len() == w.len() && r.iter().zip(w).all(|(a, e)| matches(e, a)));
        assert!(ok, "{name}: got {rows:#?}");
    }
}
