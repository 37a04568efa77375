//! What every request shares: the pipeline (models loaded once, at start), the analysis pool's
//! limits, and the library of analysed documents (in memory, or the corpus store).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use claimlens_pipeline::Pipeline;
use claimlens_store::{
    ClusterQuery, DocumentQuery, DocumentSummary, Entry, Location, Page, SearchHit, SearchQuery,
    SpeakerQuery, SpeakerSummary, Store, StoryCluster,
};

use crate::analysis::Analysis;
use crate::config::ServerConfig;
use crate::error::ApiError;
use crate::limits::Limits;

/// Reads that may wait for a thread before the server answers 503.
const READ_QUEUE: usize = 64;

/// Shared by every handler.
pub struct AppState {
    /// The configuration the server was started with.
    pub config: ServerConfig,
    /// Every stage, models embedded and loaded once.
    pub pipeline: Pipeline,
    /// The analysis pool's admission control.
    pub limits: Limits,
    /// Admission control for reads of the library (lists, search, documents), apart from
    /// analyses so a busy analysis queue does not refuse them.
    pub reads: Limits,
    /// Analysed documents.
    pub library: Library,
}

impl AppState {
    /// Loads the models and opens the store, if any.
    pub fn new(config: ServerConfig) -> Result<AppState, claimlens_store::StoreError> {
        let store = match &config.db {
            Some(location) => Some(StoreHandles {
                writer: Mutex::new({
                    let store = location.open()?;
                    // Built before serving, not in the first search request.
                    store.prepare_search();
                    store
                }),
                readers: Mutex::new(Vec::new()),
                location: location.clone(),
            }),
            None => None,
        };
        let pipeline = Pipeline::default_pipeline();
        // The embedded models decoded before serving, not in the first analysis request.
        pipeline.warm_up();
        Ok(AppState {
            pipeline,
            limits: Limits::new(config.workers, config.queue, config.request_timeout),
            reads: Limits::new(config.workers, READ_QUEUE, config.request_timeout),
            library: Library {
                recent: Mutex::new(Recent::new(config.recent_limit)),
                store,
            },
            config,
        })
    }
}

/// Analysed documents: the most recent ones in memory (with their diagnostics), and every
/// one in the store when the server has one.
pub struct Library {
    recent: Mutex<Recent>,
    store: Option<StoreHandles>,
}

/// A store connection, of either back-end.
type Connection = Box<dyn Store + Send>;

/// The store's connections: one that writes, and readers taken from a pool, each reading
/// its own snapshot beside the writer (SQLite in WAL mode; PostgreSQL's MVCC). A long read
/// (the clusters of 100,000 articles take 25 s) then holds up neither other reads nor the
/// analyses' writes.
struct StoreHandles {
    location: Location,
    writer: Mutex<Connection>,
    /// Idle readers; a read opens one more when none is idle (at most one per read thread).
    readers: Mutex<Vec<Connection>>,
}

/// A reader borrowed from the pool, returned to it when dropped.
pub struct Reader<'a> {
    pool: &'a Mutex<Vec<Connection>>,
    store: Option<Connection>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = dyn Store + Send;

    fn deref(&self) -> &(dyn Store + Send + 'static) {
        self.store.as_deref().expect("held until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let (Some(store), Ok(mut idle)) = (self.store.take(), self.pool.lock()) {
            idle.push(store);
        }
    }
}

impl Library {
    /// Whether documents outlive the server.
    pub fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// Keeps an analysis for its permalink (and in the store, when there is one). Blocking:
    /// call it from the analysis pool.
    pub fn keep(&self, analysis: Arc<Analysis>) -> Result<(), ApiError> {
        if let Some(handles) = &self.store {
            let mut store = lock(&handles.writer)?;
            if !store.contains(&analysis.id)? {
                store.write_batch(&[Entry::Document(Box::new(analysis.doc.clone()))])?;
            }
        }
        lock(&self.recent)?.push(analysis);
        Ok(())
    }

    /// The analysis with this id: remembered, else read back from the store (without the
    /// diagnostics of its analysis, which are not stored). Blocking.
    pub fn get(&self, id: &str) -> Result<Option<Arc<Analysis>>, ApiError> {
        if let Some(found) = lock(&self.recent)?.get(id) {
            return Ok(Some(found));
        }
        let Some(store) = self.store()? else {
            return Ok(None);
        };
        Ok(store.document(id)?.map(|doc| {
            Arc::new(Analysis {
                id: id.to_owned(),
                doc,
                diagnostics: Vec::new(),
            })
        }))
    }

    /// The remembered analyses, newest first.
    pub fn recent(&self) -> Result<Vec<Arc<Analysis>>, ApiError> {
        Ok(lock(&self.recent)?.newest_first())
    }

    /// Documents, newest first: the store's, or the remembered analyses (most recent first)
    /// when there is no store. Blocking.
    pub fn documents(&self, q: &DocumentQuery) -> Result<Page<DocumentSummary>, ApiError> {
        if let Some(store) = self.store()? {
            return Ok(store.documents(q)?);
        }
        let mut matching = Vec::new();
        for analysis in self.recent()? {
            let summary = DocumentSummary::of(&analysis.doc);
            if q.matches(&summary)? {
                matching.push(summary);
            }
        }
        let offset = q.offset.unwrap_or(0) as usize;
        let limit = q
            .limit
            .unwrap_or(claimlens_store::DEFAULT_LIMIT)
            .min(claimlens_store::MAX_LIMIT) as usize;
        Ok(Page {
            total: matching.len() as u64,
            items: matching.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// Full-text search over the store. Blocking.
    pub fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>, ApiError> {
        Ok(self.store_or_501("search")?.search(q)?)
    }

    /// Who said what across the store. Blocking.
    pub fn speakers(&self, q: &SpeakerQuery) -> Result<Page<SpeakerSummary>, ApiError> {
        Ok(self.store_or_501("the speakers index")?.speakers(q)?)
    }

    /// Republication clusters over the store. Blocking: reads and clusters every document the
    /// dates select (about 4,000 a second in a release build) on a reader of its own.
    pub fn clusters(&self, q: &ClusterQuery) -> Result<Page<StoryCluster>, ApiError> {
        Ok(self.store_or_501("republication clusters")?.clusters(q)?)
    }

    fn store_or_501(&self, what: &str) -> Result<Reader<'_>, ApiError> {
        self.store()?.ok_or_else(|| {
            ApiError::not_implemented(format!(
                "{what} needs a corpus store: start the server with --db <file>"
            ))
        })
    }

    /// A reader of the store, when there is one: an idle one from the pool, else a new
    /// connection. Blocking.
    pub fn store(&self) -> Result<Option<Reader<'_>>, ApiError> {
        let Some(handles) = &self.store else {
            return Ok(None);
        };
        let idle = lock(&handles.readers)?.pop();
        let store = match idle {
            Some(store) => store,
            None => handles.location.open()?,
        };
        Ok(Some(Reader {
            pool: &handles.readers,
            store: Some(store),
        }))
    }
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>, ApiError> {
    m.lock()
        .map_err(|_| ApiError::internal("the document library", "a lock was poisoned"))
}

/// The last `limit` analyses, oldest dropped first; a document analysed again moves to the
/// front instead of being kept twice.
struct Recent {
    limit: usize,
    items: VecDeque<Arc<Analysis>>,
}

impl Recent {
    fn new(limit: usize) -> Recent {
        Recent {
            limit: limit.max(1),
            items: VecDeque::new(),
        }
    }

    fn push(&mut self, analysis: Arc<Analysis>) {
        self.items.retain(|a| a.id != analysis.id);
        self.items.push_front(analysis);
        self.items.truncate(self.limit);
    }

    fn get(&self, id: &str) -> Option<Arc<Analysis>> {
        self.items.iter().find(|a| a.id == id).cloned()
    }

    fn newest_first(&self) -> Vec<Arc<Analysis>> {
        self.items.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::Doc;

    fn analysis(text: &str) -> Arc<Analysis> {
        Arc::new(Analysis {
            id: claimlens_store::content_id(text),
            doc: Doc::new("d", text),
            diagnostics: Vec::new(),
        })
    }

    #[test]
    fn recent_is_bounded_and_moves_repeats_to_the_front() {
        let mut recent = Recent::new(2);
        recent.push(analysis("one"));
        recent.push(analysis("two"));
        recent.push(analysis("one"));
        recent.push(analysis("three"));
        let texts: Vec<_> = recent
            .newest_first()
            .iter()
            .map(|a| a.doc.text().to_owned())
            .collect();
        assert_eq!(texts, ["three", "one"]);
        assert!(recent.get(&claimlens_store::content_id("two")).is_none());
    }

    fn library_with_store(path: &std::path::Path) -> Library {
        Library {
            recent: Mutex::new(Recent::new(4)),
            store: Some(StoreHandles {
                writer: Mutex::new(Location::File(path.to_owned()).open().unwrap()),
                readers: Mutex::new(Vec::new()),
                location: Location::File(path.to_owned()),
            }),
        }
    }

    #[test]
    fn a_read_in_progress_holds_up_neither_another_read_nor_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let library = library_with_store(&dir.path().join("c.db"));
        library
            .keep(analysis("The harbour reopened on Monday."))
            .unwrap();
        // A long read (clusters, say) holds its reader...
        let held = library.store().unwrap().unwrap();
        assert_eq!(held.contents().unwrap().doc_ids.len(), 1);
        // ...while another read and a write go on: one lock for all would deadlock here.
        let search = library
            .search(&SearchQuery {
                query: "harbour".into(),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(search.total, 1);
        library
            .keep(analysis("The ferry resumed on Tuesday."))
            .unwrap();
        assert_eq!(
            library.documents(&DocumentQuery::default()).unwrap().total,
            2
        );
        drop(held);
        // Readers go back to the pool and are used again.
        assert_eq!(
            lock(&library.store.as_ref().unwrap().readers)
                .unwrap()
                .len(),
            2
        );
        library.documents(&DocumentQuery::default()).unwrap();
        assert_eq!(
            lock(&library.store.as_ref().unwrap().readers)
                .unwrap()
                .len(),
            2
        );
    }
}
