//! Input discovery: files, directories (recursive, sorted) and stdin, with format detection.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use claimlens_core::Metadata;
use encoding_rs::Encoding;

use crate::{ErrorKind, FieldMap, IngestError};

/// Input format of a file or stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One article of plain text.
    Text,
    /// One HTML page; the main article is extracted.
    Html,
    /// One JSON object per line, one article each.
    Jsonl,
    /// A JSON array of objects (or objects one after another), one article each.
    Json,
    /// CSV with a header row, one article per record.
    Csv,
    /// A web archive (WARC 1.0/1.1, plain or gzip-compressed), one article per archived
    /// HTML page.
    Warc,
}

impl Format {
    /// Format from a file extension, `None` when the extension is not one we read.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "jsonl" | "ndjson" => Format::Jsonl,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "warc" => Format::Warc,
            // `crawl.warc.gz`: only web archives are read compressed.
            "gz" if path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.to_ascii_lowercase().ends_with(".warc")) =>
            {
                Format::Warc
            }
            _ => return None,
        })
    }

    /// Guesses the format from the first bytes of a stream with no useful extension.
    pub fn sniff(head: &[u8]) -> Format {
        // A gzip stream is read only as a compressed web archive.
        if head.starts_with(b"WARC/1.") || head.starts_with(&[0x1f, 0x8b]) {
            return Format::Warc;
        }
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        let trimmed = match head.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => &head[i..],
            None => return Format::Text,
        };
        if trimmed.starts_with(b"{") {
            return Format::Jsonl;
        }
        // `[` then `{`: an array of records. A bare `[` is not enough: "[Updated] The mayor
        // said…" is an article.
        if let Some(rest) = trimmed.strip_prefix(b"[") {
            if rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
                return Format::Json;
            }
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

    /// [`Format::sniff`], then CSV when the first line is a header naming one of the
    /// article columns of `fields` (`text,title,url`): stdin has no extension to go by.
    pub fn sniff_with_fields(head: &[u8], fields: &FieldMap) -> Format {
        let format = Format::sniff(head);
        if format == Format::Text && looks_like_csv_header(head, fields) {
            return Format::Csv;
        }
        format
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
            "application/json" => Format::Json,
            "application/warc" => Format::Warc,
            _ => return None,
        })
    }

    /// Stable name for exports and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Warc => "warc",
        }
    }
}

/// True when the first line has a comma and one of its cells (quoted or not) is an
/// article column name: a sentence with commas has no cell that is exactly `text` or `body`.
fn looks_like_csv_header(head: &[u8], fields: &FieldMap) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let Some(end) = memchr::memchr(b'\n', head) else {
        return false;
    };
    let Ok(line) = std::str::from_utf8(&head[..end]) else {
        return false;
    };
    if !line.contains(',') {
        return false;
    }
    let names: Vec<&str> = fields
        .text
        .iter()
        .chain(&fields.html)
        .map(String::as_str)
        .collect();
    line.trim_end_matches('\r')
        .split(',')
        .map(|cell| cell.trim().trim_matches('"').trim())
        .any(|cell| names.contains(&cell))
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
    /// Metadata from outside the bytes ([`Input::with_metadata`]).
    pub(crate) meta: Metadata,
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
            meta: Metadata::default(),
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
            meta: Metadata::default(),
        }
    }

    /// Metadata known from outside the bytes, such as where and when a page was fetched
    /// (`fetched_url`, `fetched_at`), given to the document of a text or HTML input; the
    /// page's own metadata fills the fields left empty. A multi-document input (JSONL, CSV,
    /// a web archive) takes its metadata from its records instead.
    ///
    /// ```
    /// use claimlens_core::Metadata;
    /// use claimlens_ingest::{read, IngestOptions, Input};
    ///
    /// let meta = Metadata {
    ///     fetched_url: Some("https://news.example/port".into()),
    ///     fetched_at: Some("2026-12-03T07:15:42Z".into()),
    ///     ..Metadata::default()
    /// };
    /// let input = Input::memory("https://news.example/port", &b"The port closed."[..], Some("text/plain"))
    ///     .with_metadata(meta);
    /// let doc = read(&input, &IngestOptions::default()).next().unwrap().unwrap();
    /// assert_eq!(doc.meta.fetched_url.as_deref(), Some("https://news.example/port"));
    /// assert_eq!(doc.meta.fetched_at.as_deref(), Some("2026-12-03T07:15:42Z"));
    /// ```
    pub fn with_metadata(mut self, meta: Metadata) -> Input {
        self.meta = meta;
        self
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
            meta: Metadata::default(),
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
    /// Entries found inside directories and deliberately not read, with the reason.
    pub skipped: Vec<Skipped>,
}

/// An entry of a walked directory that is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The entry, as reached from the command-line path.
    pub path: PathBuf,
    /// Why it is not read.
    pub reason: SkipReason,
}

/// Why a directory entry is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// A regular file whose extension is not an input format.
    NotAnInputFormat,
    /// A FIFO, socket or device: reading one can block forever or never end.
    Special(SpecialKind),
    /// A symbolic link, not followed because [`WalkOptions::follow_symlinks`] is off.
    Symlink,
    /// A symbolic link back to a directory being walked (following it would never end).
    SymlinkLoop,
    /// A file already listed under another path (two links to one file).
    AlreadyListed,
    /// One of [`WalkOptions::exclude`] (the report being written, say).
    Excluded,
}

/// The kind of a special file met while walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialKind {
    /// A named pipe: reading blocks until some process writes to it.
    Fifo,
    /// A Unix domain socket.
    Socket,
    /// A block device.
    BlockDevice,
    /// A character device (`/dev/zero` never ends).
    CharDevice,
    /// Anything else that is neither a file, a directory nor a link.
    Other,
}

impl SpecialKind {
    /// Short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecialKind::Fifo => "FIFO",
            SpecialKind::Socket => "socket",
            SpecialKind::BlockDevice => "block device",
            SpecialKind::CharDevice => "character device",
            SpecialKind::Other => "special file",
        }
    }

    fn of(file_type: std::fs::FileType) -> Option<SpecialKind> {
        if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some(SpecialKind::Fifo);
            }
            if file_type.is_socket() {
                return Some(SpecialKind::Socket);
            }
            if file_type.is_block_device() {
                return Some(SpecialKind::BlockDevice);
            }
            if file_type.is_char_device() {
                return Some(SpecialKind::CharDevice);
            }
        }
        Some(SpecialKind::Other)
    }
}

/// How directories are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links found inside directories (links named on the command line are
    /// always followed). Loops are detected and skipped either way.
    pub follow_symlinks: bool,
    /// Files never to list while walking, e.g. the output file of the run: a report written
    /// into the corpus directory must not be read back as an article next time.
    pub exclude: Vec<PathBuf>,
}

/// Expands paths with the default [`WalkOptions`]: see [`expand_with`].
pub fn expand(paths: &[PathBuf]) -> Expanded {
    expand_with(paths, &WalkOptions::default())
}

/// Expands paths: `-` is stdin; a path named directly is taken whatever it is (a file of any
/// extension, or a pipe such as the `/dev/fd/N` of a `<(command)` process substitution);
/// directories are walked recursively in sorted order and yield regular files with a known
/// extension only. FIFOs, sockets and devices inside directories are skipped, because
/// reading them can block forever or never end; so are symbolic links unless
/// [`WalkOptions::follow_symlinks`], and links that loop back to a directory being walked.
pub fn expand_with(paths: &[PathBuf], opts: &WalkOptions) -> Expanded {
    let mut out = Expanded::default();
    let excluded: Vec<FileId> = opts
        .exclude
        .iter()
        .filter_map(|p| FileId::of(&std::fs::metadata(p).ok()?))
        .collect();
    let mut listed: HashSet<FileId> = HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.inputs.push(Input::stdin());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, opts, &excluded, &mut listed, &mut out),
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

fn walk(
    dir: &Path,
    opts: &WalkOptions,
    excluded: &[FileId],
    listed: &mut HashSet<FileId>,
    out: &mut Expanded,
) {
    // walkdir keeps the chain of open ancestors, so a link back to one of them is reported
    // as a loop instead of being walked again (and again: two `..` links double the walk at
    // every level).
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(opts.follow_symlinks)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_owned();
                if e.loop_ancestor().is_some() {
                    out.skipped.push(Skipped {
                        path,
                        reason: SkipReason::SymlinkLoop,
                    });
                } else if let Some(io) = e.into_io_error() {
                    out.errors.push(IngestError::new(
                        &path.display().to_string(),
                        None,
                        ErrorKind::Io(io),
                    ));
                }
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            // An excluded folder (a store's search index) is skipped whole.
            let id = entry.metadata().ok().as_ref().and_then(FileId::of);
            if id.is_some_and(|id| excluded.contains(&id)) && entry.depth() > 0 {
                out.skipped.push(Skipped {
                    path: entry.path().to_owned(),
                    reason: SkipReason::Excluded,
                });
                walker.skip_current_dir();
            }
            continue;
        }
        let skip = |reason| Skipped {
            path: entry.path().to_owned(),
            reason,
        };
        if file_type.is_symlink() {
            // Not followed (or, when following, a link whose target is gone: that is an
            // error worth naming, so it is listed and fails when opened).
            if !opts.follow_symlinks {
                out.skipped.push(skip(SkipReason::Symlink));
                continue;
            }
        } else if let Some(kind) = SpecialKind::of(file_type) {
            out.skipped.push(skip(SkipReason::Special(kind)));
            continue;
        }
        if Format::from_path(entry.path()).is_none() {
            out.skipped.push(skip(SkipReason::NotAnInputFormat));
            continue;
        }
        if let Some(id) = entry.metadata().ok().as_ref().and_then(FileId::of) {
            if excluded.contains(&id) {
                out.skipped.push(skip(SkipReason::Excluded));
                continue;
            }
            if !listed.insert(id) {
                out.skipped.push(skip(SkipReason::AlreadyListed));
                continue;
            }
        }
        out.inputs.push(Input::file(entry.into_path()));
    }
}

/// The identity of a file (device and inode), so two paths to one file are one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_meta: &std::fs::Metadata) -> Option<FileId> {
        None
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
        assert_eq!(Format::sniff(b"\n [ {\"text\": 1}]"), Format::Json);
        assert_eq!(Format::sniff(b"[Updated] The mayor said."), Format::Text);
        let fields = FieldMap::default();
        let csv = b"id,title,\"text\"\n1,Port,\"The mayor said.\"\n";
        assert_eq!(Format::sniff_with_fields(csv, &fields), Format::Csv);
        let prose = b"The mayor, who spoke first, said the text was final.\nMore.\n";
        assert_eq!(Format::sniff_with_fields(prose, &fields), Format::Text);
    }
}
