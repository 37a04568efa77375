//! The JSON API: the CLI's analysis over HTTP, and the documents kept by the server. Every
//! route is annotated for the OpenAPI document served at `/api/openapi.json`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use claimlens_export::HtmlOptions;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::analysis::{analyze, Analysis};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::submission::{raw_body_type, AnalyzeRequest, Submission};

/// The OpenAPI description of the API, generated from the handlers below.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "claimlens",
        description = "Who claims what, on whose authority, in news articles: every annotation with exact offsets and the rule or model that produced it. Documents are the `claimlens.doc` JSON export described in docs/schema.md."
    ),
    paths(
        analyze_route,
        document_route,
        crate::corpus_api::documents_route,
        crate::corpus_api::search_route,
        crate::corpus_api::speakers_route,
        crate::corpus_api::clusters_route,
        healthz
    ),
    components(schemas(AnalyzeRequest, ErrorBody, Health))
)]
pub struct ApiDoc;

/// Query parameters of `POST /api/analyze`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeQuery {
    /// `json` (the `claimlens.doc` export, default) or `html` (the self-contained report).
    pub format: Option<String>,
    /// Publication date (YYYY-MM-DD) to resolve relative dates against.
    pub date: Option<String>,
    /// `false` to not keep the analysis (no permalink, nothing stored).
    pub keep: Option<bool>,
}

/// Output of an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// The `claimlens.doc` JSON export.
    Json,
    /// The HTML report.
    Html,
}

impl Rendering {
    fn parse(s: Option<&str>) -> Result<Rendering, ApiError> {
        match s.unwrap_or("json") {
            "json" => Ok(Rendering::Json),
            "html" => Ok(Rendering::Html),
            other => Err(ApiError::bad_request(format!(
                "format {other:?}: use json or html"
            ))),
        }
    }
}

/// Analyses one article and returns the `claimlens.doc` JSON export (or the HTML report).
///
/// The body is either JSON (`{"text": …}`, `{"html": …}` or `{"url": …}`), or the article
/// itself as `text/plain` or `text/html`. The analysis's permalink is in `Location`.
#[utoipa::path(
    post,
    path = "/api/analyze",
    params(AnalyzeQuery),
    request_body(content = AnalyzeRequest, description = "JSON with one of text, html, url; or a raw text/plain or text/html body"),
    responses(
        (status = 200, description = "The claimlens.doc JSON export (or the HTML report with format=html)", content_type = "application/json"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 415, description = "Unsupported body type", body = ErrorBody),
        (status = 422, description = "Nothing analysable (empty, binary, several documents)", body = ErrorBody),
        (status = 503, description = "Every analysis slot is taken; see Retry-After", body = ErrorBody),
        (status = 504, description = "The analysis took longer than the request timeout", body = ErrorBody)
    )
)]
pub async fn analyze_route(
    State(state): State<Arc<AppState>>,
    query: Result<Query<AnalyzeQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let rendering = Rendering::parse(query.format.as_deref())?;
    let body = body.map_err(|e| body_error(&state, e.status(), e.body_text()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut date = query.date;
    let submission = if content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    {
        let request: AnalyzeRequest = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("JSON body: {e}")))?;
        date = date.or(request.date.clone());
        Submission::from_request(request)?
    } else if let Some(kind) = raw_body_type(content_type) {
        Submission::Bytes {
            name: if kind == "html" { "page" } else { "pasted" }.into(),
            bytes: body.to_vec(),
            content_type: Some(content_type.to_owned()),
        }
    } else {
        return Err(ApiError::unsupported(
            "send JSON ({\"text\": …}, {\"html\": …} or {\"url\": …}), text/plain or text/html",
        ));
    };
    let keep = query.keep.unwrap_or(true);
    let (analysis, rendered) = run_analysis(&state, submission, date, keep, rendering).await?;
    Ok(rendered_response(&analysis, rendered, rendering))
}

/// Runs an analysis on the pool, keeps it when asked, and renders it.
pub async fn run_analysis(
    state: &Arc<AppState>,
    submission: Submission,
    date: Option<String>,
    keep: bool,
    rendering: Rendering,
) -> Result<(Arc<Analysis>, Vec<u8>), ApiError> {
    let worker_state = state.clone();
    state
        .limits
        .run(move || {
            let input = submission.into_input(&worker_state.config.fetch_limits())?;
            let analysis = Arc::new(analyze(&worker_state.pipeline, &input, date.as_deref())?);
            if keep {
                worker_state.library.keep(analysis.clone())?;
            }
            let rendered = match rendering {
                Rendering::Json => analysis.to_json()?,
                Rendering::Html => analysis.to_html(HtmlOptions::default())?,
            };
            Ok((analysis, rendered))
        })
        .await
}

fn rendered_response(analysis: &Analysis, body: Vec<u8>, rendering: Rendering) -> Response {
    let content_type = match rendering {
        Rendering::Json => "application/json",
        Rendering::Html => "text/html; charset=utf-8",
    };
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/documents/{}", analysis.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Maps a body rejection: over the limit is 413, anything else 400.
pub fn body_error(state: &AppState, status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(state.config.max_body_bytes)
    } else {
        ApiError::bad_request(text)
    }
}

/// A kept document's `claimlens.doc` JSON export.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    params(("id" = String, Path, description = "The document's id: the SHA-256 of its text, in hex")),
    responses(
        (status = 200, description = "The claimlens.doc JSON export", content_type = "application/json"),
        (status = 404, description = "No such document", body = ErrorBody)
    )
)]
pub async fn document_route(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let worker_state = state.clone();
    let analysis = state
        .reads
        .run(move || worker_state.library.get(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("no document with this id"))?;
    let body = analysis.to_json()?;
    Ok(rendered_response(&analysis, body, Rendering::Json))
}

/// `/healthz`: the server is up and how busy it is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: &'static str,
    /// The claimlens version.
    pub version: &'static str,
    /// Whether documents are kept in a store.
    pub store: bool,
}

/// Liveness: answered on the reactor, even while every analysis worker is busy.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        store: state.library.has_store(),
    })
}

/// The OpenAPI document.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
