//! The claimlens corpus store: analysed documents and every annotation layer, durable and
//! queryable with plain SQL.
//!
//! # Brief overview
//!
//! * [`Store`] is the seam between the CLI and a back-end: look a document up by its
//!   content id, write a batch of documents and rejected records atomically, read back
//!   what is stored. [`SqliteStore`] is the default back-end (SQLite in WAL mode, versioned
//!   migrations on `PRAGMA user_version`); [`PostgresStore`] keeps the same schema in a
//!   PostgreSQL database. [`Location`] reads `--db` (a path or a `postgres://` URL) and
//!   opens either.
//! * [`content_id`]: a document's id in the store, the SHA-256 of its text in lower-case
//!   hex, so the same article read twice (or from two files) is stored once.
//! * Every layer of a [`Doc`] is stored the same way (`annotations` and `links` rows), so
//!   layers added by later stages need no change here. The tables are documented in
//!   `docs/store.md`.
//! * Known narratives ([`Case`]: fact-checks, documented disinformation cases) live in the
//!   `cases` table, upserted by source and id ([`Store::upsert_cases`]).
//! * Reading back: [`Store::document`] rebuilds a whole [`Doc`] (its JSON export is the one
//!   it had when written); [`Store::documents`] lists [`DocumentSummary`]s by
//!   [`DocumentQuery`]; [`Store::search`] runs an FTS5 full-text [`SearchQuery`] and returns
//!   [`SearchHit`]s whose [`Snippet`] gives matched words as code-point offsets;
//!   [`Store::speakers`] lists who said what ([`SpeakerSummary`], [`Quote`]);
//!   [`Store::clusters`] groups republished articles ([`StoryCluster`]: the first-seen
//!   document, its near-duplicates with their Jaccard, the outlets, the timeline). Results come
//!   in a [`Page`] and are `serde::Serialize`, for a server to return as JSON.
//! * [`Store::export_tables`] hands every table to a [`RowSink`] (the Parquet and CSV writers
//!   of `claimlens export`).
//! * [`default_path`]: where the store lives when no path is given.
//!
//! ```
//! use claimlens_core::Doc;
//! use claimlens_store::{content_id, Entry, SqliteStore, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = SqliteStore::open(&dir.path().join("corpus.db")).unwrap();
//! let doc = Doc::new("a1", "The mayor said it rained. Nobody agreed. Then it stopped.");
//! let id = content_id(doc.text());
//! assert!(!store.contains(&id).unwrap());
//! let outcome = store.write_batch(&[Entry::Document(Box::new(doc))]).unwrap();
//! assert_eq!(outcome.stored, 1);
//! assert!(store.contains(&id).unwrap());
//! ```

mod cases;
mod clusters;
mod derived;
mod error;
mod listing;
mod migrations;
mod postgres;
mod query;
mod ranking;
mod read_doc;
mod rows;
mod search;
mod speakers;
mod sqlite;
mod tables;
mod tokens;

use std::collections::BTreeMap;
use std::path::PathBuf;

use claimlens_core::table::RowSink;
use claimlens_core::Doc;
use sha2::{Digest, Sha256};

pub use cases::{CaseOutcome, VectorPair};
pub use claimlens_narratives::Case;
pub use clusters::{ClusterMember, ClusterQuery, StoryCluster, DEFAULT_MIN_SIZE};
pub use error::StoreError;
pub use listing::{DocumentQuery, DocumentSummary, Page, DEFAULT_LIMIT, MAX_LIMIT};
pub use migrations::SCHEMA_VERSION;
pub use postgres::{is_postgres_url, PostgresStore};
pub use ranking::index_dir as search_index_dir;
pub use search::{CharRange, SearchHit, SearchQuery, Snippet};
pub use speakers::{Quote, QuotePart, SpeakerQuery, SpeakerSummary, MAX_QUOTES_PER_SPEAKER};
pub use sqlite::SqliteStore;
pub use tables::{layer_table, TablesExported, TABLES_VERSION};

/// A corpus store. Writes are atomic per batch: after a crash a batch is wholly there or
/// wholly absent, so re-running an ingest completes the corpus.
pub trait Store {
    /// Whether a document with this [`content_id`] is stored.
    fn contains(&self, doc_id: &str) -> Result<bool, StoreError>;
    /// Writes every entry in one transaction. A document whose text is already stored is
    /// counted in [`BatchOutcome::already_stored`] and left as it was; a rejection already
    /// recorded (same source, record and reason) is not repeated.
    fn write_batch(&mut self, batch: &[Entry]) -> Result<BatchOutcome, StoreError>;
    /// What is stored: document ids and annotation counts per layer.
    fn contents(&self) -> Result<Contents, StoreError>;
    /// Checks the store for damage.
    fn check_integrity(&self) -> Result<(), StoreError>;
    /// Upserts known-narrative cases by `(source, case_id)` in one transaction: a case stored
    /// before with the same fields is left untouched, so re-importing a file changes nothing.
    fn upsert_cases(&mut self, cases: &[Case]) -> Result<CaseOutcome, StoreError>;
    /// Every stored case, ordered by source and id.
    fn cases(&self) -> Result<Vec<Case>, StoreError>;
    /// The stored embeddings of every case by `model`, in the order of [`Store::cases`]:
    /// `None` for a case never embedded, or changed since.
    fn case_vectors(&self, model: &str) -> Result<Vec<Option<VectorPair>>, StoreError>;
    /// Keeps `model`'s embeddings of cases, each named by `(source, case_id)` with its claim
    /// and full-text vectors, in one transaction; a case not stored is passed over.
    fn put_case_vectors(
        &mut self,
        model: &str,
        rows: &[(&str, &str, &[f32], &[f32])],
    ) -> Result<(), StoreError>;
    /// The stored document with this [`content_id`], rebuilt with its metadata, origin,
    /// segmentation and every layer; `None` when there is none. Its JSON export is the one
    /// the document had when it was written (documents stored before schema version 3 lack
    /// tokens, the fetch metadata and the encoding).
    fn document(&self, doc_id: &str) -> Result<Option<Doc>, StoreError>;
    /// Lists documents matching the filters, newest first (by `published`, then `doc_id`).
    fn documents(&self, q: &DocumentQuery) -> Result<Page<DocumentSummary>, StoreError>;
    /// Full-text search over titles and texts, best match first. A query SQLite cannot
    /// parse is a [`StoreError::InvalidQuery`].
    fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>, StoreError>;
    /// Readies the store for searching: on SQLite, builds the ranking index beside the file
    /// or brings it up to date (see [`SqliteStore::build_search_index`]); nothing elsewhere.
    /// Searches are right without it, only slower on a large store.
    fn prepare_search(&self) {}
    /// Who said what: speakers the sourcing stage resolved, by number of quotes.
    fn speakers(&self, q: &SpeakerQuery) -> Result<Page<SpeakerSummary>, StoreError>;
    /// Republication clusters: documents grouped with the earlier document they are a
    /// near-duplicate of (exact word-shingle Jaccard ≥ the threshold), largest first. A
    /// threshold outside `(0, 1]` or a malformed date is a [`StoreError::InvalidQuery`].
    fn clusters(&self, q: &ClusterQuery) -> Result<Page<StoryCluster>, StoreError> {
        self.clusters_with_progress(q, &mut |_, _| {})
    }
    /// [`Store::clusters`], calling `progress(documents read, documents to read)` as it
    /// goes: a month of coverage takes seconds, and a terminal should show it.
    fn clusters_with_progress(
        &self,
        q: &ClusterQuery,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Page<StoryCluster>, StoreError>;
    /// Writes the whole store as tables to `sink` (documents, `document_layers`, one
    /// `layers/<name>` table per layer, `links`, `said`, `rejected`, `cases`: docs/store.md,
    /// Export), from one consistent snapshot. A failure of the sink is a
    /// [`StoreError::Export`].
    fn export_tables(&self, sink: &mut dyn RowSink) -> Result<TablesExported, StoreError>;
}

/// Where a store is, as `--db` names it: an SQLite file, or a PostgreSQL database by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// `db` read as a URL when it is one, else as a file path.
    pub fn of(db: &std::path::Path) -> Location {
        match db.to_str().filter(|s| is_postgres_url(s)) {
            Some(url) => Location::Postgres(url.to_owned()),
            None => Location::File(db.to_owned()),
        }
    }

    /// Opens (creating and migrating if needed) the store.
    pub fn open(&self) -> Result<Box<dyn Store + Send>, StoreError> {
        Ok(match self {
            Location::File(path) => Box::new(SqliteStore::open(path)?),
            Location::Postgres(url) => Box::new(PostgresStore::open(url)?),
        })
    }

    /// Whether there is a store to read: the file exists (a database is assumed to; opening
    /// says otherwise).
    pub fn exists(&self) -> bool {
        match self {
            Location::File(path) => path.is_file(),
            Location::Postgres(_) => true,
        }
    }
}

impl std::fmt::Display for Location {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&postgres::redacted(url)),
        }
    }
}

/// One item of a batch.
#[derive(Debug)]
pub enum Entry {
    /// An analysed document, with every layer the pipeline added.
    Document(Box<Doc>),
    /// A record that could not be read or analysed.
    Rejected(Rejection),
}

/// A record that failed, and why: kept so nothing is silently dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The file path, or `-` for stdin.
    pub source: String,
    /// The 1-based line or record inside the source, when it is a corpus file.
    pub record: Option<u64>,
    /// Why it was rejected.
    pub reason: String,
}

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Documents written.
    pub stored: u64,
    /// Documents whose text was already stored (by an earlier run or a concurrent one).
    pub already_stored: u64,
    /// Rejections recorded (including ones recorded before).
    pub rejected: u64,
}

/// A summary of what a store holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Contents {
    /// Every document id, sorted.
    pub doc_ids: Vec<String>,
    /// Annotation count per layer name.
    pub annotations: BTreeMap<String, u64>,
    /// Rejected records.
    pub rejected: u64,
}

/// A document's id in the store: the SHA-256 of its UTF-8 text, as 64 lower-case hex digits.
/// Metadata is left out on purpose: the same article from two feeds is one document.
pub fn content_id(text: &str) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The store used when no path is given: `claimlens/corpus.db` in the user's data folder
/// (`$XDG_DATA_HOME`, else `~/.local/share` on Linux; the platform's equivalent elsewhere).
/// `None` when the platform names no such folder (no home directory).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("claimlens").join("corpus.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_is_the_sha256_of_the_text() {
        // The SHA-256 of "abc" (FIPS 180-2 test vector).
        assert_eq!(
            content_id("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
