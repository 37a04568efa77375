//! The trait every analyzer implements.

use crate::{Diagnostic, Doc};

/// A pipeline stage: reads earlier layers of a [`Doc`] and adds its own.
///
/// Stages declare the layers they need and produce so that the pipeline can reject a bad
/// order before running anything. The segmentation layers are named `paragraphs`,
/// `sentences` and `tokens`.
pub trait Stage: Send + Sync {
    /// Unique stage name (used in `--disable`, reasons and diagnostics).
    fn name(&self) -> &'static str;
    /// Layers that must exist before this stage runs.
    fn requires(&self) -> &'static [&'static str];
    /// Layers this stage reads when they are present: its results differ without them, so
    /// the pipeline rejects an order in which one would be assigned only after this stage.
    fn uses(&self) -> &'static [&'static str] {
        &[]
    }
    /// Layers this stage adds.
    fn assigns(&self) -> &'static [&'static str];
    /// Runs the stage on one document. Never panics on any text; problems become diagnostics.
    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic>;
}
