//! The example SQL of a Markdown document, for tests that keep documented queries working:
//! each query is a `<!-- MARKER NAME -->` line followed by a ```sql block, and its rows are
//! compared cell by cell with what the test expects.

use std::path::Path;

use rusqlite::types::ValueRef;

/// The named SQL blocks of `markdown` whose comment starts with `marker` (for example
/// `"query: "` for `<!-- query: NAME -->`), in document order. Panics, naming the query,
/// when a marker is not followed by a ```sql block.
pub fn sql_blocks(markdown: &Path, marker: &str) -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(markdown)
        .unwrap_or_else(|e| panic!("read {}: {e}", markdown.display()));
    let prefix = format!("<!-- {marker}");
    let mut queries = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix(prefix.as_str())
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```sql"),
            "{}: query {name}: a ```sql block must follow",
            markdown.display()
        );
        let sql: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        queries.push((name.to_owned(), sql.join("\n")));
    }
    queries
}

/// Every row of `sql` on `conn`, each cell rendered by [`cell`].
pub fn rows(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<Vec<String>>> {
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let rows = stmt.query_map([], |row| {
        (0..columns).map(|i| row.get_ref(i).map(cell)).collect()
    })?;
    rows.collect()
}

/// Every row of `sql` on a PostgreSQL connection, each cell as the server writes it in text
/// (`NULL` for a null), so cells compare as [`rows`]'s do.
pub fn postgres_rows(
    client: &mut postgres::Client,
    sql: &str,
) -> Result<Vec<Vec<String>>, postgres::Error> {
    Ok(client
        .simple_query(sql)?
        .into_iter()
        .filter_map(|message| match message {
            postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("NULL").to_owned())
                    .collect(),
            ),
            _ => None,
        })
        .collect())
}

/// Whether `rows` are exactly the `expected` rows, cell by cell by [`cell_matches`].
pub fn rows_match(rows: &[Vec<String>], expected: &[Vec<&str>]) -> bool {
    rows.len() == expected.len()
        && rows.iter().zip(expected).all(|(row, want)| {
            row.len() == want.len() && row.iter().zip(want).all(|(a, e)| cell_matches(e, a))
        })
}

/// A result cell as the documents print it: `NULL`, the number, or the text.
pub fn cell(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

/// Whether a cell matches what the document shows: `<probability>` stands for any number in
/// [0, 1] (a model's score changes when the model is retrained), a trailing `…` for a
/// prefix, anything else must be equal.
pub fn cell_matches(expected: &str, actual: &str) -> bool {
    if expected == "<probability>" {
        return actual
            .parse::<f64>()
            .is_ok_and(|p| (0.0..=1.0).contains(&p));
    }
    match expected.strip_suffix('…') {
        Some(prefix) => actual.starts_with(prefix),
        None => expected == actual,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_read_by_their_marker_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.md");
        std::fs::write(
            &path,
            "text\n<!-- query: a -->\n```sql\nSELECT 1\nFROM t\n```\n\
             <!-- store-query: b -->\n```sql\nSELECT 2\n```\n",
        )
        .unwrap();
        assert_eq!(
            sql_blocks(&path, "query: "),
            [("a".to_owned(), "SELECT 1\nFROM t".to_owned())]
        );
        assert_eq!(
            sql_blocks(&path, "store-query: "),
            [("b".to_owned(), "SELECT 2".to_owned())]
        );
    }

    #[test]
    fn cells_match_exactly_by_prefix_or_as_probabilities() {
        assert!(cell_matches("abc", "abc"));
        assert!(!cell_matches("abc", "abcd"));
        assert!(cell_matches("ab…", "abcd"));
        assert!(cell_matches("<probability>", "0.25"));
        assert!(!cell_matches("<probability>", "1.5"));
        assert_eq!(cell(ValueRef::Null), "NULL");
        assert_eq!(cell(ValueRef::Integer(3)), "3");
    }

    #[test]
    fn rows_are_rendered_and_compared_cell_by_cell() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let got = rows(
            &conn,
            "SELECT 'harbour' AS a, 2, NULL UNION ALL SELECT 'quay', 0.5, 1",
        )
        .unwrap();
        assert_eq!(got, [["harbour", "2", "NULL"], ["quay", "0.5", "1"]]);
        assert!(rows_match(
            &got,
            &[
                vec!["harb…", "2", "NULL"],
                vec!["quay", "<probability>", "1"]
            ]
        ));
        assert!(!rows_match(&got, &[vec!["harbour", "2", "NULL"]]));
        assert!(rows(&conn, "SELECT FROM").is_err());
    }
}
