//! claimlens analyzers: the pipeline stages.
//!
//! # Brief overview
//!
//! Each analyzer is a [`claimlens_core::Stage`] in its own folder; it reads earlier layers of a
//! `Doc` and adds its own. Stages know each other only through layer names.
//!
//! 1. [`Segmenter`] (`segment/`): paragraphs, tokens, sentences.
//! 2. [`attribution::AttributionStage`] (`attribution/`): source, cue and content spans and
//!    the relations between them.
//! 3. [`sourcing::SourcingStage`] (`sourcing/`): speakers, source chains, per-sentence
//!    sourcing labels.
//! 4. [`places::PlacesStage`] (`places/`): place names resolved against an embedded
//!    GeoNames-derived gazetteer, with coordinates and relative locations.

pub mod attribution;
pub mod places;
mod segment;
pub mod sourcing;

pub use segment::{Segmenter, SEGMENT_LAYERS};
