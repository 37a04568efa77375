//! The check-worthiness model: a [`Logistic`] regression over the claim features, trained on
//! debate sentences (ClaimBuster, CLEF CheckThat! 2019 Task 1) that went through the same
//! stages as any article, and embedded in the binary.
//!
//! Training and evaluation both come here for the features of a labelled text, so the model
//! is scored on exactly what it was trained on: a text is one claim spanning its whole
//! (trimmed) text, with every layer the pipeline produced for it.

use claimlens_core::{Doc, Span};

use super::features::{Extracted, FeatureSet, LayerIndex};
use crate::learn::embedded::Embedded;
use crate::learn::logistic::{self, Calibration, Example, Logistic, LogisticOptions};
use crate::LoadError;

/// The committed model's bytes (`claimlens train checkworthy` writes them).
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/checkworthy.bin");

static EMBEDDED: Embedded<Logistic> =
    Embedded::new("checkworthy", EMBEDDED_MODEL, Logistic::from_bytes);

/// The embedded model, decoded on first use.
pub fn embedded() -> Result<&'static Logistic, LoadError> {
    EMBEDDED.get()
}

/// The features of a whole annotated text as one claim.
pub fn text_features(doc: &Doc, set: FeatureSet) -> Vec<u32> {
    let text = doc.text();
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    let index = LayerIndex::new(doc);
    let mut x = Extracted::default();
    x.extract(doc, &index, Span::new(start, end), set);
    x.hashes
}

/// A labelled text's features, its label and its weight.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// Feature hashes ([`text_features`]).
    pub features: Vec<u32>,
    /// Check-worthy or not.
    pub positive: bool,
    /// Weight in the loss.
    pub weight: f32,
}

/// Training settings of the check-worthiness model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// The learner's settings.
    pub learner: LogisticOptions,
    /// Folds of the inner cross-validation whose held-out scores fit the calibration map.
    pub calibration_folds: usize,
    /// Fit an isotonic map (else Platt's sigmoid).
    pub isotonic: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            learner: LogisticOptions::default(),
            calibration_folds: 5,
            isotonic: false,
        }
    }
}

/// Trains a model on `data` and fits its calibration map on held-out scores from an inner
/// cross-validation over `data` (fold of example i: `i % folds` after a seeded shuffle), so
/// the map never sees scores of examples the scoring model was trained on.
pub fn train(data: &[Labelled], opts: &TrainOptions, name: &str) -> Logistic {
    train_with_held_out(data, opts, name).0
}

/// [`train`], also returning the inner cross-validation's held-out `(margin, label)` pairs
/// (empty when `calibration_folds < 2`), on which a caller can choose a decision threshold
/// without touching data outside `data`.
pub fn train_with_held_out(
    data: &[Labelled],
    opts: &TrainOptions,
    name: &str,
) -> (Logistic, Vec<(f32, bool)>) {
    let examples: Vec<Example> = data
        .iter()
        .map(|d| Example {
            features: d.features.clone(),
            positive: d.positive,
            weight: d.weight,
        })
        .collect();
    let mut model = logistic::train(&examples, &opts.learner, name);
    let mut held_out = Vec::new();
    if opts.calibration_folds >= 2 {
        held_out = held_out_margins(&examples, opts);
        model.calibration = if opts.isotonic {
            let raw: Vec<(f32, bool)> = held_out
                .iter()
                .map(|&(m, y)| (1.0 / (1.0 + (-m).exp()), y))
                .collect();
            logistic::fit_isotonic(&raw)
        } else {
            logistic::fit_platt(&held_out)
        };
    } else {
        model.calibration = Calibration::None;
    }
    (model, held_out)
}

/// `(margin, label)` of every example, each scored by a model trained without its fold.
fn held_out_margins(examples: &[Example], opts: &TrainOptions) -> Vec<(f32, bool)> {
    let k = opts.calibration_folds;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = opts.learner.seed ^ 0x9e37_79b9;
    crate::learn::shuffle(&mut order, &mut state);
    let mut fold = vec![0usize; examples.len()];
    for (rank, &i) in order.iter().enumerate() {
        fold[i] = rank % k;
    }
    let mut out = Vec::with_capacity(examples.len());
    for f in 0..k {
        let train: Vec<Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, &g)| g != f)
            .map(|(e, _)| e.clone())
            .collect();
        let m = logistic::train(&train, &opts.learner, "fold");
        out.extend(
            examples
                .iter()
                .zip(&fold)
                .filter(|(_, &g)| g == f)
                .map(|(e, _)| (m.margin(&e.features), e.positive)),
        );
    }
    out
}
