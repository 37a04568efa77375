//! Choosing a calibration map by measurement: Platt's sigmoid ([`fit_platt`]) or the
//! isotonic map ([`fit_isotonic`]), whichever gives the lower Brier score when cross-fitted
//! over folds of documents (each fold scored by a map fitted on the others), then refitted
//! on every outcome.
//!
//! The outcomes are themselves held-out predictions (a trainer's inner folds), so neither
//! the choice nor the map ever sees the predictions it is measured or used on.

use super::logistic::{fit_isotonic, fit_platt, Calibration};

/// One held-out prediction: its margin (log-odds before calibration), whether it was right,
/// and its document's fold group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The raw score as log-odds.
    pub margin: f32,
    /// Whether the prediction was right.
    pub right: bool,
    /// Its document's group (the fold is `group % folds`).
    pub group: u64,
}

/// The chosen map and what each candidate measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The map fitted on every outcome by the method with the lower cross-fitted Brier score.
    pub map: Calibration,
    /// Cross-fitted Brier score of Platt's sigmoid.
    pub platt_brier: f64,
    /// Cross-fitted Brier score of the isotonic map.
    pub isotonic_brier: f64,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn platt_points(outcomes: &[&Outcome]) -> Vec<(f32, bool)> {
    outcomes.iter().map(|o| (o.margin, o.right)).collect()
}

fn isotonic_points(outcomes: &[&Outcome]) -> Vec<(f32, bool)> {
    outcomes
        .iter()
        .map(|o| (sigmoid(o.margin), o.right))
        .collect()
}

/// Chooses and fits the map (see the module docs); `None` without outcomes. Ties go to
/// Platt's sigmoid (two numbers, smoother between the outcomes). Deterministic.
pub fn choose(outcomes: &[Outcome], folds: usize) -> Option<Choice> {
    if outcomes.is_empty() {
        return None;
    }
    let k = folds.max(2) as u64;
    let (mut platt, mut isotonic) = (0f64, 0f64);
    for f in 0..k {
        let (held, rest): (Vec<&Outcome>, Vec<&Outcome>) =
            outcomes.iter().partition(|o| o.group % k == f);
        if held.is_empty() {
            continue;
        }
        // A fold whose training part is empty (all outcomes in one group) is scored by the
        // uncalibrated sigmoid under both methods, so it cannot sway the choice.
        let (p, i) = if rest.is_empty() {
            (Calibration::None, Calibration::None)
        } else {
            (
                fit_platt(&platt_points(&rest)),
                fit_isotonic(&isotonic_points(&rest)),
            )
        };
        for o in held {
            let y = f64::from(u8::from(o.right));
            platt += (f64::from(p.apply(o.margin)) - y).powi(2);
            isotonic += (f64::from(i.apply(o.margin)) - y).powi(2);
        }
    }
    let n = outcomes.len() as f64;
    let (platt_brier, isotonic_brier) = (platt / n, isotonic / n);
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let map = if isotonic_brier < platt_brier {
        fit_isotonic(&isotonic_points(&all))
    } else {
        fit_platt(&platt_points(&all))
    };
    Some(Choice {
        map,
        platt_brier,
        isotonic_brier,
    })
}

/// Log-odds of a probability, kept finite: the margin of a score that is already a share
/// (a lexicon entry's smoothed precision).
pub fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(i: u64, margin: f32, right: bool) -> Outcome {
        Outcome {
            margin,
            right,
            group: i / 3,
        }
    }

    #[test]
    fn a_logistic_relation_chooses_a_map_that_corrects_overconfidence() {
        // The raw margin says 2x the true log-odds: every map must pull it back.
        let outcomes: Vec<Outcome> = (0..600u64)
            .map(|i| {
                let m = (i % 11) as f32 - 5.0;
                let share = 1.0 / (1.0 + (-m / 2.0).exp());
                let right = ((i / 11) as f32 + 0.5) / (600.0 / 11.0) < share;
                outcome(i, m, right)
            })
            .collect();
        let c = choose(&outcomes, 3).unwrap();
        assert!(c.platt_brier.is_finite() && c.isotonic_brier.is_finite());
        let p = c.map.apply(4.0);
        assert!(p < sigmoid(4.0) && p > 0.7, "{p} {c:?}");
        assert_eq!(choose(&outcomes, 3), Some(c), "deterministic");
    }

    #[test]
    fn a_relation_no_sigmoid_fits_prefers_the_isotonic_map() {
        // Three margins whose shares right (0.1, 0.8, 0.9) are not on any logistic curve of
        // the margin; the isotonic map puts a point on each.
        let outcomes: Vec<Outcome> = (0..900u64)
            .map(|i| {
                let (m, share) = [(-1.0, 1), (0.0, 8), (1.0, 9)][(i % 3) as usize];
                outcome(i, m, (i / 3) % 10 < share)
            })
            .collect();
        let c = choose(&outcomes, 3).unwrap();
        assert!(c.isotonic_brier < c.platt_brier, "{c:?}");
        assert!(matches!(c.map, Calibration::Isotonic(_)));
        assert!((c.map.apply(0.0) - 0.8).abs() < 1e-3, "{c:?}");
    }

    #[test]
    fn no_outcomes_no_map_and_logit_stays_finite() {
        assert_eq!(choose(&[], 3), None);
        let one = [outcome(0, 1.0, true)];
        assert!(choose(&one, 3).is_some());
        assert!(logit(0.0).is_finite() && logit(1.0).is_finite());
        assert!((logit(0.5)).abs() < 1e-6);
    }
}
