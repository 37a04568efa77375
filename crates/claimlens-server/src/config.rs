//! What a server is told at start: where to listen, where the corpus is, and its limits.

use std::net::SocketAddr;
use std::time::Duration;

/// Default request body limit: 10 MiB, room for a long HTML page.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// Default time a request may take, analysis included.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a connection may stay silent (no byte read or written) before it is closed.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How many analyses the server remembers for their permalinks when it has no store.
pub const DEFAULT_RECENT_LIMIT: usize = 200;

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on; loopback unless told otherwise.
    pub addr: SocketAddr,
    /// The corpus store (an SQLite file or a PostgreSQL database). Without one, analyses
    /// are kept in memory (the most recent [`ServerConfig::recent_limit`]) and the corpus
    /// pages list only those.
    pub db: Option<claimlens_store::Location>,
    /// Largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest a request may take before the client gets 504.
    pub request_timeout: Duration,
    /// Longest a connection may send or take nothing before it is closed (slow or idle
    /// clients).
    pub idle_timeout: Duration,
    /// Analyses run at once, each on a blocking thread (never on the async reactor).
    pub workers: usize,
    /// Analyses that may wait for a worker; beyond `workers + queue` the server answers 503
    /// with `Retry-After` instead of queueing without bound.
    pub queue: usize,
    /// Analyses remembered for permalinks when there is no store.
    pub recent_limit: usize,
    /// Whether URL fetches may reach loopback, private and link-local addresses (off: a
    /// server must not become a proxy into the network it runs in).
    pub allow_private_fetch: bool,
}

impl ServerConfig {
    /// How URL fetches are bounded: within the request's deadline (leaving time to analyse)
    /// and the body limit.
    pub fn fetch_limits(&self) -> crate::fetching::FetchLimits {
        crate::fetching::FetchLimits {
            allow_private: self.allow_private_fetch,
            timeout: (self.request_timeout * 2 / 3).min(Duration::from_secs(20)),
            max_bytes: self.max_body_bytes as u64,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            workers,
            queue: workers * 16,
            recent_limit: DEFAULT_RECENT_LIMIT,
            allow_private_fetch: false,
        }
    }
}
