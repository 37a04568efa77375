//! Fitting calibration maps on held-out outcomes, and measuring them honestly.
//!
//! Every scored item ([`Outcome`]) belongs to a document. **Cross-fitting** splits the
//! documents into folds by a hash of their id; each fold's items are scored by a map fitted
//! on the other folds only, and the pooled held-out scores are measured ([`cross_fit`]).
//! That is the figure reported: a map measured on the items it was fitted on looks better
//! than it is. The shipped map, a Platt map, is fitted on every item ([`fit`]); isotonic
//! regression is the alternative it was chosen over ([`Method`]).

use claimlens_analyzers::learn::calibration::{IsotonicMap, PlattMap};

use crate::calibration::Calibration;

/// Folds of the cross-fitting.
pub const FOLDS: u64 = 5;

/// One scored item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Its document's fold key ([`fold_key`]).
    pub fold_key: u64,
    /// The uncalibrated score a user saw before calibration.
    pub score: f32,
    /// The raw score the map reads.
    pub raw: f32,
    /// Whether the item was right.
    pub right: bool,
}

/// Calibration of the same items before and after mapping.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BeforeAfter {
    /// The uncalibrated scores.
    pub before: Calibration,
    /// The mapped scores, each from a map fitted without its document's fold.
    pub after: Calibration,
}

/// A document's fold key: FNV-1a of its id, so folds do not depend on reading order.
pub fn fold_key(document_id: &str) -> u64 {
    document_id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How a map is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Logistic regression on the raw score (the shipped maps).
    Platt,
    /// Isotonic regression on the raw score (the alternative).
    Isotonic,
}

/// The Platt map fitted on every item; `None` without both right and wrong items.
pub fn fit(outcomes: &[Outcome]) -> Option<PlattMap> {
    PlattMap::fit(&points(outcomes))
}

fn points(outcomes: &[Outcome]) -> Vec<(f32, bool)> {
    outcomes.iter().map(|o| (o.raw, o.right)).collect()
}

/// Cross-fits Platt maps over [`FOLDS`] folds of documents: see [`cross_fit_by`].
pub fn cross_fit(outcomes: &[Outcome]) -> BeforeAfter {
    cross_fit_by(outcomes, Method::Platt)
}

/// Cross-fits over [`FOLDS`] folds of documents: the uncalibrated scores against the
/// held-out mapped ones. A fold whose training folds cannot be fitted (a single document,
/// or only one outcome) keeps the uncalibrated score.
pub fn cross_fit_by(outcomes: &[Outcome], method: Method) -> BeforeAfter {
    let mut result = BeforeAfter::default();
    for fold in 0..FOLDS {
        let held_out = |o: &&Outcome| o.fold_key % FOLDS == fold;
        let training: Vec<Outcome> = outcomes.iter().filter(|o| !held_out(o)).copied().collect();
        let map: Box<dyn Fn(f32) -> Option<f32>> = match method {
            Method::Platt => {
                let m = fit(&training);
                Box::new(move |raw| m.map(|m| m.probability(raw)))
            }
            Method::Isotonic => {
                let m = IsotonicMap::fit(&points(&training));
                Box::new(move |raw| m.probability(raw))
            }
        };
        for o in outcomes.iter().filter(held_out) {
            result.before.add(o.score, o.right);
            result.after.add(map(o.raw).unwrap_or(o.score), o.right);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_fitting_corrects_overconfident_scores_out_of_fold() {
        // Every item scored 1.0, half of them right. Raw 2 marks three right items in four
        // and one wrong item in four (a share right of 0.75), raw 0 the rest (0.25).
        let outcomes: Vec<Outcome> = (0..400)
            .map(|i| {
                let right = i % 2 == 0;
                let raw = if right && i % 8 != 0 || !right && i % 8 == 1 {
                    2.0
                } else {
                    0.0
                };
                Outcome {
                    fold_key: fold_key(&format!("doc{}", i / 4)),
                    score: 1.0,
                    raw,
                    right,
                }
            })
            .collect();
        let r = cross_fit(&outcomes);
        assert_eq!(r.before.items(), 400);
        assert_eq!(r.after.items(), 400);
        assert!((r.before.ece() - 0.5).abs() < 1e-9);
        assert!(r.after.ece() < 0.1, "{}", r.after);
        assert!(r.after.brier() < r.before.brier());
        let iso = cross_fit_by(&outcomes, Method::Isotonic);
        assert!(iso.after.ece() < 0.1, "{}", iso.after);
        assert_eq!(iso.before, r.before);
        // Two raw values: the logistic map passes through both shares right.
        let all = fit(&outcomes).unwrap();
        assert!((all.probability(2.0) - 0.75).abs() < 1e-4, "{all:?}");
        assert!((all.probability(0.0) - 0.25).abs() < 1e-4, "{all:?}");
    }

    #[test]
    fn fold_keys_are_stable_and_spread() {
        assert_eq!(fold_key(""), 0xcbf2_9ce4_8422_2325);
        let folds: std::collections::BTreeSet<u64> = (0..50)
            .map(|i| fold_key(&format!("d{i}")) % FOLDS)
            .collect();
        assert_eq!(folds.len() as u64, FOLDS);
        // One document only: its fold has no training items and keeps its score.
        let one = [Outcome {
            fold_key: 3,
            score: 0.9,
            raw: 1.0,
            right: true,
        }];
        assert_eq!(cross_fit(&one).after, cross_fit(&one).before);
    }
}
