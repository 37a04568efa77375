//! Placeholder until the HTML extractor lands (being written in parallel).
use claimlens_core::Metadata;

/// Extracted article.
pub struct Extracted {
    /// Main text.
    pub text: String,
    /// Metadata.
    pub meta: Metadata,
}

/// HTML extraction error.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// No article.
    #[error("no article text found")]
    NoArticle,
}

/// Extracts the main article.
pub fn extract_article(html: &str, _url: Option<&str>) -> Result<Extracted, HtmlError> {
    let _ = html;
    Err(HtmlError::NoArticle)
}
