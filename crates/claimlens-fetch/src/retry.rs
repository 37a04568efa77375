//! Fetching a list of URLs politely: a failure that may pass (a timeout, a network error,
//! HTTP 429 or 5xx) is tried again after a growing pause; one that will not (a 404, a refused
//! address, a page over the limit) is reported at once. Requests go one at a time, so no host
//! ever sees more than one connection from a run.

use std::time::Duration;

use crate::{fetch, FetchError, FetchOptions, Fetched};

/// How often and how patiently to try a URL again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries after the first one. Default 2.
    pub retries: u32,
    /// The pause before the first retry; each later one doubles it. Default 1 s.
    pub first_pause: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            retries: 2,
            first_pause: Duration::from_secs(1),
        }
    }
}

impl FetchError {
    /// Whether trying again later may succeed: timeouts, network failures, and the statuses
    /// a server uses for "not now" (429, and 5xx but 501 and 505, which will not change).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            FetchError::Status { code, .. } => {
                *code == 429 || (*code >= 500 && *code != 501 && *code != 505)
            }
            _ => false,
        }
    }
}

/// [`fetch`], tried again as `retry` says while the failure is transient; the last error is
/// returned, with the number of tries made.
pub fn fetch_with_retries(
    url: &str,
    opts: &FetchOptions,
    retry: &Retry,
) -> Result<Fetched, (FetchError, u32)> {
    retrying(retry, |_| fetch(url, opts), std::thread::sleep)
}

/// The retry loop, with the fetch and the pause given (so tests need neither a network nor
/// a clock).
fn retrying(
    retry: &Retry,
    mut attempt: impl FnMut(u32) -> Result<Fetched, FetchError>,
    mut pause: impl FnMut(Duration),
) -> Result<Fetched, (FetchError, u32)> {
    let mut wait = retry.first_pause;
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt(tries) {
            Ok(fetched) => return Ok(fetched),
            Err(e) if e.is_transient() && tries <= retry.retries => {
                pause(wait);
                wait = wait.saturating_mul(2);
            }
            Err(e) => return Err((e, tries)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> FetchError {
        FetchError::Status {
            url: "http://news.example/".into(),
            code,
        }
    }

    #[test]
    fn transient_failures_are_retried_with_doubling_pauses_and_others_are_not() {
        let retry = Retry::default();
        let mut pauses = Vec::new();
        let out = retrying(&retry, |_| Err(status(503)), |d| pauses.push(d));
        let (e, tries) = out.unwrap_err();
        assert_eq!((e.kind(), tries), ("upstream_status", 3));
        assert_eq!(pauses, [Duration::from_secs(1), Duration::from_secs(2)]);

        let mut pauses = Vec::new();
        let (_, tries) = retrying(&retry, |_| Err(status(404)), |d| pauses.push(d)).unwrap_err();
        assert_eq!((tries, pauses.len()), (1, 0));
    }

    #[test]
    fn which_failures_may_pass() {
        assert!(status(429).is_transient() && status(503).is_transient());
        assert!(!status(404).is_transient() && !status(501).is_transient());
        let too_large = FetchError::TooLarge {
            url: "http://news.example/".into(),
            limit: 1,
        };
        assert!(!too_large.is_transient());
    }
}
