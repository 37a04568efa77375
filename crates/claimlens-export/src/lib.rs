//! claimlens export: one export model, several thin writers.
//!
//! # Brief overview
//!
//! * [`DocView`] is built once per document: the document, its diagnostics, the byte →
//!   code-point index and the [`Digests`] (ranked claims, who said what, source chains, entities, places,
//!   timeline), all read from documented layers only.
//! * [`ExportDoc`] is the documented, versioned output shape ([`SCHEMA_VERSION`]) of a view;
//!   every offset in it is a Unicode code-point offset.
//! * Thin writers render a view: [`write_json`] / [`write_jsonl`] serialize it,
//!   [`write_text`] renders the terminal report, [`write_html`] a self-contained page.
//! * [`terminal::clean`] is the one place that decides what of the input may reach a
//!   terminal (the text report and the CLI's messages use it).
//! * [`Sink`] frames a stream of documents in one [`OutputFormat`] (JSON array, HTML page
//!   cap), so every front-end writes the same bytes.
//!
//! ```
//! use claimlens_core::{Annotation, Doc, Layer, Reason, Span};
//! use claimlens_export::{write_json, DocView, ExportOptions};
//!
//! let mut doc = Doc::new("d", "“Café” opened, he said.");
//! let mut layer = Layer::new("cues", "example");
//! layer.push(Annotation::new(Span::new(23, 27), "CUE", Reason::rule("example", "verb:say")));
//! doc.insert_layer(layer).unwrap();
//! let mut out = Vec::new();
//! write_json(&mut out, &DocView::new(&doc, &[]), ExportOptions::default()).unwrap();
//! let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(v["schema"], "claimlens.doc/2");
//! // Byte offsets 23..27 are code points 18..22: the curly quotes and 'é' are multi-byte.
//! assert_eq!(v["layers"][0]["annotations"][0]["start"], 18);
//! assert_eq!(v["layers"][0]["annotations"][0]["text"], "said");
//! ```

mod digest;
mod digests_json;
mod html;
mod json;
mod model;
mod sequences;
mod sink;
mod snippet;
pub mod tables;
pub mod terminal;
mod text;
mod view;

pub use digest::{
    document_profile, entity_list, known_narratives, place_list, ranked_claims, source_chains,
    technique_list, timeline, who_said_what, CaseMatch, ChainStep, ClaimDetail, ClaimEntry,
    ClaimMatches, DocumentProfile, EntityEntry, KnownNarratives, PlaceEntry, Said, SourceChain,
    SourcingClass, SpanRef, StepReason, StepRole, TechniqueEntry, TimelineEntry,
};
pub use digests_json::{
    ExportChains, ExportClaim, ExportDetail, ExportDigests, ExportSpeakers, ExportTechnique,
    ExportTechniqueSpan,
};
pub use html::{write_html, write_html_with, Esc as HtmlEscape, HtmlOptions};
pub use json::{write_claims_jsonl, write_json, write_jsonl};
pub use model::{
    ExportAnnotation, ExportAnnotations, ExportAttrs, ExportDoc, ExportLayer, ExportLayers,
    ExportLinks, ExportOptions, ExportParagraphs, ExportSentence, ExportSentences, ExportSpan,
    ExportTokens, Stats, SCHEMA_VERSION,
};
pub use sink::{OutputFormat, Sink, SinkOptions, SinkReport, HTML_DOC_LIMIT};
pub use text::{write_text, LayerDump, LayerSet, TextOptions, UnknownLayer};
pub use view::{Digests, DocView};
