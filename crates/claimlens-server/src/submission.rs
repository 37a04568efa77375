//! What a client submits for analysis — pasted text, an HTML page, an uploaded file or a URL —
//! turned into the in-memory [`Input`] the CLI's reader takes, so both read articles alike.

use claimlens_ingest::Input;
use serde::Deserialize;

use crate::error::ApiError;
use crate::fetching::{self, FetchLimits};

/// The JSON body of `POST /api/analyze`: exactly one of `text`, `html` or `url`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRequest {
    /// The article as plain text.
    pub text: Option<String>,
    /// The article as an HTML page (main text extracted, metadata read).
    pub html: Option<String>,
    /// An http(s) URL to fetch server-side (public addresses only unless the server allows
    /// private ones).
    pub url: Option<String>,
    /// A name for the document (defaults to `pasted`, `page` or the URL).
    pub name: Option<String>,
    /// Publication date (YYYY-MM-DD) to resolve relative dates against.
    pub date: Option<String>,
}

/// One article to analyse.
#[derive(Debug)]
pub enum Submission {
    /// Plain text.
    Text {
        /// The document's name.
        name: String,
        /// The article.
        text: String,
    },
    /// Bytes with the content type they came with (an upload, a raw request body).
    Bytes {
        /// The document's name (a file name).
        name: String,
        /// The bytes as received.
        bytes: Vec<u8>,
        /// Their declared media type, charset included; sniffed when absent.
        content_type: Option<String>,
    },
    /// A URL to fetch.
    Url(String),
}

impl Submission {
    /// From the JSON request: exactly one source.
    pub fn from_request(req: AnalyzeRequest) -> Result<Submission, ApiError> {
        let given = [req.text.is_some(), req.html.is_some(), req.url.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(ApiError::bad_request(
                "give exactly one of \"text\", \"html\" or \"url\"",
            ));
        }
        Ok(if let Some(text) = req.text {
            Submission::Text {
                name: req.name.unwrap_or_else(|| "pasted".into()),
                text,
            }
        } else if let Some(html) = req.html {
            Submission::Bytes {
                name: req.name.unwrap_or_else(|| "page".into()),
                bytes: html.into_bytes(),
                content_type: Some("text/html; charset=utf-8".into()),
            }
        } else {
            Submission::Url(req.url.unwrap_or_default())
        })
    }

    /// The input to read: fetched first when it is a URL. Blocking.
    pub fn into_input(self, fetch_limits: &FetchLimits) -> Result<Input, ApiError> {
        match self {
            Submission::Text { name, text } => {
                if text.trim().is_empty() {
                    return Err(ApiError::unprocessable("the text is empty"));
                }
                Ok(Input::memory(
                    name,
                    text.into_bytes(),
                    Some("text/plain; charset=utf-8"),
                ))
            }
            Submission::Bytes {
                name,
                bytes,
                content_type,
            } => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Err(ApiError::unprocessable("the body is empty"));
                }
                Ok(Input::memory(name, bytes, content_type.as_deref()))
            }
            Submission::Url(url) => fetching::fetch(&url, fetch_limits),
        }
    }
}

/// The media types a raw `POST /api/analyze` body may have.
pub fn raw_body_type(content_type: &str) -> Option<&'static str> {
    let mime = content_type.split(';').next()?.trim().to_ascii_lowercase();
    Some(match mime.as_str() {
        "text/plain" => "text",
        "text/html" | "application/xhtml+xml" => "html",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_source() {
        let both = AnalyzeRequest {
            text: Some("a".into()),
            url: Some("https://example.org/".into()),
            ..Default::default()
        };
        assert_eq!(
            Submission::from_request(both).unwrap_err().code,
            "bad_request"
        );
        assert_eq!(
            Submission::from_request(AnalyzeRequest::default())
                .unwrap_err()
                .code,
            "bad_request"
        );
    }

    #[test]
    fn empty_text_is_unprocessable() {
        let s = Submission::Text {
            name: "x".into(),
            text: " \n ".into(),
        };
        let limits = FetchLimits {
            allow_private: false,
            timeout: std::time::Duration::from_secs(1),
            max_bytes: 1,
        };
        assert_eq!(s.into_input(&limits).unwrap_err().code, "unprocessable");
    }

    #[test]
    fn raw_types() {
        assert_eq!(raw_body_type("text/plain; charset=utf-8"), Some("text"));
        assert_eq!(raw_body_type("Text/HTML"), Some("html"));
        assert_eq!(raw_body_type("application/pdf"), None);
    }
}
