//! `Store::export_tables` on a small corpus analysed by the real pipeline: every table, every
//! row, doc ids instead of local keys, and a failing sink reported as an export error with
//! the store untouched.

mod common;

use std::collections::BTreeMap;
use std::io;

use claimlens_core::table::{Cell, ColumnType, RowSink, TableId, TableSchema};
use claimlens_store::{content_id, layer_table, StoreError};
use common::{analysed, backends_with};

/// Keeps every table in memory, checking each row against its columns.
#[derive(Default)]
struct Collect {
    tables: Vec<(TableSchema, Vec<Vec<String>>)>,
}

impl RowSink for Collect {
    fn open_table(&mut self, schema: &TableSchema) -> io::Result<TableId> {
        self.tables.push((schema.clone(), Vec::new()));
        Ok(TableId(self.tables.len() - 1))
    }

    fn row(&mut self, table: TableId, cells: &[Cell<'_>]) -> io::Result<()> {
        let (schema, rows) = &mut self.tables[table.0];
        assert_eq!(cells.len(), schema.columns.len(), "{}", schema.name);
        let row = schema
            .columns
            .iter()
            .zip(cells)
            .map(|(c, cell)| match (c.kind, cell) {
                (_, Cell::Null) => {
                    assert!(c.nullable, "{}.{} is null", schema.name, c.name);
                    String::new()
                }
                (ColumnType::Int, Cell::Int(x)) => x.to_string(),
                (ColumnType::Real, Cell::Real(x)) => x.to_string(),
                (ColumnType::Text, Cell::Text(s)) => (*s).to_owned(),
                _ => panic!("{}.{}: {cell:?}", schema.name, c.name),
            })
            .collect();
        rows.push(row);
        Ok(())
    }
}

#[test]
fn every_document_layer_and_link_is_exported_with_its_doc_id() {
    let docs = analysed();
    for backend in backends_with(&docs) {
        let store = &*backend.store;
        let mut sink = Collect::default();
        let exported = store.export_tables(&mut sink).unwrap();
        let contents = store.contents().unwrap();

        let names: Vec<&str> = sink.tables.iter().map(|(s, _)| s.name.as_str()).collect();
        for table in [
            "documents",
            "document_layers",
            "links",
            "said",
            "rejected",
            "cases",
        ] {
            assert!(names.contains(&table), "{names:?}");
        }
        let rows: BTreeMap<&str, &Vec<Vec<String>>> = sink
            .tables
            .iter()
            .map(|(s, r)| (s.name.as_str(), r))
            .collect();
        // The counts the export reports are the rows it handed over.
        for (name, n) in &exported.tables {
            assert_eq!(rows[name.as_str()].len() as u64, *n, "{name}");
        }
        // Documents by their stable id, texts whole.
        let ids: Vec<String> = docs.iter().map(|d| content_id(d.text())).collect();
        let documents = rows["documents"];
        assert_eq!(documents.len(), docs.len());
        for doc in &docs {
            let row = documents
                .iter()
                .find(|r| r[0] == content_id(doc.text()))
                .unwrap();
            assert_eq!(row.last().unwrap(), doc.text());
        }
        // One table per stored layer, with as many rows as the store holds annotations, each
        // row's text the slice its code-point offsets name.
        for (layer, count) in &contents.annotations {
            let table = rows[layer_table(layer).as_str()];
            assert_eq!(table.len() as u64, *count, "{layer}");
            for row in table {
                assert!(ids.contains(&row[0]));
                let doc = &docs[ids.iter().position(|id| *id == row[0]).unwrap()];
                let (start, end): (usize, usize) =
                    (row[3].parse().unwrap(), row[4].parse().unwrap());
                let slice: String = doc.text().chars().skip(start).take(end - start).collect();
                assert_eq!(slice, row[7], "{layer}");
                assert!(row[11].starts_with('{'), "attrs are a JSON object");
            }
        }
        assert!(!rows["links"].is_empty() && !rows["said"].is_empty());
        assert!(rows["links"].iter().all(|r| ids.contains(&r[0])));
    }
}

/// A sink whose disk fills after `left` rows.
struct Full {
    left: usize,
}

impl RowSink for Full {
    fn open_table(&mut self, _: &TableSchema) -> io::Result<TableId> {
        Ok(TableId(0))
    }

    fn row(&mut self, _: TableId, _: &[Cell<'_>]) -> io::Result<()> {
        if self.left == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
        }
        self.left -= 1;
        Ok(())
    }
}

#[test]
fn a_failing_sink_is_an_export_error_and_the_store_stays_readable() {
    let docs = analysed();
    for backend in backends_with(&docs) {
        let store = &*backend.store;
        let before = store.contents().unwrap();
        let e = store.export_tables(&mut Full { left: 5 }).unwrap_err();
        assert!(matches!(e, StoreError::Export { .. }), "{e}");
        assert!(e.to_string().contains("no space left"), "{e}");
        assert_eq!(store.contents().unwrap(), before);
        store.check_integrity().unwrap();
    }
}
