//! Errors of the document model and diagnostics that stages report.

use std::borrow::Cow;
use std::fmt;

use crate::Span;

/// A violation of a document-model invariant. These indicate a bug in a stage, not bad input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// A layer with this name already exists.
    DuplicateLayer(String),
    /// A span lies outside the text or splits a UTF-8 character.
    InvalidSpan {
        /// Layer being inserted.
        layer: String,
        /// Span start (bytes).
        start: u32,
        /// Span end (bytes).
        end: u32,
    },
    /// A link points at an annotation that does not exist.
    DanglingLink {
        /// Layer being inserted.
        layer: String,
        /// Layer the link names.
        target: String,
        /// Index the link names.
        index: u32,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::DuplicateLayer(n) => write!(f, "layer `{n}` already exists"),
            ModelError::InvalidSpan { layer, start, end } => write!(
                f,
                "layer `{layer}`: span {start}..{end} is outside the text or splits a character"
            ),
            ModelError::DanglingLink {
                layer,
                target,
                index,
            } => write!(
                f,
                "layer `{layer}`: link to `{target}`[{index}] names no annotation"
            ),
        }
    }
}

impl std::error::Error for ModelError {}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Informational (a limit applied, a fallback used).
    Info,
    /// Something was skipped or may be wrong; the result is still usable.
    Warning,
}

/// A non-fatal observation from a stage: analysis returns `(layers, diagnostics)` so one odd
/// sentence never fails a whole article.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Severity.
    pub severity: Severity,
    /// Stage that reported it.
    pub stage: Cow<'static, str>,
    /// Human-readable message.
    pub message: String,
    /// Where in the text, if anywhere.
    pub span: Option<Span>,
}

impl Diagnostic {
    /// A warning from `stage`.
    pub fn warning(stage: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            stage: stage.into(),
            message: message.into(),
            span: None,
        }
    }
}
