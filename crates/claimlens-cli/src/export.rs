//! `claimlens export`: a store's documents and every layer as Parquet or CSV tables, for
//! DuckDB, pandas, Spark or a spreadsheet. The tables are the store's
//! (`Store::export_tables`), the files the export crate's (`tables::TableFolder`); this file
//! reads flags, shows progress and prints the summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use claimlens_core::table::{Cell, RowSink, TableId, TableSchema};
use claimlens_export::tables::{TableFolder, TableFormat};
use claimlens_export::terminal::clean;
use claimlens_store::SCHEMA_VERSION;
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;

use crate::ingest::existing_store_location;
use crate::inputs::terminal_bar;

/// File formats of `claimlens export`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Apache Parquet (Snappy): DuckDB, pandas/pyarrow, Spark, Polars read it as is.
    Parquet,
    /// CSV with a header row (RFC 4180; an empty field is a null, `""` an empty text).
    Csv,
}

/// Arguments of `claimlens export`.
#[derive(Args)]
#[command(after_help = "\
Writes the store as one file per table into the --out folder: documents.<ext>,
document_layers.<ext> (which layers ran on which document), layers/<layer>.<ext> (one table
per annotation layer: claims, attributions, entities, …), links.<ext>, said.<ext> (who said
what), rejected.<ext> and cases.<ext>, with a manifest.json listing each table, its columns
and its row count. Every row carries the document's doc_id (the SHA-256 of its text), so the
tables join on it, and exports of several stores can be concatenated. Offsets are code points
(start_char, end_char) and UTF-8 bytes (start_byte, end_byte) into documents.text.

The folder appears whole or not at all: the tables are written beside it under a temporary
name and renamed into place at the end. An earlier export in that folder is replaced; a folder
holding anything else is refused. Columns: docs/store.md, Export.

Examples:
  claimlens ingest --db corpus.db news.jsonl
  claimlens export --db corpus.db --out corpus-tables
  claimlens export --db corpus.db --format csv --out corpus-csv
  duckdb -c \"SELECT type, count(*) FROM 'corpus-tables/layers/claims.parquet' GROUP BY type\"
  python3 -c \"import pandas; print(pandas.read_parquet('corpus-tables/documents.parquet').head())\"")]
pub struct ExportArgs {
    /// The store written by `claimlens ingest`. Default: claimlens/corpus.db in the user's
    /// data folder.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// The folder to write (created; an earlier export there is replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// File format of the tables.
    #[arg(long, value_enum, default_value = "parquet")]
    format: Format,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// Passes rows on to the folder, counting them for the progress line.
struct Counted<'a> {
    inner: &'a mut TableFolder,
    rows: u64,
    bar: &'a ProgressBar,
}

impl RowSink for Counted<'_> {
    fn open_table(&mut self, schema: &TableSchema) -> std::io::Result<TableId> {
        self.bar.set_message(schema.name.clone());
        self.inner.open_table(schema)
    }

    fn row(&mut self, table: TableId, cells: &[Cell<'_>]) -> std::io::Result<()> {
        self.rows += 1;
        if self.rows % 4096 == 0 {
            self.bar.set_position(self.rows);
        }
        self.inner.row(table, cells)
    }
}

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let location = existing_store_location(
        args.db.as_deref(),
        "ingest articles first (claimlens ingest --db …)",
    )?;
    let store = location.open()?;
    let format = match args.format {
        Format::Parquet => TableFormat::Parquet,
        Format::Csv => TableFormat::Csv,
    };
    let mut folder = TableFolder::create(&args.out, format)
        .with_context(|| format!("cannot export to {}", args.out.display()))?;
    let bar = terminal_bar(
        args.no_progress,
        None,
        "{spinner} {pos} rows written ({per_sec})  {msg}  [{elapsed_precise}]",
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let started = Instant::now();
    let mut counted = Counted {
        inner: &mut folder,
        rows: 0,
        bar: &bar,
    };
    store.export_tables(&mut counted)?;
    let rows = counted.rows;
    bar.finish_and_clear();
    let source = serde_json::json!({
        "store": location.to_string(),
        "store_schema_version": SCHEMA_VERSION,
    });
    let written = folder
        .finish(source)
        .with_context(|| format!("cannot finish the export to {}", args.out.display()))?;
    let documents = written
        .iter()
        .find(|t| t.name == "documents")
        .map_or(0, |t| t.rows);
    let layers = written
        .iter()
        .filter(|t| t.name.starts_with("layers/"))
        .count();
    eprintln!(
        "claimlens: {documents} document(s), {layers} layer table(s), {rows} row(s) in {} \
         table(s) written to {} in {:.2} s",
        written.len(),
        clean(&args.out.display().to_string()),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
