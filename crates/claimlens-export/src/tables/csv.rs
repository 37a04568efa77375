//! One table as a CSV file: RFC 4180 (comma, `"` quoting where a field needs it, `\n` line
//! ends), a header row of the column names, UTF-8 without a byte-order mark. An empty field
//! is a null; an empty text is written `""` so the two stay apart for readers that tell them
//! apart (DuckDB, pandas with `keep_default_na=False`).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use claimlens_core::table::{Cell, Column, TableSchema};

use super::check;

/// A CSV file being written. Written by hand rather than with the `csv` crate: that writer
/// cannot quote an empty field on its own, and a null must read differently from "".
pub struct CsvTable {
    columns: Vec<Column>,
    out: BufWriter<File>,
    /// Rows written so far.
    pub rows: u64,
    number: String,
}

/// Writes `field`, quoted when it is empty or holds a comma, a quote or a line break.
fn write_text(out: &mut impl Write, field: &str) -> io::Result<()> {
    if !field.is_empty() && !field.contains([',', '"', '\n', '\r']) {
        return out.write_all(field.as_bytes());
    }
    out.write_all(b"\"")?;
    for (i, part) in field.split('"').enumerate() {
        if i > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\"")
}

impl CsvTable {
    /// Creates `path` for `table` and writes its header.
    pub fn create(path: &Path, table: &TableSchema) -> io::Result<CsvTable> {
        let mut out = BufWriter::new(File::create(path)?);
        for (i, c) in table.columns.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write_text(&mut out, c.name)?;
        }
        out.write_all(b"\n")?;
        Ok(CsvTable {
            columns: table.columns.clone(),
            out,
            rows: 0,
            number: String::new(),
        })
    }

    /// Appends one row.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        use std::fmt::Write as _;
        check(&self.columns, cells)?;
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            self.number.clear();
            match *cell {
                Cell::Null => {}
                Cell::Text(s) => write_text(&mut self.out, s)?,
                Cell::Int(x) => {
                    let _ = write!(self.number, "{x}");
                    self.out.write_all(self.number.as_bytes())?;
                }
                Cell::Real(x) => {
                    // Debug prints the shortest text that reads back as the same float.
                    let _ = write!(self.number, "{x:?}");
                    self.out.write_all(self.number.as_bytes())?;
                }
            }
        }
        self.out.write_all(b"\n")?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file to disk.
    pub fn finish(self) -> io::Result<u64> {
        self.out
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        let mut out = Vec::new();
        write_text(&mut out, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_are_quoted_only_where_needed_and_empty_text_is_not_null() {
        assert_eq!(text("plain words"), "plain words");
        assert_eq!(text(""), "\"\"");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
    }
}
