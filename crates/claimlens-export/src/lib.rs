//! claimlens export: one export model, several thin writers.
//!
//! # Brief overview
//!
//! * [`ExportDoc`] is the documented, versioned output shape ([`SCHEMA_VERSION`]); it
//!   converts every byte offset of the core to a Unicode code-point offset.
//! * [`write_json`] / [`write_jsonl`] serialize it; [`write_text`] renders the terminal
//!   report; [`write_html`] renders a self-contained HTML page.
//!
//! ```
//! use claimlens_core::{Annotation, Doc, Layer, Reason, Span};
//! use claimlens_export::{write_json, ExportOptions};
//!
//! let mut doc = Doc::new("d", "“Café” opened, he said.");
//! let mut layer = Layer::new("cues", "example");
//! layer.push(Annotation::new(Span::new(23, 27), "CUE", Reason::rule("example", "verb:say")));
//! doc.insert_layer(layer).unwrap();
//! let mut out = Vec::new();
//! write_json(&mut out, &doc, &[], ExportOptions::default()).unwrap();
//! let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(v["schema"], "claimlens.doc/1");
//! // Byte offsets 23..27 are code points 18..22: the curly quotes and 'é' are multi-byte.
//! assert_eq!(v["layers"][0]["annotations"][0]["start"], 18);
//! assert_eq!(v["layers"][0]["annotations"][0]["text"], "said");
//! ```

mod digest;
mod html;
mod json;
mod model;
mod text;

pub use digest::{
    entity_list, place_list, source_chains, timeline, who_said_what, ChainStep, EntityEntry,
    PlaceEntry, Said, SourceChain, SourcingClass, SpanRef, StepReason, StepRole, TimelineEntry,
};
pub use html::write_html;
pub use json::{write_json, write_jsonl};
pub use model::{
    ExportAnnotation, ExportDoc, ExportLayer, ExportOptions, ExportSentence, ExportSpan, Stats,
    SCHEMA_VERSION,
};
pub use text::{write_text, TextOptions};
