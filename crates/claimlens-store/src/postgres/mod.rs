//! The PostgreSQL back-end: the same schema, migrations and [`Store`] behaviour as
//! [`crate::SqliteStore`], for a corpus that several machines write or that analysts already
//! query in PostgreSQL. Selected with a `postgres://` (or `postgresql://`) URL in place of a
//! path; the store lives in the URL's database, in its current schema (`search_path`; pass
//! `options=-csearch_path%3Dclaimlens` to keep it apart from other tables).
//!
//! One connection per store value, plain TCP or a Unix socket (no TLS: for loopback and
//! private networks). Writes are one transaction per batch, as in SQLite; the annotations,
//! links and layers of a batch travel by `COPY`, one round trip per table instead of one per
//! row.

mod export;
mod read;
mod schema;
mod search;
mod write;

use std::cell::RefCell;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use claimlens_core::table::RowSink;
use claimlens_core::Doc;

use crate::{
    BatchOutcome, Case, CaseOutcome, ClusterQuery, Contents, DocumentQuery, DocumentSummary, Entry,
    Page, SearchHit, SearchQuery, SpeakerQuery, SpeakerSummary, Store, StoreError, StoryCluster,
    TablesExported, VectorPair,
};

/// How long opening a connection may take before it is an error.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `target` names a PostgreSQL store rather than an SQLite file.
pub fn is_postgres_url(target: &str) -> bool {
    let lower = target.get(..13).unwrap_or(target).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A store in a PostgreSQL database.
pub struct PostgresStore {
    // `RefCell`: the client needs `&mut` for every query, the store's reads take `&self`; a
    // store is used from one thread at a time (it is `Send`, not `Sync`).
    client: RefCell<postgres::Client>,
    /// The URL without its password, for messages.
    name: String,
    /// The last republication clustering, for its next page.
    cluster_cache: crate::clusters::ClusterCache,
}

impl PostgresStore {
    /// Connects to the database `url` names and migrates its current schema to the current
    /// version. A newer schema and a schema holding other applications' tables are refused,
    /// as for SQLite.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let name = redacted(url);
        let connect_err = |source| StoreError::Connect {
            target: name.clone(),
            source,
        };
        let mut config = postgres::Config::from_str(url).map_err(connect_err)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("claimlens");
        }
        let mut client = config.connect(postgres::NoTls).map_err(connect_err)?;
        let as_path = || PathBuf::from(&name);
        match schema::migrate(&mut client).map_err(|e| store_error(&name, e))? {
            schema::Migrated::Current => {}
            schema::Migrated::Newer(found) => {
                return Err(StoreError::Newer {
                    path: as_path(),
                    found,
                    known: crate::SCHEMA_VERSION,
                })
            }
            schema::Migrated::Foreign => return Err(StoreError::Foreign { path: as_path() }),
        }
        Ok(PostgresStore {
            client: RefCell::new(client),
            name,
            cluster_cache: Default::default(),
        })
    }

    /// The URL without its password.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn err(&self, source: postgres::Error) -> StoreError {
        store_error(&self.name, source)
    }
}

/// A failure of the store named `name` (its URL without the password).
fn store_error(name: &str, source: postgres::Error) -> StoreError {
    StoreError::Postgres {
        target: name.to_owned(),
        source,
    }
}

/// `url` with any password replaced by `***` (a URL may carry one; messages must not).
pub(crate) fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let mut out = url[..scheme_end].to_owned();
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let user_info = &authority[..at];
            let user = user_info.split(':').next().unwrap_or("");
            out.push_str(user);
            if user_info.contains(':') {
                out.push_str(":***");
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    // A password can also come as a query parameter.
    let tail = &rest[authority_end..];
    match tail.find("password=") {
        Some(at) => {
            out.push_str(&tail[..at + 9]);
            out.push_str("***");
            if let Some(amp) = tail[at..].find('&') {
                out.push_str(&tail[at + amp..]);
            }
        }
        None => out.push_str(tail),
    }
    out
}

impl Store for PostgresStore {
    fn contains(&self, doc_id: &str) -> Result<bool, StoreError> {
        self.client
            .borrow_mut()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM documents WHERE doc_id = $1)",
                &[&doc_id],
            )
            .map(|r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn write_batch(&mut self, batch: &[Entry]) -> Result<BatchOutcome, StoreError> {
        let name = &self.name;
        write::write_batch(self.client.get_mut(), batch).map_err(|e| store_error(name, e))
    }

    fn contents(&self) -> Result<Contents, StoreError> {
        read::contents(&mut self.client.borrow_mut()).map_err(|e| self.err(e))
    }

    fn check_integrity(&self) -> Result<(), StoreError> {
        // PostgreSQL checks its own pages and enforces the foreign keys; what is left to
        // check is that the derived rows agree with the layers they come from.
        let report = read::integrity(&mut self.client.borrow_mut()).map_err(|e| self.err(e))?;
        match report {
            None => Ok(()),
            Some(report) => Err(StoreError::Damaged {
                path: PathBuf::from(&self.name),
                report,
            }),
        }
    }

    fn upsert_cases(&mut self, cases: &[Case]) -> Result<CaseOutcome, StoreError> {
        let name = &self.name;
        write::upsert_cases(self.client.get_mut(), cases).map_err(|e| store_error(name, e))
    }

    fn cases(&self) -> Result<Vec<Case>, StoreError> {
        read::cases(&mut self.client.borrow_mut()).map_err(|e| self.err(e))
    }

    fn case_vectors(&self, model: &str) -> Result<Vec<Option<VectorPair>>, StoreError> {
        read::case_vectors(&mut self.client.borrow_mut(), model).map_err(|e| self.err(e))
    }

    fn put_case_vectors(
        &mut self,
        model: &str,
        rows: &[(&str, &str, &[f32], &[f32])],
    ) -> Result<(), StoreError> {
        let name = &self.name;
        write::put_case_vectors(self.client.get_mut(), model, rows)
            .map_err(|e| store_error(name, e))
    }

    fn document(&self, doc_id: &str) -> Result<Option<Doc>, StoreError> {
        read::document(&mut self.client.borrow_mut(), doc_id).map_err(|e| match e {
            crate::read_doc::ReadError::Store(e) => self.err(e),
            crate::read_doc::ReadError::Damaged(report) => StoreError::Damaged {
                path: PathBuf::from(&self.name),
                report,
            },
        })
    }

    fn documents(&self, q: &DocumentQuery) -> Result<Page<DocumentSummary>, StoreError> {
        read::documents(&mut self.client.borrow_mut(), q)?.map_err(|e| self.err(e))
    }

    fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>, StoreError> {
        search::search(&mut self.client.borrow_mut(), q)?.map_err(|e| self.err(e))
    }

    fn speakers(&self, q: &SpeakerQuery) -> Result<Page<SpeakerSummary>, StoreError> {
        read::speakers(&mut self.client.borrow_mut(), q)?.map_err(|e| self.err(e))
    }

    fn clusters_with_progress(
        &self,
        q: &ClusterQuery,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Page<StoryCluster>, StoreError> {
        export::clusters(
            &mut self.client.borrow_mut(),
            q,
            progress,
            &self.cluster_cache,
        )?
        .map_err(|e| self.err(e))
    }

    fn export_tables(&self, sink: &mut dyn RowSink) -> Result<TablesExported, StoreError> {
        export::tables(&mut self.client.borrow_mut(), sink).map_err(|e| match e {
            export::ExportError::Store(e) => self.err(e),
            export::ExportError::Sink(source) => StoreError::Export { source },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_postgres_url("postgres://localhost/corpus"));
        assert!(is_postgres_url("PostgreSQL://u@h/db"));
        assert!(!is_postgres_url("corpus.db"));
        assert!(!is_postgres_url("postgres.db"));
        assert!(!is_postgres_url("./postgres://x"));
    }

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redacted("postgres://ann:s3cret@db.local:5432/corpus?sslmode=disable"),
            "postgres://ann:***@db.local:5432/corpus?sslmode=disable"
        );
        assert_eq!(
            redacted("postgres://ann@db/corpus"),
            "postgres://ann@db/corpus"
        );
        assert_eq!(
            redacted("postgres://db/corpus?user=ann&password=s3cret&application_name=x"),
            "postgres://db/corpus?user=ann&password=***&application_name=x"
        );
        assert_eq!(redacted("postgresql:///corpus"), "postgresql:///corpus");
    }
}
