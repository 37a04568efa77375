//! The name resolver that checks every address before ureq may connect to it.
//!
//! Checking a host's addresses and then letting the HTTP client resolve the name again
//! would leave a gap: a DNS server that answers with a public address the first time and
//! `127.0.0.1` the second (DNS rebinding) would get through. So the check sits inside the
//! resolver ureq connects with: the addresses judged are the addresses dialled. The resolver
//! runs for every hop of a redirect chain, since each hop is its own request.
//!
//! ureq's resolver trait is in its `unversioned` module, which may change in a minor
//! release: Cargo.lock pins the version, and the loopback tests (a refused redirect hop, a
//! refused `localhost`) fail if an upgrade stops the check from running.

use std::fmt;
use std::net::IpAddr;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::address::non_public_reason;

/// Resolves as ureq's default resolver does (with its timeout), then refuses the whole
/// answer when any address is not public: a host that also resolves to an internal address
/// is not one to trust with the others.
#[derive(Debug, Default)]
pub(crate) struct GuardedResolver {
    allow_private: bool,
    /// Non-public addresses let through all the same: only the tests' own loopback server,
    /// so they can check what happens on the hops after it.
    trusted: Vec<IpAddr>,
    inner: DefaultResolver,
}

impl GuardedResolver {
    pub(crate) fn new(allow_private: bool) -> GuardedResolver {
        GuardedResolver {
            allow_private,
            ..GuardedResolver::default()
        }
    }

    #[cfg(test)]
    pub(crate) fn trusting(trusted: Vec<IpAddr>) -> GuardedResolver {
        GuardedResolver {
            trusted,
            ..GuardedResolver::default()
        }
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if !self.allow_private {
            for addr in addrs.iter().filter(|a| !self.trusted.contains(&a.ip())) {
                if let Some(why) = non_public_reason(addr.ip()) {
                    return Err(ureq::Error::Other(Box::new(Refusal {
                        url: uri.to_string(),
                        host: uri.host().unwrap_or_default().to_owned(),
                        addr: addr.ip(),
                        why,
                    })));
                }
            }
        }
        Ok(addrs)
    }
}

/// A refused address, carried through ureq's error as [`ureq::Error::Other`] and turned
/// back into [`FetchError::Refused`](crate::FetchError::Refused).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub url: String,
    pub host: String,
    pub addr: IpAddr,
    pub why: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is a {} address", self.host, self.addr, self.why)
    }
}

impl std::error::Error for Refusal {}
