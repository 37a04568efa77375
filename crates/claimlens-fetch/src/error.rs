//! Why a fetch failed, with the HTTP status a server would answer its own client with.

use std::net::IpAddr;
use std::time::Duration;

/// Why a URL gave no article. The message does not repeat the URL, which the caller knows;
/// [`FetchError::url`] is the URL it happened at, which after a redirect is another one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Not an absolute `http://` or `https://` URL (also for a redirect's `Location`).
    #[error("{why}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The host resolves to an address that is not on the public internet.
    #[error(
        "refused to connect to {}, a {why} address: fetching from non-public networks is off",
        host_and_addr(host, addr)
    )]
    Refused {
        /// The URL (or redirect target) whose host it is.
        url: String,
        /// The host name of the URL (or of a redirect's target).
        host: String,
        /// The address it resolved to.
        addr: IpAddr,
        /// What kind of address it is.
        why: &'static str,
    },
    /// More redirects than [`FetchOptions::max_redirects`](crate::FetchOptions::max_redirects).
    #[error("more than {limit} redirects")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit.
        limit: u32,
    },
    /// The body is longer than [`FetchOptions::max_bytes`](crate::FetchOptions::max_bytes);
    /// reading stopped at the limit.
    #[error("the page is larger than {limit} bytes")]
    TooLarge {
        /// The URL being read.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The whole fetch (connecting, redirects, headers, body) took longer than
    /// [`FetchOptions::timeout`](crate::FetchOptions::timeout).
    #[error("no complete answer within {} s", limit.as_secs_f64())]
    Timeout {
        /// The URL first asked for.
        url: String,
        /// The deadline.
        limit: Duration,
    },
    /// The server answered with an error (or a redirect without a `Location`).
    #[error("the server answered HTTP {code}")]
    Status {
        /// The URL that answered.
        url: String,
        /// The HTTP status code.
        code: u16,
    },
    /// The page is not HTML, plain text or a web archive (a PDF, an image, JSON, …).
    #[error("content type {content_type} is not an article (HTML, plain text or a web archive)")]
    UnsupportedContentType {
        /// The URL that answered.
        url: String,
        /// The `Content-Type` it gave.
        content_type: String,
    },
    /// DNS, TCP, TLS or HTTP protocol failure.
    #[error("{message}")]
    Network {
        /// The URL being fetched.
        url: String,
        /// What failed.
        message: String,
    },
}

/// `news.example (203.0.113.7)`, or the address alone when the host is that address.
fn host_and_addr(host: &str, addr: &IpAddr) -> String {
    if host.trim_matches(['[', ']']) == addr.to_string() {
        addr.to_string()
    } else {
        format!("{host} ({addr})")
    }
}

impl FetchError {
    /// The URL the failure happened at: a redirect's target when it was on a later hop; the
    /// URL asked for on a timeout or too many redirects.
    pub fn url(&self) -> &str {
        match self {
            FetchError::InvalidUrl { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::UnsupportedContentType { url, .. }
            | FetchError::Network { url, .. }
            | FetchError::Refused { url, .. } => url,
        }
    }

    /// A stable short name for the kind of failure (`invalid_url`, `refused`,
    /// `too_many_redirects`, `too_large`, `timeout`, `upstream_status`,
    /// `unsupported_content_type`, `network`), for logs and JSON error bodies.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Refused { .. } => "refused",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Status { .. } => "upstream_status",
            FetchError::UnsupportedContentType { .. } => "unsupported_content_type",
            FetchError::Network { .. } => "network",
        }
    }

    /// The HTTP status a server that fetched on its client's behalf should answer with:
    /// 400 for a bad URL, 403 for a refused address, 413 for a page over the limit, 415 for
    /// a content type that is not an article, 504 for a timeout, and 502 when the remote
    /// side failed (an error status, too many redirects, a network error).
    pub fn http_status(&self) -> u16 {
        match self {
            FetchError::InvalidUrl { .. } => 400,
            FetchError::Refused { .. } => 403,
            FetchError::TooLarge { .. } => 413,
            FetchError::UnsupportedContentType { .. } => 415,
            FetchError::Timeout { .. } => 504,
            FetchError::TooManyRedirects { .. }
            | FetchError::Status { .. }
            | FetchError::Network { .. } => 502,
        }
    }
}
