//! The JSON API over the library: documents, full-text search, who said what. Query
//! parameters are the store's query types (`docs/store.md`), so the API and the Rust API take
//! the same filters.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use claimlens_store::{DocumentQuery, SearchQuery, SpeakerQuery};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Empty form fields (`?outlet=`) mean "no filter", not "the empty outlet".
pub fn blank_to_none(fields: &mut [&mut Option<String>]) {
    for field in fields {
        if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
            **field = None;
        }
    }
}

/// Normalises a document query from a URL.
pub fn document_query(
    q: Result<Query<DocumentQuery>, QueryRejection>,
) -> Result<DocumentQuery, ApiError> {
    let Query(mut q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    blank_to_none(&mut [
        &mut q.outlet,
        &mut q.published_from,
        &mut q.published_to,
        &mut q.language,
    ]);
    Ok(q)
}

/// Normalises a search query from a URL.
pub fn search_query(
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<SearchQuery, ApiError> {
    let Query(mut q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    blank_to_none(&mut [
        &mut q.outlet,
        &mut q.published_from,
        &mut q.published_to,
        &mut q.language,
        &mut q.speaker,
        &mut q.layer,
        &mut q.annotation_type,
    ]);
    Ok(q)
}

/// Normalises a speakers query from a URL.
pub fn speaker_query(
    q: Result<Query<SpeakerQuery>, QueryRejection>,
) -> Result<SpeakerQuery, ApiError> {
    let Query(mut q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    blank_to_none(&mut [
        &mut q.name,
        &mut q.name_contains,
        &mut q.outlet,
        &mut q.published_from,
        &mut q.published_to,
    ]);
    Ok(q)
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
    let q = document_query(query)?;
    let worker = state.clone();
    let page = state
        .reads
        .run(move || worker.library.documents(&q))
        .await?;
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
    let q = search_query(query)?;
    let worker = state.clone();
    let page = state.reads.run(move || worker.library.search(&q)).await?;
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
    let q = speaker_query(query)?;
    let worker = state.clone();
    let page = state.reads.run(move || worker.library.speakers(&q)).await?;
    Ok(Json(page).into_response())
}

/// Republication clusters: not built yet, said plainly.
#[utoipa::path(
    get,
    path = "/api/clusters",
    responses((status = 501, description = "Republication clusters are not built yet", body = ErrorBody))
)]
pub async fn clusters_route() -> ApiError {
    ApiError::not_implemented(
        "republication clusters are not built yet; /api/search finds documents sharing a phrase",
    )
}
