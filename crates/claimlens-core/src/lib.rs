//! The claimlens document model.
//!
//! # Brief overview
//!
//! * [`Doc`] owns an article's original text (never modified after creation), its
//!   [`Metadata`], the segmentation layers (paragraphs, sentences, tokens) and any number of
//!   named annotation [`Layer`]s that analyzers add.
//! * [`Span`] is a half-open range of **UTF-8 byte offsets** into `Doc::text`; the rule is
//!   `&doc.text[span.start..span.end]`. Exports convert to Unicode code-point offsets with
//!   [`CharIndex`].
//! * Every annotation carries a [`Reason`]: the stage, the rule / lexicon entry / model that
//!   fired, and an optional score.
//! * [`probability`]: maps from a raw score to a calibrated probability (Platt, isotonic),
//!   fitted on held-out outcomes; every calibrated score in a layer comes from one.
//! * [`table`]: rows of typed cells and the [`table::RowSink`] that writes them: the shape in
//!   which a corpus leaves a store for Parquet and CSV.
//! * [`Stage`] is the trait analyzers implement: it declares the layers it requires and
//!   assigns, and turns a `&mut Doc` into more layers plus [`Diagnostic`]s.
//!
//! This crate does no IO.
//!
//! ```
//! use claimlens_core::{Annotation, Doc, Layer, Reason, Span};
//!
//! let mut doc = Doc::new("a1", "The mayor said it rained. Nobody agreed. Then it stopped.");
//! let cue = Span::new(10, 14);
//! assert_eq!(doc.slice(cue), "said");
//! let mut layer = Layer::new("cues", "example");
//! layer.push(Annotation::new(cue, "CUE", Reason::rule("example", "verb:say")));
//! doc.insert_layer(layer).unwrap();
//! assert_eq!(doc.layer("cues").unwrap().annotations.len(), 1);
//! ```

mod annotation;
mod doc;
mod error;
mod name;
mod offsets;
pub mod probability;
mod segment;
mod span;
mod stage;
pub mod table;
mod text;

pub use annotation::{Annotation, AttrValue, Layer, Link, Reason};
pub use doc::{Doc, Metadata, Origin};
pub use error::{Diagnostic, ModelError, Severity};
pub use name::Name;
pub use offsets::CharIndex;
pub use segment::{tokens_within, BoundaryRule, Paragraph, Sentence, Token, TokenKind};
pub use span::Span;
pub use stage::Stage;
pub use text::Text;
