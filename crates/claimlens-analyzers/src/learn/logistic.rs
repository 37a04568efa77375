//! Sparse logistic regression over hashed features (binary, or real-valued with
//! [`train_valued`]), with a calibration map.
//!
//! The averaged perceptron in [`super::perceptron`] ranks well but gives no probabilities;
//! a check-worthiness score is read as one ("0.8 means four in five such claims are worth
//! checking"), so this learner minimises log loss instead: AdaGrad steps with L2
//! regularisation over binary features, hashed into `2^bits` buckets so the model is one
//! flat vector and scoring allocates nothing. Example order is shuffled each epoch by a
//! fixed seed ([`super::shuffle`]), so training is deterministic.
//!
//! Log loss alone does not make the scores calibrated on unseen data (L2 shrinks them
//! toward the middle, class weighting shifts them), so a model carries a [`Calibration`]:
//! none, Platt's sigmoid, or an isotonic step function, fitted on held-out predictions
//! ([`fit_platt`], [`fit_isotonic`]).
//!
//! File format (little-endian):
//!
//! ```text
//! magic [8]  bits u8  bias f32  calibration kind u8 (0 none, 1 Platt, 2 isotonic)
//! Platt: a f32, b f32 | isotonic: points u32, then (raw f32, calibrated f32) per point
//! name length u16, name UTF-8
//! packed length u32, deflate(the 2^bits weights as four byte planes, low plane first)
//! ```
//!
//! Byte planes put the mostly-zero high bytes together, where deflate shrinks them.

use super::embedded::{deflate, inflate};
use super::perceptron::ModelFormatError;

const MAGIC: &[u8; 8] = b"CLLOGIT1";

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

/// A trained logistic regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    bits: u8,
    weights: Vec<f32>,
    bias: f32,
    /// The map from raw to calibrated probability.
    pub calibration: Calibration,
    /// What the model was trained on (named in every annotation's reason).
    pub name: String,
}

/// One training example: feature hashes (any 32-bit values; reduced to `bits` inside),
/// the label and a weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Feature hashes; a repeated hash counts twice.
    pub features: Vec<u32>,
    /// The label.
    pub positive: bool,
    /// Weight of this example in the loss (1 for none).
    pub weight: f32,
}

/// One training example over real-valued features: `values[i]` is the value of
/// `features[i]` (a TF-IDF weight, say).
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedExample {
    /// Feature hashes; a repeated hash counts twice.
    pub features: Vec<u32>,
    /// Their values, index for index.
    pub values: Vec<f32>,
    /// The label.
    pub positive: bool,
    /// Weight of this example in the loss (1 for none).
    pub weight: f32,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticOptions {
    /// Feature hashes are reduced to this many bits.
    pub bits: u8,
    /// Passes over the data.
    pub epochs: usize,
    /// AdaGrad base learning rate.
    pub rate: f32,
    /// L2 penalty per update.
    pub l2: f32,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            bits: 20,
            epochs: 30,
            rate: 0.05,
            l2: 3e-4,
            seed: 0x5eed_c1a1,
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Logistic {
    fn bucket(&self, f: u32) -> usize {
        (f & ((1u32 << self.bits) - 1)) as usize
    }

    /// The margin (log-odds before calibration) of a feature set.
    pub fn margin(&self, features: &[u32]) -> f32 {
        self.bias
            + features
                .iter()
                .map(|&f| self.weights[self.bucket(f)])
                .sum::<f32>()
    }

    /// The margin of real-valued features (`values[i]` the value of `features[i]`).
    pub fn margin_valued(&self, features: &[u32], values: &[f32]) -> f32 {
        self.bias
            + features
                .iter()
                .zip(values)
                .map(|(&f, &v)| self.weights[self.bucket(f)] * v)
                .sum::<f32>()
    }

    /// The weight a feature hash carries.
    pub fn weight(&self, feature: u32) -> f32 {
        self.weights[self.bucket(feature)]
    }

    /// The uncalibrated probability.
    pub fn raw_probability(&self, features: &[u32]) -> f32 {
        sigmoid(self.margin(features))
    }

    /// The calibrated probability.
    pub fn probability(&self, features: &[u32]) -> f32 {
        self.calibrate(self.margin(features))
    }

    /// The calibrated probability of a margin.
    pub fn calibrate(&self, margin: f32) -> f32 {
        self.calibration.apply(margin)
    }

    /// Number of buckets with a non-zero weight.
    pub fn feature_count(&self) -> usize {
        self.weights.iter().filter(|w| **w != 0.0).count()
    }

    /// Keeps only the `keep` weights of largest magnitude (ties: lower bucket first) and
    /// rounds each kept weight to 8 bits of mantissa (bfloat16; a relative change under
    /// 0.4%). A model trained over many sparse features (a document classifier) then
    /// stores in a few bytes per kept weight instead of four per bucket, the two low byte
    /// planes being all zero. Callers prune the models they calibrate on held-out data
    /// the same way, so the calibration is fitted to what is shipped.
    pub fn prune(&mut self, keep: usize) {
        let mut order: Vec<usize> = (0..self.weights.len())
            .filter(|&i| self.weights[i] != 0.0)
            .collect();
        order.sort_by(|&a, &b| {
            self.weights[b]
                .abs()
                .total_cmp(&self.weights[a].abs())
                .then(a.cmp(&b))
        });
        for &i in order.iter().skip(keep) {
            self.weights[i] = 0.0;
        }
        for w in &mut self.weights {
            let bits = w.to_bits();
            // Round half up on the 16 dropped bits; no kept weight is NaN or near f32::MAX.
            *w = f32::from_bits(bits.wrapping_add(0x8000) & 0xffff_0000);
        }
    }

    /// Serializes the model (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(self.bits);
        out.extend_from_slice(&self.bias.to_le_bytes());
        self.calibration.write(&mut out);
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
        let mut planes = Vec::with_capacity(self.weights.len() * 4);
        for plane in 0..4 {
            planes.extend(self.weights.iter().map(|w| w.to_le_bytes()[plane]));
        }
        let packed = deflate(&planes);
        out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        out.extend_from_slice(&packed);
        out
    }

    /// Reads what [`Logistic::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Logistic, ModelFormatError> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return Err(err("not a logistic-regression model"));
        }
        let bits = r.take(1)?[0];
        if !(8..=24).contains(&bits) {
            return Err(err("feature bits out of range"));
        }
        let bias = r.f32()?;
        let calibration = Calibration::read(&mut r)?;
        let name_len = u16::from_le_bytes(r.take(2)?.try_into().expect("two bytes")) as usize;
        let name = std::str::from_utf8(r.take(name_len)?)
            .map_err(|_| err("model name is not UTF-8"))?
            .to_owned();
        let packed_len = r.u32()? as usize;
        let packed = r.take(packed_len)?;
        if !r.0.is_empty() {
            return Err(err("bytes after the weights"));
        }
        let n = 1usize << bits;
        let planes = inflate(packed, n * 4)?;
        let weights = (0..n)
            .map(|i| {
                f32::from_le_bytes([
                    planes[i],
                    planes[n + i],
                    planes[2 * n + i],
                    planes[3 * n + i],
                ])
            })
            .collect();
        Ok(Logistic {
            bits,
            weights,
            bias,
            calibration,
            name,
        })
    }
}

pub(crate) fn err(m: &str) -> ModelFormatError {
    ModelFormatError(m.to_owned())
}

/// Reads a model file front to back; every read past the end is a "truncated" error.
pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFormatError> {
        if self.0.len() < n {
            return Err(err("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelFormatError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    pub(crate) fn f32(&mut self) -> Result<f32, ModelFormatError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, ModelFormatError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
}

/// The three features (by index into `hashes`) that raise the score most, described by
/// `describe` with their contributions (weight times value; `values` index for index with
/// `hashes`, 1 each when `None`): the `reason` a scored annotation gives. A hash that occurs
/// twice is named once.
pub fn strongest(
    model: &Logistic,
    hashes: &[u32],
    values: Option<&[f32]>,
    describe: impl Fn(usize) -> String,
) -> String {
    let mut w: Vec<(f32, usize)> = hashes
        .iter()
        .enumerate()
        .map(|(i, &h)| (model.weight(h) * values.map_or(1.0, |v| v[i]), i))
        .filter(|(w, _)| *w > 0.0)
        .collect();
    w.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    w.dedup_by_key(|a| hashes[a.1]);
    let parts: Vec<String> = w
        .iter()
        .take(3)
        .map(|&(w, i)| format!("{} {w:+.2}", describe(i)))
        .collect();
    if parts.is_empty() {
        "none positive".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Trains a model on `examples` (AdaGrad on weighted log loss with L2), deterministically.
pub fn train(examples: &[Example], opts: &LogisticOptions, name: &str) -> Logistic {
    fit(
        examples,
        |e| (e.features.as_slice(), None, e.positive, e.weight),
        opts,
        name,
    )
}

/// Trains a model on real-valued features ([`ValuedExample`]), as [`train`] does on binary
/// ones (a value of 1 everywhere gives the same model, bit for bit).
pub fn train_valued(examples: &[ValuedExample], opts: &LogisticOptions, name: &str) -> Logistic {
    fit(
        examples,
        |e| {
            let values = Some(e.values.as_slice());
            (e.features.as_slice(), values, e.positive, e.weight)
        },
        opts,
        name,
    )
}

/// One example as the learner reads it: features, their values (1 each when `None`), the
/// label and the example's weight.
type ExampleView<'a> = (&'a [u32], Option<&'a [f32]>, bool, f32);

/// The AdaGrad loop behind [`train`] and [`train_valued`].
fn fit<'a, E>(
    examples: &'a [E],
    view: impl Fn(&'a E) -> ExampleView<'a>,
    opts: &LogisticOptions,
    name: &str,
) -> Logistic {
    let bits = opts.bits.clamp(8, 24);
    let n = 1usize << bits;
    let mask = (1u32 << bits) - 1;
    let mut weights = vec![0f32; n];
    let mut squares = vec![0f32; n];
    let (mut bias, mut bias_square) = (0f32, 0f32);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = opts.seed;
    const EPS: f32 = 1e-6;
    let value = |values: Option<&[f32]>, j: usize| values.map_or(1.0, |v| v[j]);
    for _ in 0..opts.epochs {
        super::shuffle(&mut order, &mut state);
        for &i in &order {
            let (features, values, positive, weight) = view(&examples[i]);
            let margin = bias
                + features
                    .iter()
                    .enumerate()
                    .map(|(j, &f)| weights[(f & mask) as usize] * value(values, j))
                    .sum::<f32>();
            let g = (sigmoid(margin) - f32::from(u8::from(positive))) * weight;
            for (j, &f) in features.iter().enumerate() {
                let k = (f & mask) as usize;
                let grad = g * value(values, j) + opts.l2 * weights[k];
                squares[k] += grad * grad;
                weights[k] -= opts.rate * grad / (squares[k] + EPS).sqrt();
            }
            bias_square += g * g;
            bias -= opts.rate * g / (bias_square + EPS).sqrt();
        }
    }
    Logistic {
        bits,
        weights,
        bias,
        calibration: Calibration::None,
        name: name.to_owned(),
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

    fn toy() -> Vec<Example> {
        // Feature 1 predicts positive, 2 negative, 3 is noise.
        (0..400)
            .map(|i| {
                let positive = i % 3 == 0;
                let mut features = vec![if positive { 1 } else { 2 }];
                if i % 5 == 0 {
                    features = vec![3];
                }
                Example {
                    features,
                    positive,
                    weight: 1.0,
                }
            })
            .collect()
    }

    #[test]
    fn learns_separating_features_deterministically() {
        let opts = LogisticOptions {
            bits: 10,
            ..LogisticOptions::default()
        };
        let m = train(&toy(), &opts, "toy");
        assert!(m.probability(&[1]) > 0.9);
        assert!(m.probability(&[2]) < 0.1);
        let noise = m.probability(&[3]);
        assert!((0.15..0.6).contains(&noise), "{noise}");
        assert_eq!(train(&toy(), &opts, "toy"), m);
    }

    #[test]
    fn pruning_keeps_the_largest_weights_rounded() {
        let opts = LogisticOptions {
            bits: 10,
            ..LogisticOptions::default()
        };
        let full = train(&toy(), &opts, "toy");
        let mut m = full.clone();
        m.prune(2);
        assert_eq!(m.feature_count(), 2);
        assert_eq!(m.weight(3), 0.0, "the noise feature goes first");
        for f in [1, 2] {
            let (a, b) = (full.weight(f), m.weight(f));
            assert!((a - b).abs() <= a.abs() / 256.0, "{a} {b}");
            assert_eq!(b.to_bits() & 0xffff, 0);
        }
        assert!(m.probability(&[1]) > 0.9);
    }

    #[test]
    fn round_trips_with_each_calibration_and_rejects_damage() {
        let opts = LogisticOptions {
            bits: 10,
            ..LogisticOptions::default()
        };
        let mut m = train(&toy(), &opts, "toy model");
        for c in [
            Calibration::None,
            Calibration::Platt { a: 0.5, b: -0.2 },
            Calibration::Isotonic(vec![(0.1, 0.0), (0.5, 0.4), (0.9, 1.0)]),
        ] {
            m.calibration = c;
            let bytes = m.to_bytes();
            assert_eq!(Logistic::from_bytes(&bytes).unwrap(), m);
            assert!(Logistic::from_bytes(&bytes[..bytes.len() - 1]).is_err());
            let mut extra = bytes.clone();
            extra.push(0);
            assert!(Logistic::from_bytes(&extra).is_err());
        }
        assert!(Logistic::from_bytes(b"CLLOGIT1").is_err());
        assert!(Logistic::from_bytes(b"garbage!garbage!").is_err());
    }

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
