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
    /// The file is an SQLite database (or the PostgreSQL schema holds tables), but not a
    /// claimlens store.
    #[error("{path} is a database but not a claimlens store (it has tables of its own); refusing to touch it")]
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
    /// The ranking index beside a SQLite store failed; searches fall back to FTS5, so this
    /// reaches a user only from a write that could not index.
    #[error("search index: {message}")]
    Index {
        /// What failed.
        message: String,
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
    /// A PostgreSQL store's URL is malformed or its server cannot be reached or refuses
    /// the login.
    #[error(
        "cannot connect to the PostgreSQL store {target}: {}",
        postgres_message(source)
    )]
    Connect {
        /// The URL, without its password.
        target: String,
        /// Why.
        source: postgres::Error,
    },
    /// Any other PostgreSQL failure while reading or writing.
    #[error("PostgreSQL store {target}: {}", postgres_message(source))]
    Postgres {
        /// The URL, without its password.
        target: String,
        /// The server's or the client's error.
        source: postgres::Error,
    },
    /// Writing the tables of an export failed (disk full, permissions): the store is
    /// untouched.
    #[error("writing the export: {source}")]
    Export {
        /// The writer's error.
        source: std::io::Error,
    },
}

/// A PostgreSQL error in full: the client's `Display` says only "db error" or "error
/// connecting to server", and the server's message, detail and hint are in its source.
pub(crate) fn postgres_message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut message = format!("{} ({})", db.message(), db.code().code());
        if let Some(detail) = db.detail() {
            message.push_str(&format!("; {detail}"));
        }
        if let Some(hint) = db.hint() {
            message.push_str(&format!("; hint: {hint}"));
        }
        return message;
    }
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}
