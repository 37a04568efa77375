//! The JSON API over the library: documents, full-text search, who said what. Query
//! parameters are the store's query types (`docs/store.md`), so the API and the Rust API take
//! the same filters.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use claimlens_store::{ClusterQuery, DocumentQuery, SearchQuery, SpeakerQuery};

use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, Library};

/// A query read from a URL. A plain HTML form sends every field, so an empty text field
/// (`?outlet=`) means "no filter", not "the empty outlet".
pub trait FormQuery {
    /// The optional text fields a blank value clears.
    fn optional_text(&mut self) -> Vec<&mut Option<String>>;
}

impl FormQuery for DocumentQuery {
    fn optional_text(&mut self) -> Vec<&mut Option<String>> {
        vec![
            &mut self.outlet,
            &mut self.published_from,
            &mut self.published_to,
            &mut self.language,
        ]
    }
}

impl FormQuery for SearchQuery {
    fn optional_text(&mut self) -> Vec<&mut Option<String>> {
        vec![
            &mut self.outlet,
            &mut self.published_from,
            &mut self.published_to,
            &mut self.language,
            &mut self.speaker,
            &mut self.layer,
            &mut self.annotation_type,
        ]
    }
}

impl FormQuery for SpeakerQuery {
    fn optional_text(&mut self) -> Vec<&mut Option<String>> {
        vec![
            &mut self.name,
            &mut self.name_contains,
            &mut self.outlet,
            &mut self.published_from,
            &mut self.published_to,
        ]
    }
}

impl FormQuery for ClusterQuery {
    fn optional_text(&mut self) -> Vec<&mut Option<String>> {
        vec![
            &mut self.outlet,
            &mut self.published_from,
            &mut self.published_to,
        ]
    }
}

/// The query of a URL, its blank fields cleared; a malformed one is a 400.
pub fn form_query<Q: FormQuery>(q: Result<Query<Q>, QueryRejection>) -> Result<Q, ApiError> {
    let Query(mut q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    for field in q.optional_text() {
        if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
            *field = None;
        }
    }
    Ok(q)
}

/// Runs one read of the library on the bounded pool for reads, never on the reactor: a store
/// query blocks.
pub async fn read_library<Q, T>(
    state: &Arc<AppState>,
    q: Q,
    read: fn(&Library, &Q) -> Result<T, ApiError>,
) -> Result<T, ApiError>
where
    Q: Send + 'static,
    T: Send + 'static,
{
    let worker = state.clone();
    state.reads.run(move || read(&worker.library, &q)).await
}

/// Documents, newest first (`outlet`, `published_from`, `published_to`, `language`,
/// `limit`, `offset`).
#[utoipa::path(
    get,
    path = "/api/documents",
    params(
        ("outlet" = Option<String>, Query, description = "Only this outlet"),
        ("published_from" = Option<String>, Query, description = "Published on or after (YYYY-MM-DD)"),
        ("published_to" = Option<String>, Query, description = "Published on or before (YYYY-MM-DD)"),
        ("language" = Option<String>, Query, description = "Language tag"),
        ("limit" = Option<u32>, Query, description = "Page size (default 50, at most 500)"),
        ("offset" = Option<u32>, Query, description = "Results to skip")
    ),
    responses(
        (status = 200, description = "A page: {total, items: [DocumentSummary]} (docs/store.md)", content_type = "application/json"),
        (status = 400, description = "Malformed query", body = ErrorBody)
    )
)]
pub async fn documents_route(
    State(state): State<Arc<AppState>>,
    query: Result<Query<DocumentQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let page = read_library(&state, form_query(query)?, Library::documents).await?;
    Ok(Json(page).into_response())
}

/// Full-text search over titles and texts (needs a store).
#[utoipa::path(
    get,
    path = "/api/search",
    params(
        ("query" = String, Query, description = "Words (all must occur), \"a phrase\", OR, NOT, prefix*, title:word"),
        ("outlet" = Option<String>, Query, description = "Only this outlet"),
        ("published_from" = Option<String>, Query, description = "Published on or after (YYYY-MM-DD)"),
        ("published_to" = Option<String>, Query, description = "Published on or before (YYYY-MM-DD)"),
        ("speaker" = Option<String>, Query, description = "Only documents quoting this speaker (canonical name)"),
        ("layer" = Option<String>, Query, description = "Only documents with an annotation in this layer"),
        ("type" = Option<String>, Query, description = "… of this type"),
        ("limit" = Option<u32>, Query, description = "Page size (default 50, at most 500)"),
        ("offset" = Option<u32>, Query, description = "Results to skip")
    ),
    responses(
        (status = 200, description = "A page: {total, items: [SearchHit]}, snippets with code-point offsets (docs/store.md)", content_type = "application/json"),
        (status = 400, description = "Malformed query (unbalanced quotes, stray operators, bad dates)", body = ErrorBody),
        (status = 501, description = "The server has no store", body = ErrorBody)
    )
)]
pub async fn search_route(
    State(state): State<Arc<AppState>>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let page = read_library(&state, form_query(query)?, Library::search).await?;
    Ok(Json(page).into_response())
}

/// Who said what across the corpus (needs a store).
#[utoipa::path(
    get,
    path = "/api/speakers",
    params(
        ("name" = Option<String>, Query, description = "Exactly this speaker (canonical name)"),
        ("name_contains" = Option<String>, Query, description = "Speakers whose name contains this, any case"),
        ("with_quotes" = Option<bool>, Query, description = "Include each speaker's quotes"),
        ("limit" = Option<u32>, Query, description = "Page size (default 50, at most 500)"),
        ("offset" = Option<u32>, Query, description = "Results to skip")
    ),
    responses(
        (status = 200, description = "A page: {total, items: [SpeakerSummary]} (docs/store.md)", content_type = "application/json"),
        (status = 501, description = "The server has no store", body = ErrorBody)
    )
)]
pub async fn speakers_route(
    State(state): State<Arc<AppState>>,
    query: Result<Query<SpeakerQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let page = read_library(&state, form_query(query)?, Library::speakers).await?;
    Ok(Json(page).into_response())
}

/// Republication clusters: who first published each story, who republished it (needs a
/// store).
#[utoipa::path(
    get,
    path = "/api/clusters",
    params(
        ("threshold" = Option<f64>, Query, description = "Word-shingle Jaccard with a story's first document from which a document joins it (default 0.5, in (0, 1])"),
        ("min_size" = Option<u32>, Query, description = "Only clusters of at least this many documents (default 2)"),
        ("outlet" = Option<String>, Query, description = "Only clusters with a document from this outlet"),
        ("published_from" = Option<String>, Query, description = "Cluster documents published on or after (YYYY-MM-DD)"),
        ("published_to" = Option<String>, Query, description = "Cluster documents published on or before (YYYY-MM-DD)"),
        ("limit" = Option<u32>, Query, description = "Page size (default 50, at most 500)"),
        ("offset" = Option<u32>, Query, description = "Clusters to skip")
    ),
    responses(
        (status = 200, description = "A page: {total, items: [StoryCluster]}, largest first; each with size, first, outlets and timeline (docs/store.md)", content_type = "application/json"),
        (status = 400, description = "Malformed query (threshold outside (0, 1], bad dates)", body = ErrorBody),
        (status = 501, description = "The server has no store", body = ErrorBody)
    )
)]
pub async fn clusters_route(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ClusterQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let page = read_library(&state, form_query(query)?, Library::clusters).await?;
    Ok(Json(page).into_response())
}
