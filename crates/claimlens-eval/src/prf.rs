//! Precision, recall and F1 from true-positive, false-positive and false-negative counts.

use std::fmt;

use serde::Serialize;

/// Counts and the scores derived from them (micro-averaged when summed over documents).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    pub fn_: u64,
}

impl Counts {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn), 0 when there is no gold item.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Counts one decision: predicted and gold (tp), predicted only (fp), gold only (fn).
    pub fn record(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Adds another document's counts.
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// Scores two sorted, de-duplicated sets of items.
    pub fn from_sorted_sets<T: Ord>(predicted: &[T], gold: &[T]) -> Counts {
        let (mut i, mut j, mut tp) = (0, 0, 0u64);
        while i < predicted.len() && j < gold.len() {
            match predicted[i].cmp(&gold[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    tp += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Counts {
            tp,
            fp: predicted.len() as u64 - tp,
            fn_: gold.len() as u64 - tp,
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.4}  R {:.4}  F1 {:.4}  (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_sets() {
        let c = Counts::from_sorted_sets(&[1, 3, 5, 7], &[1, 2, 3]);
        assert_eq!((c.tp, c.fp, c.fn_), (2, 2, 1));
        assert!((c.precision() - 0.5).abs() < 1e-12);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.f1() - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(Counts::default().f1(), 0.0);
    }
}
