//! The partial-overlap span measure of SemEval-2020 Task 11 (Da San Martino et al. 2020),
//! used both to choose the lexicon's thresholds in training and by `claimlens eval`:
//! a predicted span earns the share of its characters that lie in a gold span, a gold span
//! the share of its characters that a prediction covers, so a prediction half on a gold span
//! counts half. Precision is the mean over predicted spans, recall over gold spans.
//!
//! Spans of one group (one article, and one technique for the technique-aware measure) are
//! merged where they overlap first, so no character counts twice.

/// Sums of the measure over groups: add groups up, then read precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OverlapStats {
    /// Σ over predicted spans of the share of the span inside gold spans.
    pub precision_sum: f64,
    /// Number of predicted spans (after merging).
    pub predicted: usize,
    /// Σ over gold spans of the share of the span covered by predictions.
    pub recall_sum: f64,
    /// Number of gold spans (after merging).
    pub gold: usize,
}

impl OverlapStats {
    /// The measure of one group of half-open `(start, end)` spans.
    pub fn of(predicted: &[(u32, u32)], gold: &[(u32, u32)]) -> OverlapStats {
        let p = merged(predicted);
        let g = merged(gold);
        let covered = |a: (u32, u32), others: &[(u32, u32)]| -> u64 {
            others
                .iter()
                .map(|b| u64::from(a.1.min(b.1).saturating_sub(a.0.max(b.0))))
                .sum()
        };
        let share = |a: (u32, u32), others: &[(u32, u32)]| {
            covered(a, others) as f64 / f64::from((a.1 - a.0).max(1))
        };
        OverlapStats {
            precision_sum: p.iter().map(|&s| share(s, &g)).sum(),
            predicted: p.len(),
            recall_sum: g.iter().map(|&s| share(s, &p)).sum(),
            gold: g.len(),
        }
    }

    /// Adds another group's sums.
    pub fn add(&mut self, other: OverlapStats) {
        self.precision_sum += other.precision_sum;
        self.predicted += other.predicted;
        self.recall_sum += other.recall_sum;
        self.gold += other.gold;
    }

    /// Mean share of predicted spans inside gold spans (0 with no predictions).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.precision_sum / self.predicted as f64
        }
    }

    /// Mean share of gold spans covered (0 with no gold spans).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.recall_sum / self.gold as f64
        }
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
}

/// Non-empty spans, sorted, overlapping ones merged.
fn merged(spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = spans.iter().copied().filter(|s| s.1 > s.0).collect();
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(last) if s.0 < last.1 => last.1 = last.1.max(s.1),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_overlap_counts_half_and_overlaps_merge() {
        let s = OverlapStats::of(&[(0, 10)], &[(5, 15)]);
        assert_eq!((s.precision(), s.recall()), (0.5, 0.5));
        let exact = OverlapStats::of(&[(3, 7), (4, 6)], &[(3, 7)]);
        assert_eq!((exact.predicted, exact.f1()), (1, 1.0));
        let none = OverlapStats::of(&[], &[(0, 4)]);
        assert_eq!(
            (none.precision(), none.recall(), none.f1()),
            (0.0, 0.0, 0.0)
        );
        let mut sum = s;
        sum.add(exact);
        assert_eq!((sum.predicted, sum.gold), (2, 2));
        assert_eq!(sum.precision(), 0.75);
    }
}
