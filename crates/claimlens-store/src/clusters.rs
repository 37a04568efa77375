//! Republication clusters: which stored documents are near-duplicates of an earlier one. The
//! clustering is `claimlens_narratives::near_duplicates`; this file reads the documents in
//! publication order, applies the filters and pages the result.

use claimlens_narratives::near_duplicates::{
    Clusterer, Prepared, Preparer, Settings, DEFAULT_THRESHOLD,
};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::listing::{page_bounds, Filters};
use crate::{Page, StoreError};

/// Cluster size from which a cluster is listed when none is asked for: a story and at least
/// one republication.
pub const DEFAULT_MIN_SIZE: u32 = 2;

/// Which clusters to list. `Default`: threshold 0.5, clusters of two or more, largest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterQuery {
    /// Exact word-shingle Jaccard with a cluster's first-seen document from which a document
    /// joins it, in `(0, 1]`; 0.5 when absent.
    pub threshold: Option<f64>,
    /// Only clusters of at least this many documents; 2 when absent (1 lists every document).
    pub min_size: Option<u32>,
    /// Only clusters with a document from this outlet (exact match). The clustering itself
    /// runs over every outlet, since republication crosses outlets.
    pub outlet: Option<String>,
    /// Only documents published on or after this day, `YYYY-MM-DD`, are clustered.
    pub published_from: Option<String>,
    /// Only documents published on or before this day, `YYYY-MM-DD` (the whole day), are
    /// clustered.
    pub published_to: Option<String>,
    /// Page size: 50 when absent, at most 500.
    pub limit: Option<u32>,
    /// Clusters to skip.
    pub offset: Option<u32>,
}

/// One document of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterMember {
    /// The store's id ([`crate::content_id`]).
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Publication date as found.
    pub published: Option<String>,
    /// Exact word-shingle Jaccard with the cluster's first-seen document (1 for that one).
    pub jaccard: f64,
}

/// A story and its republications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryCluster {
    /// Number of documents.
    pub size: u64,
    /// The first-seen document: the earliest published (see `docs/store.md` for ties and
    /// undated documents).
    pub first: ClusterMember,
    /// The distinct outlets, in the order they first carried the story (documents without
    /// an outlet left out).
    pub outlets: Vec<String>,
    /// Every member in publication order, the first-seen document first.
    pub timeline: Vec<ClusterMember>,
}

/// Clusters the documents the query's dates select; `progress(done, total)` is called as
/// documents are read. The clustering is kept in `cache` for the next page of the same
/// clustering, while the store holds the same documents.
pub(crate) fn clusters(
    conn: &Connection,
    q: &ClusterQuery,
    progress: &mut dyn FnMut(u64, u64),
    cache: &ClusterCache,
) -> Result<rusqlite::Result<Page<StoryCluster>>, StoreError> {
    let mut clusterer = clusterer_for(q)?;
    let mut params = Vec::new();
    let filters = date_filters(q).sql(&mut params)?;
    Ok((|| {
        let mark = crate::sqlite::documents_mark(conn)?;
        let clustered = cache.get_or_compute(CacheKey::new(q, mark), || {
            read_and_cluster(conn, &filters, &params, &mut clusterer, progress)
                .map(|members| Clustered::new(clusterer, members))
        })?;
        Ok(page(&clustered, q))
    })())
}

/// Every cluster of one clustering with the documents it was made from: what each page,
/// size floor and outlet filter is cut from.
pub(crate) struct Clustered {
    clusters: Vec<claimlens_narratives::near_duplicates::Cluster>,
    members: Vec<ClusterMember>,
}

impl Clustered {
    pub(crate) fn new(clusterer: Clusterer, members: Vec<ClusterMember>) -> Clustered {
        Clustered {
            clusters: clusterer.into_clusters(),
            members,
        }
    }
}

/// What one clustering depends on: its threshold and dates, and the store's documents (the
/// highest key and how many: documents are only added and deleted, never rewritten).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CacheKey {
    threshold: u64,
    published_from: Option<String>,
    published_to: Option<String>,
    documents: (i64, i64),
}

impl CacheKey {
    pub(crate) fn new(q: &ClusterQuery, documents: (i64, i64)) -> CacheKey {
        CacheKey {
            threshold: q.threshold.unwrap_or(DEFAULT_THRESHOLD).to_bits(),
            published_from: q.published_from.clone(),
            published_to: q.published_to.clone(),
            documents,
        }
    }
}

/// The last clustering a store connection made. Clustering reads and hashes every document
/// (32 s for 100,000 articles on two cores), and a reader asks for it page after page (the
/// web workbench's clusters page, its outlet and size filters): each is cut from the kept
/// clustering while the store holds the same documents. One clustering is kept (its
/// members' ids and titles: about 20 MB for 100,000 documents).
#[derive(Default)]
pub(crate) struct ClusterCache(Mutex<Option<(CacheKey, Arc<Clustered>)>>);

impl ClusterCache {
    pub(crate) fn get_or_compute<E>(
        &self,
        key: CacheKey,
        compute: impl FnOnce() -> Result<Clustered, E>,
    ) -> Result<Arc<Clustered>, E> {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, clustered)) = kept.as_ref() {
            if *k == key {
                return Ok(Arc::clone(clustered));
            }
        }
        let clustered = Arc::new(compute()?);
        *kept = Some((key, Arc::clone(&clustered)));
        Ok(clustered)
    }
}

/// Documents read and prepared at a time: enough to keep every core busy, few enough that
/// their texts stay a few megabytes.
const CHUNK: usize = 256;

/// The clusterer the query asks for; a threshold outside `(0, 1]` is an invalid query.
pub(crate) fn clusterer_for(q: &ClusterQuery) -> Result<Clusterer, StoreError> {
    let settings = Settings {
        threshold: q.threshold.unwrap_or(DEFAULT_THRESHOLD),
        ..Settings::default()
    };
    Clusterer::new(settings).map_err(|e| StoreError::InvalidQuery {
        message: e.to_string(),
    })
}

/// Which documents are clustered: the query's dates (its outlet selects clusters, later).
pub(crate) fn date_filters(q: &ClusterQuery) -> Filters<'_> {
    Filters {
        published_from: q.published_from.as_deref(),
        published_to: q.published_to.as_deref(),
        ..Filters::default()
    }
}

/// The order documents are fed to the clusterer in: dated documents by `published` (ISO
/// dates order correctly as text), then undated ones; ties by the time they were stored,
/// then by id, so the order is the same on every run and on every back-end.
pub(crate) const PUBLICATION_ORDER: &str =
    "ORDER BY d.published IS NULL, d.published, d.ingested_at, d.doc_id";

/// The columns [`feed`] reads, in its order, from `documents d`.
pub(crate) const MEMBER_COLUMNS: &str = "d.doc_id, d.title, d.outlet, d.published, d.text";

/// Feeds every selected document to the clusterer in publication order.
fn read_and_cluster(
    conn: &Connection,
    filters: &str,
    params: &[rusqlite::types::Value],
    clusterer: &mut Clusterer,
    progress: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<Vec<ClusterMember>> {
    let total: u64 = conn.query_row(
        &format!("SELECT count(*) FROM documents d WHERE 1 = 1{filters}"),
        rusqlite::params_from_iter(params),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {MEMBER_COLUMNS} FROM documents d WHERE 1 = 1{filters} {PUBLICATION_ORDER}"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut next = || -> rusqlite::Result<Option<(ClusterMember, String)>> {
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let member = ClusterMember {
            doc_id: row.get(0)?,
            title: row.get(1)?,
            outlet: row.get(2)?,
            published: row.get(3)?,
            jaccard: 1.0,
        };
        Ok(Some((member, row.get(4)?)))
    };
    feed(clusterer, total, &mut next, progress)
}

/// Feeds the documents `next` yields (in publication order, [`MEMBER_COLUMNS`]) to the
/// clusterer, `total` of them; whichever back-end reads them. Documents are taken a chunk
/// at a time and prepared (shingles, signature) on every core, then added in order: the
/// clusters are the ones one thread would make.
pub(crate) fn feed<E>(
    clusterer: &mut Clusterer,
    total: u64,
    next: &mut dyn FnMut() -> Result<Option<(ClusterMember, String)>, E>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<ClusterMember>, E> {
    let preparer = clusterer.preparer().clone();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut members = Vec::new();
    let mut texts: Vec<String> = Vec::with_capacity(CHUNK);
    // `next` is not asked again once it has said there is no more (a PostgreSQL row stream
    // reports its closed portal as an error then).
    let mut exhausted = false;
    while !exhausted {
        texts.clear();
        while texts.len() < CHUNK {
            let Some((member, text)) = next()? else {
                exhausted = true;
                break;
            };
            texts.push(text);
            members.push(member);
        }
        if texts.is_empty() {
            break;
        }
        for prepared in prepare_all(&preparer, &texts, threads) {
            clusterer.add_prepared(prepared);
        }
        progress(members.len() as u64, total);
    }
    Ok(members)
}

/// The prepared documents of `texts`, in order, split between `threads` threads.
fn prepare_all(preparer: &Preparer, texts: &[String], threads: usize) -> Vec<Prepared> {
    let per_thread = texts.len().div_ceil(threads.max(1)).max(1);
    if per_thread == texts.len() {
        return texts.iter().map(|t| preparer.prepare(t)).collect();
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = texts
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || part.iter().map(|t| preparer.prepare(t)).collect::<Vec<_>>())
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("preparing a document does not panic"))
            .collect()
    })
}

/// The clusters the query lists, largest first, then by first publication.
pub(crate) fn page(clustered: &Clustered, q: &ClusterQuery) -> Page<StoryCluster> {
    let min_size = q.min_size.unwrap_or(DEFAULT_MIN_SIZE) as usize;
    let members = &clustered.members;
    // Chosen and ordered first, built after: only the page's clusters copy their members
    // (building all 2,065 clusters of 100,000 articles to show 50 took 58 ms).
    let mut listed: Vec<_> = clustered
        .clusters
        .iter()
        .filter(|c| c.members.len() >= min_size)
        .filter(|c| {
            q.outlet.as_ref().is_none_or(|o| {
                c.members
                    .iter()
                    .any(|m| members[m.doc].outlet.as_ref() == Some(o))
            })
        })
        .collect();
    // Stable: clusters of one size stay in the order their first documents were published.
    listed.sort_by_key(|c| std::cmp::Reverse(c.members.len()));
    let total = listed.len() as u64;
    let (limit, offset) = page_bounds(q.limit, q.offset);
    let items = listed
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|c| {
            let timeline: Vec<ClusterMember> = c
                .members
                .iter()
                .map(|m| ClusterMember {
                    jaccard: m.jaccard,
                    ..members[m.doc].clone()
                })
                .collect();
            let mut outlets: Vec<String> = Vec::new();
            for outlet in timeline.iter().filter_map(|m| m.outlet.as_ref()) {
                if !outlets.contains(outlet) {
                    outlets.push(outlet.clone());
                }
            }
            StoryCluster {
                size: timeline.len() as u64,
                first: timeline[0].clone(),
                outlets,
                timeline,
            }
        })
        .collect();
    Page { total, items }
}
