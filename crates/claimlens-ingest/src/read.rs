//! Turning one [`Input`] into a stream of documents.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use claimlens_core::{Diagnostic, Doc, Metadata, Origin, Severity};
use encoding_rs::Encoding;

use crate::csv_records::CsvState;
use crate::decode::{decode_with_policy, DecodeNote};
use crate::error::RecordError;
use crate::fields::{FieldMap, Record};
use crate::json_records::JsonRecords;
use crate::lines::{BoundedLines, Line};
use crate::warc::WarcRecords;
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
    /// Replace invalid UTF-8 by U+FFFD (counted in a warning) instead of refusing the input.
    pub lossy: bool,
    /// Largest document, JSONL line or CSV record accepted, in bytes.
    pub max_doc_bytes: u64,
    /// JSONL / CSV field names.
    pub fields: FieldMap,
    /// How an HTML page's article text is chosen (the default: both extractors and the
    /// cross-validated selector between them).
    pub extraction: crate::html::ExtractOptions,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: None,
            encoding: None,
            lossy: false,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            fields: FieldMap::default(),
            extraction: crate::html::ExtractOptions::default(),
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

/// Iterator over the documents of one input. It yields the documents alone; call
/// [`Documents::with_diagnostics`] to have what ingest noticed about each one as well.
pub struct Documents {
    state: State,
}

/// A document with what ingest noticed while reading it: damaged bytes replaced, an
/// encoding detected, an HTML page taken whole. These belong in the document's diagnostics,
/// before the pipeline's own.
#[derive(Debug)]
pub struct Ingested {
    /// The document.
    pub doc: Doc,
    /// Diagnostics of stage `ingest`.
    pub diagnostics: Vec<Diagnostic>,
}

impl Ingested {
    pub(crate) fn new(doc: Doc) -> Ingested {
        Ingested {
            doc,
            diagnostics: Vec::new(),
        }
    }

    fn note(&mut self, severity: Severity, message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            stage: "ingest".into(),
            message,
            span: None,
        });
    }
}

enum State {
    One(Option<Result<Ingested, IngestError>>),
    Jsonl(JsonlState),
    Json(JsonRecords<Box<dyn BufRead + Send>>),
    Csv(CsvState),
    Warc(Box<WarcRecords>),
}

impl Documents {
    /// The same stream, each document with its ingest diagnostics.
    pub fn with_diagnostics(self) -> WithDiagnostics {
        WithDiagnostics { docs: self }
    }

    fn next_ingested(&mut self) -> Option<Result<Ingested, IngestError>> {
        match &mut self.state {
            State::One(item) => item.take(),
            State::Jsonl(s) => s.next(),
            State::Json(s) => s.next(),
            State::Csv(s) => s.next(),
            State::Warc(s) => s.next(),
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Doc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_ingested().map(|r| r.map(|i| i.doc))
    }
}

/// [`Documents`] with each document's ingest diagnostics ([`Documents::with_diagnostics`]).
pub struct WithDiagnostics {
    docs: Documents,
}

impl Iterator for WithDiagnostics {
    type Item = Result<Ingested, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.docs.next_ingested()
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
        None => Format::sniff_with_fields(
            reader.fill_buf().map_err(|e| err(ErrorKind::Io(e)))?,
            &opts.fields,
        ),
    };
    Ok(match format {
        Format::Text | Format::Html => State::One(Some(read_single(reader, input, format, opts))),
        Format::Jsonl => State::Jsonl(JsonlState {
            lines: BoundedLines::new(reader, opts.max_doc_bytes as usize),
            name: input.name.clone(),
            line_no: 0,
            fields: opts.fields.clone(),
            extraction: opts.extraction,
            done: false,
        }),
        Format::Json => State::Json(JsonRecords::new(
            reader,
            &input.name,
            &opts.fields,
            &opts.extraction,
            opts.max_doc_bytes,
        )),
        Format::Csv => State::Csv(CsvState::new(reader, input, opts)),
        Format::Warc => State::Warc(Box::new(
            WarcRecords::new(reader, input, opts).map_err(|e| err(ErrorKind::Io(e)))?,
        )),
    })
}

fn read_single(
    reader: Box<dyn BufRead + Send>,
    input: &Input,
    format: Format,
    opts: &IngestOptions,
) -> Result<Ingested, IngestError> {
    let err = |kind| IngestError::new(&input.name, None, kind);
    // A regular file says how big it is: one over the limit is refused without reading it.
    // Pipes, stdin and devices (`/dev/zero` never ends) are read up to the limit and no
    // further, so a document never costs more memory than the limit.
    let file_len = input
        .path
        .as_ref()
        .and_then(|p| std::fs::metadata(p).ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len());
    if let Some(size) = file_len.filter(|&len| len > opts.max_doc_bytes) {
        return Err(err(ErrorKind::TooLarge {
            size,
            limit: opts.max_doc_bytes,
        }));
    }
    let bytes = match read_at_most(reader, opts.max_doc_bytes, file_len) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(err(ErrorKind::StreamTooLarge {
                limit: opts.max_doc_bytes,
            }))
        }
        Err(e) => return Err(err(ErrorKind::Io(e))),
    };
    payload_to_doc(
        Payload {
            bytes,
            name: &input.name,
            record: None,
            format,
            content_format: format,
            charset: input.charset,
            id: None,
            meta: input.meta.clone(),
        },
        opts,
    )
    .map_err(err)
}

/// The bytes of one document with what its container said about them: the single-document
/// formats (text, HTML) and web archive records become documents through here.
pub(crate) struct Payload<'a> {
    /// The undecoded bytes.
    pub bytes: Vec<u8>,
    /// The input's name (errors, default document id).
    pub name: &'a str,
    /// The record number inside the input, when it holds several documents.
    pub record: Option<u64>,
    /// The input's format (`origin.format`).
    pub format: Format,
    /// What the bytes are: [`Format::Text`] or [`Format::Html`].
    pub content_format: Format,
    /// The charset a content type declared, used for bytes that are not UTF-8.
    pub charset: Option<&'static Encoding>,
    /// The document id the container gave, if any.
    pub id: Option<String>,
    /// Metadata from the container; the page's own fills the gaps.
    pub meta: Metadata,
}

/// Decodes a payload and builds its document (HTML extracted), with ingest's notes.
pub(crate) fn payload_to_doc(p: Payload<'_>, opts: &IngestOptions) -> Result<Ingested, ErrorKind> {
    let Payload {
        bytes,
        name,
        record,
        format: input_format,
        content_format: format,
        charset,
        id,
        meta,
    } = p;
    // A forced encoding wins; then a charset the content type declared, then one the page
    // declares, both only for bytes that are not UTF-8 (detection handles the rest).
    let declared = || charset.filter(|_| std::str::from_utf8(&bytes).is_err());
    let encoding = match (format, opts.encoding) {
        (_, Some(forced)) => Some(forced),
        (Format::Html, None) => declared().or_else(|| html_declared_encoding(&bytes)),
        (_, None) => declared(),
    };
    let decoded = decode_with_policy(&bytes, encoding, opts.lossy)?;
    drop(bytes);
    let notes = decoded.notes;
    let (text, html) = if format == Format::Html {
        (None, Some(decoded.text))
    } else {
        (Some(decoded.text), None)
    };
    let record_fields = Record {
        text,
        html,
        id,
        meta,
    };
    let origin = Origin {
        source: name.to_owned(),
        record,
        format: input_format.as_str(),
        encoding: decoded.encoding,
    };
    let default_id = match record {
        Some(n) => format!("{name}:{n}"),
        None => name.to_owned(),
    };
    let mut ingested = record_to_doc(
        record_fields,
        default_id,
        origin,
        &opts.fields,
        &opts.extraction,
    )?;
    for note in notes {
        let severity = match note {
            DecodeNote::Replaced { .. } => Severity::Warning,
            _ => Severity::Info,
        };
        let message = match note {
            DecodeNote::Detected => format!(
                "not UTF-8: decoded as {} (detected from the bytes; pass --encoding to choose)",
                ingested.doc.origin.encoding
            ),
            other => other.to_string(),
        };
        ingested.note(severity, message);
    }
    Ok(ingested)
}

/// Reads the whole input when it holds at most `limit` bytes, `None` when it holds more. The
/// buffer never grows past `limit + 1` bytes (a plain `read_to_end` may double its capacity
/// past it); `size_hint` presizes it for a regular file.
fn read_at_most(
    mut reader: impl Read,
    limit: u64,
    size_hint: Option<u64>,
) -> io::Result<Option<Vec<u8>>> {
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let first = size_hint.map_or(64 * 1024, |len| len.saturating_add(1) as usize);
    let mut bytes: Vec<u8> = Vec::with_capacity(first.min(cap));
    loop {
        if bytes.len() >= cap {
            return Ok(None);
        }
        if bytes.len() == bytes.capacity() {
            bytes.reserve_exact(bytes.len().max(64 * 1024).min(cap - bytes.len()));
        }
        let len = bytes.len();
        bytes.resize(bytes.capacity().min(cap), 0);
        match reader.read(&mut bytes[len..]) {
            Ok(0) => {
                bytes.truncate(len);
                return Ok(Some(bytes));
            }
            Ok(n) => bytes.truncate(len + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => bytes.truncate(len),
            Err(e) => return Err(e),
        }
    }
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
pub(crate) fn record_to_doc(
    record: Record,
    default_id: String,
    origin: Origin,
    fields: &FieldMap,
    extraction: &crate::html::ExtractOptions,
) -> Result<Ingested, ErrorKind> {
    let Record {
        text,
        html,
        id,
        meta,
    } = record;
    let mut whole_body = false;
    let (text, meta, origin) = match (text, html) {
        (Some(text), _) => (text, meta, origin),
        (None, Some(html)) => {
            let extracted =
                crate::html::extract_article_with(&html, meta.url.as_deref(), extraction)
                    .map_err(|e| ErrorKind::Html(e.to_string()))?;
            let origin = Origin {
                format: if origin.format == "text" {
                    "html"
                } else {
                    origin.format
                },
                ..origin
            };
            whole_body = extracted.whole_body;
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
    let mut ingested = Ingested::new(doc);
    if whole_body {
        ingested.note(
            Severity::Warning,
            "the article extractor found no article in this HTML page, so its whole body text \
             was analyzed (menus and scripts left out): check that it is the article"
                .to_owned(),
        );
    }
    Ok(ingested)
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
        fetched_url: record.fetched_url.or(page.fetched_url),
        fetched_at: record.fetched_at.or(page.fetched_at),
    }
}

struct JsonlState {
    lines: BoundedLines<Box<dyn BufRead + Send>>,
    name: String,
    line_no: u64,
    fields: FieldMap,
    extraction: crate::html::ExtractOptions,
    done: bool,
}

impl JsonlState {
    fn next(&mut self) -> Option<Result<Ingested, IngestError>> {
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
            return Some(
                self.parse(&bytes, record_no)
                    .map_err(|e| IngestError::of_record(&self.name, record_no, e)),
            );
        }
    }

    fn lines_cap(&self) -> u64 {
        self.lines.cap() as u64
    }

    fn parse(&self, bytes: &[u8], record_no: u64) -> Result<Ingested, RecordError> {
        json_record_to_doc(
            bytes,
            &self.name,
            record_no,
            &self.fields,
            &self.extraction,
            "jsonl",
        )
    }
}

/// One JSON object (a JSONL line, an element of a JSON array) as a document.
pub(crate) fn json_record_to_doc(
    bytes: &[u8],
    name: &str,
    record_no: u64,
    fields: &FieldMap,
    extraction: &crate::html::ExtractOptions,
    format: &'static str,
) -> Result<Ingested, RecordError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ErrorKind::Json(e.to_string()))?;
    let obj = match value {
        serde_json::Value::Object(o) => o,
        other => {
            let per = if format == "jsonl" { "line" } else { "record" };
            return Err(ErrorKind::Json(format!(
                "expected an object per {per}, found {}",
                json_kind(&other)
            ))
            .into());
        }
    };
    let record = Record::from_lookup(fields, |k| obj.get(k).and_then(json_to_string));
    let origin = Origin {
        source: name.to_owned(),
        record: Some(record_no),
        format,
        encoding: "UTF-8",
    };
    let id = record.id.clone();
    record_to_doc(
        record,
        format!("{name}:{record_no}"),
        origin,
        fields,
        extraction,
    )
    .map_err(|kind| RecordError { kind, id })
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
