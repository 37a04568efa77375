//! A greedy averaged perceptron over BIO tags (Collins 2002; Honnibal's greedy tagger).
//!
//! Tokens are tagged left to right. Each token's score for a tag is the sum of its feature
//! weights plus the weights of *history* features (the two previous predicted tags, alone and
//! with the word); an I tag may only continue a span of its own role. Training updates after
//! every wrong token, with the model's own previous predictions as history, so it learns from
//! the mistakes it will make when tagging; the final weights are the average over all updates.
//! Everything is deterministic: fixed data order, a seeded shuffle, no threads.
//!
//! `N` is the number of tags: `1 + 2 × roles` for span taggers (see [`super::bio`]), or the
//! number of classes for a word-class tagger, whose tags may follow each other freely
//! ([`TagScheme`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::bio::{allowed, begin, role_of, Tag, O};
use super::features::Features;

/// Keys are already FNV hashes, so a full hash function would only cost time. They are
/// 32-bit, though, and the standard `HashMap` (SwissTable) takes its per-slot tag from the
/// *top* 7 bits of the 64-bit hash: a zero-extended key would give every slot the same tag
/// and turn each probe into a row of key comparisons. One multiply by a 64-bit odd constant
/// (Fibonacci hashing) moves the key's entropy into those bits.
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
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(super) type Weights<const N: usize> =
    HashMap<u32, [f32; N], BuildHasherDefault<IdentityHasher>>;

/// History features of token `i`: previous tags, alone and with the word feature.
pub(super) fn history(feats: &Features, i: usize, p1: Tag, p2: Tag) -> [u32; 3] {
    [
        history_previous(p1),
        history_previous_two(p1, p2),
        history_word(p1, word_feature(feats, i)),
    ]
}

/// Token `i`'s word feature (index 1 by convention), which history features combine with.
pub(super) fn word_feature(feats: &Features, i: usize) -> u32 {
    feats.of(i).get(1).copied().unwrap_or(0)
}

fn mix(seed: u32, x: u32) -> u32 {
    (seed ^ x).wrapping_mul(0x0100_0193).rotate_left(13) ^ 0x9e37_79b9
}

/// The [`history`] feature of the previous tag.
pub(super) fn history_previous(p1: Tag) -> u32 {
    mix(0xA1, p1 as u32)
}

/// The [`history`] feature of the two previous tags.
pub(super) fn history_previous_two(p1: Tag, p2: Tag) -> u32 {
    mix(mix(0xA2, p1 as u32), p2 as u32)
}

/// The [`history`] feature of the previous tag with the word feature `w0`.
pub(super) fn history_word(p1: Tag, w0: u32) -> u32 {
    mix(mix(0xA3, p1 as u32), w0)
}

pub(super) fn add_scores<const N: usize>(
    weights: &Weights<N>,
    feats: &[u32],
    hist: &[u32],
    s: &mut [f32; N],
) {
    *s = [0.0; N];
    for f in feats.iter().chain(hist) {
        if let Some(w) = weights.get(f) {
            for t in 0..N {
                s[t] += w[t];
            }
        }
    }
}

/// Every token's summed feature weights (no history), looked up before decoding starts.
///
/// The lookups are cache misses into tables of megabytes; in one loop of their own, with no
/// decision between them, the processor keeps many in flight at once, where interleaved with
/// each token's decision it waited on them a token at a time (`claimlens bench`: the
/// attribution stage 8 % faster, the same scores).
pub(super) fn token_scores<const N: usize>(
    weights: &Weights<N>,
    feats: &Features,
) -> Vec<[f32; N]> {
    (0..feats.len())
        .map(|i| {
            let mut s = [0f32; N];
            add_scores(weights, feats.of(i), &[], &mut s);
            s
        })
        .collect()
}

/// Which tag may follow which.
pub trait TagScheme: Copy {
    /// Whether `next` may follow `prev`.
    fn allowed(self, prev: Tag, next: Tag) -> bool;
}

/// BIO span tags: an I tag only continues a span of its own role ([`allowed`]).
#[derive(Clone, Copy)]
pub struct Bio;

impl TagScheme for Bio {
    #[inline]
    fn allowed(self, prev: Tag, next: Tag) -> bool {
        allowed(prev, next)
    }
}

/// Word classes (parts of speech): any tag may follow any.
#[derive(Clone, Copy)]
pub struct Classes;

impl TagScheme for Classes {
    #[inline]
    fn allowed(self, _: Tag, _: Tag) -> bool {
        true
    }
}

/// The best tag allowed after `prev` (O, or class 0, is always allowed).
fn best_allowed<const N: usize>(scheme: impl TagScheme, s: &[f32; N], prev: Tag) -> Tag {
    let mut best = O;
    for t in 1..N {
        if scheme.allowed(prev, t as Tag) && s[t] > s[best as usize] {
            best = t as Tag;
        }
    }
    best
}

/// Trained weights, ready for tagging, with the word list the features were computed with
/// (a cue lexicon, a gazetteer: whatever the tagger's templates consult).
#[derive(Debug, Clone, Default)]
pub struct Model<const N: usize> {
    pub(super) weights: Weights<N>,
    /// The tagger's word list, stored with the weights.
    pub words: Vec<String>,
    /// The tag-only history features' weights, looked up on the first decoding (greedy or
    /// [`super::beam`]); the weights never change after construction.
    pub(super) history: std::sync::OnceLock<HistoryWeights<N>>,
}

/// The weights of the history features that depend on tags alone (see [`history`]): the
/// previous tag's (index `p1`) and the two previous tags' (index `p1 × N + p2`).
#[derive(Debug, Clone)]
pub(super) struct HistoryWeights<const N: usize> {
    pub(super) previous: Vec<Option<[f32; N]>>,
    pub(super) previous_two: Vec<Option<[f32; N]>>,
}

impl<const N: usize> HistoryWeights<N> {
    pub(super) fn of(weights: &Weights<N>) -> HistoryWeights<N> {
        HistoryWeights {
            previous: (0..N)
                .map(|p1| weights.get(&history_previous(p1 as Tag)).copied())
                .collect(),
            previous_two: (0..N * N)
                .map(|k| {
                    weights
                        .get(&history_previous_two((k / N) as Tag, (k % N) as Tag))
                        .copied()
                })
                .collect(),
        }
    }

    /// Adds the weights of the previous tag `p1` and of the tags `p1, p2` to `s`, in
    /// [`history`]'s order (the word-and-tag feature, which varies by token, comes after).
    pub(super) fn add_tags(&self, p1: Tag, p2: Tag, s: &mut [f32; N]) {
        let (t1, t2) = (p1 as usize, p2 as usize);
        for w in [&self.previous[t1], &self.previous_two[t1 * N + t2]]
            .into_iter()
            .flatten()
        {
            for (x, y) in s.iter_mut().zip(w) {
                *x += y;
            }
        }
    }
}

impl<const N: usize> Model<N> {
    /// Wraps trained weights and the word list they were computed with.
    pub(super) fn from_parts(weights: Weights<N>, words: Vec<String>) -> Model<N> {
        Model {
            weights,
            words,
            history: std::sync::OnceLock::new(),
        }
    }

    /// The tag-only history weights, looked up on first use.
    pub(super) fn history(&self) -> &HistoryWeights<N> {
        self.history
            .get_or_init(|| HistoryWeights::of(&self.weights))
    }

    /// The mean of `models`' weights (a feature missing from one weighs 0 there): several
    /// perceptrons trained on different shuffles of the same examples, averaged, vary less
    /// with the shuffle than any one of them. The word list is the first model's.
    pub fn mean(models: Vec<Model<N>>) -> Model<N> {
        let n = models.len().max(1) as f32;
        let mut weights = Weights::<N>::default();
        let mut words = None;
        for m in models {
            for (f, w) in &m.weights {
                let sum = weights.entry(*f).or_insert([0.0; N]);
                for (s, x) in sum.iter_mut().zip(w) {
                    *s += x / n;
                }
            }
            words.get_or_insert(m.words);
        }
        Model::from_parts(weights, words.unwrap_or_default())
    }

    /// Drops the features whose weights are all below `min_weight` in magnitude.
    pub fn prune(&mut self, min_weight: f32) {
        self.weights
            .retain(|_, w| w.iter().any(|x| x.abs() >= min_weight));
        self.history = std::sync::OnceLock::new();
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// Tags a sequence greedily with BIO tags; `scores` receives each token's tag scores
    /// (for confidences).
    pub fn tag(&self, feats: &Features, tags: &mut Vec<Tag>, scores: &mut Vec<[f32; N]>) {
        self.tag_in(Bio, feats, tags, scores, None);
    }

    /// [`Model::tag`] with `bias[t]` added to every token's score of tag `t` before the
    /// decision (and in `scores`): a positive bias on a role's B and I tags makes the tagger
    /// say that role where it would narrowly have said O, trading precision for recall.
    pub fn tag_biased(
        &self,
        feats: &Features,
        tags: &mut Vec<Tag>,
        scores: &mut Vec<[f32; N]>,
        bias: &[f32; N],
    ) {
        self.tag_in(Bio, feats, tags, scores, Some(bias));
    }

    /// Tags a sequence greedily with word classes (see [`Classes`]).
    pub fn tag_classes(&self, feats: &Features, tags: &mut Vec<Tag>, scores: &mut Vec<[f32; N]>) {
        self.tag_in(Classes, feats, tags, scores, None);
    }

    fn tag_in(
        &self,
        scheme: impl TagScheme,
        feats: &Features,
        tags: &mut Vec<Tag>,
        scores: &mut Vec<[f32; N]>,
        bias: Option<&[f32; N]>,
    ) {
        tags.clear();
        scores.clear();
        let history = self.history();
        let (mut p1, mut p2) = (O, O);
        for (i, base) in token_scores(&self.weights, feats).into_iter().enumerate() {
            // The token's features, then `history`'s three in its order: the same sum as
            // looking all of them up, with the tag-only ones read from the table.
            let mut s = base;
            history.add_tags(p1, p2, &mut s);
            if let Some(w) = self.weights.get(&history_word(p1, word_feature(feats, i))) {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += y;
                }
            }
            if let Some(bias) = bias {
                for (s, b) in s.iter_mut().zip(bias) {
                    *s += b;
                }
            }
            let t = best_allowed(scheme, &s, p1);
            tags.push(t);
            scores.push(s);
            p2 = p1;
            p1 = t;
        }
    }
}

/// Softmax probability of tag `t` among the tags allowed after `prev` (a calibrated-enough
/// confidence). Disallowed tags are left out: decoding never weighs them, so training never
/// corrects their scores.
pub fn probability<const N: usize>(scores: &[f32; N], prev: Tag, t: usize) -> f32 {
    let ok = |k: usize| allowed(prev, k as Tag);
    let max = (0..N)
        .filter(|&k| ok(k))
        .map(|k| scores[k])
        .fold(f32::MIN, f32::max);
    let z: f32 = (0..N)
        .filter(|&k| ok(k))
        .map(|k| (scores[k] - max).exp())
        .sum();
    (scores[t] - max).exp() / z
}

/// One training sequence: its features and gold tags.
pub struct Example {
    /// Token features.
    pub features: Features,
    /// Gold tag per token.
    pub gold: Vec<Tag>,
}

/// Averaged-perceptron trainer.
pub struct Trainer<const N: usize> {
    pub(super) w: Weights<N>,
    /// Σ (timestamp × update), for the averaging trick.
    u: Weights<N>,
    pub(super) c: f32,
}

impl<const N: usize> Default for Trainer<N> {
    fn default() -> Self {
        Trainer {
            w: Weights::default(),
            u: Weights::default(),
            c: 0.0,
        }
    }
}

impl<const N: usize> Trainer<N> {
    pub(super) fn update(&mut self, f: u32, tag: Tag, delta: f32) {
        self.w.entry(f).or_insert([0.0; N])[tag as usize] += delta;
        self.u.entry(f).or_insert([0.0; N])[tag as usize] += self.c * delta;
    }

    /// One pass over `examples` (BIO tags) in the given order; returns the number of token
    /// errors.
    pub fn epoch(&mut self, examples: &[Example], order: &[usize]) -> usize {
        self.epoch_in(Bio, examples, order)
    }

    fn epoch_in(&mut self, scheme: impl TagScheme, examples: &[Example], order: &[usize]) -> usize {
        let mut errors = 0;
        let mut s = [0f32; N];
        for &k in order {
            let ex = &examples[k];
            let (mut p1, mut p2) = (O, O);
            for i in 0..ex.gold.len() {
                self.c += 1.0;
                let hist = history(&ex.features, i, p1, p2);
                add_scores(&self.w, ex.features.of(i), &hist, &mut s);
                let pred = best_allowed(scheme, &s, p1);
                // Dynamic oracle: after a missed span start the gold I tag is unreachable;
                // the right move from here is to open the span now.
                let gold = match ex.gold[i] {
                    g if scheme.allowed(p1, g) => g,
                    g => begin(role_of(g).expect("I tags have a role")),
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
    pub fn finish(self, words: Vec<String>, min_weight: f32) -> Model<N> {
        let c = self.c.max(1.0);
        let mut weights = Weights::default();
        for (f, w) in &self.w {
            let u = &self.u[f];
            let mut avg = [0f32; N];
            for t in 0..N {
                avg[t] = w[t] - u[t] / c;
            }
            if avg.iter().any(|x| x.abs() >= min_weight) {
                weights.insert(*f, avg);
            }
        }
        Model::from_parts(weights, words)
    }
}

/// Trains for `epochs` passes over `examples`, reshuffled before each pass with a seeded
/// (deterministic) shuffle; `progress(epoch, token_errors, tokens)` after each pass.
pub fn train_epochs<const N: usize>(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    progress: impl FnMut(usize, usize, usize),
) -> Trainer<N> {
    run_epochs(examples, epochs, seed, progress, |t, ex, order| {
        t.epoch(ex, order)
    })
}

/// [`train_epochs`] for a word-class tagger ([`Classes`]: no transition constraints).
pub fn train_epochs_classes<const N: usize>(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    progress: impl FnMut(usize, usize, usize),
) -> Trainer<N> {
    run_epochs(examples, epochs, seed, progress, |t, ex, order| {
        t.epoch_in(Classes, ex, order)
    })
}

/// The epoch loop shared by greedy and beam training: `pass` makes one pass in the given
/// order and returns its errors.
pub(super) fn run_epochs<const N: usize>(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    mut progress: impl FnMut(usize, usize, usize),
    mut pass: impl FnMut(&mut Trainer<N>, &[Example], &[usize]) -> usize,
) -> Trainer<N> {
    let total: usize = examples.iter().map(|e| e.gold.len()).sum();
    let mut trainer = Trainer::<N>::default();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = seed;
    for epoch in 0..epochs {
        super::shuffle(&mut order, &mut rng);
        let errors = pass(&mut trainer, examples, &order);
        progress(epoch + 1, errors, total);
    }
    trainer
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFormatError(pub String);

impl std::fmt::Display for ModelFormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "model file: {}", self.0)
    }
}

impl std::error::Error for ModelFormatError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_of_models_averages_each_weight_and_pruning_drops_the_small() {
        let model = |pairs: &[(u32, [f32; 3])]| {
            let mut w = Weights::<3>::default();
            for (f, x) in pairs {
                w.insert(*f, *x);
            }
            Model::from_parts(w, vec!["a".into()])
        };
        let a = model(&[(1, [3.0, 0.0, -3.0]), (2, [0.9, 0.0, 0.0])]);
        let b = model(&[(1, [1.0, 0.0, 1.0])]);
        let mut m = Model::mean(vec![a, b]);
        assert_eq!(m.weights[&1], [2.0, 0.0, -1.0]);
        assert_eq!(m.weights[&2], [0.45, 0.0, 0.0], "missing from one: 0 there");
        assert_eq!(m.words, vec!["a".to_string()]);
        m.prune(0.5);
        assert_eq!(m.feature_count(), 1);
        assert!(m.weights.contains_key(&1));
    }

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
    fn learns_a_separable_toy_problem_and_round_trips() {
        // Word 7 is role 1, 8 starts role 0, 9 continues role 2.
        let ex = vec![
            example(&[8, 7, 9, 9, 9, 1], &[1, 3, 5, 6, 6, 0]),
            example(&[1, 8, 7, 9, 9], &[0, 1, 3, 5, 6]),
        ];
        let mut trainer = Trainer::<7>::default();
        let mut errors = usize::MAX;
        for _ in 0..20 {
            errors = trainer.epoch(&ex, &[0, 1]);
        }
        assert_eq!(errors, 0);
        let model = trainer.finish(vec!["b".into(), "a".into()], 0.0);
        let (mut scores, mut tags) = (Vec::new(), Vec::new());
        model.tag(&ex[0].features, &mut tags, &mut scores);
        assert_eq!(tags, ex[0].gold);
        let bytes = model.to_bytes(b"TESTMDL1");
        let back = Model::<7>::from_bytes(&bytes, b"TESTMDL1").unwrap();
        assert_eq!(back.to_bytes(b"TESTMDL1"), bytes);
        assert_eq!(back.words, vec!["a", "b"]);
        assert!(Model::<7>::from_bytes(&bytes, b"OTHERMDL").is_err());
        assert!(Model::<7>::from_bytes(&bytes[..bytes.len() - 1], b"TESTMDL1").is_err());
    }

    #[test]
    fn probability_is_a_distribution() {
        let s = [1.0f32, 2.0, 9.0];
        let total: f32 = (0..3).map(|t| probability(&s, 1, t)).sum();
        assert!((total - 1.0).abs() < 1e-5);
        // After O the I tag (2) is not allowed: it takes no probability mass.
        let after_o: f32 = (0..2).map(|t| probability(&s, O, t)).sum();
        assert!((after_o - 1.0).abs() < 1e-5);
    }
}
