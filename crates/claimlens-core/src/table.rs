//! Tables: a corpus as rows of typed cells, the shape in which it leaves a store for columnar
//! and delimited files (Parquet, CSV). The store decides which tables and columns exist; a
//! [`RowSink`] writes them without knowing where they came from, so a second back-end or a
//! second file format is one more implementation of one side.
//!
//! ```
//! use claimlens_core::table::{Cell, Column, ColumnType, RowSink, TableId, TableSchema};
//!
//! /// Counts rows per table.
//! #[derive(Default)]
//! struct Counter(Vec<u64>);
//! impl RowSink for Counter {
//!     fn open_table(&mut self, _: &TableSchema) -> std::io::Result<TableId> {
//!         self.0.push(0);
//!         Ok(TableId(self.0.len() - 1))
//!     }
//!     fn row(&mut self, table: TableId, _: &[Cell<'_>]) -> std::io::Result<()> {
//!         self.0[table.0] += 1;
//!         Ok(())
//!     }
//! }
//! let schema = TableSchema::new("people", vec![Column::text("name"), Column::int("age").nullable()]);
//! let mut sink = Counter::default();
//! let t = sink.open_table(&schema).unwrap();
//! sink.row(t, &[Cell::Text("Ana"), Cell::Null]).unwrap();
//! assert_eq!(sink.0, [1]);
//! ```

use std::io;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A 64-bit signed integer.
    Int,
    /// A 64-bit float.
    Real,
    /// UTF-8 text.
    Text,
}

impl ColumnType {
    /// The name used in manifests and documentation.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Int => "int64",
            ColumnType::Real => "double",
            ColumnType::Text => "string",
        }
    }
}

/// One column: a name that is the same in every format, a type, and whether it may be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's name.
    pub name: &'static str,
    /// What it holds.
    pub kind: ColumnType,
    /// Whether a row may leave it empty ([`Cell::Null`]).
    pub nullable: bool,
}

impl Column {
    /// A required integer column.
    pub const fn int(name: &'static str) -> Column {
        Column {
            name,
            kind: ColumnType::Int,
            nullable: false,
        }
    }

    /// A required float column.
    pub const fn real(name: &'static str) -> Column {
        Column {
            name,
            kind: ColumnType::Real,
            nullable: false,
        }
    }

    /// A required text column.
    pub const fn text(name: &'static str) -> Column {
        Column {
            name,
            kind: ColumnType::Text,
            nullable: false,
        }
    }

    /// The same column, allowed to be empty.
    pub const fn nullable(self) -> Column {
        Column {
            nullable: true,
            ..self
        }
    }
}

/// A table: a name (a path below the output folder without its extension, `/`-separated,
/// such as `documents` or `layers/claims`) and its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    /// The table's name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<Column>,
}

impl TableSchema {
    /// A table named `name` with these columns.
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> TableSchema {
        TableSchema {
            name: name.into(),
            columns,
        }
    }
}

/// One value of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// No value (only in a nullable column).
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(&'a str),
}

/// A table opened in a [`RowSink`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableId(pub usize);

/// Receives tables row by row. Several tables may be open at once and their rows may
/// interleave: a store reads its annotations in one pass and hands each row to its layer's
/// table. A row has one cell per column, of the column's type or [`Cell::Null`] where the
/// column is nullable; a sink may reject anything else with [`io::ErrorKind::InvalidData`].
pub trait RowSink {
    /// Starts a table; its rows follow with the id returned.
    fn open_table(&mut self, schema: &TableSchema) -> io::Result<TableId>;
    /// Appends one row to an open table.
    fn row(&mut self, table: TableId, cells: &[Cell<'_>]) -> io::Result<()>;
}
