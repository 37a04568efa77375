//! Turning one [`Input`] into a stream of documents.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use claimlens_core::{Doc, Metadata, Origin};
use encoding_rs::Encoding;

use crate::decode::decode;
use crate::fields::{FieldMap, Record};
use crate::lines::{BoundedLines, Line};
use crate::{ErrorKind, Format, IngestError, Input};

/// Default cap on one document's size (and on one JSONL line / CSV record).
pub const DEFAULT_MAX_DOC_BYTES: u64 = 32 * 1024 * 1024;

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Force a format instead of using extensions and sniffing.
    pub format: Option<Format>,
    /// Force an encoding for text and HTML inputs instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Largest document, JSONL line or CSV record accepted, in bytes.
    pub max_doc_bytes: u64,
    /// JSONL / CSV field names.
    pub fields: FieldMap,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: None,
            encoding: None,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            fields: FieldMap::default(),
        }
    }
}

impl IngestOptions {
    /// Sets the forced encoding from a WHATWG label (`utf-8`, `latin1`, `windows-1252`, ...).
    pub fn set_encoding_label(&mut self, label: &str) -> Result<(), ErrorKind> {
        match Encoding::for_label(label.trim().as_bytes()) {
            Some(enc) => {
                self.encoding = Some(enc);
                Ok(())
            }
            None => Err(ErrorKind::UnknownEncoding(label.to_owned())),
        }
    }
}

/// Reads every document of one input, lazily: JSONL and CSV are streamed record by record, so
/// memory stays flat whatever the corpus size. Errors for one record do not stop the stream.
pub fn read(input: &Input, opts: &IngestOptions) -> Documents {
    match open(input, opts) {
        Ok(state) => Documents { state },
        Err(e) => Documents {
            state: State::One(Some(Err(e))),
        },
    }
}

/// Iterator over the documents of one input.
pub struct Documents {
    state: State,
}

enum State {
    One(Option<Result<Doc, IngestError>>),
    Jsonl(JsonlState),
    Csv(CsvState),
}

impl Iterator for Documents {
    type Item = Result<Doc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.state {
            State::One(item) => item.take(),
            State::Jsonl(s) => s.next(),
            State::Csv(s) => s.next(),
        }
    }
}

fn open(input: &Input, opts: &IngestOptions) -> Result<State, IngestError> {
    let name = input.name.as_str();
    let err = |kind| IngestError::new(name, None, kind);
    let reader: Box<dyn BufRead + Send> = match (&input.memory, &input.path) {
        (Some(bytes), _) => Box::new(io::Cursor::new(bytes.clone())),
        (None, Some(p)) => Box::new(BufReader::with_capacity(
            64 * 1024,
            File::open(p).map_err(|e| err(ErrorKind::Io(e)))?,
        )),
        (None, None) => Box::new(BufReader::with_capacity(64 * 1024, io::stdin())),
    };
    let mut reader = reader;
    let format = match opts.format.or(input.format) {
        Some(f) => f,
        None => Format::sniff(reader.fill_buf().map_err(|e| err(ErrorKind::Io(e)))?),
    };
    Ok(match format {
        Format::Text | Format::Html => State::One(Some(read_single(reader, input, format, opts))),
        Format::Jsonl => State::Jsonl(JsonlState {
            lines: BoundedLines::new(reader, opts.max_doc_bytes as usize),
            name: input.name.clone(),
            line_no: 0,
            fields: opts.fields.clone(),
            done: false,
        }),
        Format::Csv => State::Csv(CsvState::new(reader, input, opts)),
    })
}

fn read_single(
    reader: Box<dyn BufRead + Send>,
    input: &Input,
    format: Format,
    opts: &IngestOptions,
) -> Result<Doc, IngestError> {
    let err = |kind| IngestError::new(&input.name, None, kind);
    let mut bytes = Vec::new();
    reader
        .take(opts.max_doc_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(ErrorKind::Io(e)))?;
    if bytes.len() as u64 > opts.max_doc_bytes {
        let size = input
            .path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(bytes.len() as u64, |m| m.len());
        return Err(err(ErrorKind::TooLarge {
            size,
            limit: opts.max_doc_bytes,
        }));
    }
    // A forced encoding wins; then a charset the content type declared, then one the page
    // declares, both only for bytes that are not UTF-8 (detection handles the rest).
    let declared = || {
        input
            .charset
            .filter(|_| std::str::from_utf8(&bytes).is_err())
    };
    let encoding = match (format, opts.encoding) {
        (_, Some(forced)) => Some(forced),
        (Format::Html, None) => declared().or_else(|| html_declared_encoding(&bytes)),
        (_, None) => declared(),
    };
    let decoded = decode(&bytes, encoding).map_err(err)?;
    drop(bytes);
    let record = if format == Format::Html {
        Record {
            html: Some(decoded.text),
            ..Record::default()
        }
    } else {
        Record {
            text: Some(decoded.text),
            ..Record::default()
        }
    };
    let origin = Origin {
        source: input.name.clone(),
        record: None,
        format: format.as_str(),
        encoding: decoded.encoding,
    };
    record_to_doc(record, input.name.clone(), origin, &opts.fields).map_err(err)
}

/// The charset an HTML page declares in a `<meta>` within its first 1024 bytes, as browsers
/// prescan; used only when the bytes are not valid UTF-8 (detection handles the rest).
fn html_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let head = bytes[..bytes.len().min(1024)].to_ascii_lowercase();
    let pos = head.windows(8).position(|w| w == b"charset=")?;
    let rest = &head[pos + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

/// Builds a `Doc` from a mapped record: plain text is taken as is, HTML is extracted.
fn record_to_doc(
    record: Record,
    default_id: String,
    origin: Origin,
    fields: &FieldMap,
) -> Result<Doc, ErrorKind> {
    let Record {
        text,
        html,
        id,
        meta,
    } = record;
    let (text, meta, origin) = match (text, html) {
        (Some(text), _) => (text, meta, origin),
        (None, Some(html)) => {
            let extracted = crate::html::extract_article(&html, meta.url.as_deref())
                .map_err(|e| ErrorKind::Html(e.to_string()))?;
            let origin = Origin {
                format: if origin.format == "text" {
                    "html"
                } else {
                    origin.format
                },
                ..origin
            };
            (extracted.text, merge_meta(meta, extracted.meta), origin)
        }
        (None, None) => return Err(ErrorKind::MissingText(fields.describe_text_fields())),
    };
    if text.is_empty() {
        return Err(ErrorKind::Empty);
    }
    if text.trim().is_empty() {
        return Err(ErrorKind::WhitespaceOnly);
    }
    let mut doc = Doc::new(id.unwrap_or(default_id), text);
    doc.meta = meta;
    doc.origin = origin;
    Ok(doc)
}

/// Record fields win over what the page says about itself.
fn merge_meta(record: Metadata, page: Metadata) -> Metadata {
    Metadata {
        title: record.title.or(page.title),
        outlet: record.outlet.or(page.outlet),
        url: record.url.or(page.url),
        author: record.author.or(page.author),
        published: record.published.or(page.published),
        language: record.language.or(page.language),
    }
}

struct JsonlState {
    lines: BoundedLines<Box<dyn BufRead + Send>>,
    name: String,
    line_no: u64,
    fields: FieldMap,
    done: bool,
}

impl JsonlState {
    fn next(&mut self) -> Option<Result<Doc, IngestError>> {
        loop {
            if self.done {
                return None;
            }
            let line = match self.lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    // An IO error mid-stream ends this input; report it once.
                    self.done = true;
                    return Some(Err(IngestError::new(
                        &self.name,
                        Some(self.line_no + 1),
                        ErrorKind::Io(e),
                    )));
                }
            };
            self.line_no += 1;
            let record_no = self.line_no;
            let err = |kind| IngestError::new(&self.name, Some(record_no), kind);
            let bytes = match line {
                Line::TooLong { size } => {
                    return Some(Err(err(ErrorKind::TooLarge {
                        size,
                        limit: self.lines_cap(),
                    })))
                }
                Line::Ok(b) => b,
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue; // blank lines between records are common and harmless
            }
            return Some(self.parse(&bytes, record_no).map_err(err));
        }
    }

    fn lines_cap(&self) -> u64 {
        self.lines.cap() as u64
    }

    fn parse(&self, bytes: &[u8], record_no: u64) -> Result<Doc, ErrorKind> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| ErrorKind::Json(e.to_string()))?;
        let obj = match value {
            serde_json::Value::Object(o) => o,
            other => {
                return Err(ErrorKind::Json(format!(
                    "expected an object per line, found {}",
                    json_kind(&other)
                )))
            }
        };
        let record = Record::from_lookup(&self.fields, |k| obj.get(k).and_then(json_to_string));
        let origin = Origin {
            source: self.name.clone(),
            record: Some(record_no),
            format: "jsonl",
            encoding: "UTF-8",
        };
        record_to_doc(
            record,
            format!("{}:{record_no}", self.name),
            origin,
            &self.fields,
        )
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Field values may be strings, numbers (ids) or arrays of strings (author lists).
fn json_to_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_to_string).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

struct CsvState {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    headers: Option<csv::StringRecord>,
    name: String,
    fields: FieldMap,
    max_bytes: u64,
    record_no: u64,
    done: bool,
    pending: Option<IngestError>,
}

impl CsvState {
    fn new(reader: Box<dyn BufRead + Send>, input: &Input, opts: &IngestOptions) -> CsvState {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
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
                Some(IngestError::new(
                    &input.name,
                    Some(1),
                    ErrorKind::Csv(e.to_string()),
                )),
            ),
        };
        CsvState {
            reader,
            headers,
            name: input.name.clone(),
            fields: opts.fields.clone(),
            max_bytes: opts.max_doc_bytes,
            record_no: 1,
            done: false,
            pending,
        }
    }

    fn next(&mut self) -> Option<Result<Doc, IngestError>> {
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
                // csv errors on bad UTF-8 or IO; UTF-8 errors are per record, IO ends input.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                }
                Some(Err(err(ErrorKind::Csv(e.to_string()))))
            }
            Ok(true) => {
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
                Some(
                    record_to_doc(
                        record,
                        format!("{}:{record_no}", self.name),
                        origin,
                        &self.fields,
                    )
                    .map_err(err),
                )
            }
        }
    }
}
