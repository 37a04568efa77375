//! Calibration of confidence scores: does a span scored 0.9 come out right 90% of the time?
//!
//! Each predicted item has a score in [0, 1] and an outcome (right or wrong). Reported: the
//! Brier score (mean squared difference between score and outcome; 0 is perfect), the
//! expected calibration error over ten equal-width score bins (the bins' gap between mean
//! score and share right, weighted by their size), and the bins themselves.

use std::fmt;

use serde::Serialize;

/// One score bin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Bin {
    /// Items whose score falls in the bin.
    pub items: u64,
    /// Of those, the ones that were right.
    pub right: u64,
    /// Sum of their scores.
    pub score_sum: f64,
}

/// Calibration of a set of scored items.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Calibration {
    /// Ten bins: [0, 0.1), [0.1, 0.2), … [0.9, 1].
    pub bins: [Bin; 10],
    /// Sum of squared errors.
    pub squared_error: f64,
}

impl Calibration {
    /// Adds an item with its score (clamped to [0, 1]) and whether it was right.
    pub fn add(&mut self, score: f32, right: bool) {
        let p = f64::from(score).clamp(0.0, 1.0);
        let bin = &mut self.bins[((p * 10.0) as usize).min(9)];
        bin.items += 1;
        bin.right += u64::from(right);
        bin.score_sum += p;
        self.squared_error += (p - f64::from(u8::from(right))).powi(2);
    }

    /// Adds another set's items (the pooled calibration of both).
    pub fn merge(&mut self, other: &Calibration) {
        for (b, o) in self.bins.iter_mut().zip(&other.bins) {
            b.items += o.items;
            b.right += o.right;
            b.score_sum += o.score_sum;
        }
        self.squared_error += other.squared_error;
    }

    /// Number of items.
    pub fn items(&self) -> u64 {
        self.bins.iter().map(|b| b.items).sum()
    }

    /// Mean squared error of the scores as probabilities.
    pub fn brier(&self) -> f64 {
        self.squared_error / self.items().max(1) as f64
    }

    /// Expected calibration error (ten bins).
    pub fn ece(&self) -> f64 {
        let n = self.items().max(1) as f64;
        self.bins
            .iter()
            .filter(|b| b.items > 0)
            .map(|b| {
                let k = b.items as f64;
                (k / n) * (b.right as f64 / k - b.score_sum / k).abs()
            })
            .sum()
    }
}

impl fmt::Display for Calibration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} items, Brier {:.3}, ECE {:.3}; share right by score:",
            self.items(),
            self.brier(),
            self.ece()
        )?;
        for (i, b) in self.bins.iter().enumerate().filter(|(_, b)| b.items > 0) {
            write!(
                f,
                " {:.1}–{:.1}: {:.2} ({})",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                b.right as f64 / b.items as f64,
                b.items
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_overconfident_scores() {
        let mut good = Calibration::default();
        for i in 0..10 {
            good.add(0.8, i < 8);
        }
        assert!(good.ece() < 1e-6, "{}", good.ece());
        assert!((good.brier() - 0.16).abs() < 1e-6);
        let mut bad = Calibration::default();
        for i in 0..10 {
            bad.add(1.0, i < 5);
        }
        assert!((bad.ece() - 0.5).abs() < 1e-9);
        assert_eq!(bad.bins[9].items, 10);
        assert!(bad.to_string().contains("0.9–1.0: 0.50 (10)"));
        assert_eq!(Calibration::default().ece(), 0.0);
        let mut both = good.clone();
        both.merge(&bad);
        assert_eq!(both.items(), 20);
        assert!((both.brier() - (good.brier() + bad.brier()) / 2.0).abs() < 1e-9);
    }
}
