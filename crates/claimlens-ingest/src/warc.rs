//! Web archives (WARC/1.0 and 1.1, ISO 28500), plain or gzip-compressed record by record
//! (`.warc.gz`, as crawlers write them): every archived HTML page becomes a document, with
//! the archived address and date in its metadata.
//!
//! The archive is streamed: one record's payload is held at a time, and a record larger than
//! the document limit is skipped without being buffered, so a crawl of any size reads in
//! flat memory. Records that are not HTML responses (request, metadata, warcinfo records,
//! images, redirects, errors) are passed over; they are what most of a crawl holds.
//!
//! A small reader of our own rather than a WARC crate: the crates on the registry either
//! buffer each record whole (an archived video would cost its size in memory) or bring a
//! second parser-combinator and date library into the build, and the format is a header
//! block and a `Content-Length` body.

use std::io::{self, BufRead, BufReader, Read};

use claimlens_core::Metadata;
use encoding_rs::Encoding;
use flate2::bufread::MultiGzDecoder;

use crate::read::{payload_to_doc, Ingested, Payload};
use crate::{ErrorKind, Format, IngestError, IngestOptions, Input};

/// Longest header block (WARC or HTTP) accepted; real ones are under 4 KiB.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Reads the HTML pages of one WARC input.
pub(crate) struct WarcRecords {
    reader: Box<dyn BufRead + Send>,
    name: String,
    opts: IngestOptions,
    charset: Option<&'static Encoding>,
    /// WARC records seen so far, of any type (the 1-based number of the last one).
    record_no: u64,
    done: bool,
}

/// The WARC header fields claimlens uses.
#[derive(Debug, Default)]
struct WarcHeader {
    kind: String,
    content_type: String,
    target_uri: Option<String>,
    date: Option<String>,
    record_id: Option<String>,
    length: u64,
}

/// One archived HTML page, before decoding.
struct Page {
    body: Vec<u8>,
    charset: Option<&'static Encoding>,
}

impl WarcRecords {
    /// `reader` starts at the archive's first byte; gzip is detected from its magic number.
    pub(crate) fn new(
        mut reader: Box<dyn BufRead + Send>,
        input: &Input,
        opts: &IngestOptions,
    ) -> io::Result<WarcRecords> {
        if reader.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
            // Each record is its own gzip member; the decoder reads them one after another.
            reader = Box::new(BufReader::with_capacity(
                64 * 1024,
                MultiGzDecoder::new(reader),
            ));
        }
        Ok(WarcRecords {
            reader,
            name: input.name.clone(),
            opts: opts.clone(),
            charset: input.charset,
            record_no: 0,
            done: false,
        })
    }

    pub(crate) fn next(&mut self) -> Option<Result<Ingested, IngestError>> {
        while !self.done {
            match self.next_page() {
                Ok(None) => self.done = true,
                Ok(Some((header, page))) => return Some(self.to_doc(header, page)),
                Err(Skip::Record(kind)) => return Some(Err(self.error(kind))),
                Err(Skip::Archive(kind)) => {
                    // The structure is broken (a truncated member, a length that lies at
                    // the end): where the next record starts is unknown.
                    self.done = true;
                    return Some(Err(self.error(kind)));
                }
            }
        }
        None
    }

    fn error(&self, kind: ErrorKind) -> IngestError {
        let record = (self.record_no > 0).then_some(self.record_no);
        IngestError::new(&self.name, record, kind)
    }

    /// The next record that holds an HTML page, passing over every other record.
    fn next_page(&mut self) -> Result<Option<(WarcHeader, Page)>, Skip> {
        loop {
            let Some(header) = self.read_header()? else {
                return Ok(None);
            };
            self.record_no += 1;
            let is_http_response =
                header.kind == "response" && mime(&header.content_type) == "application/http";
            let is_html_resource = header.kind == "resource" && is_html(mime(&header.content_type));
            if !is_http_response && !is_html_resource {
                self.skip_body(header.length)?;
                continue;
            }
            // The HTTP head comes on top of the page, so allow for it beyond the limit.
            let limit = self
                .opts
                .max_doc_bytes
                .saturating_add(MAX_HEADER_BYTES as u64);
            if header.length > limit {
                self.skip_body(header.length)?;
                return Err(Skip::Record(ErrorKind::TooLarge {
                    size: header.length,
                    limit: self.opts.max_doc_bytes,
                }));
            }
            let mut block = Vec::with_capacity(header.length as usize);
            (&mut self.reader)
                .take(header.length)
                .read_to_end(&mut block)
                .map_err(|e| Skip::Archive(ErrorKind::Io(e)))?;
            if (block.len() as u64) < header.length {
                return Err(Skip::Archive(warc_error(format!(
                    "the archive ends inside a record ({} of its {} declared bytes)",
                    block.len(),
                    header.length
                ))));
            }
            let page = if is_http_response {
                match http_page(block, self.opts.max_doc_bytes).map_err(Skip::Record)? {
                    Some(page) => page,
                    None => continue,
                }
            } else {
                Page {
                    charset: charset_of(&header.content_type),
                    body: block,
                }
            };
            return Ok(Some((header, page)));
        }
    }

    /// Reads the next header block; `None` at the end of the archive.
    fn read_header(&mut self) -> Result<Option<WarcHeader>, Skip> {
        let broken = |e: io::Error| Skip::Archive(ErrorKind::Io(e));
        // Records end with two CRLFs; tolerate any number of blank lines between them.
        let version = loop {
            let mut line = Vec::new();
            let n = read_line(&mut self.reader, &mut line, MAX_HEADER_BYTES).map_err(broken)?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim_ascii().is_empty() {
                break line;
            }
        };
        if !version.starts_with(b"WARC/") {
            return Err(Skip::Archive(warc_error(format!(
                "expected a record starting with `WARC/1.0` or `WARC/1.1` after record {}, found \
                 {:?} (a record's Content-Length may be wrong)",
                self.record_no,
                String::from_utf8_lossy(&version[..version.len().min(40)]).trim_end()
            ))));
        }
        let fields = read_fields(&mut self.reader).map_err(|e| match e {
            FieldsError::Io(e) => Skip::Archive(ErrorKind::Io(e)),
            FieldsError::TooLong => {
                Skip::Archive(warc_error("a WARC header block over 64 KiB".to_owned()))
            }
        })?;
        let mut header = WarcHeader::default();
        let mut length = None;
        for (name, value) in fields {
            match name.to_ascii_lowercase().as_str() {
                "warc-type" => header.kind = value.to_ascii_lowercase(),
                "content-type" => header.content_type = value,
                // WARC/1.0 writers often put the URI in angle brackets.
                "warc-target-uri" => {
                    header.target_uri = Some(value.trim_matches(['<', '>']).to_owned())
                }
                "warc-date" => header.date = Some(value),
                "warc-record-id" => header.record_id = Some(value),
                "content-length" => length = value.trim().parse::<u64>().ok(),
                _ => {}
            }
        }
        header.length = length.ok_or_else(|| {
            Skip::Archive(warc_error(format!(
                "record {} has no valid Content-Length",
                self.record_no + 1
            )))
        })?;
        Ok(Some(header))
    }

    fn skip_body(&mut self, length: u64) -> Result<(), Skip> {
        let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())
            .map_err(|e| Skip::Archive(ErrorKind::Io(e)))?;
        if skipped < length {
            return Err(Skip::Archive(warc_error(format!(
                "the archive ends inside a record ({skipped} of its {length} declared bytes)"
            ))));
        }
        Ok(())
    }

    fn to_doc(&self, header: WarcHeader, page: Page) -> Result<Ingested, IngestError> {
        let id = header
            .record_id
            .as_deref()
            .map(|r| r.trim_matches(['<', '>']).to_owned());
        let payload = Payload {
            bytes: page.body,
            name: &self.name,
            record: Some(self.record_no),
            format: Format::Warc,
            content_format: Format::Html,
            charset: self.charset.or(page.charset),
            id,
            meta: Metadata {
                fetched_url: header.target_uri,
                fetched_at: header.date,
                ..Metadata::default()
            },
        };
        payload_to_doc(payload, &self.opts).map_err(|kind| self.error(kind))
    }
}

/// Why a record gave no page: this record only, or the archive from here on.
enum Skip {
    Record(ErrorKind),
    Archive(ErrorKind),
}

fn warc_error(message: String) -> ErrorKind {
    ErrorKind::Warc(message)
}

fn http_error(message: String) -> ErrorKind {
    ErrorKind::Warc(format!("the archived HTTP response: {message}"))
}

/// The HTML page inside an archived HTTP response; `None` when the response is not a
/// successful HTML page (a redirect, an error, an image).
fn http_page(block: Vec<u8>, limit: u64) -> Result<Option<Page>, ErrorKind> {
    let mut cursor = io::Cursor::new(&block[..]);
    let mut status = Vec::new();
    read_line(&mut cursor, &mut status, MAX_HEADER_BYTES).map_err(ErrorKind::Io)?;
    let code = std::str::from_utf8(&status)
        .ok()
        .filter(|s| s.starts_with("HTTP/"))
        .and_then(|s| s.split_ascii_whitespace().nth(1))
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| http_error("no HTTP status line".to_owned()))?;
    let fields = read_fields(&mut cursor).map_err(|e| match e {
        FieldsError::Io(e) => ErrorKind::Io(e),
        FieldsError::TooLong => http_error("an HTTP header block over 64 KiB".to_owned()),
    })?;
    if !(200..300).contains(&code) {
        return Ok(None);
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let content_type = field("content-type").unwrap_or("");
    // A response without a content type is sniffed by browsers; archives of news sites
    // rarely have one, and a page that is not HTML fails extraction with a clear error.
    if !content_type.is_empty() && !is_html(mime(content_type)) {
        return Ok(None);
    }
    let charset = charset_of(content_type);
    let chunked =
        field("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let encoding = field("content-encoding").map(|e| e.trim().to_ascii_lowercase());
    let start = cursor.position() as usize;
    let mut body = block;
    body.drain(..start);
    if chunked {
        body = dechunk(&body)?;
    }
    let body = match encoding.as_deref() {
        None | Some("" | "identity") => body,
        Some("gzip" | "x-gzip") => {
            inflate(flate2::read::MultiGzDecoder::new(&body[..]), limit, "gzip")?
        }
        Some("deflate") => inflate(flate2::read::ZlibDecoder::new(&body[..]), limit, "deflate")?,
        Some(other) => {
            return Err(http_error(format!(
                "content encoding `{other}` is not supported (gzip and deflate are)"
            )))
        }
    };
    if body.len() as u64 > limit {
        return Err(ErrorKind::TooLarge {
            size: body.len() as u64,
            limit,
        });
    }
    Ok(Some(Page { body, charset }))
}

/// Decompresses at most `limit` bytes: a small archived page can inflate to gigabytes.
fn inflate(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, ErrorKind> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| http_error(format!("the {what} body does not decompress: {e}")))?;
    if out.len() as u64 > limit {
        return Err(ErrorKind::TooLarge {
            size: out.len() as u64,
            limit,
        });
    }
    Ok(out)
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body (RFC 9112 §7.1).
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, ErrorKind> {
    let mut out = Vec::with_capacity(rest.len());
    loop {
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| http_error("a chunk size line is cut off".to_owned()))?;
        let size_text = std::str::from_utf8(&rest[..line_end])
            .ok()
            .map(|s| s.trim().split(';').next().unwrap_or("").trim().to_owned())
            .unwrap_or_default();
        let size = usize::from_str_radix(&size_text, 16)
            .map_err(|_| http_error(format!("bad chunk size {size_text:?}")))?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = rest.get(..size).ok_or_else(|| {
            http_error(format!(
                "a chunk of {size} bytes is cut off at {}",
                rest.len()
            ))
        })?;
        out.extend_from_slice(chunk);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

enum FieldsError {
    Io(io::Error),
    TooLong,
}

/// `Name: value` lines up to a blank line, continuation lines (starting with white space)
/// folded into the field before them; at most [`MAX_HEADER_BYTES`] in all.
fn read_fields(reader: &mut impl BufRead) -> Result<Vec<(String, String)>, FieldsError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut total = 0;
    loop {
        let mut line = Vec::new();
        let n = read_line(reader, &mut line, MAX_HEADER_BYTES).map_err(FieldsError::Io)?;
        total += n;
        if total > MAX_HEADER_BYTES {
            return Err(FieldsError::TooLong);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if n == 0 || text.is_empty() {
            return Ok(fields);
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':') {
            fields.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
}

/// Reads one line (with its `\n`) into `line`, at most `limit` bytes of it; the byte count
/// read, 0 at the end of input.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    let mut n = 0;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(n);
        }
        let (take, ends) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        reader.consume(take);
        n += take;
        if ends || n > limit {
            return Ok(n);
        }
    }
}

/// The MIME type of a content type, lower case (`text/html; charset=x` → `text/html`).
fn mime(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_html(mime: String) -> bool {
    matches!(mime.as_str(), "text/html" | "application/xhtml+xml")
}

/// The `charset` parameter of a content type, when it names an encoding.
fn charset_of(content_type: &str) -> Option<&'static Encoding> {
    content_type
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .and_then(|(_, v)| Encoding::for_label(v.trim().trim_matches('"').as_bytes()))
}

#[cfg(test)]
#[path = "warc_tests.rs"]
mod tests;
