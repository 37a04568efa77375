//! claimlens server: the web workbench and JSON HTTP API, served by the same binary as the
//! CLI (`claimlens serve`).
//!
//! # Brief overview
//!
//! * [`router`] builds every route on an [`AppState`]: the workbench's pages ([`pages`]), the
//!   JSON API ([`api`], described by the generated OpenAPI document at `/api/openapi.json`),
//!   `/healthz` and the embedded assets. Nothing is loaded from elsewhere; the server works
//!   offline.
//! * Analysis is the CLI's: the same reader ([`claimlens_ingest::Input::memory`]), pipeline
//!   (models loaded once, in [`AppState::new`]) and writers. It runs on a bounded pool of
//!   blocking threads ([`limits`]), never on the reactor; a full queue is answered with 503 and
//!   `Retry-After` at once.
//! * Every request has a deadline and a body limit; errors are one-line JSON messages (or an
//!   error page), never a stack trace.
//!
//! * [`AppState::new`] opens the store outside the async runtime: the PostgreSQL client blocks
//!   on a runtime of its own, which tokio refuses to start on one of its threads. Every store
//!   call after that runs on the blocking pool.
//!
//! ```no_run
//! use claimlens_server::{serve, AppState, ServerConfig};
//! # fn run() -> std::io::Result<()> {
//! let config = ServerConfig::default();
//! let addr = config.addr;
//! let state = std::sync::Arc::new(AppState::new(config).expect("store opens"));
//! tokio::runtime::Runtime::new()?.block_on(async {
//!     let listener = tokio::net::TcpListener::bind(addr).await?;
//!     serve(listener, state).await
//! })
//! # }
//! ```

pub mod analysis;
pub mod api;
mod cluster_pages;
pub mod config;
pub mod corpus_api;
mod corpus_pages;
pub mod error;
pub mod fetching;
pub mod limits;
mod listener;
pub mod pages;
pub mod state;
pub mod submission;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub use config::ServerConfig;
pub use error::ApiError;
pub use state::AppState;

/// Every route of the server.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/analyze", post(pages::analyze_submit))
        .route("/documents", get(corpus_pages::documents_page))
        .route("/documents/{id}", get(pages::document_page))
        .route("/assets/{name}", get(pages::asset))
        .route("/api/analyze", post(api::analyze_route))
        .route("/search", get(corpus_pages::search_page))
        .route("/speakers", get(corpus_pages::speakers_page))
        .route("/clusters", get(cluster_pages::clusters_page))
        .route("/api/documents", get(corpus_api::documents_route))
        .route("/api/documents/{id}", get(api::document_route))
        .route("/api/search", get(corpus_api::search_route))
        .route("/api/speakers", get(corpus_api::speakers_route))
        .route("/api/clusters", get(corpus_api::clusters_route))
        .route("/api/openapi.json", get(api::openapi))
        .route("/healthz", get(api::healthz))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .with_state(state)
}

/// Every request, body upload included, ends by the configured deadline.
async fn deadline(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let timeout = state.config.request_timeout;
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timeout(timeout.as_secs().max(1)).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such page")
}

/// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let listener = listener::IdleTimeoutListener::new(listener, state.config.idle_timeout);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
