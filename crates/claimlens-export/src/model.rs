//! The export model: the documented, versioned shape of claimlens output (docs/schema.md).
//!
//! Offsets here are **Unicode code points** into `text` (as in Python, spaCy and brat), not the
//! UTF-8 bytes the core uses: `text[start:end]` in Python gives the span's text.

use claimlens_core::{CharIndex, Doc, Severity};

use crate::digests_json::ExportDigests;
pub use crate::sequences::{
    ExportAnnotations, ExportAttrs, ExportLayers, ExportLinks, ExportParagraphs, ExportSentences,
    ExportTokens,
};
use crate::view::DocView;
use serde::Serialize;

/// Version of the export format. Bumped on any incompatible change; additions of fields or
/// layers do not bump it. `/2` added `digests` and redefined the `source-chains` layer as
/// whole chains, one annotation per step (docs/schema.md lists the changes).
pub const SCHEMA_VERSION: &str = "claimlens.doc/2";

/// What to include in an export.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Include the token layer (large: one object per token).
    pub tokens: bool,
}

/// One analyzed document.
#[derive(Debug, Serialize)]
pub struct ExportDoc<'a> {
    /// Always [`SCHEMA_VERSION`].
    pub schema: &'static str,
    /// Document id.
    pub id: &'a str,
    /// Metadata (absent fields omitted).
    pub meta: ExportMeta<'a>,
    /// Where the document came from.
    pub origin: ExportOrigin<'a>,
    /// Counts.
    pub stats: Stats,
    /// The original text; every offset points into it.
    pub text: &'a str,
    /// Paragraph spans.
    pub paragraphs: ExportParagraphs<'a>,
    /// Sentences with the rule that ended each.
    pub sentences: ExportSentences<'a>,
    /// Tokens, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<ExportTokens<'a>>,
    /// Named annotation layers added by analyzers.
    pub layers: ExportLayers<'a>,
    /// Summaries read from the layers: who said what, source chains, entities, places,
    /// timeline.
    pub digests: ExportDigests<'a>,
    /// Non-fatal observations from stages.
    pub diagnostics: Vec<ExportDiagnostic<'a>>,
}

/// Metadata fields.
#[derive(Debug, Serialize)]
pub struct ExportMeta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched_at: Option<&'a str>,
}

/// Origin of the document.
#[derive(Debug, Serialize)]
pub struct ExportOrigin<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<u64>,
    format: &'a str,
    encoding: &'a str,
}

/// Document counts.
#[derive(Debug, Serialize, Clone, Copy)]
pub struct Stats {
    /// Length of `text` in code points.
    pub chars: u32,
    /// Length of `text` in UTF-8 bytes.
    pub bytes: usize,
    /// Words (word, number and URL tokens).
    pub words: usize,
    /// Tokens.
    pub tokens: usize,
    /// Sentences.
    pub sentences: usize,
    /// Paragraphs.
    pub paragraphs: usize,
}

/// A bare span.
#[derive(Debug, Serialize)]
pub struct ExportSpan {
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
}

/// A sentence.
#[derive(Debug, Serialize)]
pub struct ExportSentence<'a> {
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// Paragraph index.
    pub paragraph: u32,
    /// The segmenter rule that ended the sentence.
    pub rule: &'static str,
    /// The sentence text, equal to `text[start..end]`.
    pub text: &'a str,
}

/// A token.
#[derive(Debug, Serialize)]
pub struct ExportToken {
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// `word`, `number`, `punct`, `symbol` or `url`.
    pub kind: &'static str,
}

/// A named annotation layer.
#[derive(Debug, Serialize)]
pub struct ExportLayer<'a> {
    /// Layer name.
    pub name: &'a str,
    /// Producing stage.
    pub producer: &'a str,
    /// Annotations in layer order (links address them by index).
    pub annotations: ExportAnnotations<'a>,
}

/// One annotation.
#[derive(Debug, Serialize)]
pub struct ExportAnnotation<'a> {
    /// The label.
    #[serde(rename = "type")]
    pub label: &'a str,
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// The covered text.
    pub text: &'a str,
    /// Why it exists.
    pub reason: ExportReason<'a>,
    /// Attributes, written as an object with sorted keys.
    #[serde(skip_serializing_if = "ExportAttrs::is_empty")]
    pub attrs: ExportAttrs<'a>,
    /// Links to other annotations.
    #[serde(skip_serializing_if = "ExportLinks::is_empty")]
    pub links: ExportLinks<'a>,
}

/// Provenance of an annotation.
#[derive(Debug, Serialize)]
pub struct ExportReason<'a> {
    /// Stage.
    pub stage: &'a str,
    /// Rule, lexicon entry or model.
    pub rule: &'a str,
    /// Score, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// A link to another annotation.
#[derive(Debug, Serialize)]
pub struct ExportLink<'a> {
    /// Role of the target.
    pub role: &'a str,
    /// Target layer.
    pub layer: &'a str,
    /// Target index in that layer.
    pub index: u32,
}

/// A diagnostic.
#[derive(Debug, Serialize)]
pub struct ExportDiagnostic<'a> {
    /// `info` or `warning`.
    pub severity: &'static str,
    /// Stage.
    pub stage: &'a str,
    /// Message.
    pub message: &'a str,
    /// Start, code points, when the diagnostic has a span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// End, code points, when the diagnostic has a span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
}

impl<'a> ExportDoc<'a> {
    /// Builds the export view of a document, converting every offset to code points.
    pub fn new(view: &'a DocView<'a>, opts: ExportOptions) -> Self {
        let (doc, diagnostics, idx) = (view.doc, view.diagnostics, &view.index);
        let text = doc.text();
        let conv = |s| view.chars(s);
        ExportDoc {
            schema: SCHEMA_VERSION,
            id: &doc.id,
            meta: ExportMeta {
                title: doc.meta.title.as_deref(),
                outlet: doc.meta.outlet.as_deref(),
                url: doc.meta.url.as_deref(),
                author: doc.meta.author.as_deref(),
                published: doc.meta.published.as_deref(),
                language: doc.meta.language.as_deref(),
                fetched_url: doc.meta.fetched_url.as_deref(),
                fetched_at: doc.meta.fetched_at.as_deref(),
            },
            origin: ExportOrigin {
                source: &doc.origin.source,
                record: doc.origin.record,
                format: doc.origin.format,
                encoding: doc.origin.encoding,
            },
            stats: stats(doc, idx),
            text,
            paragraphs: ExportParagraphs(view),
            sentences: ExportSentences(view),
            tokens: opts.tokens.then_some(ExportTokens(view)),
            layers: ExportLayers(view),
            digests: ExportDigests::new(view),
            diagnostics: diagnostics
                .iter()
                .map(|d| {
                    let span = d.span.map(conv);
                    ExportDiagnostic {
                        severity: match d.severity {
                            Severity::Info => "info",
                            Severity::Warning => "warning",
                        },
                        stage: &d.stage,
                        message: &d.message,
                        start: span.map(|s| s.0),
                        end: span.map(|s| s.1),
                    }
                })
                .collect(),
        }
    }
}

/// Counts for a document; `idx` must index the document's text.
pub fn stats(doc: &Doc, idx: &CharIndex<'_>) -> Stats {
    Stats {
        chars: idx.char_len(),
        bytes: doc.text().len(),
        words: doc.word_count(),
        tokens: doc.tokens.len(),
        sentences: doc.sentences.len(),
        paragraphs: doc.paragraphs.len(),
    }
}
