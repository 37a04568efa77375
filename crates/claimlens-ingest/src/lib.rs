//! claimlens ingest: bytes from files, directories and stdin into [`Doc`](claimlens_core::Doc)s.
//!
//! # Brief overview
//!
//! * [`expand`] turns command-line paths into [`Input`]s (directories are walked in sorted
//!   order; `-` is stdin). [`expand_with`] takes [`WalkOptions`]: symbolic links are followed
//!   only when asked, loops are detected, and FIFOs, sockets and devices inside directories
//!   are [`Skipped`] rather than read (they can block forever or never end).
//! * [`read`] turns one input into a lazy stream of `Result<Doc, IngestError>`: one document
//!   for a text or HTML file, one per line for JSONL, per element for a JSON array, per record
//!   for CSV, per archived HTML page for a web archive (WARC, plain or `.warc.gz`). Streams hold one record at a time, so a corpus of any size reads in flat
//!   memory, and one bad record is an error item, not the end of the stream. No single
//!   document buffers more than [`IngestOptions::max_doc_bytes`].
//!   [`Documents::with_diagnostics`] also yields what reading noticed about each document
//!   ([`Ingested`]): bytes replaced, an encoding detected, an HTML page taken whole.
//! * Text bytes are decoded by [`decode`](decode::decode): BOM, UTF-8, or a legacy encoding
//!   detected by `chardetng`; binary data and corrupt UTF-8 are rejected with a position
//!   (or, with [`IngestOptions::lossy`], corrupt UTF-8 is replaced and counted).
//! * HTML pages go through [`html::extract_article`]: boilerplate removed, metadata from meta
//!   tags and JSON-LD. The extracted text becomes the document's text.
//!
//! ```
//! use claimlens_ingest::{read, IngestOptions, Input};
//! # let dir = std::env::temp_dir().join(format!("claimlens-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("corpus.jsonl");
//! std::fs::write(&path, "{\"id\": \"a\", \"text\": \"The mayor spoke. Nobody listened.\"}\nnot json\n").unwrap();
//! let results: Vec<_> = read(&Input::file(&path), &IngestOptions::default()).collect();
//! assert_eq!(results[0].as_ref().unwrap().text(), "The mayor spoke. Nobody listened.");
//! assert!(results[1].as_ref().unwrap_err().to_string().contains("record 2: malformed JSON"));
//! ```

mod csv_records;
pub mod decode;
mod error;
mod fields;
pub mod html;
mod html_body;
mod html_meta_clean;
mod html_method;
mod html_page_meta;
pub mod html_select;
mod input;
mod json_records;
mod lines;
mod read;
mod warc;

pub use error::{ErrorKind, IngestError};
pub use fields::FieldMap;
pub use input::{
    expand, expand_with, Expanded, Format, Input, SkipReason, Skipped, SpecialKind, WalkOptions,
};
pub use read::{read, Documents, IngestOptions, Ingested, WithDiagnostics, DEFAULT_MAX_DOC_BYTES};
