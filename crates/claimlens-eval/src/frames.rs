//! Frames (SemEval-2023 Task 3 subtask 2): which of the fourteen frames an article uses,
//! scored per (article, frame) pair as the task does — micro-F1 over all pairs (the task's
//! measure) and macro-F1 over frames — for the model, or with `folds` for models trained
//! on the other folds (calibration and thresholds included), beside TF-IDF + logistic
//! regression (plain, and with balanced class weights; a frame is predicted at probability
//! 0.5) trained on the same folds. Data and folds are [`crate::genre`]'s.

use std::fmt::{self, Write};
use std::path::{Path, PathBuf};

use claimlens_analyzers::genre::catalogue::FRAMES;
use claimlens_analyzers::genre::model::{self, Model};
use claimlens_analyzers::genre::train::{self, TrainOptions, TrainingDoc};
use serde::Serialize;

use crate::calibration::Calibration;
use crate::genre::{outer_folds, prepare, skipped, tfidf_rows, ClassRow, Data};
use crate::{tfidf, Counts, Report};

/// Scores of one frames classifier.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrameScores {
    /// What it is.
    pub system: String,
    /// Micro counts over all (article, frame) pairs.
    pub micro: Counts,
    /// Micro-F1 (the task's measure).
    pub micro_f1: f64,
    /// Mean F1 over the frames.
    pub macro_f1: f64,
    /// Per frame.
    pub per_frame: Vec<ClassRow>,
}

fn frame_scores(system: &str, pairs: &[(u32, u32)]) -> FrameScores {
    let per_frame: Vec<ClassRow> = FRAMES
        .iter()
        .enumerate()
        .map(|(f, name)| {
            let mut c = Counts::default();
            for &(p, g) in pairs {
                c.record(p >> f & 1 == 1, g >> f & 1 == 1);
            }
            ClassRow::of(name, c)
        })
        .collect();
    let mut micro = Counts::default();
    for r in &per_frame {
        micro.add(r.counts);
    }
    FrameScores {
        system: system.to_owned(),
        micro,
        micro_f1: micro.f1(),
        macro_f1: per_frame.iter().map(|r| r.f1).sum::<f64>() / FRAMES.len() as f64,
        per_frame,
    }
}

/// A frames evaluation's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FramesReport {
    /// What was scored.
    pub mode: String,
    /// The articles folder.
    pub articles_dir: PathBuf,
    /// Articles with frame labels.
    pub articles: usize,
    /// Gold (article, frame) pairs.
    pub gold_pairs: u64,
    /// Labels naming no known frame (skipped).
    pub unknown_labels: usize,
    /// Labelled articles missing from the folder (skipped).
    pub missing_articles: usize,
    /// claimlens first, then the baselines.
    pub systems: Vec<FrameScores>,
    /// Reliability of the reported scores: every frame annotation's probability (right:
    /// the article has the frame).
    pub reported: Calibration,
    /// The same over every (article, frame) probability, reported or not.
    pub all_pairs: Calibration,
}

/// Scores the frames of every labelled article (see the module docs).
pub fn evaluate_frames(
    data: &Data,
    dir: &Path,
    model: Option<&Model>,
    folds: usize,
    opts: &TrainOptions,
    log: &dyn Fn(&str),
) -> FramesReport {
    let p = prepare(data);
    let gold_of = |i: usize| data.articles[i].frames.unwrap_or(0);
    let labelled = |i: &usize| data.articles[*i].frames.is_some();
    let bits = |v: &[bool; 14]| {
        v.iter()
            .enumerate()
            .fold(0u32, |b, (f, on)| b | u32::from(*on) << f)
    };
    // Per system: (predicted bits, gold bits).
    let mut ours: Vec<(u32, u32)> = Vec::new();
    let mut base: [Vec<(u32, u32)>; 2] = Default::default();
    let (mut reported, mut all_pairs) = (Calibration::default(), Calibration::default());
    let mut tally = |s: &model::Scores, gold: u32| {
        for f in 0..FRAMES.len() {
            let right = gold >> f & 1 == 1;
            if s.predicted[f] {
                reported.add(s.frames[f], right);
            }
            all_pairs.add(s.frames[f], right);
        }
    };
    let mode = match model {
        Some(m) => {
            for i in (0..data.articles.len()).filter(labelled) {
                let s = model::score(m, &p.features[i]);
                tally(&s, gold_of(i));
                ours.push((bits(&s.predicted), gold_of(i)));
            }
            "embedded model (its own training data measures fit, not accuracy)".to_owned()
        }
        None => {
            let k = folds.max(2);
            for (f, (train_idx, test_idx)) in outer_folds(&p, k).into_iter().enumerate() {
                let train_idx: Vec<usize> = train_idx.into_iter().filter(labelled).collect();
                let test_idx: Vec<usize> = test_idx.into_iter().filter(labelled).collect();
                let set: Vec<TrainingDoc> =
                    train_idx.iter().map(|&i| p.training[i].clone()).collect();
                let m = train::train(&set, opts);
                for &i in &test_idx {
                    let s = model::score(&m, &p.features[i]);
                    tally(&s, gold_of(i));
                    ours.push((bits(&s.predicted), gold_of(i)));
                }
                let (tr, te, width) = tfidf_rows(&p, &train_idx, &test_idx);
                for (b, balanced) in [false, true].into_iter().enumerate() {
                    let mut predicted = vec![0u32; test_idx.len()];
                    for fr in 0..FRAMES.len() {
                        let y: Vec<bool> = train_idx
                            .iter()
                            .map(|&i| gold_of(i) >> fr & 1 == 1)
                            .collect();
                        let lr = tfidf::train(&tr, &y, width, balanced);
                        for (row, bits) in te.iter().zip(&mut predicted) {
                            if lr.probability(row) >= 0.5 {
                                *bits |= 1 << fr;
                            }
                        }
                    }
                    base[b].extend(
                        predicted
                            .into_iter()
                            .zip(test_idx.iter().map(|&i| gold_of(i))),
                    );
                }
                log(&format!(
                    "fold {} of {k}: {} held-out articles",
                    f + 1,
                    test_idx.len()
                ));
            }
            format!("{k}-fold cross-validation by article")
        }
    };
    let mut systems = vec![frame_scores("claimlens", &ours)];
    for (name, b) in [
        "TF-IDF + logistic regression",
        "TF-IDF + LR, balanced classes",
    ]
    .into_iter()
    .zip(&base)
    {
        if !b.is_empty() {
            systems.push(frame_scores(name, b));
        }
    }
    FramesReport {
        reported,
        all_pairs,
        mode,
        articles_dir: dir.to_owned(),
        articles: ours.len(),
        gold_pairs: ours.iter().map(|o| u64::from(o.1.count_ones())).sum(),
        unknown_labels: data.unknown_labels,
        missing_articles: data.missing_articles,
        systems,
    }
}

impl Report for FramesReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(
            out,
            "frames on {} ({}; {} articles, {} gold article-frame pairs{})",
            self.articles_dir.display(),
            self.mode,
            self.articles,
            self.gold_pairs,
            skipped(self.unknown_labels, self.missing_articles)
        )?;
        for s in &self.systems {
            writeln!(
                out,
                "  {:<32} micro P {:.3} R {:.3} F1 {:.3}   macro-F1 {:.3}   (tp {} fp {} fn {})",
                s.system,
                s.micro.precision(),
                s.micro.recall(),
                s.micro_f1,
                s.macro_f1,
                s.micro.tp,
                s.micro.fp,
                s.micro.fn_
            )?;
        }
        write!(
            out,
            "  {:<46} {:>5} {:>5} {:>5} {:>6}",
            "frame (claimlens)", "tp", "fp", "fn", "F1"
        )?;
        for s in &self.systems[1..] {
            write!(
                out,
                "  {:>10}",
                format!(
                    "F1 {}",
                    if s.system.contains("balanced") {
                        "bal."
                    } else {
                        "LR"
                    }
                )
            )?;
        }
        writeln!(out)?;
        for (f, r) in self.systems[0].per_frame.iter().enumerate() {
            write!(
                out,
                "  {:<46} {:>5} {:>5} {:>5} {:>6.3}",
                r.label, r.counts.tp, r.counts.fp, r.counts.fn_, r.f1
            )?;
            for s in &self.systems[1..] {
                write!(out, "  {:>10.3}", s.per_frame[f].f1)?;
            }
            writeln!(out)?;
        }
        writeln!(
            out,
            "reported frame scores (right: the article has the frame): {}",
            self.reported
        )?;
        writeln!(
            out,
            "every (article, frame) probability: {}",
            self.all_pairs
        )
    }

    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micro_and_macro_over_article_frame_pairs() {
        // Article 1: gold {0, 1}, predicted {0}; article 2: gold {2}, predicted {2, 3}.
        let s = frame_scores("x", &[(0b1, 0b11), (0b1100, 0b100)]);
        assert_eq!((s.micro.tp, s.micro.fp, s.micro.fn_), (2, 1, 1));
        assert!((s.micro_f1 - 2.0 / 3.0).abs() < 1e-9);
        // Frames 0 and 2 have F1 1, frames 1 and 3 have F1 0, the other ten 0.
        assert!((s.macro_f1 - 2.0 / 14.0).abs() < 1e-9);
    }
}
