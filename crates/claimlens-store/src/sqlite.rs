//! The SQLite back-end: one file in WAL mode, written in batched transactions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use claimlens_core::table::RowSink;
use claimlens_core::Doc;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior, MAIN_DB};

use crate::clusters::ClusterCache;
use crate::migrations::{migrate, Migrated};
use crate::ranking::RankingIndex;
use crate::rows::{layer_rows, CharOffsets};
use crate::tables::{ExportError, TablesExported};
use crate::{
    content_id, BatchOutcome, Case, CaseOutcome, ClusterQuery, Contents, DocumentQuery,
    DocumentSummary, Entry, Page, Rejection, SearchHit, SearchQuery, SpeakerQuery, SpeakerSummary,
    Store, StoreError, StoryCluster, VectorPair,
};

/// How long a writer waits for another process's transaction before giving up. A batch
/// transaction holds the lock only while it writes (analysis happens outside it), so a
/// concurrent ingest waits a fraction of a second; a minute covers a slow disk.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The ranking index beside the file, opened at the first search or write.
    ranking: Mutex<Ranking>,
    /// The last republication clustering, for its next page.
    cluster_cache: ClusterCache,
}

/// The state of a store's ranking index in this process.
enum Ranking {
    /// Not needed yet.
    Unopened,
    Open(Box<RankingIndex>),
    /// Turned off, or it could not be opened or written: FTS5 ranks every search.
    Off,
}

impl SqliteStore {
    /// Opens the store at `path`, creating it if missing (its folder must exist), switching
    /// it to WAL and migrating it to the current schema. A newer schema, another
    /// application's database and a file that cannot be written are refused.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        // SQLite opens a write-protected file read-only without saying so.
        if conn.is_readonly(MAIN_DB).map_err(open_err)? {
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let store_err = |e: rusqlite::Error| classify(path, e);
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(store_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            // WAL needs shared memory beside the file; without it concurrent ingests could
            // not be serialised safely, so say so rather than run in another mode.
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
            });
        }
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(store_err)?;
        match migrate(&mut conn).map_err(store_err)? {
            Migrated::Current => {}
            Migrated::Newer(found) => {
                return Err(StoreError::Newer {
                    path: path.to_owned(),
                    found,
                    known: crate::SCHEMA_VERSION,
                })
            }
            Migrated::Foreign => {
                return Err(StoreError::Foreign {
                    path: path.to_owned(),
                })
            }
        }
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
            ranking: Mutex::new(Ranking::Unopened),
            cluster_cache: ClusterCache::default(),
        })
    }

    /// Whether searches may use the ranking index beside the file (they do by default;
    /// off, FTS5 ranks every search and writes do not index). For comparing the two.
    pub fn use_ranking_index(&mut self, on: bool) {
        *self.ranking.get_mut().unwrap_or_else(|p| p.into_inner()) =
            if on { Ranking::Unopened } else { Ranking::Off };
    }

    /// Builds the ranking index beside the file or brings it up to date, however far behind
    /// it is (a store written by an older version: 45 s per 100,000 articles on two cores),
    /// where a search does so only for a few thousand documents and otherwise leaves the
    /// ranking to FTS5. The documents it holds; `None` when it is off, cannot be opened or
    /// another process is writing it.
    pub fn build_search_index(&self) -> Option<u64> {
        self.with_ranking(|index| {
            Ok(index
                .build(&self.conn)?
                .then(|| index.documents_committed()))
        })
        .flatten()
    }

    /// How many documents the ranking index's last commit covers, after bringing it up to
    /// date as a search would; `None` when it is off or could not be opened.
    pub fn search_index_documents(&self) -> Option<u64> {
        self.with_ranking(|index| index.documents_current(&self.conn))
            .flatten()
    }

    /// The ranking index's state, the index opened if it was not yet.
    fn ranking_state(&self) -> std::sync::MutexGuard<'_, Ranking> {
        let mut state = self.ranking.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(*state, Ranking::Unopened) {
            *state = match RankingIndex::open(&self.path) {
                Ok(index) => Ranking::Open(Box::new(index)),
                Err(_) => Ranking::Off,
            };
        }
        state
    }

    /// Runs `work` on the ranking index, opening it first if needed; `None` when it is off
    /// or cannot be opened (then it stays off for this process). A failure inside `work`
    /// turns it off too: the store stays the record, and FTS5 answers.
    fn with_ranking<T>(
        &self,
        work: impl FnOnce(&mut RankingIndex) -> Result<T, StoreError>,
    ) -> Option<T> {
        let mut state = self.ranking_state();
        let Ranking::Open(index) = &mut *state else {
            return None;
        };
        match work(index) {
            Ok(value) => Some(value),
            Err(_) => {
                *state = Ranking::Off;
                None
            }
        }
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for read-only queries (reports, tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` in one immediate (write-locking) transaction, committed only when it
    /// succeeds: a batch is stored whole or not at all.
    fn in_transaction<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let err = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let result = work(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(result)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }
}

/// What identifies the store's set of documents cheaply: the highest document key and the
/// number of documents (documents are only added and deleted, never rewritten). What the
/// search index and the kept clustering compare to know they still describe the store.
pub(crate) fn documents_mark(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT coalesce(max(doc), 0), count(*) FROM documents",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Tells a write refused by the file system from other SQLite failures.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_owned(),
        },
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::CannotOpen) => {
            StoreError::Open {
                path: path.to_owned(),
                source: e,
            }
        }
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            source: e,
        },
    }
}

impl Store for SqliteStore {
    fn contains(&self, doc_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM documents WHERE doc_id = ?1)",
                [doc_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn write_batch(&mut self, batch: &[Entry]) -> Result<BatchOutcome, StoreError> {
        self.in_transaction(|tx| {
            let mut outcome = BatchOutcome::default();
            let mut writer = Writer::new(tx)?;
            let mut new_keys = None;
            for entry in batch {
                match entry {
                    Entry::Document(doc) => match writer.document(doc)? {
                        Some(key) => {
                            new_keys = Some((new_keys.map_or(key, |(first, _)| first), key));
                            outcome.stored += 1;
                        }
                        None => outcome.already_stored += 1,
                    },
                    Entry::Rejected(r) => {
                        writer.rejected(r)?;
                        outcome.rejected += 1;
                    }
                }
            }
            if let Some((first, last)) = new_keys {
                writer.index_text(first, last)?;
            }
            Ok(outcome)
        })
        .inspect(|outcome| {
            if outcome.stored > 0 {
                let stored = outcome.stored as usize;
                self.with_ranking(|index| index.after_write(&self.conn, stored));
            }
        })
    }

    fn contents(&self) -> Result<Contents, StoreError> {
        let err = |e| self.err(e);
        let mut doc_ids = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id FROM documents ORDER BY doc_id")
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            doc_ids.push(row.get(0).map_err(err)?);
        }
        let mut annotations = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT layer, count(*) FROM annotations GROUP BY layer")
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            annotations.insert(row.get(0).map_err(err)?, row.get(1).map_err(err)?);
        }
        let rejected = self
            .conn
            .query_row("SELECT count(*) FROM rejected", [], |r| r.get(0))
            .map_err(err)?;
        Ok(Contents {
            doc_ids,
            annotations,
            rejected,
        })
    }

    fn upsert_cases(&mut self, cases: &[Case]) -> Result<CaseOutcome, StoreError> {
        self.in_transaction(|tx| crate::cases::upsert(tx, cases))
    }

    fn cases(&self) -> Result<Vec<Case>, StoreError> {
        crate::cases::all(&self.conn).map_err(|e| self.err(e))
    }

    fn case_vectors(&self, model: &str) -> Result<Vec<Option<VectorPair>>, StoreError> {
        crate::cases::vectors(&self.conn, model).map_err(|e| self.err(e))
    }

    fn put_case_vectors(
        &mut self,
        model: &str,
        rows: &[(&str, &str, &[f32], &[f32])],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| crate::cases::put_vectors(tx, model, rows))
    }

    fn document(&self, doc_id: &str) -> Result<Option<Doc>, StoreError> {
        crate::read_doc::read_document(&self.conn, doc_id).map_err(|e| match e {
            crate::read_doc::ReadError::Store(e) => self.err(e),
            crate::read_doc::ReadError::Damaged(report) => StoreError::Damaged {
                path: self.path.clone(),
                report,
            },
        })
    }

    fn documents(&self, q: &DocumentQuery) -> Result<Page<DocumentSummary>, StoreError> {
        crate::listing::documents(&self.conn, q)?.map_err(|e| self.err(e))
    }

    fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>, StoreError> {
        let mut state = self.ranking_state();
        let index = match &mut *state {
            Ranking::Open(index) => Some(&mut **index),
            _ => None,
        };
        crate::search::search(&self.conn, &self.path, q, index)
    }

    fn prepare_search(&self) {
        self.build_search_index();
    }

    fn speakers(&self, q: &SpeakerQuery) -> Result<Page<SpeakerSummary>, StoreError> {
        crate::speakers::speakers(&self.conn, q)?.map_err(|e| self.err(e))
    }

    fn clusters_with_progress(
        &self,
        q: &ClusterQuery,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Page<StoryCluster>, StoreError> {
        crate::clusters::clusters(&self.conn, q, progress, &self.cluster_cache)?
            .map_err(|e| self.err(e))
    }

    fn export_tables(&self, sink: &mut dyn RowSink) -> Result<TablesExported, StoreError> {
        crate::tables::export(&self.conn, sink).map_err(|e| match e {
            ExportError::Store(e) => self.err(e),
            ExportError::Sink(source) => StoreError::Export { source },
        })
    }

    fn check_integrity(&self) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        if lines != ["ok"] {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                report: lines.join("; "),
            });
        }
        // The full-text index against the documents it indexes (FTS5's own check; rank 1
        // compares it with the content table too), since ingest fills it per batch.
        if let Err(e) = self.conn.execute(
            "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                report: format!("the full-text index does not match the documents: {e}"),
            });
        }
        let mut problems = Vec::new();
        for (what, sql) in crate::derived::DIFFERENCES {
            let differ: i64 = self
                .conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if differ > 0 {
                problems.push(format!("{differ} {what}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Damaged {
                path: self.path.clone(),
                report: problems.join("; "),
            })
        }
    }
}

/// The statements of one batch, prepared once.
struct Writer<'c> {
    conn: &'c Connection,
    document: rusqlite::Statement<'c>,
    layer: rusqlite::Statement<'c>,
    tokens: rusqlite::Statement<'c>,
    said: rusqlite::Statement<'c>,
    layer_types: rusqlite::Statement<'c>,
    speaker_counts: rusqlite::Statement<'c>,
    annotation: rusqlite::Statement<'c>,
    link: rusqlite::Statement<'c>,
    rejected: rusqlite::Statement<'c>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Writer<'c>> {
        Ok(Writer {
            conn,
            document: conn.prepare(
                "INSERT OR IGNORE INTO documents (doc_id, source_id, source, record, format,
                     title, outlet, url, author, published, language, text, ingested_at,
                     fetched_url, fetched_at, encoding, words)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                     strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?13, ?14, ?15, ?16)",
            )?,
            layer: conn.prepare(
                "INSERT INTO layers (doc, name, stage, position, annotations)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            tokens: conn.prepare("INSERT INTO tokens (doc, packed) VALUES (?1, ?2)")?,
            said: conn.prepare(
                "INSERT INTO said (doc, relation, speaker)
                 SELECT doc, relation, speaker FROM said_from_layers WHERE doc = ?1",
            )?,
            layer_types: conn.prepare(
                "INSERT INTO layer_types (doc, layer, type, count) VALUES (?1, ?2, ?3, ?4)",
            )?,
            speaker_counts: conn.prepare(crate::derived::speaker_counts_from_said!("= ?1"))?,
            annotation: conn.prepare(
                "INSERT INTO annotations (doc, layer, idx, type, start_byte, end_byte,
                     start_char, end_char, text, stage, rule, score, attrs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            link: conn.prepare(
                "INSERT INTO links (doc, from_layer, from_idx, position, role, to_layer, to_idx)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            rejected: conn.prepare(
                "INSERT OR IGNORE INTO rejected (source, record, reason, rejected_at)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            )?,
        })
    }

    /// Writes a document and its layers and returns its key; `None` when a document with the
    /// same text is already there (another process may have stored it since the caller
    /// checked). Its text is indexed by [`Writer::index_text`] at the batch's end.
    fn document(&mut self, doc: &Doc) -> rusqlite::Result<Option<i64>> {
        let meta = &doc.meta;
        let inserted = self.document.execute(params![
            content_id(doc.text()),
            doc.id,
            doc.origin.source,
            doc.origin.record,
            doc.origin.format,
            meta.title,
            meta.outlet,
            meta.url,
            meta.author,
            meta.published,
            meta.language,
            doc.text(),
            meta.fetched_url,
            meta.fetched_at,
            doc.origin.encoding,
            doc.word_count() as i64,
        ])?;
        if inserted == 0 {
            return Ok(None);
        }
        let key = self.conn.last_insert_rowid();
        self.tokens
            .execute(params![key, crate::tokens::pack(&doc.tokens)])?;
        let chars = CharOffsets::new(doc.text());
        for (position, layer) in layer_rows(doc).iter().enumerate() {
            self.layer.execute(params![
                key,
                layer.name,
                layer.stage,
                position as i64,
                layer.annotations.len() as i64
            ])?;
            for (label, count) in layer.type_counts() {
                self.layer_types
                    .execute(params![key, layer.name, label, count])?;
            }
            for a in &layer.annotations {
                let o = chars.of(a.span);
                self.annotation.execute(params![
                    key,
                    layer.name,
                    a.idx,
                    a.label,
                    a.span.start,
                    a.span.end,
                    o.start_char,
                    o.end_char,
                    doc.slice(a.span),
                    a.stage,
                    a.rule,
                    a.score.map(f64::from),
                    a.attrs,
                ])?;
                for (position, link) in a.links.iter().enumerate() {
                    self.link.execute(params![
                        key,
                        layer.name,
                        a.idx,
                        position as u32,
                        link.role,
                        link.layer,
                        link.idx,
                    ])?;
                }
            }
        }
        // Who said what, and each speaker's counts, from the rows just written (migrations.rs
        // and derived.rs define them once for both back-ends).
        self.said.execute([key])?;
        self.speaker_counts.execute([key])?;
        Ok(Some(key))
    }

    /// Adds the documents with keys `first..=last`, this transaction's new documents, to the
    /// full-text index in one statement: FTS5 writes its pending rows out as a segment at
    /// each statement that opens a savepoint, so indexing document by document (a trigger on
    /// `documents`, before version 5) made a segment per document and merged them again and
    /// again. Keys are handed out in increasing order and the transaction holds the write
    /// lock, so every key in the range is one of its documents.
    fn index_text(&mut self, first: i64, last: i64) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO documents_fts (rowid, title, text)
             SELECT doc, title, text FROM documents WHERE doc BETWEEN ?1 AND ?2",
            params![first, last],
        )?;
        Ok(())
    }

    fn rejected(&mut self, r: &Rejection) -> rusqlite::Result<()> {
        self.rejected
            .execute(params![r.source, r.record, r.reason])?;
        Ok(())
    }
}
