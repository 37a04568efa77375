//! `claimlens serve`: the web workbench and JSON API on the same pipeline as `analyze`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use claimlens_server::{serve, AppState, ServerConfig};
use claimlens_store::Location;

/// Arguments of `claimlens serve`.
#[derive(Args)]
#[command(after_help = "\
Pages: / (analyze: paste, upload or link), /documents (analysed documents), /documents/<id>
(the report, a permalink). API: POST /api/analyze (JSON {\"text\"|\"html\"|\"url\": …}, or a
text/plain or text/html body; returns the claimlens.doc JSON export), GET /api/documents/<id>,
GET /healthz, and the OpenAPI document at /api/openapi.json.

The server listens on loopback unless --addr says otherwise. Analyses run on --workers
threads with --queue more waiting; beyond that requests get 503 with Retry-After.

Examples:
  claimlens serve
  claimlens serve --db corpus.db --addr 127.0.0.1:9000
  curl -s --data-binary @examples/harbour-dispute.txt -H 'Content-Type: text/plain' \\
    http://127.0.0.1:8080/api/analyze
  curl -s -H 'Content-Type: application/json' -d '{\"text\": \"The mayor said it rained.\"}' \\
    http://127.0.0.1:8080/api/analyze")]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; another address exposes the server).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Corpus store that keeps every analysis: an SQLite file, or a postgres:// URL; without
    /// it, the most recent analyses are kept in memory.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = claimlens_server::config::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Longest a request may take, in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Analyses run at once (default: every core).
    #[arg(long)]
    workers: Option<usize>,
    /// Analyses that may wait for a worker before requests get 503 (default: 16 per worker).
    #[arg(long)]
    queue: Option<usize>,
    /// Let URL fetches reach loopback, private and link-local addresses.
    #[arg(long)]
    allow_private_fetch: bool,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let db = args
        .db
        .as_deref()
        .map(|db| Location::of(std::path::Path::new(db)));
    let defaults = ServerConfig::default();
    let workers = args.workers.unwrap_or(defaults.workers).max(1);
    let config = ServerConfig {
        addr: args.addr,
        db,
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        workers,
        queue: args.queue.unwrap_or(workers * 16),
        allow_private_fetch: args.allow_private_fetch,
        ..defaults
    };
    if !config.addr.ip().is_loopback() {
        eprintln!(
            "claimlens: warning: listening on {}, reachable from other machines; the server \
             has no authentication",
            config.addr
        );
    }
    // Outside the async runtime: the PostgreSQL client blocks on a runtime of its own, which
    // tokio refuses to start on one of its worker threads.
    let addr = config.addr;
    let state = AppState::new(config).context("opening the corpus store")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let addr = listener.local_addr()?;
        eprintln!("claimlens: serving on http://{addr}/ (Ctrl-C stops)");
        serve(listener, Arc::new(state)).await.context("serving")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
