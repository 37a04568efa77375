//! claimlens fetch: an article's URL into an in-memory [`Input`](claimlens_ingest::Input),
//! read by ingest exactly as a file would be (HTML extraction, charset from the
//! `Content-Type` header or the page, web archives), safely.
//!
//! # Brief overview
//!
//! * [`fetch`] takes a URL and [`FetchOptions`] and gives a [`Fetched`] page or a
//!   [`FetchError`]. It is blocking (an async server calls it from a blocking thread).
//! * Safety, because the URL comes from whoever typed it: only `http`/`https`; one deadline
//!   over the whole fetch; the body read up to a byte cap and no further; redirects followed
//!   one by one, each target checked again; the page's content type must be an article's
//!   (HTML, plain text, a web archive).
//! * Server-side request forgery: every address the host resolves to is judged by
//!   [`non_public_reason`] before connecting, and the connection goes to the very addresses
//!   judged (no second lookup for a rebinding DNS server to answer differently). Loopback,
//!   private, link-local, carrier-grade NAT, multicast and the rest are refused unless
//!   [`FetchOptions::allow_private`].
//! * Documents read from the input carry `fetched_url` (after redirects) and `fetched_at`
//!   in their metadata.
//!
//! ```
//! use claimlens_fetch::{fetch, is_url, FetchError, FetchOptions};
//!
//! assert!(is_url("https://example.org/story"));
//! let opts = FetchOptions::default();
//! assert_eq!((opts.max_bytes, opts.max_redirects, opts.allow_private), (10 << 20, 5, false));
//! // A loopback address is refused before anything is sent.
//! let err = fetch("http://127.0.0.1:9/story", &opts).unwrap_err();
//! assert!(matches!(err, FetchError::Refused { .. }));
//! assert_eq!((err.kind(), err.http_status()), ("refused", 403));
//! ```

mod address;
mod clock;
mod error;
mod fetch;
mod guard;
#[cfg(test)]
mod loopback_tests;
mod retry;
mod url;

pub use address::non_public_reason;
pub use error::FetchError;
pub use fetch::{fetch, FetchOptions, Fetched};
pub use retry::{fetch_with_retries, Retry};
pub use url::{is_url, resolve_redirect};
