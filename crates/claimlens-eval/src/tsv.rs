//! The tab-separated label tables under `data/` (speakers, dates, places) share one shape:
//! `#` comment lines and blank lines anywhere, one header line whose first column names the
//! table, then rows.

use std::path::Path;

use crate::EvalError;

/// One data row: its 1-based line number and its columns.
pub(crate) struct Row<'a> {
    pub line: u64,
    pub cols: Vec<&'a str>,
}

/// A format error at `line` of `path`.
pub(crate) fn format_error(path: &Path, line: u64, message: impl Into<String>) -> EvalError {
    EvalError::Format {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

/// Reads the table at `path` and parses its text with `parse`.
pub(crate) fn read<T>(
    path: &Path,
    parse: impl FnOnce(&str, &Path) -> Result<T, EvalError>,
) -> Result<T, EvalError> {
    let content = crate::error::read_text(path)?;
    parse(&content, path)
}

/// Checks that the row at `line` has one of the `allowed` numbers of columns.
pub(crate) fn check_columns(
    path: &Path,
    line: u64,
    cols: &[&str],
    allowed: &[usize],
) -> Result<(), EvalError> {
    if allowed.contains(&cols.len()) {
        return Ok(());
    }
    let expected: Vec<String> = allowed.iter().map(usize::to_string).collect();
    Err(format_error(
        path,
        line,
        format!(
            "expected {} tab-separated columns, found {}",
            expected.join(" or "),
            cols.len()
        ),
    ))
}

/// The data rows of a table whose header's first column is `first_column`.
pub(crate) fn rows<'a>(
    content: &'a str,
    path: &Path,
    first_column: &str,
) -> Result<Vec<Row<'a>>, EvalError> {
    let mut out = Vec::new();
    let mut header = false;
    for (i, raw) in content.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if !header {
            if cols.first() != Some(&first_column) {
                return Err(format_error(
                    path,
                    line,
                    format!("expected the header line `{first_column}\\t…`"),
                ));
            }
            header = true;
            continue;
        }
        out.push(Row { line, cols });
    }
    if !header {
        return Err(format_error(path, 0, "no header line"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_comments_and_checks_the_header() {
        let p = Path::new("t.tsv");
        let rows = rows("# note\n\nfile\tx\na\t1\n# mid\nb\t2\n", p, "file").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 6);
        assert_eq!(rows[1].cols, ["b", "2"]);
        assert!(super::rows("doc\tx\n", p, "file").is_err());
        assert!(super::rows("# only a comment\n", p, "file").is_err());
    }

    #[test]
    fn names_every_allowed_column_count() {
        let p = Path::new("t.tsv");
        assert!(check_columns(p, 3, &["a", "b"], &[2]).is_ok());
        let err = check_columns(p, 3, &["a"], &[5, 6]).unwrap_err();
        let EvalError::Format { line, message, .. } = err else {
            panic!("not a format error: {err:?}");
        };
        assert_eq!(line, 3);
        assert_eq!(message, "expected 5 or 6 tab-separated columns, found 1");
    }
}
