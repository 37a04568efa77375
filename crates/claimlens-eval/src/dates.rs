//! Time-expression detection and normalisation on hand-labelled expressions from the shared
//! data (`data/date-expressions/`).
//!
//! Each row of the table names a file under the shared data directory, the code-point offset
//! of a time expression, the expression's words, the reference date a reader would use (a
//! PolNeAR article's publication date, an EUvsDisinfo case date) and the expected TIMEX3 /
//! ISO 8601 value.
//!
//! # What is measured
//!
//! For each row the **real context** is read from the shared file: the line holding the
//! expression (for a `.csv` file, the field: the text between the surrounding `","`). A `Doc`
//! is built from it with `meta.published` set to the row's reference date, and the `segment`
//! and `temporal` stages run. Then:
//!
//! * **detection**: some `times` annotation overlaps the expression;
//! * **normalisation**: the overlapping annotation with the largest overlap has
//!   `attrs.value` equal to the expected value (exact string comparison). Accuracy is over
//!   all rows, so a missed expression also counts as wrongly normalised.
//!
//! # Table format
//!
//! Tab-separated, UTF-8, a header line `file offset expression reference reference_source
//! expected note`. Offsets are Unicode code points into the file. The reader checks every
//! expression against the file (white space compared loosely), so table and data cannot
//! drift apart silently.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use claimlens_analyzers::temporal::{TemporalStage, TIMES_LAYER};
use claimlens_analyzers::Segmenter;
use claimlens_core::{AttrValue, Doc, Span, Stage};
use serde::Serialize;

use crate::EvalError;

/// One labelled expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateExpression {
    /// Path relative to the shared data directory.
    pub file: String,
    /// Code-point offset of the expression in the file.
    pub offset: usize,
    /// The expression's words.
    pub expression: String,
    /// Reference date, `YYYY-MM-DD`.
    pub reference: String,
    /// Where the reference date comes from.
    pub reference_source: String,
    /// The expected value.
    pub expected: String,
    /// Free-text note.
    pub note: String,
    /// 1-based line in the table.
    pub line: u64,
}

impl DateExpression {
    /// Coarse class of the expected value, for the per-class table.
    pub fn class(&self) -> &'static str {
        value_class(&self.expected)
    }
}

/// Classifies a TIMEX3 value by its shape: `day`, `week`, `month`, `year`, `decade`,
/// `part-of-day`, `time`, `quarter`, `season`, `duration`, `range`, `ref` (PAST_REF / PRESENT_REF).
pub fn value_class(v: &str) -> &'static str {
    let b = v.as_bytes();
    if v.ends_with("_REF") {
        "ref"
    } else if v.contains('/') {
        "range"
    } else if v.starts_with('P') {
        "duration"
    } else if v.contains(':') {
        "time"
    } else if v.contains('T') {
        "part-of-day"
    } else if v.contains("-W") {
        "week"
    } else if v.contains("-Q") {
        "quarter"
    } else if v.len() == 10 {
        "day"
    } else if v.len() == 7 && b[5].is_ascii_digit() {
        "month"
    } else if v.len() == 7 {
        "season"
    } else if v.len() == 4 {
        "year"
    } else {
        "decade"
    }
}

/// Reads the table.
pub fn read_expressions(path: &Path) -> Result<Vec<DateExpression>, EvalError> {
    crate::tsv::read(path, parse_expressions)
}

/// Parses the table format (see the module docs).
pub fn parse_expressions(content: &str, path: &Path) -> Result<Vec<DateExpression>, EvalError> {
    let format = |line: u64, message: String| crate::tsv::format_error(path, line, message);
    let mut rows = Vec::new();
    for crate::tsv::Row { line, cols } in crate::tsv::rows(content, path, "file")? {
        crate::tsv::check_columns(path, line, &cols, &[7])?;
        let offset = cols[1]
            .parse()
            .map_err(|_| format(line, format!("bad offset `{}`", cols[1])))?;
        if claimlens_analyzers::temporal::parse_published(cols[3]).is_none() {
            return Err(format(line, format!("bad reference date `{}`", cols[3])));
        }
        if cols[2].trim().is_empty() || cols[5].trim().is_empty() {
            return Err(format(line, "empty expression or expected value".into()));
        }
        rows.push(DateExpression {
            file: cols[0].to_owned(),
            offset,
            expression: cols[2].to_owned(),
            reference: cols[3].to_owned(),
            reference_source: cols[4].to_owned(),
            expected: cols[5].to_owned(),
            note: cols[6].to_owned(),
            line,
        });
    }
    Ok(rows)
}

/// Detection and accuracy over a group of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DateScore {
    /// Rows.
    pub total: usize,
    /// Rows with an overlapping `times` annotation.
    pub detected: usize,
    /// Rows whose value equals the expected one.
    pub correct: usize,
}

impl DateScore {
    fn add(&mut self, detected: bool, correct: bool) {
        self.total += 1;
        self.detected += usize::from(detected);
        self.correct += usize::from(correct);
    }

    /// `detected / total`.
    pub fn detection(&self) -> f64 {
        ratio(self.detected, self.total)
    }

    /// `correct / total`.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A row that was missed or wrongly normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMistake {
    /// File and offset.
    pub file: String,
    /// Code-point offset.
    pub offset: usize,
    /// The labelled expression.
    pub expression: String,
    /// Reference date.
    pub reference: String,
    /// Expected value.
    pub expected: String,
    /// The best overlapping annotation's text, label, value and rule, or `None` when missed.
    pub predicted: Option<(String, String, String, String)>,
}

/// The evaluation's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatesReport {
    /// Over every row.
    pub all: DateScore,
    /// By value class ([`value_class`]).
    pub by_class: BTreeMap<&'static str, DateScore>,
    /// Rows missed or wrong, in table order.
    pub mistakes: Vec<DateMistake>,
}

impl DatesReport {
    /// Mistakes as text, one per line.
    pub fn mistakes_table(&self) -> String {
        let mut out = String::new();
        for m in &self.mistakes {
            let predicted = match &m.predicted {
                Some((text, label, value, rule)) => {
                    format!("{label} {value:?} on {text:?} ({rule})")
                }
                None => "(missed)".to_owned(),
            };
            out.push_str(&format!(
                "  {}:{} {:?} ref {}: expected {:?}, predicted {}\n",
                m.file, m.offset, m.expression, m.reference, m.expected, predicted
            ));
        }
        out
    }
}

impl fmt::Display for DatesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "time expressions: detection and normalisation ({} labelled expressions)",
            self.all.total
        )?;
        writeln!(
            f,
            "  {:<12} {:>6} {:>9} {:>10} {:>8} {:>9}",
            "class", "total", "detected", "detection", "correct", "accuracy"
        )?;
        let rows =
            std::iter::once(("all", &self.all)).chain(self.by_class.iter().map(|(k, v)| (*k, v)));
        for (name, s) in rows {
            writeln!(
                f,
                "  {:<12} {:>6} {:>9} {:>10.4} {:>8} {:>9.4}",
                name,
                s.total,
                s.detected,
                s.detection(),
                s.correct,
                s.accuracy()
            )?;
        }
        write!(f, "  mistakes: {}", self.mistakes.len())
    }
}

/// Reads the table and the shared files, runs segmentation and the temporal stage on each
/// expression's context, and scores.
pub fn evaluate_dates(table: &Path, shared: &Path) -> Result<DatesReport, EvalError> {
    let rows = read_expressions(table)?;
    let mut files: HashMap<&str, String> = HashMap::new();
    let mut report = DatesReport::default();
    for row in &rows {
        if !files.contains_key(row.file.as_str()) {
            let path: PathBuf = shared.join(&row.file);
            files.insert(&row.file, crate::error::read_text(&path)?);
        }
        let text = &files[row.file.as_str()];
        let bad = |message: String| EvalError::Format {
            path: table.to_owned(),
            line: row.line,
            message,
        };
        let start = byte_offset(text, row.offset)
            .ok_or_else(|| bad(format!("offset {} beyond {}", row.offset, row.file)))?;
        let end = match_end(text, start, &row.expression).ok_or_else(|| {
            bad(format!(
                "{:?} not found at offset {} of {}",
                row.expression, row.offset, row.file
            ))
        })?;
        let (ctx_start, ctx_end) = context(text, start, end, row.file.ends_with(".csv"));
        let mut doc = Doc::new(
            format!("{}:{}", row.file, row.offset),
            &text[ctx_start..ctx_end],
        );
        doc.meta.published = Some(row.reference.clone());
        Segmenter.run(&mut doc);
        TemporalStage.run(&mut doc);
        let target = Span::new(start - ctx_start, end - ctx_start);
        let best = doc.layer(TIMES_LAYER).and_then(|l| {
            l.annotations
                .iter()
                .filter(|a| a.span.overlaps(target))
                .max_by_key(|a| {
                    let overlap = a.span.end.min(target.end) - a.span.start.max(target.start);
                    // Largest overlap first; on a tie the earlier annotation.
                    (overlap, std::cmp::Reverse(a.span.start))
                })
        });
        let value = best.and_then(|a| match a.attr("value") {
            Some(AttrValue::Str(s)) => Some(s.to_string()),
            _ => None,
        });
        let correct = value.as_deref() == Some(row.expected.as_str());
        report.all.add(best.is_some(), correct);
        report
            .by_class
            .entry(row.class())
            .or_default()
            .add(best.is_some(), correct);
        if !correct {
            report.mistakes.push(DateMistake {
                file: row.file.clone(),
                offset: row.offset,
                expression: row.expression.clone(),
                reference: row.reference.clone(),
                expected: row.expected.clone(),
                predicted: best.map(|a| {
                    (
                        doc.slice(a.span).to_owned(),
                        a.label.to_string(),
                        value.clone().unwrap_or_else(|| "-".to_owned()),
                        a.reason.rule.to_string(),
                    )
                }),
            });
        }
    }
    Ok(report)
}

/// Byte offset of a code-point offset.
fn byte_offset(text: &str, chars: usize) -> Option<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .nth(chars)
}

/// The byte end of `expression` written at `start`, comparing runs of white space loosely
/// (the data has non-breaking spaces and line breaks inside expressions).
fn match_end(text: &str, start: usize, expression: &str) -> Option<usize> {
    let mut rest = text[start..].char_indices().peekable();
    let mut end = start;
    for word in expression.split_whitespace() {
        while let Some(&(_, c)) = rest.peek() {
            if c.is_whitespace() && end > start {
                rest.next();
            } else {
                break;
            }
        }
        for want in word.chars() {
            let (i, c) = rest.next()?;
            if c != want {
                return None;
            }
            end = start + i + c.len_utf8();
        }
    }
    Some(end)
}

/// The context an expression is analysed in: its line, and for CSV files its field.
fn context(text: &str, start: usize, end: usize, csv: bool) -> (usize, usize) {
    let mut from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if csv {
        if let Some(i) = text[from..start].rfind("\",\"") {
            from += i + 3;
        }
        if let Some(i) = text[end..to].find("\",\"") {
            to = end + i;
        }
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_classes() {
        let table = "file\toffset\texpression\treference\treference_source\texpected\tnote\n\
                     a.txt\t3\tlast year\t2016-09-12\tfile name\t2015\t\n";
        let rows = parse_expressions(table, Path::new("t.tsv")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].class(), "year");
        assert!(parse_expressions("file\n a\tb\n", Path::new("t")).is_err());
        for (v, c) in [
            ("2016-09-11", "day"),
            ("2016-W39", "week"),
            ("2016-09", "month"),
            ("2010-FA", "season"),
            ("2015-Q4", "quarter"),
            ("199", "decade"),
            ("P3Y", "duration"),
            ("2015/2017", "range"),
            ("2016-09-17TNI", "part-of-day"),
            ("2016-09-30T11:40", "time"),
            ("PAST_REF", "ref"),
        ] {
            assert_eq!(value_class(v), c, "{v}");
        }
    }

    #[test]
    fn finds_expressions_and_contexts() {
        let text = "x\nSaid on\u{a0}Friday, “yes”.\nnext";
        let start = text.find("on").unwrap();
        let end = match_end(text, start, "on Friday").unwrap();
        assert_eq!(&text[start..end], "on\u{a0}Friday");
        assert_eq!(
            context(text, start, end, false),
            (2, text.rfind('\n').unwrap())
        );
        assert_eq!(byte_offset("aé b", 3), Some(4));
        let csv = "1,2,\"t\",\"he left last year\",\"d\"";
        let s = csv.find("last").unwrap();
        let (a, b) = context(csv, s, s + 9, true);
        assert_eq!(&csv[a..b], "he left last year");
    }
}
