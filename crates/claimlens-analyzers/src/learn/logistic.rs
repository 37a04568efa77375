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
use super::probability_map::sigmoid;
pub use super::probability_map::{fit_isotonic, fit_platt, Calibration};

const MAGIC: &[u8; 8] = b"CLLOGIT1";

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
}
