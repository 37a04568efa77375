//! One submitted article → one analysed document, through the same reader and pipeline as
//! `claimlens analyze`, and its renderings (the documented JSON export, the HTML report).

use claimlens_core::{Diagnostic, Doc};
use claimlens_export::{write_html_with, write_json, DocView, ExportOptions, HtmlOptions};
use claimlens_ingest::{read, IngestOptions, Input};
use claimlens_pipeline::{parse_reference_date, Pipeline};

use crate::error::ApiError;

/// An analysed document, kept for its permalink.
#[derive(Debug)]
pub struct Analysis {
    /// The document's id: the store's content id (SHA-256 of the text), so a permalink
    /// names the same document in memory and in a store.
    pub id: String,
    /// The document with every layer.
    pub doc: Doc,
    /// What ingest and the stages reported.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The `claimlens.doc` JSON export, as `claimlens analyze --format json` writes it.
    pub fn to_json(&self) -> Result<Vec<u8>, ApiError> {
        let mut out = Vec::with_capacity(self.doc.text().len() * 8);
        write_json(
            &mut out,
            &DocView::new(&self.doc, &self.diagnostics),
            ExportOptions::default(),
        )
        .map_err(|e| ApiError::internal("writing the JSON export", e))?;
        Ok(out)
    }

    /// The self-contained HTML report, as `claimlens analyze --format html` writes it.
    pub fn to_html(&self, options: HtmlOptions<'_>) -> Result<Vec<u8>, ApiError> {
        let mut out = Vec::with_capacity(self.doc.text().len() * 16);
        write_html_with(
            &mut out,
            &[DocView::new(&self.doc, &self.diagnostics)],
            options,
        )
        .map_err(|e| ApiError::internal("writing the HTML report", e))?;
        Ok(out)
    }
}

/// Reads `input` as exactly one document and runs the pipeline on it. `reference_date`
/// (YYYY-MM-DD) resolves relative dates as `--date` does.
pub fn analyze(
    pipeline: &Pipeline,
    input: &Input,
    reference_date: Option<&str>,
) -> Result<Analysis, ApiError> {
    let date = reference_date
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| parse_reference_date(d).map_err(|e| ApiError::bad_request(format!("date: {e}"))))
        .transpose()?;
    let mut docs = read(input, &IngestOptions::default()).with_diagnostics();
    let mut ingested = match docs.next() {
        Some(Ok(ingested)) => ingested,
        Some(Err(e)) => return Err(ApiError::unprocessable(e.to_string())),
        None => return Err(ApiError::unprocessable("the input holds no document")),
    };
    if docs.next().is_some() {
        return Err(ApiError::unprocessable(
            "the input holds several documents (a corpus file or a web archive); \
             analyze one article at a time here, or use `claimlens ingest` for corpora",
        ));
    }
    let found = pipeline.run_with_reference_date(&mut ingested.doc, date.as_deref());
    ingested.diagnostics.extend(found);
    Ok(Analysis {
        id: claimlens_store::content_id(ingested.doc.text()),
        doc: ingested.doc,
        diagnostics: ingested.diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline() -> Pipeline {
        Pipeline::default_pipeline()
    }

    #[test]
    fn text_is_analysed_and_rendered() {
        let input = Input::memory(
            "pasted",
            &b"The harbour master said on Monday that the quay would close. \"It is unsafe,\" she told reporters."[..],
            Some("text/plain; charset=utf-8"),
        );
        let a = analyze(&pipeline(), &input, Some("2024-03-04")).unwrap();
        assert_eq!(a.id.len(), 64);
        let json: serde_json::Value = serde_json::from_slice(&a.to_json().unwrap()).unwrap();
        assert!(json["schema"]
            .as_str()
            .unwrap()
            .starts_with("claimlens.doc/"));
        assert!(json["layers"].as_array().unwrap().len() > 3);
        let html = String::from_utf8(a.to_html(HtmlOptions::default()).unwrap()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn several_documents_and_bad_dates_are_refused() {
        let jsonl = Input::memory(
            "corpus",
            &b"{\"text\":\"One said so.\"}\n{\"text\":\"Two said so.\"}\n"[..],
            Some("application/x-ndjson"),
        );
        assert_eq!(
            analyze(&pipeline(), &jsonl, None).unwrap_err().code,
            "unprocessable"
        );
        let text = Input::memory("t", &b"It rained."[..], Some("text/plain"));
        assert_eq!(
            analyze(&pipeline(), &text, Some("yesterday"))
                .unwrap_err()
                .code,
            "bad_request"
        );
    }

    #[test]
    fn binary_is_refused_not_analysed() {
        let input = Input::memory("x", &b"\x00\x01\x02PK\x03\x04\x00\x00"[..], None);
        assert_eq!(
            analyze(&pipeline(), &input, None).unwrap_err().code,
            "unprocessable"
        );
    }
}
