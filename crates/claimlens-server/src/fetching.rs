//! Articles given as URLs.

use claimlens_ingest::Input;

use crate::error::ApiError;

/// Fetches `url` as an input. Blocking.
pub fn fetch(url: &str, allow_private: bool) -> Result<Input, ApiError> {
    let _ = (url, allow_private);
    Err(ApiError::not_implemented(
        "fetching URLs is not available in this build; paste the text or upload the page",
    ))
}
