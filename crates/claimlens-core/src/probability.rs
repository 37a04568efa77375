//! Maps from a raw score to a probability that means what it says (of the outputs given
//! 0.8, about 80% are right), fitted on held-out outcomes: [`PlattMap`] (logistic, two
//! parameters) and [`IsotonicMap`] (monotone, pool-adjacent-violators). Pure arithmetic,
//! shared by every stage that reports a calibrated score (the taggers' spans, the
//! known-narrative matches), so each fits and applies its map the same way.

/// A fitted probability is kept inside [`FLOOR`, 1 − `FLOOR`]: a few thousand held-out
/// outcomes show rates to about a percent, never a certainty.
pub const FLOOR: f32 = 0.01;

/// A logistic map from a raw score to a probability (Platt scaling).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlattMap {
    /// Log-odds at a raw score of zero.
    pub intercept: f32,
    /// Change in log-odds per unit of raw score.
    pub slope: f32,
}

impl PlattMap {
    /// Fits the map to `(raw score, right)` outcomes by maximum likelihood (Newton's method
    /// in f64, from zero, a fixed number of steps at most: deterministic). `None` without
    /// both right and wrong outcomes, where the likelihood has no maximum. Non-finite scores
    /// are ignored.
    pub fn fit(outcomes: &[(f32, bool)]) -> Option<PlattMap> {
        let points: Vec<(f64, f64)> = outcomes
            .iter()
            .filter(|(x, _)| x.is_finite())
            .map(|&(x, y)| (f64::from(x), f64::from(u8::from(y))))
            .collect();
        let right = points.iter().filter(|p| p.1 > 0.0).count();
        if right == 0 || right == points.len() {
            return None;
        }
        let (mut a, mut b) = (0.0f64, 0.0f64);
        for _ in 0..100 {
            // Gradient and Hessian of the negative log-likelihood.
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(x, y) in &points {
                let p = sigmoid(a + b * x);
                let w = (p * (1.0 - p)).max(1e-12);
                ga += p - y;
                gb += (p - y) * x;
                haa += w;
                hab += w * x;
                hbb += w * x * x;
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-300 {
                break;
            }
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            a -= da;
            b -= db;
            if da.abs().max(db.abs()) < 1e-12 {
                break;
            }
        }
        (a.is_finite() && b.is_finite()).then_some(PlattMap {
            intercept: a as f32,
            slope: b as f32,
        })
    }

    /// The probability for a raw score, inside [`FLOOR`, 1 − `FLOOR`].
    pub fn probability(&self, raw: f32) -> f32 {
        let z = f64::from(self.intercept) + f64::from(self.slope) * f64::from(raw);
        let p = if z.is_nan() { 0.5 } else { sigmoid(z) };
        (p as f32).clamp(FLOOR, 1.0 - FLOOR)
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// A monotone (non-decreasing) map from a raw score to a probability: knots `(raw, p)` with
/// ascending raw scores, linear between knots and flat beyond the ends.
#[derive(Debug, Clone, PartialEq)]
pub struct IsotonicMap {
    knots: Vec<(f32, f32)>,
}

impl IsotonicMap {
    /// Fits the map to `(raw score, right)` outcomes by pool-adjacent-violators: sorted by
    /// score, adjacent groups whose share right decreases are pooled until it never does.
    /// Each pooled block keeps its lowest and highest score as knots, so the map is flat
    /// inside a block and interpolates between blocks. Non-finite scores are ignored.
    pub fn fit(outcomes: &[(f32, bool)]) -> IsotonicMap {
        let mut points: Vec<(f32, bool)> = outcomes
            .iter()
            .copied()
            .filter(|(x, _)| x.is_finite())
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Blocks: (lowest score, highest score, right, items).
        let mut blocks: Vec<(f32, f32, f64, f64)> = Vec::new();
        for (x, right) in points {
            let y = f64::from(u8::from(right));
            match blocks.last_mut() {
                // Equal scores are one point: the map cannot tell them apart.
                Some(b) if b.1 == x => {
                    b.2 += y;
                    b.3 += 1.0;
                }
                _ => blocks.push((x, x, y, 1.0)),
            }
            while blocks.len() > 1 {
                let n = blocks.len();
                let (last, before) = (blocks[n - 1], blocks[n - 2]);
                if before.2 / before.3 < last.2 / last.3 {
                    break;
                }
                blocks[n - 2] = (before.0, last.1, before.2 + last.2, before.3 + last.3);
                blocks.pop();
            }
        }
        let mut knots = Vec::with_capacity(blocks.len() * 2);
        for (lo, hi, right, items) in blocks {
            let p = ((right / items) as f32).clamp(FLOOR, 1.0 - FLOOR);
            knots.push((lo, p));
            if hi > lo {
                knots.push((hi, p));
            }
        }
        IsotonicMap { knots }
    }

    /// The probability for a raw score; `None` for a map fitted on nothing.
    pub fn probability(&self, raw: f32) -> Option<f32> {
        let (first, last) = (self.knots.first()?, self.knots.last()?);
        if raw.is_nan() || raw <= first.0 {
            return Some(first.1);
        }
        if raw >= last.0 {
            return Some(last.1);
        }
        let i = self.knots.partition_point(|k| k.0 <= raw);
        let ((x0, p0), (x1, p1)) = (self.knots[i - 1], self.knots[i]);
        Some(p0 + (p1 - p0) * (raw - x0) / (x1 - x0))
    }

    /// The knots, ascending by raw score.
    pub fn knots(&self) -> &[(f32, f32)] {
        &self.knots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_adjacent_violators_gives_a_monotone_map() {
        // Scores 1..=6 with outcomes right, wrong, right, right, wrong, right: the middle
        // violators are pooled.
        let pts: Vec<(f32, bool)> = [(1., false), (2., true), (3., false), (4., true)]
            .into_iter()
            .chain([(5., true), (6., true), (6., true), (6., false)])
            .collect();
        let m = IsotonicMap::fit(&pts);
        let ps: Vec<f32> = m.knots().iter().map(|k| k.1).collect();
        assert!(ps.windows(2).all(|w| w[0] <= w[1]), "{ps:?}");
        assert_eq!(m.probability(0.0), Some(FLOOR)); // below the lowest knot
        assert_eq!(m.probability(2.5), Some(0.5)); // inside the pooled block {2, 3}
                                                   // 4, 5 (all right) and 6 (two of three) violate too: one block, four of five.
        assert!((m.probability(6.0).unwrap() - 0.8).abs() < 1e-6);
        assert_eq!(m.probability(f32::NAN), Some(FLOOR));
        // Between blocks the map interpolates.
        let between = m.probability(3.5).unwrap();
        assert!((between - 0.65).abs() < 1e-6, "{between}");
    }

    #[test]
    fn an_all_right_block_is_not_certainty() {
        let m = IsotonicMap::fit(&[(1.0, true), (2.0, true)]);
        assert_eq!(m.probability(5.0), Some(1.0 - FLOOR));
        assert_eq!(IsotonicMap::fit(&[]).probability(1.0), None);
        assert_eq!(IsotonicMap::fit(&[(f32::NAN, true)]).probability(1.0), None);
    }

    #[test]
    fn platt_fit_recovers_a_logistic_curve() {
        // Outcomes at raw scores -2..=2 with shares right 1/(1+e^-(0.5+x)) in tenths.
        let mut pts = Vec::new();
        for x in -2i8..=2 {
            let share = 1.0 / (1.0 + (-(0.5 + f64::from(x))).exp());
            let right = (share * 1000.0).round() as usize;
            pts.extend((0..1000).map(|k| (f32::from(x), k < right)));
        }
        let m = PlattMap::fit(&pts).unwrap();
        assert!((m.intercept - 0.5).abs() < 0.01, "{m:?}");
        assert!((m.slope - 1.0).abs() < 0.01, "{m:?}");
        assert_eq!(m.probability(100.0), 1.0 - FLOOR);
        assert_eq!(m.probability(-100.0), FLOOR);
        assert_eq!(m.probability(f32::NAN), 0.5);
        // Only one outcome: no maximum-likelihood map.
        assert_eq!(PlattMap::fit(&[(1.0, true), (2.0, true)]), None);
        assert_eq!(PlattMap::fit(&[]), None);
    }
}
