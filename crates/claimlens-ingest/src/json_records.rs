//! JSON files of records: an array of objects (`[{…}, {…}]`, what most exports write) or
//! objects one after another, pretty-printed or not. Each object is read like a JSONL line.
//!
//! The file is never parsed whole: a small scanner finds where each element ends (tracking
//! strings, escapes and nesting), so memory holds one record at a time, and a record over
//! the limit is skipped without being buffered, as a long JSONL line is.

use std::io::{self, BufRead};

use crate::fields::FieldMap;
use crate::read::{json_record_to_doc, Ingested};
use crate::{ErrorKind, IngestError};

/// Reads the records of one JSON input.
pub(crate) struct JsonRecords<R> {
    reader: R,
    name: String,
    fields: FieldMap,
    extraction: crate::html::ExtractOptions,
    limit: u64,
    /// Elements seen so far (the 1-based number of the last one).
    record_no: u64,
    layout: Layout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Nothing read yet.
    Start,
    /// Inside a top-level array; `first` until an element was read.
    Array {
        first: bool,
    },
    /// Values one after another at the top level.
    Sequence,
    Done,
}

/// One element's bytes, or how big it was when it was over the limit.
enum Element {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

impl<R: BufRead> JsonRecords<R> {
    pub(crate) fn new(
        reader: R,
        name: &str,
        fields: &FieldMap,
        extraction: &crate::html::ExtractOptions,
        limit: u64,
    ) -> Self {
        JsonRecords {
            reader,
            name: name.to_owned(),
            fields: fields.clone(),
            extraction: *extraction,
            limit,
            record_no: 0,
            layout: Layout::Start,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<Ingested, IngestError>> {
        match self.next_element() {
            Ok(None) => None,
            Ok(Some(Element::Bytes(bytes))) => Some(
                json_record_to_doc(
                    &bytes,
                    &self.name,
                    self.record_no,
                    &self.fields,
                    &self.extraction,
                    "json",
                )
                .map_err(|e| IngestError::of_record(&self.name, self.record_no, e)),
            ),
            Ok(Some(Element::TooLarge(size))) => Some(Err(self.error(ErrorKind::TooLarge {
                size,
                limit: self.limit,
            }))),
            Err(kind) => {
                // The structure is broken: where the next record starts is unknown.
                self.layout = Layout::Done;
                Some(Err(self.error(kind)))
            }
        }
    }

    fn error(&self, kind: ErrorKind) -> IngestError {
        let record = (self.record_no > 0).then_some(self.record_no);
        IngestError::new(&self.name, record, kind)
    }

    fn next_element(&mut self) -> Result<Option<Element>, ErrorKind> {
        if self.layout == Layout::Start {
            if self.peek_after_space()? == Some(0xef) {
                self.skip_bom()?;
            }
            self.layout = match self.peek_after_space()? {
                None => return Err(ErrorKind::Empty),
                Some(b'[') => {
                    self.reader.consume(1);
                    Layout::Array { first: true }
                }
                Some(_) => Layout::Sequence,
            };
        }
        match self.layout {
            Layout::Array { first } => {
                match self.peek_after_space()? {
                    Some(b']') => {
                        self.reader.consume(1);
                        self.layout = Layout::Done;
                        return match self.peek_after_space()? {
                            None => Ok(None),
                            Some(_) => Err(json_error("text after the closing `]`")),
                        };
                    }
                    Some(b',') if !first => {
                        self.reader.consume(1);
                        if self.peek_after_space()? == Some(b']') {
                            return Err(json_error("a trailing comma before `]`"));
                        }
                    }
                    None => return Err(json_error("the array is not closed with `]`")),
                    Some(_) if !first => {
                        return Err(json_error("expected `,` or `]` after an element"))
                    }
                    Some(_) => {}
                }
                self.layout = Layout::Array { first: false };
            }
            Layout::Sequence => match self.peek_after_space()? {
                None => {
                    self.layout = Layout::Done;
                    return Ok(None);
                }
                Some(b'{') => {}
                // Without an array around them, only objects mark where records start.
                Some(_) => return Err(json_error("expected a JSON object or an array of objects")),
            },
            Layout::Start | Layout::Done => return Ok(None),
        }
        self.record_no += 1;
        self.scan_value().map(Some)
    }

    /// The next byte that is not JSON white space, left unconsumed; `None` at end of input.
    fn peek_after_space(&mut self) -> Result<Option<u8>, ErrorKind> {
        loop {
            let buf = fill(&mut self.reader)?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                Some(i) => {
                    let b = buf[i];
                    self.reader.consume(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.reader.consume(n);
                }
            }
        }
    }

    fn skip_bom(&mut self) -> Result<(), ErrorKind> {
        let buf = self.reader.fill_buf().map_err(ErrorKind::Io)?;
        if buf.starts_with(b"\xef\xbb\xbf") {
            self.reader.consume(3);
        }
        Ok(())
    }

    /// Reads one value's bytes: a string, an object or array up to its matching close, or a
    /// bare word (number, `true`, …) up to the next delimiter. Bytes past the limit are
    /// counted, not kept.
    fn scan_value(&mut self) -> Result<Element, ErrorKind> {
        let mut kept: Vec<u8> = Vec::new();
        let mut size: u64 = 0;
        let mut scan = Scan::default();
        loop {
            let buf = fill(&mut self.reader)?;
            if buf.is_empty() {
                if scan.is_open() {
                    return Err(json_error("the input ends inside a record"));
                }
                break;
            }
            let (used, done) = scan.feed(buf);
            size += used as u64;
            if size <= self.limit {
                kept.extend_from_slice(&buf[..used]);
            } else {
                kept = Vec::new();
            }
            self.reader.consume(used);
            if done {
                break;
            }
        }
        Ok(if size > self.limit {
            Element::TooLarge(size)
        } else {
            Element::Bytes(kept)
        })
    }
}

fn json_error(what: &str) -> ErrorKind {
    ErrorKind::Json(what.to_owned())
}

/// Where one value ends: nesting depth outside strings, and string/escape state.
#[derive(Debug, Default)]
struct Scan {
    started: bool,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The value is a bare word (number, literal), which ends at the first delimiter.
    bare: bool,
}

impl Scan {
    fn is_open(&self) -> bool {
        self.in_string || self.depth > 0
    }

    /// Consumes bytes of `buf` up to the end of the value: how many belong to it and whether
    /// the value ended.
    fn feed(&mut self, buf: &[u8]) -> (usize, bool) {
        for (i, &b) in buf.iter().enumerate() {
            if !self.started {
                self.started = true;
                match b {
                    b'{' | b'[' => self.depth = 1,
                    b'"' => self.in_string = true,
                    _ => self.bare = true,
                }
                continue;
            }
            if self.bare {
                if matches!(
                    b,
                    b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{'
                ) {
                    return (i, true);
                }
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                _ => {}
            }
        }
        (buf.len(), false)
    }
}

/// The reader's buffered bytes, refilled when empty; an interrupted read is retried.
fn fill<R: BufRead>(reader: &mut R) -> Result<&[u8], ErrorKind> {
    loop {
        match reader.fill_buf() {
            // Re-borrowed after the loop: returning `b` here would hold the borrow across
            // the retry.
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ErrorKind::Io(e)),
        }
    }
    reader.fill_buf().map_err(ErrorKind::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], limit: u64) -> Vec<String> {
        let reader = io::BufReader::with_capacity(3, bytes);
        let mut records = JsonRecords::new(
            reader,
            "in.json",
            &FieldMap::default(),
            &crate::html::ExtractOptions::default(),
            limit,
        );
        std::iter::from_fn(|| records.next())
            .map(|r| match r {
                Ok(ingested) => ingested.doc.text().to_owned(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    #[test]
    fn an_array_of_records_is_read_record_by_record() {
        let json = br#" [ {"text": "One [said] {he}."}, {"text": "Two \"quoted\"."} ,
            {"title": "no text"} ] "#;
        let got = read_all(json, 1 << 20);
        assert_eq!(got[0], "One [said] {he}.");
        assert_eq!(got[1], "Two \"quoted\".");
        assert!(
            got[2].starts_with("error: in.json: record 3: no article text"),
            "{got:?}"
        );
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn pretty_printed_objects_one_after_another() {
        let json = b"\xef\xbb\xbf{\n  \"text\": \"First.\"\n}\n{\n  \"text\": \"Second.\"\n}\n";
        assert_eq!(read_all(json, 1 << 20), ["First.", "Second."]);
    }

    #[test]
    fn objects_with_nothing_between_them_are_separate_records() {
        let json = br#"{"text":"One."}{"text":"Two."}{"text":"Three."}"#;
        assert_eq!(read_all(json, 1 << 20), ["One.", "Two.", "Three."]);
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_and_the_rest_read() {
        let json = br#"[{"text": "a very long article indeed"}, {"text": "Short."}]"#;
        let got = read_all(json, 20);
        assert!(got[0].contains("record 1") && got[0].contains("over the 20-byte limit"));
        assert_eq!(got[1], "Short.");
    }

    #[test]
    fn broken_structure_ends_the_input_with_a_clear_error() {
        let got = read_all(br#"[{"text": "One."} {"text": "Two."}]"#, 1 << 20);
        assert_eq!(got[0], "One.");
        assert!(got[1].contains("record 1") && got[1].contains("expected `,` or `]`"));
        assert_eq!(got.len(), 2);
        let got = read_all(br#"[{"text": "One."}, {"text": "Tw"#, 1 << 20);
        assert!(got[1].contains("record 2") && got[1].contains("ends inside a record"));
        let got = read_all(br#"[{"text": "One."}"#, 1 << 20);
        assert!(got[1].contains("not closed"), "{got:?}");
        assert_eq!(read_all(b"[]", 10), Vec::<String>::new());
        let got = read_all(b"\0} {\"text\": \"x\"}", 1 << 20);
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("expected a JSON object"), "{got:?}");
    }
}
