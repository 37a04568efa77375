//! One table as a Parquet file: rows buffered per column and written as a row group whenever
//! the buffer reaches [`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`] bytes, or earlier when
//! the folder's tables together hold [`BUFFER_BUDGET`] (a store exports every layer's table
//! at once), so memory stays bounded however large the tables. Text is
//! `BYTE_ARRAY` annotated `STRING`, integers `INT64`, floats `DOUBLE`; nullable columns are
//! `OPTIONAL`. Snappy-compressed, dictionary-encoded where the writer finds it pays (labels,
//! stages, layer names): what DuckDB, pandas (pyarrow) and Spark read with no option.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use claimlens_core::table::{Cell, Column, ColumnType, TableSchema};
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::{check, TABLES_SCHEMA};

/// Rows after which a row group is written.
pub const ROW_GROUP_ROWS: usize = 1_000_000;
/// Buffered bytes ([`ParquetTable::buffered_bytes`]) after which a table writes a row group.
pub const ROW_GROUP_BYTES: usize = 32 << 20;
/// Buffered bytes of all the tables of a folder together after which the table holding the
/// most writes its rows as a row group.
pub const BUFFER_BUDGET: usize = 32 << 20;

/// What a buffered text costs beyond its bytes: its end offset.
const TEXT_OVERHEAD: usize = 4;

/// A column's values since the last row group, and which rows have one (`defs`, 1 present,
/// 0 null: Parquet's definition levels, kept for nullable columns only).
enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
    /// Texts end to end, and where each ends: a text buffered costs its bytes and four more
    /// (one `ByteArray` and its allocation each would cost some 50 bytes, ten times a short
    /// label's own size). `ByteArray`s are made at the flush, slices of one shared buffer.
    Text {
        bytes: Vec<u8>,
        ends: Vec<u32>,
    },
}

struct Buffer {
    values: Values,
    defs: Option<Vec<i16>>,
}

/// A Parquet file being written.
pub struct ParquetTable {
    columns: Vec<Column>,
    writer: SerializedFileWriter<BufWriter<File>>,
    buffers: Vec<Buffer>,
    rows_buffered: usize,
    bytes_buffered: usize,
    /// Rows written so far (buffered included).
    pub rows: u64,
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

fn schema(table: &TableSchema) -> Result<Type, parquet::errors::ParquetError> {
    let fields = table
        .columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.kind {
                ColumnType::Int => (Physical::INT64, None),
                ColumnType::Real => (Physical::DOUBLE, None),
                ColumnType::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            };
            let repetition = if c.nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            Type::primitive_type_builder(c.name, physical)
                .with_repetition(repetition)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
}

impl ParquetTable {
    /// Creates `path` for `table`.
    pub fn create(path: &Path, table: &TableSchema) -> io::Result<ParquetTable> {
        let file = BufWriter::new(File::create(path)?);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            // Statistics per column chunk, not per page, with bounded min/max: the footer's
            // metadata is held in memory until the file closes, and a table of a large store
            // has hundreds of row groups (docs/evaluation.md, corpus export).
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_statistics_truncate_length(Some(64))
            .set_column_index_truncate_length(Some(64))
            .set_created_by(format!("claimlens {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![
                KeyValue::new("claimlens.schema".to_owned(), TABLES_SCHEMA.to_owned()),
                KeyValue::new("claimlens.table".to_owned(), table.name.clone()),
            ]))
            .build();
        let schema = Arc::new(schema(table).map_err(parquet_error)?);
        let writer =
            SerializedFileWriter::new(file, schema, Arc::new(props)).map_err(parquet_error)?;
        let buffers = table
            .columns
            .iter()
            .map(|c| Buffer {
                values: match c.kind {
                    ColumnType::Int => Values::Int(Vec::new()),
                    ColumnType::Real => Values::Real(Vec::new()),
                    ColumnType::Text => Values::Text {
                        bytes: Vec::new(),
                        ends: Vec::new(),
                    },
                },
                defs: c.nullable.then(Vec::new),
            })
            .collect();
        Ok(ParquetTable {
            columns: table.columns.clone(),
            writer,
            buffers,
            rows_buffered: 0,
            bytes_buffered: 0,
            rows: 0,
        })
    }

    /// Appends one row (checked against the columns first, so a bad row leaves the buffers
    /// as they were).
    pub fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        check(&self.columns, cells)?;
        for (buffer, cell) in self.buffers.iter_mut().zip(cells) {
            if let Some(defs) = &mut buffer.defs {
                defs.push(i16::from(!matches!(cell, Cell::Null)));
            }
            self.bytes_buffered += 8;
            match (&mut buffer.values, *cell) {
                (_, Cell::Null) => {}
                (Values::Int(v), Cell::Int(x)) => v.push(x),
                (Values::Real(v), Cell::Real(x)) => v.push(x),
                (Values::Real(v), Cell::Int(x)) => v.push(x as f64),
                (Values::Text { bytes, ends }, Cell::Text(s)) => {
                    self.bytes_buffered += s.len() + TEXT_OVERHEAD;
                    bytes.extend_from_slice(s.as_bytes());
                    ends.push(u32::try_from(bytes.len()).map_err(|_| {
                        io::Error::other("over 4 GB of one column's text in one row group")
                    })?);
                }
                _ => unreachable!("checked above"),
            }
        }
        self.rows_buffered += 1;
        self.rows += 1;
        if self.rows_buffered >= ROW_GROUP_ROWS || self.bytes_buffered >= ROW_GROUP_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// An estimate of the memory the buffered rows hold: eight bytes a value, and each
    /// text's length plus its overhead.
    pub fn buffered_bytes(&self) -> usize {
        self.bytes_buffered
    }

    /// Writes the buffered rows as one row group.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.rows_buffered == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(parquet_error)?;
        for buffer in &mut self.buffers {
            let mut column = group
                .next_column()
                .map_err(parquet_error)?
                .ok_or_else(|| io::Error::other("the Parquet schema has fewer columns"))?;
            let defs = buffer.defs.as_deref();
            match &mut buffer.values {
                Values::Int(v) => {
                    column.typed::<Int64Type>().write_batch(v, defs, None)?;
                    v.clear();
                }
                Values::Real(v) => {
                    column.typed::<DoubleType>().write_batch(v, defs, None)?;
                    v.clear();
                }
                Values::Text { bytes, ends } => {
                    let shared = Bytes::from(std::mem::take(bytes));
                    let mut start = 0;
                    let values: Vec<ByteArray> = ends
                        .iter()
                        .map(|&end| {
                            let v = ByteArray::from(shared.slice(start..end as usize));
                            start = end as usize;
                            v
                        })
                        .collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, defs, None)?;
                    ends.clear();
                }
            }
            column.close().map_err(parquet_error)?;
            if let Some(d) = &mut buffer.defs {
                d.clear();
            }
        }
        group.close().map_err(parquet_error)?;
        self.rows_buffered = 0;
        self.bytes_buffered = 0;
        Ok(())
    }

    /// Writes what is buffered and the file's footer.
    pub fn finish(mut self) -> io::Result<u64> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(parquet_error)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(self.rows)
    }
}
