//! A server started inside the test process on a free loopback port, and a plain HTTP client.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use claimlens_server::{serve, AppState, ServerConfig};

/// A running server; it stops with the test process.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

/// Starts a server with `config` (its address is replaced by a free loopback port).
pub fn start(mut config: ServerConfig) -> TestServer {
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        // Outside the runtime, as `claimlens serve` does (the PostgreSQL client runs its own).
        let addr = config.addr;
        let state = Arc::new(AppState::new(config).expect("state"));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
            tx.send(listener.local_addr().expect("address"))
                .expect("send");
            serve(listener, state).await.expect("serve");
        });
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server started");
    TestServer {
        base: format!("http://{addr}"),
    }
}

/// An HTTP client that returns every status as a response (4xx and 5xx included).
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// The example article shipped with the project.
pub fn example_article() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/harbour-dispute.txt"),
    )
    .expect("examples/harbour-dispute.txt")
}
