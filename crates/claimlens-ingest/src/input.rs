//! Input discovery: files, directories (recursive, sorted) and stdin, with format detection.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::{ErrorKind, IngestError};

/// Input format of a file or stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One article of plain text.
    Text,
    /// One HTML page; the main article is extracted.
    Html,
    /// One JSON object per line, one article each.
    Jsonl,
    /// CSV with a header row, one article per record.
    Csv,
}

impl Format {
    /// Format from a file extension, `None` when the extension is not one we read.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            _ => return None,
        })
    }

    /// Guesses the format from the first bytes of a stream with no useful extension.
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        let trimmed = match head.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => &head[i..],
            None => return Format::Text,
        };
        if trimmed.starts_with(b"{") {
            return Format::Jsonl;
        }
        if trimmed.starts_with(b"<") {
            let lower: Vec<u8> = trimmed[..trimmed.len().min(1024)].to_ascii_lowercase();
            let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
            if has(b"<!doctype html")
                || has(b"<html")
                || has(b"<body")
                || has(b"<head")
                || has(b"<p>")
                || has(b"<div")
            {
                return Format::Html;
            }
        }
        Format::Text
    }

    /// Format from a MIME type (`text/html; charset=utf-8`), `None` for a type we do not
    /// read or a generic one (`application/octet-stream`), which is then sniffed.
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        let mime = content_type.split(';').next()?.trim().to_ascii_lowercase();
        Some(match mime.as_str() {
            "text/html" | "application/xhtml+xml" => Format::Html,
            "text/plain" | "text/markdown" => Format::Text,
            "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
                Format::Jsonl
            }
            "text/csv" => Format::Csv,
            _ => return None,
        })
    }

    /// Stable name for exports and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// One input to read: a file, stdin, or bytes already in memory.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file; `None` for stdin and in-memory input.
    pub path: Option<PathBuf>,
    /// The name used in errors and as document id prefix (the path as given, `-`, or the
    /// name an in-memory input was given).
    pub name: String,
    /// Format from the extension or content type, `None` to sniff.
    pub format: Option<Format>,
    /// In-memory bytes, read instead of `path` or stdin.
    pub(crate) memory: Option<Arc<[u8]>>,
    /// The charset a content type declared, used for bytes that are not UTF-8.
    pub(crate) charset: Option<&'static Encoding>,
}

impl Input {
    /// Stdin.
    pub fn stdin() -> Input {
        Input {
            path: None,
            name: "-".to_owned(),
            format: None,
            memory: None,
            charset: None,
        }
    }

    /// Bytes already in memory (an upload, a fetched page), read exactly as a file would be:
    /// `name` stands in errors and document ids; `content_type` (a MIME type, with an optional
    /// `charset`) chooses the format, which is otherwise sniffed.
    ///
    /// ```
    /// use claimlens_ingest::{read, IngestOptions, Input};
    ///
    /// let paragraph = "<p>The mayor of the harbour town said on Tuesday that the old port \
    ///     will close for repairs next spring, and that ferries will use the north quay.</p>";
    /// let page = format!("<html><head><title>Port to close</title></head><body><article>\
    ///     <h1>Port to close</h1>{}</article></body></html>", paragraph.repeat(4));
    /// let input = Input::memory("upload-1", page.into_bytes(), Some("text/html; charset=utf-8"));
    /// let doc = read(&input, &IngestOptions::default()).next().unwrap().unwrap();
    /// assert_eq!(doc.origin.format, "html");
    /// assert!(doc.text().contains("The mayor of the harbour town said"));
    ///
    /// let text = Input::memory("note", &b"Officials said it rained."[..], Some("text/plain"));
    /// let doc = read(&text, &IngestOptions::default()).next().unwrap().unwrap();
    /// assert_eq!((doc.text(), doc.origin.source.as_str()), ("Officials said it rained.", "note"));
    /// ```
    pub fn memory(
        name: impl Into<String>,
        bytes: impl Into<Arc<[u8]>>,
        content_type: Option<&str>,
    ) -> Input {
        let charset = content_type
            .and_then(|ct| {
                ct.split(';')
                    .filter_map(|p| p.trim().split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
                    .map(|(_, v)| v.trim().trim_matches('"').to_owned())
            })
            .and_then(|label| Encoding::for_label(label.as_bytes()));
        Input {
            path: None,
            name: name.into(),
            format: content_type.and_then(Format::from_content_type),
            memory: Some(bytes.into()),
            charset,
        }
    }

    /// A file; the format comes from its extension or is sniffed when read.
    pub fn file(path: impl Into<PathBuf>) -> Input {
        let path = path.into();
        Input {
            name: path.display().to_string(),
            format: Format::from_path(&path),
            path: Some(path),
            memory: None,
            charset: None,
        }
    }
}

/// The result of expanding command-line paths.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Inputs to read, in order.
    pub inputs: Vec<Input>,
    /// Paths that could not be listed or opened.
    pub errors: Vec<IngestError>,
    /// Files inside directories skipped because their extension is not an input format.
    pub skipped: Vec<PathBuf>,
}

/// Expands paths: `-` is stdin, files are taken whatever their extension, directories are
/// walked recursively in sorted order and yield files with a known extension only.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut out = Expanded::default();
    for p in paths {
        if p.as_os_str() == "-" {
            out.inputs.push(Input::stdin());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out),
            Ok(_) => out.inputs.push(Input::file(p)),
            Err(e) => out.errors.push(IngestError::new(
                &p.display().to_string(),
                None,
                ErrorKind::Io(e),
            )),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Expanded) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.errors.push(IngestError::new(
                &dir.display().to_string(),
                None,
                ErrorKind::Io(e),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => out.errors.push(IngestError::new(
                &dir.display().to_string(),
                None,
                ErrorKind::Io(e),
            )),
        }
    }
    paths.sort();
    for p in paths {
        let is_dir = std::fs::metadata(&p).map(|m| m.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&p, out);
        } else if Format::from_path(&p).is_some() {
            out.inputs.push(Input::file(p));
        } else {
            out.skipped.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(Format::sniff(b"  {\"text\": 1}"), Format::Jsonl);
        assert_eq!(Format::sniff(b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::sniff(b"<3 is not html"), Format::Text);
        assert_eq!(Format::sniff(b"Plain words."), Format::Text);
    }
}
