//! Tables to files: a corpus written as one file per table (Parquet or CSV) in a folder, with
//! a `manifest.json` naming each table, its file, its columns and its row count. The folder
//! appears whole or not at all: tables are written into a temporary folder beside the target
//! and renamed into place once every file is closed and synced, replacing an earlier export
//! there, never a folder of anything else. Which tables and columns exist is the caller's
//! business ([`claimlens_core::table`]); the store's are in docs/store.md, Export.

mod csv;
mod parquet;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use claimlens_core::table::{Cell, Column, ColumnType, RowSink, TableId, TableSchema};
use serde_json::json;

pub use self::parquet::{BUFFER_BUDGET, ROW_GROUP_BYTES, ROW_GROUP_ROWS};
use csv::CsvTable;
use parquet::ParquetTable;

/// The manifest's `schema`, also written in each Parquet file's key-value metadata.
pub const TABLES_SCHEMA: &str = "claimlens.tables/1";

/// The name of the manifest in an export folder.
pub const MANIFEST: &str = "manifest.json";

/// File formats of a table folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Apache Parquet, Snappy-compressed.
    Parquet,
    /// RFC 4180 CSV with a header row.
    Csv,
}

impl TableFormat {
    /// The files' extension and the manifest's `format`.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Parquet => "parquet",
            TableFormat::Csv => "csv",
        }
    }
}

enum TableFile {
    // Boxed: the Parquet writer's state is several times the CSV writer's.
    Parquet(Box<ParquetTable>),
    Csv(CsvTable),
}

/// A table written: its name, its file (relative to the folder, `/`-separated) and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWritten {
    /// The table's name.
    pub name: String,
    /// Its file inside the folder.
    pub file: String,
    /// Rows written.
    pub rows: u64,
}

/// A folder of tables being written; a [`RowSink`]. Dropped without [`TableFolder::finish`],
/// it removes its temporary folder and leaves the target as it was.
pub struct TableFolder {
    format: TableFormat,
    target: PathBuf,
    tmp: tempfile::TempDir,
    tables: Vec<(TableSchema, String, TableFile)>,
    /// The Parquet tables' buffered bytes together.
    buffered: usize,
}

fn refuse(target: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{}: {why}; choose another output folder", target.display()),
    )
}

/// Whether `target` may be replaced: absent, an empty folder, or an earlier export (a folder
/// whose manifest names [`TABLES_SCHEMA`]'s family).
fn check_replaceable(target: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            target,
            "is a symbolic link (name the folder itself)",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(target, "exists and is not a folder"));
    }
    if fs::read_dir(target)?.next().is_none() {
        return Ok(());
    }
    let manifest = fs::read(target.join(MANIFEST)).ok();
    let ours = manifest
        .and_then(|m| serde_json::from_slice::<serde_json::Value>(&m).ok())
        .and_then(|m| {
            m.get("schema")?
                .as_str()
                .map(|s| s.starts_with("claimlens.tables/"))
        })
        .unwrap_or(false);
    if ours {
        Ok(())
    } else {
        Err(refuse(
            target,
            "is a folder with files that are not a claimlens export",
        ))
    }
}

/// A table's file inside the folder: its name's `/`-separated parts, each made only of
/// letters, digits, `-`, `_`, `.` and `%` and not `.` or `..`, plus the extension.
fn table_file(name: &str, format: TableFormat) -> io::Result<String> {
    let safe = !name.is_empty()
        && name.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'%'))
        });
    if !safe {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("table name {name:?} is not a safe relative file name"),
        ));
    }
    Ok(format!("{name}.{}", format.extension()))
}

pub(crate) fn invalid_row(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A row of `cells` fits `columns`: as many cells, each of its column's type (an integer is
/// accepted in a float column) or null where the column allows it.
fn check(columns: &[Column], cells: &[Cell<'_>]) -> io::Result<()> {
    if cells.len() != columns.len() {
        return Err(invalid_row(format!(
            "{} cells for {} columns",
            cells.len(),
            columns.len()
        )));
    }
    for (c, cell) in columns.iter().zip(cells) {
        let fits = match (c.kind, cell) {
            (_, Cell::Null) => c.nullable,
            (ColumnType::Int, Cell::Int(_))
            | (ColumnType::Real, Cell::Real(_) | Cell::Int(_))
            | (ColumnType::Text, Cell::Text(_)) => true,
            _ => false,
        };
        if !fits {
            return Err(invalid_row(format!(
                "column {} ({}{}) cannot hold {}",
                c.name,
                c.kind.as_str(),
                if c.nullable { ", nullable" } else { "" },
                match cell {
                    Cell::Null => "null",
                    Cell::Int(_) => "an integer",
                    Cell::Real(_) => "a float",
                    Cell::Text(_) => "text",
                }
            )));
        }
    }
    Ok(())
}

impl TableFolder {
    /// Starts writing tables for `target`, a folder that must be absent, empty or an earlier
    /// export; its parent folder must exist.
    pub fn create(target: &Path, format: TableFormat) -> io::Result<TableFolder> {
        check_replaceable(target)?;
        let name = target
            .file_name()
            .ok_or_else(|| refuse(target, "names no folder"))?
            .to_string_lossy()
            .into_owned();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.partial-"))
            .tempdir_in(&parent)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", parent.display())))?;
        Ok(TableFolder {
            format,
            target: target.to_owned(),
            tmp,
            tables: Vec::new(),
            buffered: 0,
        })
    }

    /// Closes every table, writes the manifest (with `source`, what the tables were read
    /// from, under its own key) and moves the folder into place.
    pub fn finish(self, source: serde_json::Value) -> io::Result<Vec<TableWritten>> {
        let mut written = Vec::with_capacity(self.tables.len());
        let mut listed = Vec::with_capacity(self.tables.len());
        for (schema, file, table) in self.tables {
            let rows = match table {
                TableFile::Parquet(t) => t.finish()?,
                TableFile::Csv(t) => t.finish()?,
            };
            listed.push(json!({
                "name": schema.name,
                "file": file,
                "rows": rows,
                "columns": schema.columns.iter().map(|c: &Column| json!({
                    "name": c.name,
                    "type": c.kind.as_str(),
                    "nullable": c.nullable,
                })).collect::<Vec<_>>(),
            }));
            written.push(TableWritten {
                name: schema.name,
                file,
                rows,
            });
        }
        let manifest = json!({
            "schema": TABLES_SCHEMA,
            "format": self.format.extension(),
            "created_by": format!("claimlens {}", env!("CARGO_PKG_VERSION")),
            "source": source,
            "tables": listed,
        });
        let path = self.tmp.path().join(MANIFEST);
        let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        bytes.push(b'\n');
        fs::write(&path, bytes)?;
        fs::File::open(&path)?.sync_all()?;
        swap_into_place(self.tmp, &self.target)?;
        Ok(written)
    }
}

/// Renames the finished folder to `target`, moving an earlier export there aside first and
/// removing it after (restored if the second rename fails).
fn swap_into_place(tmp: tempfile::TempDir, target: &Path) -> io::Result<()> {
    // Checked again: the target may have changed while the tables were written.
    check_replaceable(target)?;
    let parent = tmp.path().parent().unwrap_or(Path::new(".")).to_owned();
    let aside = if target.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".claimlens-export-old-")
            .tempdir_in(&parent)?;
        // Renaming a folder onto an empty folder replaces it.
        fs::rename(target, aside.path())?;
        Some(aside)
    } else {
        None
    };
    let finished = tmp.keep();
    if let Err(e) = fs::rename(&finished, target) {
        if let Some(aside) = aside {
            let _ = fs::rename(aside.path(), target);
        }
        let _ = fs::remove_dir_all(&finished);
        return Err(e);
    }
    drop(aside);
    Ok(())
}

impl TableFolder {
    /// Writes the buffered rows of the Parquet table holding the most.
    fn flush_largest(&mut self) -> io::Result<()> {
        let largest = self.tables.iter_mut().filter_map(|(_, _, t)| match t {
            TableFile::Parquet(t) => Some(t),
            TableFile::Csv(_) => None,
        });
        if let Some(t) = largest.max_by_key(|t| t.buffered_bytes()) {
            self.buffered -= t.buffered_bytes();
            t.flush()?;
        }
        Ok(())
    }
}

impl RowSink for TableFolder {
    fn open_table(&mut self, schema: &TableSchema) -> io::Result<TableId> {
        if self.tables.iter().any(|(s, _, _)| s.name == schema.name) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("table {} opened twice", schema.name),
            ));
        }
        let file = table_file(&schema.name, self.format)?;
        let path = self.tmp.path().join(&file);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let table = match self.format {
            TableFormat::Parquet => {
                TableFile::Parquet(Box::new(ParquetTable::create(&path, schema)?))
            }
            TableFormat::Csv => TableFile::Csv(CsvTable::create(&path, schema)?),
        };
        self.tables.push((schema.clone(), file, table));
        Ok(TableId(self.tables.len() - 1))
    }

    fn row(&mut self, table: TableId, cells: &[Cell<'_>]) -> io::Result<()> {
        match self.tables.get_mut(table.0) {
            Some((_, _, TableFile::Parquet(t))) => {
                let before = t.buffered_bytes();
                t.row(cells)?;
                self.buffered = self.buffered + t.buffered_bytes() - before;
                if self.buffered >= BUFFER_BUDGET {
                    self.flush_largest()?;
                }
                Ok(())
            }
            Some((_, _, TableFile::Csv(t))) => t.row(cells),
            None => Err(invalid_row(format!("no table {}", table.0))),
        }
    }
}

#[cfg(test)]
mod tests;
