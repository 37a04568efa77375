//! CSV records as documents, with the two guarantees the `csv` crate does not give by itself:
//! a record never buffers more than the size limit, and a quote left open at the end of the
//! file is an error naming the line it opened on, instead of one record silently swallowing
//! the rest of the file.

use std::io::{self, BufRead, Read};

use claimlens_core::Origin;

use crate::error::RecordError;
use crate::fields::{FieldMap, Record};
use crate::read::{record_to_doc, Ingested};
use crate::{ErrorKind, IngestError, IngestOptions, Input};

/// Reads CSV with a header row, one document per record.
pub(crate) struct CsvState {
    reader: csv::Reader<QuoteTap<Box<dyn BufRead + Send>>>,
    headers: Option<csv::StringRecord>,
    name: String,
    fields: FieldMap,
    extraction: crate::html::ExtractOptions,
    max_bytes: u64,
    record_no: u64,
    done: bool,
    pending: Option<IngestError>,
}

impl CsvState {
    pub(crate) fn new(
        reader: Box<dyn BufRead + Send>,
        input: &Input,
        opts: &IngestOptions,
    ) -> CsvState {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(QuoteTap::new(reader, opts.max_doc_bytes));
        let (headers, pending) = match reader.headers() {
            Ok(h) => {
                let h = h.clone();
                let has_text = opts
                    .fields
                    .text
                    .iter()
                    .chain(&opts.fields.html)
                    .any(|f| h.iter().any(|c| c.trim() == f));
                if has_text {
                    (Some(h), None)
                } else {
                    let cols: Vec<&str> = h.iter().collect();
                    (
                        None,
                        Some(IngestError::new(
                            &input.name,
                            Some(1),
                            ErrorKind::Csv(format!(
                                "header has no article column (columns: {}; expected one of {})",
                                cols.join(", "),
                                opts.fields.describe_text_fields()
                            )),
                        )),
                    )
                }
            }
            Err(e) => (
                None,
                Some(IngestError::new(&input.name, Some(1), csv_error(e))),
            ),
        };
        CsvState {
            reader,
            headers,
            name: input.name.clone(),
            fields: opts.fields.clone(),
            extraction: opts.extraction,
            max_bytes: opts.max_doc_bytes,
            record_no: 1,
            done: false,
            pending,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<Ingested, IngestError>> {
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let headers = self.headers.as_ref()?;
        let mut rec = csv::StringRecord::new();
        let result = self.reader.read_record(&mut rec);
        self.record_no += 1;
        let record_no = self.record_no;
        let err = |kind| IngestError::new(&self.name, Some(record_no), kind);
        match result {
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // csv errors on bad UTF-8 or IO; UTF-8 errors are per record, IO (including
                // a record over the limit, which the tap stops) ends the input.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                }
                Some(Err(err(csv_error(e))))
            }
            Ok(true) => {
                if let Some(quote_line) = self.reader.get_ref().unterminated_quote() {
                    self.done = true;
                    return Some(Err(err(ErrorKind::Csv(format!(
                        "unterminated quote: the quoted field opened on line {quote_line} \
                         never closes, so the rest of the file would be one field"
                    )))));
                }
                if rec.len() != headers.len() {
                    return Some(Err(err(ErrorKind::Csv(format!(
                        "record has {} fields, header has {}",
                        rec.len(),
                        headers.len()
                    )))));
                }
                let size = rec.as_slice().len() as u64;
                if size > self.max_bytes {
                    return Some(Err(err(ErrorKind::TooLarge {
                        size,
                        limit: self.max_bytes,
                    })));
                }
                let record = Record::from_lookup(&self.fields, |k| {
                    headers
                        .iter()
                        .position(|h| h.trim() == k)
                        .and_then(|i| rec.get(i))
                        .map(str::to_owned)
                });
                let origin = Origin {
                    source: self.name.clone(),
                    record: Some(record_no),
                    format: "csv",
                    encoding: "UTF-8",
                };
                let id = record.id.clone();
                Some(
                    record_to_doc(
                        record,
                        format!("{}:{record_no}", self.name),
                        origin,
                        &self.fields,
                        &self.extraction,
                    )
                    .map_err(|kind| {
                        IngestError::of_record(&self.name, record_no, RecordError { kind, id })
                    }),
                )
            }
        }
    }
}

/// A csv error as an ingest error: the tap's "record over the limit" becomes
/// [`ErrorKind::StreamTooLarge`] (reading stopped, so its size is unknown), everything else a CSV error with the crate's message.
fn csv_error(e: csv::Error) -> ErrorKind {
    if let csv::ErrorKind::Io(io) = e.kind() {
        if let Some(over) = io
            .get_ref()
            .and_then(|i| i.downcast_ref::<RecordOverLimit>())
        {
            return ErrorKind::StreamTooLarge { limit: over.limit };
        }
    }
    ErrorKind::Csv(e.to_string())
}

/// The io error the tap returns when one record grows past the limit.
#[derive(Debug)]
struct RecordOverLimit {
    limit: u64,
}

impl std::fmt::Display for RecordOverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "one record is over {} bytes; reading stopped",
            self.limit
        )
    }
}

impl std::error::Error for RecordOverLimit {}

/// Where the tap is in the CSV grammar, as `csv_core` reads it with the defaults we use
/// (`,` delimiter, `"` quote, doubled quotes as escapes, `\r`, `\n` or `\r\n` ending records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A reader between the input and the csv parser that follows the quoting state byte by
/// byte: it knows where each record starts, so it can stop a record that outgrows the limit
/// before the parser buffers it, and it knows whether the input ended inside quotes.
pub(crate) struct QuoteTap<R> {
    inner: R,
    limit: u64,
    state: Quoting,
    /// 1-based line of the byte about to be read.
    line: u64,
    /// Line of the quote that opened the current quoted field.
    quote_line: u64,
    /// Bytes of the current record so far.
    record_bytes: u64,
    at_eof: bool,
}

impl<R> QuoteTap<R> {
    fn new(inner: R, limit: u64) -> Self {
        QuoteTap {
            inner,
            limit,
            state: Quoting::FieldStart,
            line: 1,
            quote_line: 1,
            record_bytes: 0,
            at_eof: false,
        }
    }

    /// The line a still-open quote started on, when the input ended inside it. The parser
    /// reads on only when it has used every byte before, so once this is `Some` the record it
    /// just returned is the last one: the one that swallowed the rest of the input.
    fn unterminated_quote(&self) -> Option<u64> {
        (self.at_eof && self.state == Quoting::Quoted).then_some(self.quote_line)
    }

    fn step(&mut self, b: u8) {
        let ends_record = matches!(b, b'\n' | b'\r');
        self.state = match (self.state, b) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (Quoting::FieldStart, b'"') => {
                self.quote_line = self.line;
                Quoting::Quoted
            }
            (_, b',') => Quoting::FieldStart,
            (_, b'\n' | b'\r') => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
        if ends_record && self.state == Quoting::FieldStart {
            self.record_bytes = 0;
        } else {
            self.record_bytes += 1;
        }
    }
}

impl<R: Read> Read for QuoteTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.record_bytes > self.limit {
            return Err(io::Error::other(RecordOverLimit { limit: self.limit }));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.at_eof = true;
        }
        for &b in &buf[..n] {
            self.step(b);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap(bytes: &[u8]) -> QuoteTap<&[u8]> {
        let mut tap = QuoteTap::new(bytes, 1 << 20);
        io::copy(&mut tap, &mut io::sink()).unwrap();
        tap
    }

    #[test]
    fn closed_quotes_and_escapes_end_outside_quotes() {
        let t = tap(b"text,id\n\"He said \"\"no\"\"\nthen left\",1\n5\" screen,2\n");
        assert_eq!(t.state, Quoting::FieldStart);
        assert_eq!(t.line, 5);
        assert_eq!(t.unterminated_quote(), None);
    }

    #[test]
    fn an_open_quote_at_the_end_names_its_line() {
        let t = tap(b"text,id\nfine,1\n\"never closed,2\nmore\nlines\n");
        assert_eq!(t.unterminated_quote(), Some(3));
    }

    #[test]
    fn a_record_over_the_limit_stops_reading() {
        let mut tap = QuoteTap::new(&b"\"aaaaaaaaaaaaaaaaaaaaaaaa"[..], 4);
        let mut buf = [0u8; 8];
        assert_eq!(tap.read(&mut buf).unwrap(), 8);
        let e = tap.read(&mut buf).unwrap_err();
        assert!(e.to_string().contains("over 4 bytes"), "{e}");
    }
}
