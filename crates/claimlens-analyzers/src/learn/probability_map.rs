//! Maps from a raw score to a probability that means what it says, fitted on held-out
//! outcomes: Platt's sigmoid ([`fit_platt`]) and the isotonic step function
//! ([`fit_isotonic`]), and the one file layout every model that stores a map uses
//! ([`Calibration::write`]). [`super::map_choice`] chooses between the two by cross-fitted
//! Brier score; [`super::logistic`] models carry one.

use super::logistic::{err, Reader};
use super::perceptron::ModelFormatError;

pub(super) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// How raw probabilities map to calibrated ones.
#[derive(Debug, Clone, PartialEq)]
pub enum Calibration {
    /// Raw probabilities as they are.
    None,
    /// `p = σ(a·margin + b)` (Platt 1999).
    Platt {
        /// Slope on the margin.
        a: f32,
        /// Offset.
        b: f32,
    },
    /// A non-decreasing step function of the raw probability, interpolated linearly
    /// between its points (pool-adjacent-violators, Zadrozny & Elkan 2002).
    Isotonic(Vec<(f32, f32)>),
}

impl Calibration {
    /// The calibrated probability of a margin (log-odds before calibration).
    pub fn apply(&self, margin: f32) -> f32 {
        match self {
            Calibration::None => sigmoid(margin),
            Calibration::Platt { a, b } => sigmoid(a * margin + b),
            Calibration::Isotonic(points) => isotonic_at(points, sigmoid(margin)),
        }
    }

    /// Appends the map in the model-file layout: kind u8 (0 none, 1 Platt, 2 isotonic), then
    /// Platt: a f32, b f32 | isotonic: points u32, then (raw f32, calibrated f32) per point.
    /// Every model that stores a map (logistic regressions, the techniques model's span
    /// maps) writes it this way.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Calibration::None => out.push(0),
            Calibration::Platt { a, b } => {
                out.push(1);
                out.extend_from_slice(&a.to_le_bytes());
                out.extend_from_slice(&b.to_le_bytes());
            }
            Calibration::Isotonic(points) => {
                out.push(2);
                out.extend_from_slice(&(points.len() as u32).to_le_bytes());
                for (x, y) in points {
                    out.extend_from_slice(&x.to_le_bytes());
                    out.extend_from_slice(&y.to_le_bytes());
                }
            }
        }
    }

    /// Reads what [`Calibration::write`] wrote.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Calibration, ModelFormatError> {
        Ok(match r.take(1)?[0] {
            0 => Calibration::None,
            1 => Calibration::Platt {
                a: r.f32()?,
                b: r.f32()?,
            },
            2 => {
                let n = r.u32()? as usize;
                if n > r.0.len() / 8 {
                    return Err(err("isotonic points out of range"));
                }
                let mut points = Vec::with_capacity(n);
                for _ in 0..n {
                    points.push((r.f32()?, r.f32()?));
                }
                Calibration::Isotonic(points)
            }
            _ => return Err(err("unknown calibration kind")),
        })
    }
}

/// Fits Platt's sigmoid `σ(a·m + b)` to held-out `(margin, label)` pairs by Newton's method
/// on log loss, with Platt's smoothed targets (so separable data gives finite parameters).
pub fn fit_platt(scored: &[(f32, bool)]) -> Calibration {
    let pos = scored.iter().filter(|s| s.1).count() as f64;
    let neg = scored.len() as f64 - pos;
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let loss = |a: f64, b: f64| -> f64 {
        scored
            .iter()
            .map(|&(m, y)| {
                let z = a * f64::from(m) + b;
                let t = if y { hi } else { lo };
                // log(1 + e^z) - t z, computed without overflow.
                z.max(0.0) + (-z.abs()).exp().ln_1p() - t * z
            })
            .sum()
    };
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(m, y) in scored {
            let m = f64::from(m);
            let t = if y { hi } else { lo };
            let p = 1.0 / (1.0 + (-(a * m + b)).exp());
            let d = p - t;
            let w = p * (1.0 - p);
            ga += d * m;
            gb += d;
            haa += w * m * m;
            hab += w * m;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        // Backtrack until the loss falls (Newton alone can overshoot on flat regions).
        let mut step = 1.0;
        let improved = loop {
            let (na, nb) = (a - step * da, b - step * db);
            let l = loss(na, nb);
            if l.is_finite() && l <= current {
                a = na;
                b = nb;
                current = l;
                break true;
            }
            step /= 2.0;
            if step < 1e-6 {
                break false;
            }
        };
        if !improved || (step * (da.abs() + db.abs())) < 1e-9 {
            break;
        }
    }
    if a < 0.0 {
        // A map never inverts its score's ranking: when the held-out outcomes fall as the
        // score rises, the best map with a slope of at least zero (the loss is convex, so
        // its minimum lies on that edge) is the constant at the smoothed share right.
        let n = scored.len().max(1) as f64;
        let share = (pos * hi + neg * lo) / n;
        (a, b) = (0.0, (share / (1.0 - share)).ln());
    }
    Calibration::Platt {
        a: a as f32,
        b: b as f32,
    }
}

/// Fits an isotonic map to held-out `(raw probability, label)` pairs by pool-adjacent-
/// violators; each pooled block becomes one point (its mean raw score, its share positive).
pub fn fit_isotonic(scored: &[(f32, bool)]) -> Calibration {
    let mut sorted: Vec<(f32, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Blocks of (sum of raw scores, positives, count); equal scores start as one block, so
    // the map is a function of the score, not of the order of ties.
    let mut tied: Vec<(f64, f64, f64)> = Vec::new();
    for (x, y) in sorted {
        let (x, y) = (f64::from(x), f64::from(u8::from(y)));
        match tied.last_mut() {
            Some(b) if (b.0 / b.2 - x).abs() <= 1e-12 => *b = (b.0 + x, b.1 + y, b.2 + 1.0),
            _ => tied.push((x, y, 1.0)),
        }
    }
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    for block in tied {
        blocks.push(block);
        while blocks.len() > 1 {
            let (a, b) = (blocks[blocks.len() - 2], blocks[blocks.len() - 1]);
            if a.1 / a.2 < b.1 / b.2 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }
    Calibration::Isotonic(
        blocks
            .iter()
            .map(|&(s, p, n)| ((s / n) as f32, (p / n) as f32))
            .collect(),
    )
}

/// The isotonic map at `x`: linear between points, flat beyond the ends.
fn isotonic_at(points: &[(f32, f32)], x: f32) -> f32 {
    let k = points.partition_point(|p| p.0 < x);
    match (k.checked_sub(1).map(|i| points[i]), points.get(k).copied()) {
        (None, Some(p)) | (Some(p), None) => p.1,
        (Some(a), Some(b)) if b.0 > a.0 => a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0),
        (Some(a), Some(_)) => a.1,
        (None, None) => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_and_isotonic_fix_overconfident_scores() {
        // Margins of ±4 (σ ≈ 0.98): positive 80% of the time at +4, 40% at -4.
        let scored: Vec<(f32, bool)> = (0..1000)
            .map(|i| {
                let m = if i % 2 == 0 { 4.0 } else { -4.0 };
                (m, (m > 0.0) == (i % 10 < 7))
            })
            .collect();
        let Calibration::Platt { a, b } = fit_platt(&scored) else {
            unreachable!()
        };
        let p = sigmoid(a * 4.0 + b);
        assert!((p - 0.8).abs() < 0.02, "{p}");
        let raw: Vec<(f32, bool)> = scored.iter().map(|&(m, y)| (sigmoid(m), y)).collect();
        let Calibration::Isotonic(points) = fit_isotonic(&raw) else {
            unreachable!()
        };
        assert!(points.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!((isotonic_at(&points, sigmoid(4.0)) - 0.8).abs() < 0.02);
        assert!((isotonic_at(&points, sigmoid(-4.0)) - 0.4).abs() < 0.02);
        assert_eq!(isotonic_at(&[], 0.3), 0.3);
    }

    #[test]
    fn platt_never_inverts_a_score() {
        // Right 40% of the time at +2, 60% at -2: the unconstrained fit would slope down.
        let scored: Vec<(f32, bool)> = (0..1000)
            .map(|i| {
                let m = if i % 2 == 0 { 2.0 } else { -2.0 };
                (m, i % 10 < if m > 0.0 { 3 } else { 6 })
            })
            .collect();
        let Calibration::Platt { a, b } = fit_platt(&scored) else {
            unreachable!()
        };
        assert_eq!(a, 0.0);
        assert!((sigmoid(b) - 0.5).abs() < 0.01, "{}", sigmoid(b));
    }
}
