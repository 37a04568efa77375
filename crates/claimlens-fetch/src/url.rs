//! Parsing the URLs a fetch may follow, and resolving a redirect's `Location` against the
//! URL that sent it (RFC 3986 §5.2, which is what browsers do for the common forms).

use ureq::http::Uri;

use crate::FetchError;

/// True when `arg` starts with `http://` or `https://` (any case): what a command line or a
/// form field means as a URL rather than a file name.
///
/// ```
/// assert!(claimlens_fetch::is_url("HTTPS://example.org/story"));
/// assert!(!claimlens_fetch::is_url("story.html"));
/// assert!(!claimlens_fetch::is_url("ftp://example.org/story"));
/// ```
pub fn is_url(arg: &str) -> bool {
    let lower = |n: usize| arg.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// An absolute `http`/`https` URL with a host, ready to request.
pub(crate) fn parse_http_url(url: &str) -> Result<Uri, FetchError> {
    let invalid = |why: &str| FetchError::InvalidUrl {
        url: url.to_owned(),
        why: why.to_owned(),
    };
    if !is_url(url) {
        return Err(invalid("only http:// and https:// URLs are fetched"));
    }
    if !url.is_ascii() {
        return Err(invalid(
            "the URL has non-ASCII characters; percent-encode them (and give an international \
             host name in its xn-- form)",
        ));
    }
    let uri: Uri = url
        .parse()
        .map_err(|e| invalid(&format!("not a valid URL: {e}")))?;
    match uri.host() {
        Some(host) if !host.is_empty() => Ok(uri),
        _ => Err(invalid("the URL has no host")),
    }
}

/// The absolute URL a redirect's `Location` header points to, resolved against `base`, the
/// URL that answered; an error for anything but an `http`/`https` URL with a host.
///
/// ```
/// use claimlens_fetch::resolve_redirect;
/// let to = resolve_redirect("https://example.org/news/a/story", "../b/other?x=1").unwrap();
/// assert_eq!(to, "https://example.org/news/b/other?x=1");
/// assert!(resolve_redirect("https://example.org/", "file:///etc/passwd").is_err());
/// ```
pub fn resolve_redirect(base: &str, location: &str) -> Result<String, FetchError> {
    let base = parse_http_url(base)?;
    resolve_location(&base, location).map(|uri| uri.to_string())
}

/// The URL a redirect's `Location` points to, resolved against the URL that answered.
pub(crate) fn resolve_location(base: &Uri, location: &str) -> Result<Uri, FetchError> {
    let location = location.trim();
    if is_url(location) {
        return parse_http_url(location);
    }
    let scheme = base.scheme_str().unwrap_or("http");
    let authority = base.authority().map_or("", |a| a.as_str());
    let target = if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if has_scheme(location) {
        // Another scheme (`ftp:`, `javascript:`, `file:`): refused by the parse below.
        location.to_owned()
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{}", remove_dot_segments_in(location))
    } else {
        let path = base.path();
        let (base_path, base_query) = (path, base.query());
        let joined = if location.is_empty() {
            match base_query {
                Some(q) => format!("{base_path}?{q}"),
                None => base_path.to_owned(),
            }
        } else if location.starts_with('?') {
            format!("{base_path}{location}")
        } else if location.starts_with('#') {
            match base_query {
                Some(q) => format!("{base_path}?{q}"),
                None => base_path.to_owned(),
            }
        } else {
            let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
            let dir = if dir.is_empty() { "/" } else { dir };
            remove_dot_segments_in(&format!("{dir}{location}"))
        };
        format!("{scheme}://{authority}{joined}")
    };
    // A fragment is for the browser, never sent.
    let target = target.split('#').next().unwrap_or_default();
    parse_http_url(target)
}

/// RFC 3986 §3.1: a scheme is a letter, then letters, digits, `+`, `-` or `.`, then `:`.
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// [`remove_dot_segments`] on the path part of `path?query`.
fn remove_dot_segments_in(reference: &str) -> String {
    match reference.split_once('?') {
        Some((path, query)) => format!("{}?{query}", remove_dot_segments(path)),
        None => remove_dot_segments(reference),
    }
}

/// RFC 3986 §5.2.4: `.` and `..` segments of an absolute path removed.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_are_urls() {
        for yes in [
            "http://a.example",
            "https://a.example/x",
            "HtTpS://A.example",
        ] {
            assert!(is_url(yes), "{yes}");
        }
        for no in [
            "",
            "http",
            "http:/a",
            "file:///etc/passwd",
            "ftp://a",
            "a.html",
            "é",
        ] {
            assert!(!is_url(no), "{no}");
        }
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        for (url, why) in [
            ("file:///etc/passwd", "only http"),
            ("https://", "not a valid URL"),
            ("http://?x", "not a valid URL"),
            ("https://exämple.org/", "non-ASCII"),
            ("http://exa mple.org/", "not a valid URL"),
        ] {
            match parse_http_url(url) {
                Err(FetchError::InvalidUrl { why: got, .. }) => {
                    assert!(got.contains(why), "{url}: {got}")
                }
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn locations_resolve_like_a_browser() {
        let base: Uri = "https://news.example/world/2026/story.html?page=2"
            .parse()
            .unwrap();
        for (location, expected) in [
            ("https://other.example/a", "https://other.example/a"),
            ("//cdn.example/b", "https://cdn.example/b"),
            ("/c/d?e=1", "https://news.example/c/d?e=1"),
            ("next.html", "https://news.example/world/2026/next.html"),
            (
                "../2025/old.html",
                "https://news.example/world/2025/old.html",
            ),
            ("./", "https://news.example/world/2026/"),
            (
                "?page=3",
                "https://news.example/world/2026/story.html?page=3",
            ),
            ("#top", "https://news.example/world/2026/story.html?page=2"),
            ("/a/./b/../c#frag", "https://news.example/a/c"),
        ] {
            let got = resolve_location(&base, location).unwrap();
            assert_eq!(got.to_string(), expected, "{location}");
        }
    }

    #[test]
    fn a_location_with_another_scheme_is_refused() {
        let base: Uri = "https://news.example/story".parse().unwrap();
        for location in [
            "file:///etc/passwd",
            "ftp://news.example/x",
            "javascript:alert(1)",
        ] {
            assert!(
                matches!(
                    resolve_location(&base, location),
                    Err(FetchError::InvalidUrl { .. })
                ),
                "{location}"
            );
        }
    }
}
