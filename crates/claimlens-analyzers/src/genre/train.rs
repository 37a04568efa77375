//! Training the genre and frames model on labelled articles, deterministically, every
//! choice made on folds of the training articles only:
//!
//! 1. the articles are split into [`TrainOptions::inner_folds`] folds by their group (a hash
//!    of the article id, [`crate::techniques::train::fold`], as the techniques model folds
//!    them); each fold is scored by regressions trained on the other folds;
//! 2. per genre and per frame, a Platt map fitted on those held-out margins;
//! 3. genre: the decision weights (one per rare genre, from [`WEIGHT_GRID`]) that maximise
//!    macro-F1 of the held-out labels, the task's measure; frames: per frame the threshold
//!    that maximises micro-F1 over all frames (the task's measure), by the coordinate ascent
//!    the techniques model uses for its paragraph thresholds;
//! 4. the final regressions trained on all articles, with those maps and choices.
//!
//! Each training part weighs its articles' features by its own document frequencies
//! ([`Idf`]: the inner folds never see the held-out fold's vocabulary). Every regression is
//! pruned to its [`TrainOptions::keep`] strongest weights ([`Logistic::prune`]), in the
//! folds as in the final model, so the calibration is fitted to models like the shipped one,
//! and the shipped one stays small.

use super::catalogue::{FRAMES, GENRES};
use super::model::{decide, normalise, FrameClassifier, Model};
use super::weighting::{Idf, Row};
use crate::learn::logistic::{self, Logistic, LogisticOptions, ValuedExample};
use crate::techniques::train::{choose_thresholds, fold};

/// One labelled article.
#[derive(Debug, Clone)]
pub struct TrainingDoc {
    /// Its distinct feature hashes ([`super::features::extract`]).
    pub features: Vec<u32>,
    /// How often each occurs.
    pub counts: Vec<f32>,
    /// Its genre ([`GENRES`] index), when labelled.
    pub genre: Option<u8>,
    /// Its frames (bit f: [`FRAMES`] index f), when labelled.
    pub frames: Option<u32>,
    /// A hash of the article id: decides the fold.
    pub group: u64,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// The learner's settings (its `l2` is replaced by `penalty` over the article count).
    pub learner: LogisticOptions,
    /// The L2 penalty as scikit-learn's `1 / C`: the whole penalty `penalty · ||w||² / 2`
    /// is spread over an epoch's articles.
    pub penalty: f32,
    /// Folds of the training articles on which calibration and decisions are chosen.
    pub inner_folds: usize,
    /// A frame needs this many positive articles for a classifier.
    pub min_positive: usize,
    /// Features used by fewer training articles are dropped.
    pub min_doc_count: u32,
    /// Weights kept per regression ([`Logistic::prune`]).
    pub keep: usize,
    /// Weigh each class's articles so that both sides of a regression count equally (the
    /// genres are 88% opinion).
    pub balance: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            learner: LogisticOptions {
                bits: 16,
                epochs: 30,
                rate: 0.5,
                ..LogisticOptions::default()
            },
            penalty: 1.0,
            inner_folds: 3,
            min_positive: 8,
            min_doc_count: 8,
            keep: 10_000,
            balance: true,
        }
    }
}

/// Whether an article has a label (a genre, a frame): what one regression learns.
type Labeller = Box<dyn Fn(&TrainingDoc) -> bool>;

/// The weights a rare genre's probability may be multiplied by when choosing the label.
pub const WEIGHT_GRID: [f32; 9] = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0];

/// Model name, as every annotation's reason gives it.
pub const MODEL_NAME: &str = "logistic:semeval2023-en-train+platt:inner-folds";

/// The weighting (document frequencies) fitted on `docs`.
fn fit_idf<'a>(docs: impl IntoIterator<Item = &'a TrainingDoc>, opts: &TrainOptions) -> Idf {
    Idf::fit(
        docs.into_iter().map(|d| d.features.as_slice()),
        opts.learner.bits,
        opts.min_doc_count,
    )
}

/// The weighted rows of `docs`.
fn rows_of(idf: &Idf, docs: &[&TrainingDoc]) -> Vec<Row> {
    docs.iter()
        .map(|d| idf.row(&d.features, &d.counts))
        .collect()
}

/// A regression on `docs` (weighted as `rows`) for the label `positive` says, pruned.
fn fit(
    docs: &[&TrainingDoc],
    rows: &[Row],
    positive: &dyn Fn(&TrainingDoc) -> bool,
    opts: &TrainOptions,
) -> Logistic {
    let pos = docs.iter().filter(|d| positive(d)).count().max(1) as f32;
    let neg = (docs.len() as f32 - pos).max(1.0);
    let examples: Vec<ValuedExample> = docs
        .iter()
        .zip(rows)
        .map(|(d, row)| {
            let p = positive(d);
            ValuedExample {
                features: row.hashes.clone(),
                values: row.values.clone(),
                positive: p,
                weight: match (opts.balance, p) {
                    (false, _) => 1.0,
                    (true, true) => (docs.len() as f32 / (2.0 * pos)).min(20.0),
                    (true, false) => (docs.len() as f32 / (2.0 * neg)).min(20.0),
                },
            }
        })
        .collect();
    let learner = LogisticOptions {
        l2: opts.penalty / docs.len().max(1) as f32,
        ..opts.learner
    };
    let mut m = logistic::train_valued(&examples, &learner, MODEL_NAME);
    m.prune(opts.keep);
    m
}

/// Per label function: the held-out margin of every doc (trained on the other inner folds).
fn held_out_margins(
    docs: &[&TrainingDoc],
    labels: &[&dyn Fn(&TrainingDoc) -> bool],
    opts: &TrainOptions,
) -> Vec<Vec<f32>> {
    let k = opts.inner_folds.max(2);
    let mut margins = vec![vec![0f32; docs.len()]; labels.len()];
    for f in 0..k {
        let train: Vec<&TrainingDoc> = docs
            .iter()
            .copied()
            .filter(|d| fold(d.group, k) != f)
            .collect();
        let idf = fit_idf(train.iter().copied(), opts);
        let rows = rows_of(&idf, &train);
        // The held-out fold's rows, weighed once for every label's regression.
        let held_out: Vec<(usize, Row)> = (0..docs.len())
            .filter(|&i| fold(docs[i].group, k) == f)
            .map(|i| (i, idf.row(&docs[i].features, &docs[i].counts)))
            .collect();
        for (t, label) in labels.iter().enumerate() {
            let m = fit(&train, &rows, *label, opts);
            for (i, row) in &held_out {
                margins[t][*i] = m.margin_valued(&row.hashes, &row.values);
            }
        }
    }
    margins
}

/// Macro-F1 over `n` classes of predicted against gold class indices.
pub fn macro_f1(predicted: &[usize], gold: &[usize], n: usize) -> f64 {
    let f1s: Vec<f64> = (0..n)
        .map(|c| {
            let tp = predicted
                .iter()
                .zip(gold)
                .filter(|(p, g)| **p == c && **g == c)
                .count();
            let pred = predicted.iter().filter(|p| **p == c).count();
            let gold = gold.iter().filter(|g| **g == c).count();
            2.0 * tp as f64 / (pred + gold).max(1) as f64
        })
        .collect();
    f1s.iter().sum::<f64>() / n as f64
}

/// The decision weights (opinion fixed at 1) that maximise macro-F1 of the held-out
/// `probabilities` against `gold`; ties go to the weights nearest 1.
fn choose_weights(probabilities: &[[f32; 3]], gold: &[usize]) -> Vec<f32> {
    let mut best = (f64::MIN, f32::MAX, vec![1.0; 3]);
    for &r in &WEIGHT_GRID {
        for &s in &WEIGHT_GRID {
            let w = vec![1.0, r, s];
            let pred: Vec<usize> = probabilities.iter().map(|p| decide(p, &w)).collect();
            let f1 = macro_f1(&pred, gold, GENRES.len());
            let distance = r.ln().abs() + s.ln().abs();
            if f1 > best.0 + 1e-12 || ((f1 - best.0).abs() <= 1e-12 && distance < best.1) {
                best = (f1, distance, w);
            }
        }
    }
    best.2
}

/// Trains the model (see the module docs).
pub fn train(docs: &[TrainingDoc], opts: &TrainOptions) -> Model {
    // Genres.
    let labelled: Vec<&TrainingDoc> = docs.iter().filter(|d| d.genre.is_some()).collect();
    let is = |g: usize| move |d: &TrainingDoc| d.genre == Some(g as u8);
    let (g0, g1, g2) = (is(0), is(1), is(2));
    let genre_labels: [&dyn Fn(&TrainingDoc) -> bool; 3] = [&g0, &g1, &g2];
    let margins = held_out_margins(&labelled, &genre_labels, opts);
    let calibrations: Vec<logistic::Calibration> = (0..GENRES.len())
        .map(|g| {
            let held: Vec<(f32, bool)> = labelled
                .iter()
                .enumerate()
                .map(|(i, d)| (margins[g][i], genre_labels[g](d)))
                .collect();
            logistic::fit_platt(&held)
        })
        .collect();
    let probabilities: Vec<[f32; 3]> = (0..labelled.len())
        .map(|i| normalise([0, 1, 2].map(|g| calibrations[g].apply(margins[g][i]))))
        .collect();
    let gold: Vec<usize> = labelled
        .iter()
        .map(|d| usize::from(d.genre.unwrap_or(0)))
        .collect();
    let genre_weights = choose_weights(&probabilities, &gold);
    let idf = fit_idf(docs, opts);
    let rows = rows_of(&idf, &labelled);
    let genres = (0..GENRES.len())
        .map(|g| {
            let mut m = fit(&labelled, &rows, genre_labels[g], opts);
            m.calibration = calibrations[g].clone();
            m
        })
        .collect();

    // Frames.
    let labelled: Vec<&TrainingDoc> = docs.iter().filter(|d| d.frames.is_some()).collect();
    let has = |f: usize| move |d: &TrainingDoc| d.frames.unwrap_or(0) >> f & 1 == 1;
    let frame_fns: Vec<Labeller> = (0..FRAMES.len())
        .map(|f| Box::new(has(f)) as Labeller)
        .collect();
    let active: Vec<bool> = frame_fns
        .iter()
        .map(|l| labelled.iter().filter(|d| l(d)).count() >= opts.min_positive)
        .collect();
    let frame_labels: Vec<&dyn Fn(&TrainingDoc) -> bool> = frame_fns
        .iter()
        .zip(&active)
        .filter(|(_, a)| **a)
        .map(|(l, _)| l.as_ref())
        .collect();
    let margins = held_out_margins(&labelled, &frame_labels, opts);
    let mut calibrations = vec![None; FRAMES.len()];
    let mut scores = vec![vec![0f32; labelled.len()]; FRAMES.len()];
    for (t, f) in (0..FRAMES.len()).filter(|&f| active[f]).enumerate() {
        let held: Vec<(f32, bool)> = labelled
            .iter()
            .enumerate()
            .map(|(i, d)| (margins[t][i], frame_fns[f](d)))
            .collect();
        let c = logistic::fit_platt(&held);
        for (i, s) in scores[f].iter_mut().enumerate() {
            *s = c.apply(margins[t][i]);
        }
        calibrations[f] = Some(c);
    }
    let gold: Vec<u32> = labelled.iter().map(|d| d.frames.unwrap_or(0)).collect();
    let thresholds = choose_thresholds(&scores, &gold, &vec![0; gold.len()], &active);
    let rows = rows_of(&idf, &labelled);
    let frames = (0..FRAMES.len())
        .map(|f| {
            let calibration = calibrations[f].clone()?;
            let mut logistic = fit(&labelled, &rows, frame_fns[f].as_ref(), opts);
            logistic.calibration = calibration;
            Some(FrameClassifier {
                logistic,
                threshold: thresholds[f],
            })
        })
        .collect();
    Model {
        idf,
        genres,
        genre_weights,
        frames,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_counts_every_class() {
        assert_eq!(macro_f1(&[0, 1, 2], &[0, 1, 2], 3), 1.0);
        // Class 2 never predicted nor gold: F1 0 (the task averages over all three).
        let f = macro_f1(&[0, 0, 1], &[0, 1, 1], 3);
        assert!((f - (2.0 / 3.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9, "{f}");
    }

    #[test]
    fn trains_deterministically_on_separable_toy_data() {
        // Genre by feature 1/2/3; frame 0 by feature 10.
        let docs: Vec<TrainingDoc> = (0..90u64)
            .map(|i| {
                let g = (i % 3) as u8;
                let frame = i % 2 == 0;
                let mut features = vec![u32::from(g) + 1, 100 + (i % 7) as u32];
                if frame {
                    features.push(10);
                }
                TrainingDoc {
                    counts: vec![1.0; features.len()],
                    features,
                    genre: Some(g),
                    frames: Some(u32::from(frame)),
                    // Folds independent of the genre (i % 3) and of the frame (i % 2).
                    group: i / 6,
                }
            })
            .collect();
        let opts = TrainOptions {
            learner: LogisticOptions {
                bits: 10,
                ..TrainOptions::default().learner
            },
            ..TrainOptions::default()
        };
        let m = train(&docs, &opts);
        assert_eq!(m, train(&docs, &opts));
        let f = |v: Vec<u32>| super::super::features::DocFeatures {
            counts: vec![1.0; v.len()],
            hashes: v,
            names: Vec::new(),
        };
        let s = super::super::model::score(&m, &f(vec![2, 10]));
        assert_eq!(s.label, 1);
        assert!(s.predicted[0]);
        assert!(!s.predicted[1], "too few examples: no classifier");
        let s = super::super::model::score(&m, &f(vec![3]));
        assert_eq!(s.label, 2);
        assert!(!s.predicted[0]);
    }
}
