//! Persuasion techniques (SemEval-2023 Task 3, subtask 3): adds the `techniques` layer, one
//! annotation per span that uses a technique, typed with the technique's name exactly as
//! the task writes it (`Loaded_Language`, `Name_Calling-Labeling`, …), with
//!
//! * `attrs.family`: the task's family of the technique ([`catalogue`]);
//! * a span from the lexicon span finder ([`lexicon`]: word n-grams mostly labelled inside
//!   the technique's spans in training) or the span tagger ([`tagger`]: BIO tags over each
//!   sentence for the frequent techniques, with the general subjective-word list
//!   [`subjective`] among its features), or, where a sentence classifier ([`model`]: one
//!   calibrated logistic regression per technique over [`features`]) says a paragraph
//!   carries the technique but no span of it lies there, the sentence with the highest
//!   probability (for techniques whose spans are short: that sentence's words that raised
//!   the score most);
//! * `reason.score`: the probability that a gold span of the technique overlaps the span:
//!   the lexicon entry's share of training occurrences inside spans or the tagger span's
//!   smallest tag margin, each through its calibration map ([`model::SpanCalibration`],
//!   fitted on held-out spans of training folds), or the sentence's calibrated
//!   probability; `reason.rule`: the lexicon entry with its counts, the tagger, or the
//!   model and its strongest features for the sentence.
//!
//! A paragraph carries a technique exactly when one of its spans does, so span and paragraph
//! labels never disagree. Trained by [`train`] on English news; like `claims`, a document
//! that does not look like English gets an empty layer and a warning.

pub mod catalogue;
pub mod features;
pub mod lexicon;
pub mod model;
pub mod overlap;
pub mod subjective;
pub mod tagger;
pub mod train;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Reason, Severity, Stage};
use claimlens_schema::layer;

use model::{Evidence, Model, Scratch};

/// Stage name.
pub const STAGE: &str = "techniques";

/// The techniques stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct TechniquesStage;

impl Stage for TechniquesStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[layer::TECHNIQUES]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        // The span tagger's features consult the GloVe clusters; without them it still runs.
        if let Err(e) = crate::learn::vector_clusters::VectorClusters::embedded() {
            diagnostics.push(e.diagnostic(STAGE, "no GloVe-cluster features, spans degraded"));
        }
        let layer = match model::embedded() {
            Err(e) => {
                diagnostics.push(e.diagnostic(STAGE, "no techniques layer"));
                return diagnostics;
            }
            Ok(_) if doc.sentences.is_empty() => {
                diagnostics.push(Diagnostic {
                    severity: Severity::Info,
                    stage: STAGE.into(),
                    message: "the text has no sentences, so no techniques were looked for".into(),
                    span: None,
                });
                Layer::new(layer::TECHNIQUES, STAGE)
            }
            Ok(_) if !crate::reads_as_english(doc) => {
                diagnostics.push(Diagnostic::warning(
                    STAGE,
                    "the text does not look like English: the techniques model, trained on \
                     English news, does not apply, so no techniques were looked for",
                ));
                Layer::new(layer::TECHNIQUES, STAGE)
            }
            Ok(m) => techniques_layer(doc, m),
        };
        if let Err(e) = doc.insert_layer(layer) {
            diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
        }
        diagnostics
    }
}

/// The `techniques` layer of a segmented document.
pub fn techniques_layer(doc: &Doc, model: &Model) -> Layer {
    let mut layer = Layer::new(layer::TECHNIQUES, STAGE);
    let mut scratch = Scratch::default();
    for p in model::predict(model, doc, &mut scratch) {
        let t = usize::from(p.technique);
        let rule = match &p.evidence {
            Evidence::Lexicon(e) => {
                let e = &model.lexicon.entries[*e];
                format!("lexicon:'{}' {} of {} in spans", e.text, e.inside, e.total)
            }
            Evidence::Tagger { .. } => model.span_calibration.tagger.as_ref().map_or_else(
                || "tagger:perceptron:semeval2023-en-train".to_owned(),
                |_| "tagger:perceptron:semeval2023-en-train+calibrated:inner-folds".to_owned(),
            ),
            Evidence::Classifier(why) => {
                let name = model.classifiers[t]
                    .as_ref()
                    .map_or("logistic", |c| c.logistic.name.as_str());
                format!("{name}; strongest: {why}")
            }
        };
        layer.push(
            Annotation::new(
                p.span,
                catalogue::name(t),
                Reason::scored(STAGE, rule, p.score),
            )
            .with_attr("family", catalogue::family(t).as_str()),
        );
    }
    layer.sort();
    layer
}

#[cfg(test)]
mod tests;
