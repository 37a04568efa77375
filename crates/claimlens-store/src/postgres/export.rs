//! Reading the whole store from PostgreSQL: the export's tables and the republication
//! clusters, both streamed row by row (`query_raw`) from one snapshot.

use std::io;

use claimlens_core::table::{Cell, Column, ColumnType, RowSink, TableSchema};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, IsolationLevel, Row, Transaction};

use super::read::Params;
use crate::clusters::{
    clusterer_for, date_filters, feed, page, CacheKey, ClusterCache, Clustered, MEMBER_COLUMNS,
    PUBLICATION_ORDER,
};
use crate::tables::{
    LayerTables, PlainTable, AFTER_ANNOTATIONS, ANNOTATIONS, ANNOTATIONS_SQL, BEFORE_ANNOTATIONS,
    LAYER_NAMES_SQL, MAX_COLUMNS,
};
use crate::{ClusterMember, ClusterQuery, Page, StoreError, StoryCluster, TablesExported};

pub(super) enum ExportError {
    Store(postgres::Error),
    Sink(io::Error),
}

impl From<postgres::Error> for ExportError {
    fn from(e: postgres::Error) -> Self {
        ExportError::Store(e)
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Sink(e)
    }
}

/// A read-only transaction that sees one state of the store throughout.
fn snapshot(client: &mut Client) -> Result<Transaction<'_>, postgres::Error> {
    client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
}

const NO_PARAMS: [&(dyn postgres::types::ToSql + Sync); 0] = [];

/// Writes every table of the store to `sink` (see `crate::tables::export`).
pub(super) fn tables(
    client: &mut Client,
    sink: &mut dyn RowSink,
) -> Result<TablesExported, ExportError> {
    let mut tx = snapshot(client)?;
    let mut exported = TablesExported::default();
    for t in BEFORE_ANNOTATIONS {
        copy(&mut tx, sink, &mut exported, t)?;
    }
    let mut tables = LayerTables::default();
    let names: Vec<String> = tx
        .query(LAYER_NAMES_SQL, &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for layer in &names {
        tables.get(sink, &mut exported, layer)?;
    }
    let mut rows = tx.query_raw(ANNOTATIONS_SQL, NO_PARAMS)?;
    while let Some(row) = rows.next()? {
        let layer: &str = row.try_get(ANNOTATIONS.len())?;
        let (id, slot) = tables.get(sink, &mut exported, layer)?;
        send_row(sink, id, &row, ANNOTATIONS)?;
        exported.tables[slot].1 += 1;
    }
    drop(rows);
    for t in AFTER_ANNOTATIONS {
        copy(&mut tx, sink, &mut exported, t)?;
    }
    tx.commit()?;
    Ok(exported)
}

fn copy(
    tx: &mut Transaction<'_>,
    sink: &mut dyn RowSink,
    exported: &mut TablesExported,
    t: &PlainTable,
) -> Result<(), ExportError> {
    let table = sink.open_table(&TableSchema::new(t.name, t.columns.to_vec()))?;
    let mut rows = tx.query_raw(t.sql, NO_PARAMS)?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        send_row(sink, table, &row, t.columns)?;
        n += 1;
    }
    exported.tables.push((t.name.to_owned(), n));
    Ok(())
}

/// One row to the sink, each cell read as its column's type says (every integer column is
/// `bigint`, every real `double precision`).
fn send_row(
    sink: &mut dyn RowSink,
    table: claimlens_core::table::TableId,
    row: &Row,
    columns: &[Column],
) -> Result<(), ExportError> {
    let mut cells = [Cell::Null; MAX_COLUMNS];
    for (i, (cell, column)) in cells.iter_mut().zip(columns).enumerate() {
        *cell = match column.kind {
            ColumnType::Int => row
                .try_get::<_, Option<i64>>(i)?
                .map_or(Cell::Null, Cell::Int),
            ColumnType::Real => row
                .try_get::<_, Option<f64>>(i)?
                .map_or(Cell::Null, Cell::Real),
            ColumnType::Text => row
                .try_get::<_, Option<&str>>(i)?
                .map_or(Cell::Null, Cell::Text),
        };
    }
    sink.row(table, &cells[..columns.len()])?;
    Ok(())
}

/// Republication clusters (see `crate::clusters`), the documents streamed in publication
/// order from one snapshot.
pub(super) fn clusters(
    client: &mut Client,
    q: &ClusterQuery,
    progress: &mut dyn FnMut(u64, u64),
    cache: &ClusterCache,
) -> Result<Result<Page<StoryCluster>, postgres::Error>, StoreError> {
    let mut clusterer = clusterer_for(q)?;
    let mut params = Params::default();
    let filters = params.filters(&date_filters(q), "d.doc")?;
    Ok((|| {
        let mut tx = snapshot(client)?;
        let row = tx.query_one(
            "SELECT coalesce(max(doc), 0)::int8, count(*) FROM documents",
            &[],
        )?;
        let key = CacheKey::new(q, (row.get(0), row.get(1)));
        let clustered = cache.get_or_compute(key, || -> Result<Clustered, postgres::Error> {
            let total: i64 = tx
                .query_one(
                    &format!("SELECT count(*) FROM documents d WHERE 1 = 1{filters}"),
                    &params.refs(),
                )?
                .get(0);
            let mut rows = tx.query_raw(
                &format!(
                "SELECT {MEMBER_COLUMNS} FROM documents d WHERE 1 = 1{filters} {PUBLICATION_ORDER}"
            ),
                params.refs(),
            )?;
            let mut next = || -> Result<Option<(ClusterMember, String)>, postgres::Error> {
                let Some(row) = rows.next()? else {
                    return Ok(None);
                };
                let member = ClusterMember {
                    doc_id: row.try_get(0)?,
                    title: row.try_get(1)?,
                    outlet: row.try_get(2)?,
                    published: row.try_get(3)?,
                    jaccard: 1.0,
                };
                Ok(Some((member, row.try_get(4)?)))
            };
            let members = feed(&mut clusterer, total as u64, &mut next, progress)?;
            drop(rows);
            Ok(Clustered::new(clusterer, members))
        })?;
        tx.commit()?;
        Ok(page(&clustered, q))
    })())
}
