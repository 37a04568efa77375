//! A greedy averaged perceptron over BIO tags (Collins 2002; Honnibal's greedy tagger).
//!
//! Tokens are tagged left to right. Each token's score for a tag is the sum of its feature
//! weights plus the weights of *history* features (the two previous predicted tags, alone and
//! with the word); an I tag may only continue a span of its own role. Training updates after
//! every wrong token, with the model's own previous predictions as history, so it learns from
//! the mistakes it will make when tagging; the final weights are the average over all updates.
//! Everything is deterministic: fixed data order, a seeded shuffle, no threads.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::Features;
use super::lexicon::CueLexicon;
use super::tags::{allowed, Tag, NTAGS, O};

/// Keys are already FNV hashes; hashing them again would only cost time.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = n as u64;
    }
}

type Weights = HashMap<u32, [f32; NTAGS], BuildHasherDefault<IdentityHasher>>;

/// History features of token `i`: previous tags, alone and with the word feature.
fn history(feats: &Features, i: usize, p1: Tag, p2: Tag) -> [u32; 3] {
    let w0 = feats.of(i).get(1).copied().unwrap_or(0);
    let mix =
        |seed: u32, x: u32| (seed ^ x).wrapping_mul(0x0100_0193).rotate_left(13) ^ 0x9e37_79b9;
    [
        mix(0xA1, p1 as u32),
        mix(mix(0xA2, p1 as u32), p2 as u32),
        mix(mix(0xA3, p1 as u32), w0),
    ]
}

fn add_scores(weights: &Weights, feats: &[u32], hist: &[u32; 3], s: &mut [f32; NTAGS]) {
    *s = [0.0; NTAGS];
    for f in feats.iter().chain(hist) {
        if let Some(w) = weights.get(f) {
            for t in 0..NTAGS {
                s[t] += w[t];
            }
        }
    }
}

/// The best tag allowed after `prev`.
fn best_allowed(s: &[f32; NTAGS], prev: Tag) -> Tag {
    let mut best = O;
    for t in 1..NTAGS {
        if allowed(prev, t as Tag) && s[t] > s[best as usize] {
            best = t as Tag;
        }
    }
    best
}

/// Trained weights, ready for tagging.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: Weights,
    /// The cue lexicon the features were computed with.
    pub lexicon: CueLexicon,
}

impl Model {
    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// Tags a sequence greedily; `scores` receives each token's tag scores (for confidences).
    pub fn tag(&self, feats: &Features, tags: &mut Vec<Tag>, scores: &mut Vec<[f32; NTAGS]>) {
        tags.clear();
        scores.clear();
        let (mut p1, mut p2) = (O, O);
        for i in 0..feats.len() {
            let mut s = [0f32; NTAGS];
            add_scores(
                &self.weights,
                feats.of(i),
                &history(feats, i, p1, p2),
                &mut s,
            );
            let t = best_allowed(&s, p1);
            tags.push(t);
            scores.push(s);
            p2 = p1;
            p1 = t;
        }
    }
}

/// One training sequence: its features and gold tags.
pub struct Example {
    /// Token features.
    pub features: Features,
    /// Gold tag per token.
    pub gold: Vec<Tag>,
}

/// Averaged-perceptron trainer.
#[derive(Default)]
pub struct Trainer {
    w: Weights,
    /// Σ (timestamp × update), for the averaging trick.
    u: Weights,
    c: f32,
}

impl Trainer {
    fn update(&mut self, f: u32, tag: Tag, delta: f32) {
        self.w.entry(f).or_insert([0.0; NTAGS])[tag as usize] += delta;
        self.u.entry(f).or_insert([0.0; NTAGS])[tag as usize] += self.c * delta;
    }

    /// One pass over `examples` in the given order; returns the number of token errors.
    pub fn epoch(&mut self, examples: &[Example], order: &[usize]) -> usize {
        let mut errors = 0;
        let mut s = [0f32; NTAGS];
        for &k in order {
            let ex = &examples[k];
            let (mut p1, mut p2) = (O, O);
            for i in 0..ex.gold.len() {
                self.c += 1.0;
                let hist = history(&ex.features, i, p1, p2);
                add_scores(&self.w, ex.features.of(i), &hist, &mut s);
                let pred = best_allowed(&s, p1);
                // Dynamic oracle: after a missed span start the gold I tag is unreachable;
                // the right move from here is to open the span now.
                let gold = match ex.gold[i] {
                    g if allowed(p1, g) => g,
                    g => super::tags::begin(super::tags::role_of(g).expect("I tags have a role")),
                };
                if pred != gold {
                    errors += 1;
                    for &f in ex.features.of(i).iter().chain(&hist) {
                        self.update(f, gold, 1.0);
                        self.update(f, pred, -1.0);
                    }
                }
                p2 = p1;
                p1 = pred;
            }
        }
        errors
    }

    /// The averaged model; features whose averaged weights are all below `min_weight` in
    /// magnitude are dropped to keep the model small.
    pub fn finish(self, lexicon: CueLexicon, min_weight: f32) -> Model {
        let c = self.c.max(1.0);
        let mut weights = Weights::default();
        for (f, w) in &self.w {
            let u = &self.u[f];
            let mut avg = [0f32; NTAGS];
            for t in 0..NTAGS {
                avg[t] = w[t] - u[t] / c;
            }
            if avg.iter().any(|x| x.abs() >= min_weight) {
                weights.insert(*f, avg);
            }
        }
        Model { weights, lexicon }
    }
}

/// Binary model format, little-endian:
/// `b"CLATTR02"`, lexicon (u32 count, then u16 length + UTF-8 bytes each), weights (u32
/// count, then u32 feature + 7 f32 each, sorted by feature).
const MAGIC: &[u8; 8] = b"CLATTR02";

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFormatError(pub String);

impl std::fmt::Display for ModelFormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "attribution model: {}", self.0)
    }
}

impl std::error::Error for ModelFormatError {}

impl Model {
    /// Serializes the model (deterministic: features sorted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.weights.len() * 32);
        out.extend_from_slice(MAGIC);
        let words = self.lexicon.sorted();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for w in words {
            out.extend_from_slice(&(w.len() as u16).to_le_bytes());
            out.extend_from_slice(w.as_bytes());
        }
        let mut feats: Vec<(&u32, &[f32; NTAGS])> = self.weights.iter().collect();
        feats.sort_unstable_by_key(|(f, _)| **f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, w) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            for x in w {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelFormatError("not a claimlens attribution model".into()));
        }
        let nwords = r.u32()? as usize;
        let mut words = Vec::with_capacity(nwords);
        for _ in 0..nwords {
            let len = r.u16()? as usize;
            let w = std::str::from_utf8(r.take(len)?)
                .map_err(|_| ModelFormatError("lexicon word is not UTF-8".into()))?;
            words.push(w.to_owned());
        }
        let nfeat = r.u32()? as usize;
        let mut weights = Weights::with_capacity_and_hasher(nfeat, Default::default());
        for _ in 0..nfeat {
            let f = r.u32()?;
            let mut w = [0f32; NTAGS];
            for x in &mut w {
                *x = r.f32()?;
            }
            weights.insert(f, w);
        }
        if r.pos != bytes.len() {
            return Err(ModelFormatError("trailing bytes".into()));
        }
        Ok(Model {
            weights,
            lexicon: CueLexicon::new(words),
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFormatError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| ModelFormatError("truncated".into()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, ModelFormatError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, ModelFormatError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, ModelFormatError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(words: &[u32], gold: &[Tag]) -> Example {
        let mut features = Features::default();
        for &w in words {
            features.starts.push(features.values.len());
            features.values.push(w);
            features.values.push(1_000_000); // bias
        }
        features.starts.push(features.values.len());
        Example {
            features,
            gold: gold.to_vec(),
        }
    }

    #[test]
    fn learns_a_separable_toy_problem() {
        // Word 7 is a cue, 8 starts a source, 9 continues content.
        let ex = vec![
            example(&[8, 7, 9, 9, 9, 1], &[1, 3, 5, 6, 6, 0]),
            example(&[1, 8, 7, 9, 9], &[0, 1, 3, 5, 6]),
        ];
        let mut trainer = Trainer::default();
        let mut errors = usize::MAX;
        for _ in 0..20 {
            errors = trainer.epoch(&ex, &[0, 1]);
        }
        assert_eq!(errors, 0);
        let model = trainer.finish(CueLexicon::default(), 0.0);
        let mut scores = Vec::new();
        let mut tags = Vec::new();
        model.tag(&ex[0].features, &mut tags, &mut scores);
        assert_eq!(tags, ex[0].gold);
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).unwrap().to_bytes(), bytes);
    }
}
