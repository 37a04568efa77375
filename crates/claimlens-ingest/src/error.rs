//! Ingest errors: every one names its source and, inside corpora, the line or record.

use std::fmt;

/// What went wrong while reading one input or record.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file or record has no bytes.
    Empty,
    /// The text contains only white space.
    WhitespaceOnly,
    /// The bytes are a binary format or contain binary data.
    Binary(String),
    /// Mostly UTF-8, but with an invalid byte sequence at this position.
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        byte: u64,
        /// 1-based line.
        line: u64,
        /// 1-based column, in bytes.
        column: u64,
    },
    /// The bytes do not decode in the detected or forced encoding.
    Undecodable(&'static str),
    /// The caller named an encoding that encoding_rs does not know.
    UnknownEncoding(String),
    /// The document or line is over the size limit.
    TooLarge {
        /// Its size in bytes (a lower bound when reading stopped early).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A stream with no known size (stdin, a pipe, a device such as `/dev/zero`) went on past
    /// the limit; reading stopped there.
    StreamTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A JSONL line is not a JSON object of the expected shape.
    Json(String),
    /// A CSV record is malformed or lacks columns.
    Csv(String),
    /// No field holds the article (`text` or `html` under any configured name).
    MissingText(String),
    /// The HTML page has no extractable article.
    Html(String),
    /// A web archive (or an HTTP response inside one) is malformed.
    Warc(String),
    /// An IO error (unreadable file, permission denied, ...).
    Io(std::io::Error),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Empty => write!(f, "empty input: nothing to analyze"),
            ErrorKind::WhitespaceOnly => write!(f, "input contains only white space"),
            ErrorKind::Binary(what) => write!(f, "binary data, not text ({what})"),
            ErrorKind::InvalidUtf8 { byte, line, column } => write!(
                f,
                "invalid UTF-8 at byte {byte} (line {line}, column {column}); \
                 pass --lossy to replace damaged bytes with U+FFFD (they are counted in a \
                 warning), or --encoding if the file is in a legacy encoding"
            ),
            ErrorKind::Undecodable(enc) => write!(f, "bytes are not valid {enc}"),
            ErrorKind::UnknownEncoding(label) => write!(
                f,
                "unknown encoding `{label}` (use a WHATWG label such as utf-8, windows-1252, \
                 iso-8859-2, utf-16le, shift_jis)"
            ),
            ErrorKind::TooLarge { size, limit } => write!(
                f,
                "{size} bytes is over the {limit}-byte limit per document (raise --max-doc-bytes)"
            ),
            ErrorKind::StreamTooLarge { limit } => write!(
                f,
                "more than {limit} bytes, the limit per document: reading stopped there \
                 (raise --max-doc-bytes, or check that this is really an article)"
            ),
            ErrorKind::Json(msg) => write!(f, "malformed JSON: {msg}"),
            ErrorKind::Csv(msg) => write!(f, "malformed CSV: {msg}"),
            ErrorKind::MissingText(fields) => {
                write!(f, "no article text: expected one of the fields {fields}")
            }
            ErrorKind::Html(msg) => write!(f, "HTML: {msg}"),
            ErrorKind::Warc(msg) => write!(f, "malformed WARC: {msg}"),
            ErrorKind::Io(e) => write!(f, "{e}"),
        }
    }
}

/// An ingest error with its location.
#[derive(Debug)]
pub struct IngestError {
    /// File path, `-` for stdin.
    pub source: String,
    /// 1-based line (JSONL) or record (CSV) number, when the source holds several documents.
    pub record: Option<u64>,
    /// The record's own id (its `id` field), when the record was parsed far enough to have
    /// one: a record with an id but no text, say. Lets a caller say which document failed.
    pub id: Option<String>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl IngestError {
    pub(crate) fn new(source: &str, record: Option<u64>, kind: ErrorKind) -> IngestError {
        IngestError {
            source: source.to_owned(),
            record,
            id: None,
            kind,
        }
    }

    /// The error of record `record` of `source`, with the id the record carried.
    pub(crate) fn of_record(source: &str, record: u64, e: RecordError) -> IngestError {
        IngestError {
            id: e.id,
            ..IngestError::new(source, Some(record), e.kind)
        }
    }
}

/// A record (JSON object, CSV row) that could not become a document: what went wrong, and
/// the record's own id when it was read before the error.
#[derive(Debug)]
pub(crate) struct RecordError {
    pub kind: ErrorKind,
    pub id: Option<String>,
}

impl From<ErrorKind> for RecordError {
    fn from(kind: ErrorKind) -> Self {
        RecordError { kind, id: None }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(r) => write!(f, "{}: record {r}: {}", self.source, self.kind),
            None => write!(f, "{}: {}", self.source, self.kind),
        }
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}
