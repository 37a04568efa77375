//! One fetch: redirects followed by hand, one deadline over everything, a byte cap on the
//! body, and the page handed to ingest as an in-memory input.

use std::io::Read;
use std::time::{Duration, Instant, SystemTime};

use claimlens_core::Metadata;
use claimlens_ingest::Input;
use ureq::http::header;
use ureq::unversioned::transport::DefaultConnector;
use ureq::Agent;

use crate::clock::rfc3339_utc;
use crate::guard::{GuardedResolver, Refusal};
use crate::url::{parse_http_url, resolve_location};
use crate::FetchError;

/// Content types that are articles: what ingest reads as one page (or a web archive).
const ACCEPTED_TYPES: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/warc",
];

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Deadline for the whole fetch: every redirect hop, name lookups, connecting, TLS,
    /// headers and body. Default 20 s.
    pub timeout: Duration,
    /// Largest body accepted, in bytes; reading stops there. Default 10 MiB.
    pub max_bytes: u64,
    /// Redirects followed before giving up. Default 5.
    pub max_redirects: u32,
    /// Connect to loopback, private, link-local and other non-public addresses too. Off by
    /// default: see [`non_public_reason`](crate::non_public_reason).
    pub allow_private: bool,
    /// The `User-Agent` header sent.
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(20),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            allow_private: false,
            user_agent: concat!("claimlens/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// A fetched page, ready for [`claimlens_ingest::read`].
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The page as an in-memory input named by its final URL, its content type choosing the
    /// format and declaring the charset; documents read from it carry `fetched_url` and
    /// `fetched_at` in their metadata.
    pub input: Input,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status of the final response (2xx).
    pub status: u16,
    /// The `Content-Type` header of the final response, empty when there was none (the
    /// format is then sniffed from the bytes).
    pub content_type: String,
    /// When the response arrived, RFC 3339 UTC (`2026-12-03T07:15:42Z`).
    pub fetched_at: String,
}

/// Fetches one article by URL. Blocking: an async caller runs it on a blocking thread
/// (`tokio::task::spawn_blocking`).
///
/// Only `http` and `https`; redirects are followed up to [`FetchOptions::max_redirects`],
/// each target checked as the first URL was; every address connected to is checked to be
/// public unless [`FetchOptions::allow_private`]; the body is read up to
/// [`FetchOptions::max_bytes`] and no further; everything together within
/// [`FetchOptions::timeout`].
pub fn fetch(url: &str, opts: &FetchOptions) -> Result<Fetched, FetchError> {
    fetch_with(url, opts, GuardedResolver::new(opts.allow_private))
}

/// [`fetch`] with the resolver given (the tests trust their own loopback server with it).
pub(crate) fn fetch_with(
    url: &str,
    opts: &FetchOptions,
    resolver: GuardedResolver,
) -> Result<Fetched, FetchError> {
    let deadline = Instant::now() + opts.timeout;
    let first = parse_http_url(url)?;
    let agent = agent(opts, resolver);
    let mut current = first;
    let mut redirects = 0u32;
    loop {
        let here = current.to_string();
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(timeout(url, opts));
        }
        let response = agent
            .get(current.clone())
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| from_ureq(e, &here, url, opts))?;
        let status = response.status();
        if status.is_redirection() {
            if let Some(location) = header_str(response.headers(), header::LOCATION) {
                if redirects == opts.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_owned(),
                        limit: opts.max_redirects,
                    });
                }
                redirects += 1;
                current = resolve_location(&current, &location)?;
                continue;
            }
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: here,
                code: status.as_u16(),
            });
        }
        let content_type = header_str(response.headers(), header::CONTENT_TYPE).unwrap_or_default();
        check_content_type(&content_type, &here)?;
        let mut body = response.into_body();
        if body
            .content_length()
            .is_some_and(|len| len > opts.max_bytes)
        {
            return Err(too_large(&here, opts));
        }
        let reader = body.as_reader();
        let bytes = read_capped(reader, opts.max_bytes)
            .map_err(|e| from_ureq(ureq::Error::from(e), &here, url, opts))?
            .ok_or_else(|| too_large(&here, opts))?;
        let fetched_at = rfc3339_utc(SystemTime::now());
        let ct = (!content_type.is_empty()).then_some(content_type.as_str());
        let input = Input::memory(here.clone(), bytes, ct).with_metadata(Metadata {
            fetched_url: Some(here.clone()),
            fetched_at: Some(fetched_at.clone()),
            ..Metadata::default()
        });
        return Ok(Fetched {
            input,
            final_url: here,
            status: status.as_u16(),
            content_type,
            fetched_at,
        });
    }
}

/// One agent per fetch: redirects off (followed above, each hop checked), HTTP errors as
/// responses, no proxy from the environment (a proxy would resolve the target itself, past
/// the address check), identity encoding so the byte cap counts what arrives.
fn agent(opts: &FetchOptions, resolver: GuardedResolver) -> Agent {
    let config = Agent::config_builder()
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .proxy(None)
        .user_agent(opts.user_agent.as_str())
        .accept("text/html,application/xhtml+xml,text/plain;q=0.9,application/warc;q=0.8")
        .accept_encoding("identity")
        .build();
    Agent::with_parts(config, DefaultConnector::default(), resolver)
}

fn header_str(headers: &ureq::http::HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
}

/// A missing content type is let through (ingest sniffs the bytes and refuses binary data);
/// one that names anything but an article is refused before the body is read.
fn check_content_type(content_type: &str, url: &str) -> Result<(), FetchError> {
    if content_type.is_empty() {
        return Ok(());
    }
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if ACCEPTED_TYPES.contains(&mime.as_str()) {
        Ok(())
    } else {
        Err(FetchError::UnsupportedContentType {
            url: url.to_owned(),
            content_type: content_type.to_owned(),
        })
    }
}

/// The whole body when it has at most `limit` bytes, `None` as soon as it has more. Reads
/// in chunks, so no more than `limit` + one chunk is ever held, and the buffer grows to at
/// most `limit` + 1.
fn read_capped(mut reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(Some(bytes)),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if bytes.len() + n > cap {
            return Ok(None);
        }
        if bytes.capacity() - bytes.len() < n {
            let grow = bytes.len().max(64 * 1024).min(cap - bytes.len()).max(n);
            bytes.reserve_exact(grow);
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

fn timeout(url: &str, opts: &FetchOptions) -> FetchError {
    FetchError::Timeout {
        url: url.to_owned(),
        limit: opts.timeout,
    }
}

fn too_large(url: &str, opts: &FetchOptions) -> FetchError {
    FetchError::TooLarge {
        url: url.to_owned(),
        limit: opts.max_bytes,
    }
}

/// ureq's error as ours: `here` is the URL being requested, `first` the one asked for.
fn from_ureq(e: ureq::Error, here: &str, first: &str, opts: &FetchOptions) -> FetchError {
    let network = |message: String| FetchError::Network {
        url: here.to_owned(),
        message,
    };
    match e {
        ureq::Error::Timeout(_) => timeout(first, opts),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => timeout(first, opts),
        ureq::Error::Other(other) => match other.downcast::<Refusal>() {
            Ok(r) => FetchError::Refused {
                url: r.url,
                host: r.host,
                addr: r.addr,
                why: r.why,
            },
            Err(other) => network(other.to_string()),
        },
        ureq::Error::HostNotFound => network("host not found".to_owned()),
        ureq::Error::BadUri(why) => FetchError::InvalidUrl {
            url: here.to_owned(),
            why,
        },
        // rustls reports a failed handshake as invalid data, in words that do not say TLS.
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::InvalidData && here.starts_with("https:") =>
        {
            network(format!("TLS: {io}"))
        }
        ureq::Error::Io(io) => network(io.to_string()),
        other => network(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_can_cross_threads() {
        // An async server runs `fetch` on a blocking thread and takes the result back.
        fn sendable<T: Send + Sync + 'static>() {}
        sendable::<FetchOptions>();
        sendable::<Fetched>();
        sendable::<FetchError>();
    }

    #[test]
    fn the_body_cap_stops_reading() {
        let ok = read_capped(&b"0123456789"[..], 10).unwrap();
        assert_eq!(ok.as_deref(), Some(&b"0123456789"[..]));
        assert_eq!(read_capped(&b"0123456789A"[..], 10).unwrap(), None);
        // An endless body ends at the cap.
        assert_eq!(read_capped(std::io::repeat(b'a'), 100_000).unwrap(), None);
    }

    #[test]
    fn content_types_of_articles_pass() {
        for ok in [
            "",
            "text/html",
            "text/HTML; charset=windows-1252",
            "application/xhtml+xml",
            "text/plain;charset=utf-8",
            "application/warc",
        ] {
            assert!(check_content_type(ok, "u").is_ok(), "{ok}");
        }
        for refused in [
            "application/pdf",
            "image/png",
            "application/json",
            "text/csv",
        ] {
            assert!(
                matches!(
                    check_content_type(refused, "u"),
                    Err(FetchError::UnsupportedContentType { .. })
                ),
                "{refused}"
            );
        }
    }
}
