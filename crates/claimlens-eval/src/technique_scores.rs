//! Reliability of the techniques stage's span scores, per source of the span (lexicon,
//! tagger, sentence classifier): what [`crate::techniques`] reports beside its F1 figures,
//! and how the span calibration maps were chosen on the inner folds.

use std::fmt::{self, Write};

use claimlens_analyzers::learn::logistic::Calibration as Map;
use claimlens_analyzers::learn::map_choice::Choice;
use serde::Serialize;

use crate::calibration::Calibration;

/// Reliability of one source's span scores.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReliability {
    /// `lexicon`, `tagger` or `classifier`.
    pub source: &'static str,
    /// The uncalibrated scores.
    pub before: Calibration,
    /// The reported scores.
    pub after: Calibration,
}

/// One line saying how a source's span map was chosen on the inner folds.
pub fn describe_choice(source: &str, choice: Option<&Choice>) -> String {
    match choice {
        None => format!("{source} spans: no held-out spans, no calibration map"),
        Some(c) => format!(
            "{source} spans: cross-fitted Brier Platt {:.4}, isotonic {:.4}; chose {}",
            c.platt_brier,
            c.isotonic_brier,
            match c.map {
                Map::Isotonic(_) => "isotonic",
                _ => "Platt",
            }
        ),
    }
}

/// The sources of a span, in report order.
pub(crate) const SOURCES: [&str; 3] = ["lexicon", "tagger", "classifier"];

/// Writes the per-source reliability lines, the pooled figures and the map choices.
pub(crate) fn write_reliability(
    out: &mut dyn Write,
    reliability: &[SourceReliability],
    map_choices: &[String],
) -> fmt::Result {
    writeln!(
        out,
        "reliability of the span scores (right: a gold span of the technique overlaps):"
    )?;
    for r in reliability.iter().filter(|r| r.after.items() > 0) {
        writeln!(out, "  {:<10} uncalibrated: {}", r.source, r.before)?;
        writeln!(out, "  {:<10} reported:     {}", "", r.after)?;
    }
    let (mut before, mut after) = (Calibration::default(), Calibration::default());
    for r in reliability {
        before.merge(&r.before);
        after.merge(&r.after);
    }
    writeln!(
        out,
        "  all spans: Brier {:.4} -> {:.4}, ECE {:.4} -> {:.4} ({} spans)",
        before.brier(),
        after.brier(),
        before.ece(),
        after.ece(),
        after.items()
    )?;
    for c in map_choices {
        writeln!(out, "  {c}")?;
    }
    Ok(())
}
