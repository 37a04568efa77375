//! The genre and frames model: the training articles' document frequencies (the TF-IDF
//! weighting, [`super::weighting`]), one calibrated logistic regression per genre (one
//! against the rest) with the decision weights chosen on training folds, and one per frame
//! with its threshold; its file format; and [`score`], which both the stage and the
//! evaluation call.
//!
//! File format (little-endian):
//!
//! ```text
//! magic "CLGENRE2"  document frequencies (super::weighting)
//! genres u8, per genre: decision weight f32, model length u32, logistic model
//! frames u8, per frame: present u8; if 1: threshold f32, model length u32, logistic model
//! ```

use super::catalogue::{FRAMES, GENRES};
use super::features::DocFeatures;
use super::weighting::{Idf, Row};
use crate::learn::embedded::Embedded;
use crate::learn::logistic::{err, Logistic, Reader};
use crate::learn::perceptron::ModelFormatError;
use crate::LoadError;

const MAGIC: &[u8; 8] = b"CLGENRE2";

/// The committed model's bytes (`claimlens train genre` writes them).
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/genre.bin");

static EMBEDDED: Embedded<Model> = Embedded::new("genre", EMBEDDED_MODEL, Model::from_bytes);

/// The embedded model, decoded on first use.
pub fn embedded() -> Result<&'static Model, LoadError> {
    EMBEDDED.get()
}

/// One frame's classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameClassifier {
    /// The calibrated logistic regression.
    pub logistic: Logistic,
    /// A document uses the frame when its calibrated probability reaches this.
    pub threshold: f32,
}

/// The whole model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The weighting of every regression's features.
    pub idf: Idf,
    /// Per genre ([`GENRES`] order): its calibrated one-against-the-rest regression.
    pub genres: Vec<Logistic>,
    /// Per genre: the weight its probability is multiplied by when choosing the label
    /// (chosen for macro-F1 on training folds; the rare genres need more than 1).
    pub genre_weights: Vec<f32>,
    /// Per frame ([`FRAMES`] order): its classifier, if it had enough examples.
    pub frames: Vec<Option<FrameClassifier>>,
}

fn push_logistic(out: &mut Vec<u8>, l: &Logistic) {
    let bytes = l.to_bytes();
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&bytes);
}

fn read_logistic(r: &mut Reader<'_>) -> Result<Logistic, ModelFormatError> {
    let len = r.u32()? as usize;
    Logistic::from_bytes(r.take(len)?)
}

impl Model {
    /// Serializes the model (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        self.idf.write(&mut out);
        out.push(self.genres.len() as u8);
        for (l, w) in self.genres.iter().zip(&self.genre_weights) {
            out.extend_from_slice(&w.to_le_bytes());
            push_logistic(&mut out, l);
        }
        out.push(self.frames.len() as u8);
        for f in &self.frames {
            match f {
                None => out.push(0),
                Some(f) => {
                    out.push(1);
                    out.extend_from_slice(&f.threshold.to_le_bytes());
                    push_logistic(&mut out, &f.logistic);
                }
            }
        }
        out
    }

    /// Reads what [`Model::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return Err(err("not a genre model"));
        }
        let idf = Idf::read(&mut r)?;
        if usize::from(r.take(1)?[0]) != GENRES.len() {
            return Err(err("the model's genre count is not the catalogue's"));
        }
        let (mut genres, mut genre_weights) = (Vec::new(), Vec::new());
        for _ in 0..GENRES.len() {
            let w = r.f32()?;
            if !(w.is_finite() && w > 0.0) {
                return Err(err("a genre's decision weight is not positive"));
            }
            genre_weights.push(w);
            genres.push(read_logistic(&mut r)?);
        }
        if usize::from(r.take(1)?[0]) != FRAMES.len() {
            return Err(err("the model's frame count is not the catalogue's"));
        }
        let mut frames = Vec::new();
        for _ in 0..FRAMES.len() {
            frames.push(match r.take(1)?[0] {
                0 => None,
                1 => {
                    let threshold = r.f32()?;
                    Some(FrameClassifier {
                        threshold,
                        logistic: read_logistic(&mut r)?,
                    })
                }
                _ => return Err(err("bad frame classifier flag")),
            });
        }
        if !r.0.is_empty() {
            return Err(err("bytes after the model"));
        }
        Ok(Model {
            idf,
            genres,
            genre_weights,
            frames,
        })
    }
}

/// What the model says of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Probability of each genre ([`GENRES`] order), summing to 1.
    pub genre: [f32; 3],
    /// The chosen genre (the highest weighted probability).
    pub label: usize,
    /// Calibrated probability of each frame ([`FRAMES`] order; 0 without a classifier).
    pub frames: [f32; 14],
    /// Whether each frame reaches its threshold.
    pub predicted: [bool; 14],
    /// The weighted features every score was computed from.
    pub row: Row,
}

/// Genre probabilities from the one-against-the-rest probabilities, normalised to sum to 1
/// (uniform when all are 0).
pub fn normalise(one_vs_rest: [f32; 3]) -> [f32; 3] {
    let sum: f32 = one_vs_rest.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        one_vs_rest.map(|p| p / sum)
    } else {
        [1.0 / 3.0; 3]
    }
}

/// The genre with the highest weighted probability (ties: the earlier genre).
pub fn decide(probabilities: &[f32; 3], weights: &[f32]) -> usize {
    let mut best = 0;
    for g in 1..probabilities.len() {
        if probabilities[g] * weights[g] > probabilities[best] * weights[best] {
            best = g;
        }
    }
    best
}

/// Scores a document's features.
pub fn score(model: &Model, features: &DocFeatures) -> Scores {
    let row = model.idf.row(&features.hashes, &features.counts);
    let probability = |l: &crate::learn::logistic::Logistic| {
        l.calibrate(l.margin_valued(&row.hashes, &row.values))
    };
    let mut raw = [0f32; 3];
    for (p, l) in raw.iter_mut().zip(&model.genres) {
        *p = probability(l);
    }
    let genre = normalise(raw);
    let label = decide(&genre, &model.genre_weights);
    let mut frames = [0f32; 14];
    let mut predicted = [false; 14];
    for (i, f) in model.frames.iter().enumerate() {
        if let Some(f) = f {
            frames[i] = probability(&f.logistic);
            predicted[i] = frames[i] >= f.threshold;
        }
    }
    Scores {
        genre,
        label,
        frames,
        predicted,
        row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_re_encodes_to_its_own_bytes() {
        let m = embedded().unwrap();
        assert_eq!(m.genres.len(), GENRES.len());
        assert_eq!(m.frames.len(), FRAMES.len());
        assert!(m.to_bytes() == EMBEDDED_MODEL);
        assert!(Model::from_bytes(&EMBEDDED_MODEL[..EMBEDDED_MODEL.len() - 1]).is_err());
        assert!(Model::from_bytes(b"CLGENRE2").is_err());
        assert!(
            Model::from_bytes(b"CLGENRE1\x03").is_err(),
            "the earlier format"
        );
        assert!(Model::from_bytes(b"CLTECH01\x03").is_err());
    }

    #[test]
    fn probabilities_sum_to_one_and_weights_decide() {
        let p = normalise([0.6, 0.3, 0.1]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(decide(&p, &[1.0, 1.0, 1.0]), 0);
        assert_eq!(decide(&p, &[1.0, 3.0, 1.0]), 1);
        assert_eq!(normalise([0.0; 3]), [1.0 / 3.0; 3]);
    }
}
