//! `analyze --error-records`: a record that fails still gets its line in the JSONL output, in
//! its place, so the output has one line per input record in input order. A batch system that
//! pipes a partition through `analyze` (Spark's `RDD.pipe`, Hadoop Streaming) can then join
//! the output back to its input by position or id, and see which records failed and why.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use claimlens_ingest::IngestError;
use serde::Serialize;

/// The `schema` of an error line.
pub const ERROR_SCHEMA: &str = "claimlens.error/1";

/// One output stream shared by the sink, which writes the documents, and by the error lines
/// written between them; both go through the same buffer, so the order is the input order.
#[derive(Clone)]
pub struct SharedOut(Rc<RefCell<Box<dyn Write>>>);

impl SharedOut {
    pub fn new(out: Box<dyn Write>) -> SharedOut {
        SharedOut(Rc::new(RefCell::new(out)))
    }
}

impl Write for SharedOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.borrow_mut().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// One error line, its fields in this order (`schema` first, as in a document line).
#[derive(Serialize)]
struct ErrorLine<'a> {
    schema: &'static str,
    source: &'a str,
    record: Option<u64>,
    id: Option<&'a str>,
    error: String,
}

/// Writes the error line of `e`: `{schema, source, record, id, error}`, `record` and `id`
/// null when unknown (an input that could not be opened has neither), `error` the message
/// without the source and record that the other fields carry.
pub fn write_error_record(out: &mut impl Write, e: &IngestError) -> io::Result<()> {
    let line = ErrorLine {
        schema: ERROR_SCHEMA,
        source: &e.source,
        record: e.record,
        id: e.id.as_deref(),
        error: e.kind.to_string(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_ingest::{read, Format, IngestOptions, Input};

    /// The errors of reading `text` as an input of `format` named `-`.
    fn errors_in(format: Format, text: &str) -> Vec<IngestError> {
        let opts = IngestOptions {
            format: Some(format),
            ..IngestOptions::default()
        };
        let input = Input::memory("-", text.as_bytes(), None);
        read(&input, &opts).filter_map(Result::err).collect()
    }

    fn errors_of(jsonl: &str) -> Vec<IngestError> {
        errors_in(Format::Jsonl, jsonl)
    }

    #[test]
    fn csv_and_json_array_errors_carry_the_record_id_too() {
        let csv = errors_in(Format::Csv, "id,text\nc1,\nc2,It rained.\n");
        assert_eq!(csv.len(), 1);
        // (The record number is the reader's, as for a document's origin; the id is the point.)
        assert!(csv[0].record.is_some());
        assert_eq!(csv[0].id.as_deref(), Some("c1"));
        let json = errors_in(
            Format::Json,
            r#"[{"id":"j1","text":"It rained."},{"id":"j2"}]"#,
        );
        assert_eq!(json.len(), 1);
        assert_eq!(
            (json[0].record, json[0].id.as_deref()),
            (Some(2), Some("j2"))
        );
    }

    #[test]
    fn an_error_line_names_the_record_and_its_id_when_known() {
        let errors = errors_of("{\"id\":\"b\"}\nnot json\n");
        let mut out = Vec::new();
        for e in &errors {
            write_error_record(&mut out, e).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        // The fields in a fixed order, `schema` first, as a document line starts.
        assert!(
            text.starts_with(
                r#"{"schema":"claimlens.error/1","source":"-","record":1,"id":"b","error":"#
            ),
            "{text}"
        );
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["schema"], ERROR_SCHEMA);
        assert_eq!(lines[0]["source"], "-");
        assert_eq!(lines[0]["record"], 1);
        assert_eq!(lines[0]["id"], "b");
        assert!(lines[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("no article text"));
        assert_eq!(lines[1]["record"], 2);
        assert!(lines[1]["id"].is_null());
        assert!(lines[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON"));
    }
}
