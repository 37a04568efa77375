//! The store as tables for `claimlens export` (Parquet, CSV): documents, one table per
//! annotation layer, links, who said what, rejected records and known cases, each row
//! carrying the document's stable `doc_id` instead of the store's local key, so tables from
//! several stores can be concatenated. Read in one transaction (a consistent snapshot while an
//! ingest writes), annotations in one pass in key order, each row handed to its layer's table.
//! Column meanings are the store's (docs/store.md, Export).

use std::collections::BTreeMap;
use std::io;

use claimlens_core::table::{Cell, Column, RowSink, TableId, TableSchema};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};

/// The version of the exported tables' layout, written in the manifest. Adding a column or a
/// table keeps it; renaming or removing one, or changing a type, raises it.
pub const TABLES_VERSION: u32 = 1;

/// What an export read, table by table, in the order the tables were opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TablesExported {
    /// `(table name, rows)`.
    pub tables: Vec<(String, u64)>,
}

/// Why an export stopped: the store could not be read, or the sink could not write.
pub(crate) enum ExportError {
    Store(rusqlite::Error),
    Sink(io::Error),
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Store(e)
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Sink(e)
    }
}

const DOCUMENTS: &[Column] = &[
    Column::text("doc_id"),
    Column::text("source_id"),
    Column::text("source"),
    Column::int("record").nullable(),
    Column::text("format"),
    Column::text("title").nullable(),
    Column::text("outlet").nullable(),
    Column::text("url").nullable(),
    Column::text("author").nullable(),
    Column::text("published").nullable(),
    Column::text("language").nullable(),
    Column::text("fetched_url").nullable(),
    Column::text("fetched_at").nullable(),
    Column::text("encoding").nullable(),
    Column::int("words").nullable(),
    Column::text("ingested_at"),
    Column::text("text"),
];

const DOCUMENT_LAYERS: &[Column] = &[
    Column::text("doc_id"),
    Column::text("layer"),
    Column::text("stage"),
    Column::int("position").nullable(),
];

pub(crate) const ANNOTATIONS: &[Column] = &[
    Column::text("doc_id"),
    Column::int("idx"),
    Column::text("type"),
    Column::int("start_char"),
    Column::int("end_char"),
    Column::int("start_byte"),
    Column::int("end_byte"),
    Column::text("text"),
    Column::text("stage"),
    Column::text("rule").nullable(),
    Column::real("score").nullable(),
    Column::text("attrs"),
];

const LINKS: &[Column] = &[
    Column::text("doc_id"),
    Column::text("from_layer"),
    Column::int("from_idx"),
    Column::int("position"),
    Column::text("role"),
    Column::text("to_layer"),
    Column::int("to_idx"),
];

const SAID: &[Column] = &[
    Column::text("doc_id"),
    Column::int("relation"),
    Column::text("speaker"),
];

const REJECTED: &[Column] = &[
    Column::text("source"),
    Column::int("record").nullable(),
    Column::text("reason"),
    Column::text("rejected_at"),
];

const CASES: &[Column] = &[
    Column::text("source"),
    Column::text("case_id"),
    Column::text("title").nullable(),
    Column::text("claim").nullable(),
    Column::text("summary").nullable(),
    Column::text("verdict").nullable(),
    Column::text("url").nullable(),
    Column::text("date").nullable(),
    Column::text("keywords"),
    Column::text("imported_at"),
];

/// The table of a layer: `layers/<name>`, the name kept when it is made of letters, digits,
/// `-`, `_` and `.` (every layer the pipeline writes), otherwise with each other byte written
/// as `%XX`, so a stored name can never point outside the output folder.
pub fn layer_table(layer: &str) -> String {
    let mut name = String::from("layers/");
    for (i, b) in layer.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if plain {
            name.push(char::from(b));
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    if layer.is_empty() {
        name.push_str("%00");
    }
    name
}

/// The most columns a table here has ([`DOCUMENTS`]).
pub(crate) const MAX_COLUMNS: usize = 17;

/// Hands one row's first `columns.len()` values, as cells, to `table` of `sink`. The cells
/// borrow the row's values and live on the stack: an export writes tens of millions of
/// rows, and a vector a row was an allocation each.
fn send_row(
    sink: &mut dyn RowSink,
    table: TableId,
    row: &Row<'_>,
    columns: &[Column],
) -> Result<(), ExportError> {
    let mut cells = [Cell::Null; MAX_COLUMNS];
    for (i, cell) in cells.iter_mut().enumerate().take(columns.len()) {
        *cell = match row.get_ref(i)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(v) => Cell::Int(v),
            ValueRef::Real(v) => Cell::Real(v),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Cell::Text(std::str::from_utf8(t).map_err(|e| not_text(i, e))?)
            }
        };
    }
    sink.row(table, &cells[..columns.len()])?;
    Ok(())
}

fn not_text(column: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
}

/// Runs `sql` and writes every row to a new table `name` of `columns`.
fn copy(
    conn: &Connection,
    sink: &mut dyn RowSink,
    exported: &mut TablesExported,
    name: &str,
    columns: &[Column],
    sql: &str,
) -> Result<(), ExportError> {
    let table = sink.open_table(&TableSchema::new(name, columns.to_vec()))?;
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        send_row(sink, table, row, columns)?;
        n += 1;
    }
    exported.tables.push((name.to_owned(), n));
    Ok(())
}

/// A table read by one query, its columns in the query's order.
pub(crate) struct PlainTable {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [Column],
    /// Plain SQL both back-ends run (`attrs` cast to text: PostgreSQL keeps it as `json`).
    pub(crate) sql: &'static str,
}

/// The tables written before the annotations, in order.
pub(crate) const BEFORE_ANNOTATIONS: &[PlainTable] = &[
    PlainTable {
        name: "documents",
        columns: DOCUMENTS,
        sql: "SELECT doc_id, source_id, source, record, format, title, outlet, url, author, \
              published, language, fetched_url, fetched_at, encoding, words, ingested_at, text \
              FROM documents ORDER BY doc",
    },
    PlainTable {
        name: "document_layers",
        columns: DOCUMENT_LAYERS,
        sql: "SELECT d.doc_id, l.name, l.stage, l.position FROM layers l \
              JOIN documents d ON d.doc = l.doc ORDER BY l.doc, l.position, l.name",
    },
];

/// The tables written after the annotations, in order.
pub(crate) const AFTER_ANNOTATIONS: &[PlainTable] = &[
    PlainTable {
        name: "links",
        columns: LINKS,
        sql: "SELECT d.doc_id, k.from_layer, k.from_idx, k.position, k.role, k.to_layer, \
              k.to_idx FROM links k JOIN documents d ON d.doc = k.doc \
              ORDER BY k.doc, k.from_layer, k.from_idx, k.position",
    },
    PlainTable {
        name: "said",
        columns: SAID,
        sql: "SELECT d.doc_id, s.relation, s.speaker FROM said s \
              JOIN documents d ON d.doc = s.doc ORDER BY s.doc, s.relation",
    },
    PlainTable {
        name: "rejected",
        columns: REJECTED,
        sql: "SELECT source, record, reason, rejected_at FROM rejected ORDER BY id",
    },
    PlainTable {
        name: "cases",
        columns: CASES,
        sql: "SELECT source, case_id, title, claim, summary, verdict, url, date, keywords, \
              imported_at FROM cases ORDER BY source, case_id",
    },
];

/// The layers any document ran, by name.
pub(crate) const LAYER_NAMES_SQL: &str = "SELECT DISTINCT name FROM layers ORDER BY name";

/// Every annotation in key order: the [`ANNOTATIONS`] columns, then the layer's name.
pub(crate) const ANNOTATIONS_SQL: &str =
    "SELECT d.doc_id, a.idx, a.type, a.start_char, a.end_char, a.start_byte, a.end_byte, \
     a.text, a.stage, a.rule, a.score, CAST(a.attrs AS TEXT), a.layer \
     FROM annotations a JOIN documents d ON d.doc = a.doc ORDER BY a.doc, a.layer, a.idx";

/// Where each layer's annotations go: its table in the sink and its row count's slot.
#[derive(Default)]
pub(crate) struct LayerTables(BTreeMap<String, (TableId, usize)>);

impl LayerTables {
    /// The table of `layer`, opened (with no rows) on first use.
    pub(crate) fn get(
        &mut self,
        sink: &mut dyn RowSink,
        exported: &mut TablesExported,
        layer: &str,
    ) -> io::Result<(TableId, usize)> {
        if let Some(&entry) = self.0.get(layer) {
            return Ok(entry);
        }
        let name = layer_table(layer);
        let id = sink.open_table(&TableSchema::new(name.clone(), ANNOTATIONS.to_vec()))?;
        exported.tables.push((name, 0));
        let entry = (id, exported.tables.len() - 1);
        self.0.insert(layer.to_owned(), entry);
        Ok(entry)
    }
}

/// Writes every table of the store to `sink`.
pub(crate) fn export(
    conn: &Connection,
    sink: &mut dyn RowSink,
) -> Result<TablesExported, ExportError> {
    // One read transaction: every table comes from the same state of the store.
    let tx = conn.unchecked_transaction()?;
    let mut exported = TablesExported::default();
    for t in BEFORE_ANNOTATIONS {
        copy(&tx, sink, &mut exported, t.name, t.columns, t.sql)?;
    }
    annotations(&tx, sink, &mut exported)?;
    for t in AFTER_ANNOTATIONS {
        copy(&tx, sink, &mut exported, t.name, t.columns, t.sql)?;
    }
    tx.finish()?;
    Ok(exported)
}

/// Every annotation, in one pass over the table's key order, into one table per layer. The
/// tables of the layers any document ran are opened first, so a layer that found nothing
/// anywhere still gets its (empty) table.
fn annotations(
    conn: &Connection,
    sink: &mut dyn RowSink,
    exported: &mut TablesExported,
) -> Result<(), ExportError> {
    let mut tables = LayerTables::default();
    let names: Vec<String> = conn
        .prepare(LAYER_NAMES_SQL)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for layer in &names {
        tables.get(sink, exported, layer)?;
    }
    let mut stmt = conn.prepare(ANNOTATIONS_SQL)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let column = ANNOTATIONS.len();
        let layer = row
            .get_ref(column)?
            .as_str()
            .map_err(|e| not_text(column, e))?;
        let (id, slot) = tables.get(sink, exported, layer)?;
        send_row(sink, id, row, ANNOTATIONS)?;
        exported.tables[slot].1 += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_table_has_more_columns_than_a_row_holds() {
        for columns in [
            DOCUMENTS,
            DOCUMENT_LAYERS,
            ANNOTATIONS,
            LINKS,
            SAID,
            REJECTED,
            CASES,
        ] {
            assert!(columns.len() <= MAX_COLUMNS);
        }
    }

    #[test]
    fn layer_names_become_safe_file_names() {
        assert_eq!(layer_table("attribution-parts"), "layers/attribution-parts");
        assert_eq!(layer_table("my_layer.v2"), "layers/my_layer.v2");
        assert_eq!(layer_table("../etc/passwd"), "layers/%2E.%2Fetc%2Fpasswd");
        assert_eq!(layer_table(".hidden"), "layers/%2Ehidden");
        assert_eq!(layer_table("a b/é"), "layers/a%20b%2F%C3%A9");
        assert_eq!(layer_table(""), "layers/%00");
    }
}
