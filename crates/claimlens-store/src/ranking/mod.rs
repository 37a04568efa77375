//! The ranking index: a search index beside a SQLite store (the folder `<store>-search`)
//! that finds a search's best page without scoring every match one row at a time, as FTS5
//! does (a word in 80 % of 100,000 articles: 39 ms to rank in FTS5; docs/evaluation.md).
//!
//! It is derived data, never the record: the store is. Each commit of the index carries the
//! store's state it covers (the last document key and the number of documents); a search
//! uses the index only when that is the store's state now, and otherwise brings it up to
//! date itself (a few thousand documents at most) or leaves the search to FTS5. So a store
//! written by an older version, an ingest killed before the index's commit, a document
//! deleted by hand or an index folder removed cost speed, never a result.

mod highlight;
mod query;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument};

use crate::query::{mentions_near, parse};
use crate::{SearchQuery, StoreError};

/// The layout of the index; a folder of another format is rebuilt.
const FORMAT: u32 = 1;
/// The analyzer of title and text words.
const WORDS: &str = "claimlens_words";
/// The writer's memory for documents not yet flushed to a segment.
const WRITER_MEMORY: usize = 32 << 20;
/// How often a long ingest makes what it indexed visible (each commit writes the segments
/// and syncs them; a crash loses at most this much indexing, which the next run redoes).
const COMMIT_EVERY: Duration = Duration::from_secs(10);
/// A batch this small is someone adding documents a few at a time who will search for them
/// next: committed at once.
const SMALL_BATCH: usize = 16;
/// The most documents a search indexes before answering; past it, FTS5 answers and the next
/// ingest brings the index up to date.
const CATCH_UP_AT_SEARCH: i64 = 5_000;
/// Documents read from the store per statement while indexing.
const CHUNK: i64 = 1_000;

/// The folder of the ranking index of the store at `db`.
pub fn index_dir(db: &Path) -> PathBuf {
    let mut dir = db.as_os_str().to_owned();
    dir.push("-search");
    PathBuf::from(dir)
}

/// The index's fields.
pub(crate) struct Fields {
    doc: Field,
    title: Field,
    text: Field,
    outlet: Field,
    language: Field,
    published: Field,
    speaker: Field,
    layer: Field,
    layer_type: Field,
    annotation_type: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        doc: b.add_u64_field("doc", FAST),
        title: b.add_text_field("title", words.clone()),
        text: b.add_text_field("text", words),
        outlet: b.add_text_field("outlet", STRING),
        language: b.add_text_field("language", STRING),
        published: b.add_text_field("published", STRING),
        speaker: b.add_text_field("speaker", STRING),
        layer: b.add_text_field("layer", STRING),
        layer_type: b.add_text_field("layer_type", STRING),
        annotation_type: b.add_text_field("type", STRING),
    };
    (b.build(), fields)
}

/// Words as FTS5's `unicode61 remove_diacritics 2` reads them: runs of letters and digits,
/// lower-cased, accents removed (`Ünïcode` is `unicode`).
fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// `words` as the index holds them: split into tokens and folded by the analyzer that
/// indexed the text (`Zakharova_s` is two tokens, `Ünïcode` one).
fn tokens(analyzer: &mut TextAnalyzer, words: &[String]) -> Vec<String> {
    let mut tokens = Vec::new();
    for w in words {
        let mut stream = analyzer.token_stream(w);
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
    }
    tokens
}

/// What part of the store an index commit covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Mark {
    format: u32,
    /// The highest document key indexed.
    last_doc: i64,
    /// Documents indexed.
    documents: i64,
}

impl Mark {
    fn of_store(conn: &Connection) -> rusqlite::Result<Mark> {
        let (last_doc, documents) = crate::sqlite::documents_mark(conn)?;
        Ok(Mark {
            format: FORMAT,
            last_doc,
            documents,
        })
    }
}

/// A page ranked by the index, and what its hits' matched words are.
pub(crate) struct RankedPage {
    /// Every match of the search.
    pub(crate) total: i64,
    /// The page's `(document key, score)`, best first.
    pub(crate) page: Vec<(i64, f64)>,
    sought: Vec<(Vec<String>, bool)>,
    analyzer: TextAnalyzer,
}

impl RankedPage {
    /// The matched words of a hit's text, in code points.
    pub(crate) fn matches(&mut self, text: &str) -> Vec<crate::search::CharRange> {
        highlight::matches(text, &self.sought, &mut self.analyzer)
    }
}

/// A ranking index, open.
pub(crate) struct RankingIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Held from the first write until dropped (it holds the index's lock).
    writer: Option<IndexWriter>,
    /// What the last commit covers.
    committed: Mark,
    /// What has been added, committed or not.
    added: Mark,
    last_commit: Instant,
    /// The connection's `data_version` and its count of changed rows when the store last
    /// matched `committed`: while neither moves, neither another connection nor this one
    /// has changed the store under the index.
    verified: Option<(i64, u64)>,
}

fn failed(e: tantivy::TantivyError) -> StoreError {
    StoreError::Index {
        message: e.to_string(),
    }
}

impl RankingIndex {
    /// Opens the index beside the store at `db`, creating it empty if missing; an index of
    /// another format or one that cannot be read is removed and created anew.
    pub(crate) fn open(db: &Path) -> Result<RankingIndex, StoreError> {
        let dir = index_dir(db);
        match Self::open_dir(&dir) {
            Ok(index) => Ok(index),
            Err(_) if dir.join("meta.json").is_file() => {
                std::fs::remove_dir_all(&dir).map_err(|e| StoreError::Index {
                    message: format!("cannot remove {}: {e}", dir.display()),
                })?;
                Self::open_dir(&dir)
            }
            Err(e) => Err(e),
        }
    }

    fn open_dir(dir: &Path) -> Result<RankingIndex, StoreError> {
        let io = |e: std::io::Error| StoreError::Index {
            message: format!("{}: {e}", dir.display()),
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory = MmapDirectory::open(dir).map_err(|e| StoreError::Index {
            message: format!("{}: {e}", dir.display()),
        })?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema).map_err(failed)?;
        index.tokenizers().register(WORDS, words_analyzer());
        let committed = read_mark(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(failed)?;
        Ok(RankingIndex {
            index,
            reader,
            fields,
            writer: None,
            committed,
            added: committed,
            last_commit: Instant::now(),
            verified: None,
        })
    }

    /// Adds what a write stored (called after its transaction committed), and commits when
    /// the batch was small or the last commit is old. `Ok(false)` when another process
    /// holds the index (it will be brought up to date later).
    pub(crate) fn after_write(
        &mut self,
        conn: &Connection,
        stored: usize,
    ) -> Result<bool, StoreError> {
        if !self.catch_up(conn, None)? {
            return Ok(false);
        }
        if stored < SMALL_BATCH || self.last_commit.elapsed() >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(true)
    }

    /// Brings the index to the store's state: the documents added since, or everything
    /// again when documents were removed. `Ok(false)` when it would index more than
    /// `limit` documents, or another process holds the index's lock.
    fn catch_up(&mut self, conn: &Connection, limit: Option<i64>) -> Result<bool, StoreError> {
        let store = Mark::of_store(conn).map_err(sql)?;
        if store == self.added {
            return Ok(true);
        }
        if self.writer.is_none() {
            match self
                .index
                .writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)
            {
                Ok(w) => self.writer = Some(w),
                Err(tantivy::TantivyError::LockFailure(..)) => return Ok(false),
                Err(e) => return Err(failed(e)),
            }
            // The lock is ours: what the index holds is what its last commit says, whichever
            // process made it (another may have indexed since this one looked).
            let on_disk = read_mark(&self.index)?;
            if on_disk != self.committed {
                self.committed = on_disk;
                self.added = on_disk;
                self.reader.reload().map_err(failed)?;
            }
            if store == self.added {
                return Ok(true);
            }
        }
        let newer: i64 = conn
            .query_row(
                "SELECT count(*) FROM documents WHERE doc > ?1",
                [self.added.last_doc],
                |r| r.get(0),
            )
            .map_err(sql)?;
        // Only additions since: the documents after the last indexed key, all of them new.
        let appending = self.added.documents + newer == store.documents;
        let work = if appending { newer } else { store.documents };
        if limit.is_some_and(|limit| work > limit) {
            return Ok(false);
        }
        let writer = self.writer.as_mut().expect("opened above");
        if !appending {
            writer.delete_all_documents().map_err(failed)?;
            self.added = Mark {
                format: FORMAT,
                ..Mark::default()
            };
        }
        let mut after = self.added.last_doc;
        loop {
            let chunk = read_chunk(conn, after).map_err(sql)?;
            let Some(last) = chunk.last() else { break };
            after = last.doc;
            for d in &chunk {
                writer
                    .add_document(d.as_tantivy(&self.fields))
                    .map_err(failed)?;
            }
            self.added.documents += chunk.len() as i64;
            self.added.last_doc = after;
        }
        Ok(self.added == store)
    }

    /// Makes what was added visible to searches.
    fn commit(&mut self) -> Result<(), StoreError> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        if self.added != self.committed {
            let payload = serde_json::to_string(&self.added).expect("a mark serialises");
            let mut prepared = writer.prepare_commit().map_err(failed)?;
            prepared.set_payload(&payload);
            prepared.commit().map_err(failed)?;
            self.committed = self.added;
            self.reader.reload().map_err(failed)?;
        }
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Brings the index up to date however far behind it is, and waits for its segments to
    /// be merged: what a search does for a few documents, for a whole store. `Ok(false)`
    /// when another process holds the index.
    pub(crate) fn build(&mut self, conn: &Connection) -> Result<bool, StoreError> {
        let writing = self.writer.is_some();
        if !self.current(conn, None)? {
            return Ok(false);
        }
        if !writing {
            if let Some(writer) = self.writer.take() {
                writer.wait_merging_threads().map_err(failed)?;
                self.reader.reload().map_err(failed)?;
            }
        }
        Ok(true)
    }

    /// Whether the index holds exactly the store's documents now, brought up to date when
    /// that means indexing at most `limit` documents.
    fn current(&mut self, conn: &Connection, limit: Option<i64>) -> Result<bool, StoreError> {
        let version: i64 = conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(sql)?;
        let version = (version, conn.total_changes());
        if self.added == self.committed && self.verified == Some(version) {
            return Ok(true);
        }
        self.verified = None;
        let writing = self.writer.is_some();
        if !writing {
            // Another store (or process) may have committed since: read what the index on
            // disk covers now.
            let on_disk = read_mark(&self.index)?;
            if on_disk != self.committed {
                self.committed = on_disk;
                self.added = on_disk;
                self.reader.reload().map_err(failed)?;
            }
        }
        let caught_up = self.catch_up(conn, limit)?;
        if caught_up {
            self.commit()?;
            self.verified = Some(version);
        }
        if !writing && limit.is_some() {
            // A store that only searches gives the index's lock back at once, so the store
            // that writes (the web workbench's, an ingest) can go on indexing.
            self.writer = None;
        }
        Ok(caught_up)
    }

    /// The documents the last commit covers.
    pub(crate) fn documents_committed(&self) -> u64 {
        self.committed.documents as u64
    }

    /// The documents the index holds, when it holds exactly the store's (brought up to
    /// date as a search would).
    pub(crate) fn documents_current(
        &mut self,
        conn: &Connection,
    ) -> Result<Option<u64>, StoreError> {
        Ok(self
            .current(conn, Some(CATCH_UP_AT_SEARCH))?
            .then_some(self.committed.documents as u64))
    }

    /// The search's page ranked by the index: `(total matches, [(document key, score)])`
    /// in order of score, then key; `None` when FTS5 must answer (the index is behind the
    /// store, or the search uses `NEAR`, which only FTS5 reads).
    pub(crate) fn rank(
        &mut self,
        conn: &Connection,
        q: &SearchQuery,
        limit: i64,
        offset: i64,
    ) -> Result<Option<RankedPage>, StoreError> {
        if mentions_near(&q.query) {
            return Ok(None);
        }
        // What cannot be read is left to FTS5, whose message the user knows.
        let Ok(node) = parse(&q.query) else {
            return Ok(None);
        };
        if !self.current(conn, Some(CATCH_UP_AT_SEARCH))? {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let mut analyzer = words_analyzer();
        let query = query::Builder {
            fields: &self.fields,
            words: analyzer.clone(),
            searcher: &searcher,
        }
        .search(&node, &q.filters())?;
        let wanted = (offset + limit).max(1) as usize;
        let order = (
            (
                tantivy::collector::sort_key::SortBySimilarityScore,
                Order::Desc,
            ),
            (
                tantivy::collector::sort_key::SortByStaticFastValue::<u64>::for_field("doc"),
                Order::Asc,
            ),
        );
        let (total, top) = searcher
            .search(
                &query,
                &(Count, TopDocs::with_limit(wanted).order_by(order)),
            )
            .map_err(failed)?;
        let page = top
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|((score, doc), _)| (doc.unwrap_or_default() as i64, f64::from(score)))
            .collect();
        let sought = highlight::sought(&node, &mut analyzer);
        Ok(Some(RankedPage {
            total: total as i64,
            page,
            sought,
            analyzer,
        }))
    }
}

impl Drop for RankingIndex {
    /// Commits what was added (a killed process skips this: the next run redoes it).
    fn drop(&mut self) {
        let _ = self.commit();
    }
}

/// What the index's last commit covers, from its metadata on disk.
fn read_mark(index: &Index) -> Result<Mark, StoreError> {
    let mark = match index.load_metas().map_err(failed)?.payload {
        Some(payload) => serde_json::from_str(&payload).map_err(|e| StoreError::Index {
            message: format!("unreadable commit mark: {e}"),
        })?,
        None => Mark {
            format: FORMAT,
            ..Mark::default()
        },
    };
    if mark.format != FORMAT {
        return Err(StoreError::Index {
            message: format!("format {} (this version writes {FORMAT})", mark.format),
        });
    }
    Ok(mark)
}

fn sql(e: rusqlite::Error) -> StoreError {
    StoreError::Index {
        message: format!("reading the store for the search index: {e}"),
    }
}

/// One document as the index holds it.
struct Indexed {
    doc: i64,
    title: Option<String>,
    text: String,
    outlet: Option<String>,
    language: Option<String>,
    published: Option<String>,
    speakers: Vec<String>,
    layers: Vec<String>,
    types: Vec<(String, String)>,
}

impl Indexed {
    fn as_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        d.add_u64(f.doc, self.doc as u64);
        let mut text = |field, value: &Option<String>| {
            if let Some(v) = value {
                d.add_text(field, v);
            }
        };
        text(f.title, &self.title);
        text(f.outlet, &self.outlet);
        text(f.language, &self.language);
        text(f.published, &self.published);
        d.add_text(f.text, &self.text);
        for s in &self.speakers {
            d.add_text(f.speaker, s);
        }
        for l in &self.layers {
            d.add_text(f.layer, l);
        }
        for (layer, t) in &self.types {
            d.add_text(f.layer_type, query::layer_type(layer, t));
            d.add_text(f.annotation_type, t);
        }
        d
    }
}

/// Up to [`CHUNK`] documents after key `after`, with the facts the filters test, read as
/// the SQL filters read them (`said`, `layers` with annotations, `layer_types`).
fn read_chunk(conn: &Connection, after: i64) -> rusqlite::Result<Vec<Indexed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT doc, title, text, outlet, language, published FROM documents
         WHERE doc > ?1 ORDER BY doc LIMIT ?2",
    )?;
    let mut docs: Vec<Indexed> = stmt
        .query_map(params![after, CHUNK], |r| {
            Ok(Indexed {
                doc: r.get(0)?,
                title: r.get(1)?,
                text: r.get(2)?,
                outlet: r.get(3)?,
                language: r.get(4)?,
                published: r.get(5)?,
                speakers: Vec::new(),
                layers: Vec::new(),
                types: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (Some(first), Some(last)) = (docs.first(), docs.last()) else {
        return Ok(docs);
    };
    let (first, last) = (first.doc, last.doc);
    // Documents are in key order: each fact finds its document by binary search.
    let mut attach = |sql: &str, put: &mut dyn FnMut(&mut Indexed, &rusqlite::Row<'_>)| {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![first, last])?;
        while let Some(row) = rows.next()? {
            let key: i64 = row.get(0)?;
            if let Ok(at) = docs.binary_search_by_key(&key, |d| d.doc) {
                put(&mut docs[at], row);
            }
        }
        Ok::<(), rusqlite::Error>(())
    };
    attach(
        "SELECT DISTINCT doc, speaker FROM said WHERE doc BETWEEN ?1 AND ?2",
        &mut |d, r| d.speakers.extend(r.get::<_, String>(1).ok()),
    )?;
    attach(
        "SELECT doc, name FROM layers WHERE doc BETWEEN ?1 AND ?2 AND annotations > 0",
        &mut |d, r| d.layers.extend(r.get::<_, String>(1).ok()),
    )?;
    attach(
        "SELECT doc, layer, type FROM layer_types WHERE doc BETWEEN ?1 AND ?2",
        &mut |d, r| {
            if let (Ok(l), Ok(t)) = (r.get::<_, String>(1), r.get::<_, String>(2)) {
                d.types.push((l, t));
            }
        },
    )?;
    Ok(docs)
}
