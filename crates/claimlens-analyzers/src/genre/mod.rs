//! Genre and frames (SemEval-2023 Task 3, subtasks 1 and 2): adds the `document` layer,
//! what is said of the article as a whole, every annotation spanning the whole text:
//!
//! * one `genre`: `attrs.label` the chosen genre (`opinion`, `reporting` or `satire`), and
//!   `attrs.opinion`, `attrs.reporting`, `attrs.satire` the probability of each (they sum
//!   to 1: one calibrated regression per genre against the others, normalised);
//!   `reason.score` the chosen genre's probability. The label is the genre with the highest
//!   probability times its decision weight, weights chosen for macro-F1 on training folds,
//!   so a rare genre can win with less than the most probability;
//! * one `frame` per frame the article uses (its calibrated probability reaches the frame's
//!   threshold, chosen for micro-F1 on training folds): `attrs.label` the frame's name as the
//!   task writes it (`Security_and_defense`, …), `reason.score` its calibrated probability;
//!   frames in descending probability.
//!
//! `reason.rule` names the model and the three features that raised the score most. The
//! features ([`features`]) are the document's words and word pairs and a few style cues,
//! weighted by TF-IDF ([`weighting`]);
//! the model ([`model`]) is trained by [`train`]. Like `claims`, a document that does not
//! look like English gets an empty layer and a warning.

pub mod catalogue;
pub mod features;
pub mod model;
pub mod train;
pub mod weighting;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Reason, Severity, Span, Stage};
use claimlens_schema::{label, layer};

use catalogue::{FRAMES, GENRES};
use features::DocFeatures;
use model::Model;
use weighting::Row;

/// Stage name.
pub const STAGE: &str = "genre";

/// The genre and frames stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct GenreStage;

impl Stage for GenreStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[layer::DOCUMENT]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let layer = match model::embedded() {
            Err(e) => {
                diagnostics.push(e.diagnostic(STAGE, "no genre or frames"));
                return diagnostics;
            }
            Ok(_) if doc.sentences.is_empty() => {
                diagnostics.push(Diagnostic {
                    severity: Severity::Info,
                    stage: STAGE.into(),
                    message: "the text has no sentences, so no genre or frames were decided".into(),
                    span: None,
                });
                Layer::new(layer::DOCUMENT, STAGE)
            }
            Ok(_) if !crate::reads_as_english(doc) => {
                diagnostics.push(Diagnostic::warning(
                    STAGE,
                    "the text does not look like English: the genre and frames model, trained \
                     on English news, does not apply, so no genre or frames were decided",
                ));
                Layer::new(layer::DOCUMENT, STAGE)
            }
            Ok(m) => document_layer(doc, m),
        };
        if let Err(e) = doc.insert_layer(layer) {
            diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
        }
        diagnostics
    }
}

/// The reason of a score: the model and the three features that raised it most.
fn reason(
    doc: &Doc,
    f: &DocFeatures,
    row: &Row,
    model: &crate::learn::logistic::Logistic,
    p: f32,
) -> Reason {
    let why = crate::learn::logistic::strongest(model, &row.hashes, Some(&row.values), |i| {
        f.names[row.source[i] as usize].describe(doc)
    });
    Reason::scored(STAGE, format!("{}; strongest: {why}", model.name), p)
}

/// The `document` layer of a segmented document (see the module docs).
pub fn document_layer(doc: &Doc, model: &Model) -> Layer {
    let mut layer = Layer::new(layer::DOCUMENT, STAGE);
    let whole = Span::new(0, doc.text().len());
    let f = features::extract(doc);
    let s = model::score(model, &f);
    let p = s.genre[s.label];
    let mut genre = Annotation::new(
        whole,
        label::GENRE,
        reason(doc, &f, &s.row, &model.genres[s.label], p),
    )
    .with_attr("label", GENRES[s.label]);
    for (g, p) in GENRES.iter().zip(s.genre) {
        genre = genre.with_attr(*g, rounded(p));
    }
    layer.push(genre);
    let mut frames: Vec<usize> = (0..FRAMES.len()).filter(|&i| s.predicted[i]).collect();
    frames.sort_by(|&a, &b| s.frames[b].total_cmp(&s.frames[a]).then(a.cmp(&b)));
    for i in frames {
        let Some(c) = &model.frames[i] else { continue };
        layer.push(
            Annotation::new(
                whole,
                label::FRAME,
                reason(doc, &f, &s.row, &c.logistic, s.frames[i]),
            )
            .with_attr("label", FRAMES[i]),
        );
    }
    layer
}

/// A probability as an attribute: four decimals are all a reader can use, and a stable
/// export does not show float noise.
fn rounded(p: f32) -> f64 {
    (f64::from(p) * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests;
