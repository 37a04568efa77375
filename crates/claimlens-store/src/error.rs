//! Store errors: each names the store's path, so a message alone says which file is at fault.

use std::path::PathBuf;

/// What went wrong opening, migrating, reading or writing a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file or its folder cannot be created or opened.
    #[error("cannot open store {path}: {source}")]
    Open {
        /// The store's path.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The file can be read but not written (permissions, a read-only mount).
    #[error(
        "store {path} is read-only: ingest needs to write it (check its permissions and those \
         of its folder, which must hold the -wal and -shm files; or pass --db elsewhere)"
    )]
    ReadOnly {
        /// The store's path.
        path: PathBuf,
    },
    /// The file is an SQLite database, but not a claimlens store.
    #[error("{path} is an SQLite database but not a claimlens store (it has tables of its own); refusing to touch it")]
    Foreign {
        /// The file's path.
        path: PathBuf,
    },
    /// The store was written by a newer claimlens whose schema this binary does not know.
    #[error(
        "store {path} has schema version {found}, newer than the {known} this claimlens knows: \
         upgrade claimlens (an older binary never downgrades a store)"
    )]
    Newer {
        /// The store's path.
        path: PathBuf,
        /// The store's `user_version`.
        found: i64,
        /// The newest version this binary can migrate to.
        known: i64,
    },
    /// `PRAGMA integrity_check` found damage.
    #[error("store {path} failed its integrity check: {report}")]
    Damaged {
        /// The store's path.
        path: PathBuf,
        /// What SQLite reported.
        report: String,
    },
    /// A query could not be run as asked: a full-text search with a syntax error, a date
    /// that is not `YYYY-MM-DD`. The message says what to change; nothing was read.
    #[error("invalid query: {message}")]
    InvalidQuery {
        /// What is wrong, in words a user can act on.
        message: String,
    },
    /// Any other SQLite failure while reading or writing.
    #[error("store {path}: {source}")]
    Sqlite {
        /// The store's path.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// Writing the tables of an export failed (disk full, permissions): the store is
    /// untouched.
    #[error("writing the export: {source}")]
    Export {
        /// The writer's error.
        source: std::io::Error,
    },
}
