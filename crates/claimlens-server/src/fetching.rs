//! Articles given as URLs: fetched with the CLI's fetcher (`claimlens-fetch`: one deadline, a
//! byte cap, redirects re-checked hop by hop, article content types only, and non-public
//! addresses refused where the connection is made, unless the server allows them).

use std::time::Duration;

use axum::http::StatusCode;
use claimlens_fetch::{FetchError, FetchOptions};
use claimlens_ingest::Input;

use crate::error::ApiError;

/// How fetches are bounded, from the server's configuration.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Whether loopback, private and link-local addresses may be fetched.
    pub allow_private: bool,
    /// The whole fetch's deadline.
    pub timeout: Duration,
    /// Largest page fetched.
    pub max_bytes: u64,
}

/// Fetches `url` as an input. Blocking.
pub fn fetch(url: &str, limits: &FetchLimits) -> Result<Input, ApiError> {
    let opts = FetchOptions {
        allow_private: limits.allow_private,
        timeout: limits.timeout,
        max_bytes: limits.max_bytes,
        ..FetchOptions::default()
    };
    claimlens_fetch::fetch(url.trim(), &opts)
        .map(|fetched| fetched.input)
        .map_err(|e| fetch_error(&e))
}

/// A failed fetch as the client sees it: the fetcher's status and kind, and what happened
/// (where a later redirect hop failed, its address).
fn fetch_error(e: &FetchError) -> ApiError {
    let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_GATEWAY);
    let hint = if matches!(e, FetchError::Refused { .. }) {
        " (this server does not fetch loopback, private or link-local addresses)"
    } else {
        ""
    };
    ApiError::with_status(status, e.kind(), format!("fetching {}: {e}{hint}", e.url()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(allow_private: bool) -> FetchLimits {
        FetchLimits {
            allow_private,
            timeout: Duration::from_secs(5),
            max_bytes: 1 << 20,
        }
    }

    #[test]
    fn private_addresses_are_refused_with_403() {
        for url in [
            "http://127.0.0.1:9/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
        ] {
            let e = fetch(url, &limits(false)).unwrap_err();
            assert_eq!(
                (e.status, e.code),
                (StatusCode::FORBIDDEN, "refused"),
                "{url}: {e}"
            );
            assert!(e.message.contains("does not fetch"), "{e}");
        }
    }

    #[test]
    fn only_http_urls_are_fetched() {
        for url in [
            "file:///etc/passwd",
            "ftp://example.org/",
            "not a url",
            "gopher://x/",
        ] {
            let e = fetch(url, &limits(true)).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{url}: {e}");
        }
    }
}
