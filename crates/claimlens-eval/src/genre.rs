//! Genre and frames on SemEval-2023 Task 3 (subtasks 1 and 2) data.
//!
//! * [`read`]: a folder of `article<ID>.txt` files with the genre labels
//!   (`ID<TAB>opinion|reporting|satire`) and/or the frame labels (`ID<TAB>Frame,Frame,…`).
//! * [`prepare`]: the articles segmented, with their features for the model and their words
//!   for the TF-IDF baseline.
//! * [`evaluate_genre`]: the genre decided by a model, or with `folds` by models trained
//!   (calibration and decision weights included) on the other folds of articles, folded by
//!   the hash of the article id the techniques evaluation uses; beside it, on the same
//!   folds, TF-IDF + logistic regression (plain and with balanced class weights) and the
//!   majority genre of the training part. Macro-F1 is the task's measure.
//! * [`crate::frames::evaluate_frames`]: the same for frames (micro-F1 is the task's
//!   measure).

use std::collections::BTreeMap;
use std::fmt::{self, Write};
use std::path::{Path, PathBuf};

use claimlens_analyzers::genre::catalogue::{frame_index, genre_index, GENRES};
use claimlens_analyzers::genre::features::{extract, DocFeatures};
use claimlens_analyzers::genre::model::{self, Model};
use claimlens_analyzers::genre::train::{self, TrainOptions, TrainingDoc};
use claimlens_analyzers::techniques::train::fold;
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Stage};
use serde::Serialize;

use crate::calibration::Calibration;
use crate::techniques::group_of;
use crate::tfidf::{self, Row, TfIdf};
use crate::{Counts, EvalError, Report};

/// The model embedded in the binary.
pub fn embedded_model() -> Result<&'static Model, EvalError> {
    Ok(model::embedded()?)
}

/// One article with its labels.
#[derive(Debug, Clone)]
pub struct Article {
    /// The `ID` of `article<ID>.txt`.
    pub id: String,
    /// The file's text.
    pub text: String,
    /// Its genre ([`GENRES`] index), when labelled.
    pub genre: Option<u8>,
    /// Its frames (bit f: frame f), when labelled.
    pub frames: Option<u32>,
}

/// A labelled folder.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Articles with at least one label, in id order.
    pub articles: Vec<Article>,
    /// Labels naming no genre or frame of the catalogue (skipped).
    pub unknown_labels: usize,
    /// Labelled ids without an article file in the folder (skipped; the training labels
    /// name 7 such articles).
    pub missing_articles: usize,
}

fn read_text(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))
}

/// `ID<TAB>labels` rows of a label file, in file order, with their line numbers.
fn rows(path: &Path) -> Result<Vec<(usize, String, String)>, EvalError> {
    let mut out = Vec::new();
    for (i, row) in read_text(path)?.lines().enumerate() {
        if row.trim().is_empty() {
            continue;
        }
        let Some((id, labels)) = row.split_once('\t') else {
            return Err(EvalError::Format {
                path: path.to_owned(),
                line: i as u64 + 1,
                message: "expected ID<TAB>labels".into(),
            });
        };
        out.push((i + 1, id.trim().to_owned(), labels.trim().to_owned()));
    }
    Ok(out)
}

/// Reads the articles of `articles` that `genres` (`ID<TAB>genre`) or `frames`
/// (`ID<TAB>Frame,Frame`) label. An unknown genre or frame name is counted and skipped.
pub fn read(
    articles: &Path,
    genres: Option<&Path>,
    frames: Option<&Path>,
) -> Result<Data, EvalError> {
    if !articles.is_dir() {
        return Err(EvalError::MissingData(articles.to_owned()));
    }
    let mut labels: BTreeMap<String, (Option<u8>, Option<u32>)> = BTreeMap::new();
    let mut unknown = 0;
    if let Some(path) = genres {
        for (line, id, label) in rows(path)? {
            let slot = &mut labels.entry(id).or_default().0;
            match genre_index(&label) {
                Some(g) => *slot = Some(g as u8),
                None if label.contains(',') => {
                    return Err(EvalError::Format {
                        path: path.to_owned(),
                        line: line as u64,
                        message: format!("`{label}`: one genre per article"),
                    })
                }
                None => unknown += 1,
            }
        }
    }
    if let Some(path) = frames {
        for (_, id, names) in rows(path)? {
            let mut bits = 0u32;
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match frame_index(name) {
                    Some(f) => bits |= 1 << f,
                    None => unknown += 1,
                }
            }
            labels.entry(id).or_default().1 = Some(bits);
        }
    }
    let mut out = Data {
        unknown_labels: unknown,
        ..Data::default()
    };
    for (id, (genre, frames)) in labels {
        if genre.is_none() && frames.is_none() {
            continue;
        }
        let path = articles.join(format!("article{id}.txt"));
        if !path.exists() {
            out.missing_articles += 1;
            continue;
        }
        let text = read_text(&path)?;
        out.articles.push(Article {
            id,
            text,
            genre,
            frames,
        });
    }
    Ok(out)
}

/// The articles made ready for training and scoring, index for index with the data.
pub struct Prepared {
    /// The model's features.
    pub features: Vec<DocFeatures>,
    /// The trainer's view.
    pub training: Vec<TrainingDoc>,
    /// Lowercased words, for the TF-IDF baseline.
    pub words: Vec<Vec<String>>,
}

/// Segments every article and extracts its features (see [`Prepared`]).
pub fn prepare(data: &Data) -> Prepared {
    let mut p = Prepared {
        features: Vec::new(),
        training: Vec::new(),
        words: Vec::new(),
    };
    for a in &data.articles {
        let mut doc = Doc::new(a.id.clone(), a.text.clone());
        Segmenter.run(&mut doc);
        let f = extract(&doc);
        p.training.push(TrainingDoc {
            features: f.hashes.clone(),
            counts: f.counts.clone(),
            genre: a.genre,
            frames: a.frames,
            group: group_of(&a.id),
        });
        p.words.push(tfidf::words(&doc));
        p.features.push(f);
    }
    p
}

/// The outer folds: per fold, the indices of the training and the held-out articles.
pub fn outer_folds(p: &Prepared, k: usize) -> Vec<(Vec<usize>, Vec<usize>)> {
    (0..k)
        .map(|f| (0..p.training.len()).partition(|&i| fold(p.training[i].group, k) != f))
        .collect()
}

/// TF-IDF rows of the held-out articles and of the training ones, fitted on the latter.
pub fn tfidf_rows(p: &Prepared, train: &[usize], test: &[usize]) -> (Vec<Row>, Vec<Row>, usize) {
    let refs: Vec<&[String]> = train.iter().map(|&i| p.words[i].as_slice()).collect();
    let v = TfIdf::fit(&refs);
    let rows = |idx: &[usize]| idx.iter().map(|&i| v.row(&p.words[i])).collect();
    (rows(train), rows(test), v.width())
}

/// One class's row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClassRow {
    /// Genre or frame name.
    pub label: &'static str,
    /// Counts.
    pub counts: Counts,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl ClassRow {
    /// The row of `counts`.
    pub fn of(label: &'static str, counts: Counts) -> ClassRow {
        ClassRow {
            label,
            counts,
            precision: counts.precision(),
            recall: counts.recall(),
            f1: counts.f1(),
        }
    }
}

/// Scores of one genre classifier.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenreScores {
    /// What it is.
    pub system: String,
    /// Macro-F1 over the three genres (the task's measure).
    pub macro_f1: f64,
    /// Share of articles labelled right.
    pub accuracy: f64,
    /// Per genre.
    pub per_genre: Vec<ClassRow>,
}

fn genre_scores(system: &str, predicted: &[usize], gold: &[usize]) -> GenreScores {
    let per_genre: Vec<ClassRow> = GENRES
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let mut c = Counts::default();
            for (&p, &y) in predicted.iter().zip(gold) {
                c.record(p == g, y == g);
            }
            ClassRow::of(name, c)
        })
        .collect();
    let right = predicted.iter().zip(gold).filter(|(p, y)| p == y).count();
    GenreScores {
        system: system.to_owned(),
        macro_f1: per_genre.iter().map(|r| r.f1).sum::<f64>() / GENRES.len() as f64,
        accuracy: right as f64 / gold.len().max(1) as f64,
        per_genre,
    }
}

/// A genre evaluation's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenreReport {
    /// What was scored.
    pub mode: String,
    /// The articles folder.
    pub articles_dir: PathBuf,
    /// Articles with a genre label.
    pub articles: usize,
    /// Gold articles per genre.
    pub gold: Vec<(&'static str, usize)>,
    /// Labels naming no known genre (skipped).
    pub unknown_labels: usize,
    /// Labelled articles missing from the folder (skipped).
    pub missing_articles: usize,
    /// claimlens first, then the baselines.
    pub systems: Vec<GenreScores>,
    /// Mean probability the stage gave the gold genre, and the Brier score of its three
    /// probabilities (lower is better).
    pub mean_gold_probability: f64,
    /// Brier score (mean over articles of the squared error summed over the genres).
    pub brier: f64,
    /// Reliability of the reported score (the chosen genre's probability; right: the
    /// chosen genre is the gold one).
    pub reported: Calibration,
}

/// Scores the genre of every labelled article: by `model`, or with `folds` by
/// cross-validation (see the module docs); `log` hears progress.
pub fn evaluate_genre(
    data: &Data,
    dir: &Path,
    model: Option<&Model>,
    folds: usize,
    opts: &TrainOptions,
    log: &dyn Fn(&str),
) -> GenreReport {
    let p = prepare(data);
    let labelled: Vec<usize> = (0..data.articles.len())
        .filter(|&i| data.articles[i].genre.is_some())
        .collect();
    let gold_of = |i: usize| usize::from(data.articles[i].genre.unwrap_or(0));
    // Per system: (held-out article, predicted genre).
    let mut ours: Vec<(usize, usize, [f32; 3])> = Vec::new();
    let mut base: [Vec<(usize, usize)>; 3] = Default::default();
    let mode = match model {
        Some(m) => {
            for &i in &labelled {
                let s = model::score(m, &p.features[i]);
                ours.push((i, s.label, s.genre));
            }
            "embedded model (its own training data measures fit, not accuracy)".to_owned()
        }
        None => {
            let k = folds.max(2);
            for (f, (train_idx, test_idx)) in outer_folds(&p, k).into_iter().enumerate() {
                let train_idx: Vec<usize> = train_idx
                    .into_iter()
                    .filter(|&i| data.articles[i].genre.is_some())
                    .collect();
                let test_idx: Vec<usize> = test_idx
                    .into_iter()
                    .filter(|&i| data.articles[i].genre.is_some())
                    .collect();
                let set: Vec<TrainingDoc> =
                    train_idx.iter().map(|&i| p.training[i].clone()).collect();
                let m = train::train(&set, opts);
                for &i in &test_idx {
                    let s = model::score(&m, &p.features[i]);
                    ours.push((i, s.label, s.genre));
                }
                let (tr, te, width) = tfidf_rows(&p, &train_idx, &test_idx);
                for (b, balanced) in [false, true].into_iter().enumerate() {
                    let models: Vec<tfidf::Linear> = (0..GENRES.len())
                        .map(|g| {
                            let y: Vec<bool> = train_idx.iter().map(|&i| gold_of(i) == g).collect();
                            tfidf::train(&tr, &y, width, balanced)
                        })
                        .collect();
                    for (row, &i) in te.iter().zip(&test_idx) {
                        let probs: Vec<f32> = models.iter().map(|m| m.probability(row)).collect();
                        let best =
                            (0..GENRES.len())
                                .fold(0, |b, g| if probs[g] > probs[b] { g } else { b });
                        base[b].push((i, best));
                    }
                }
                let mut counts = [0usize; 3];
                for &i in &train_idx {
                    counts[gold_of(i)] += 1;
                }
                let majority = (0..3).fold(0, |b, g| if counts[g] > counts[b] { g } else { b });
                base[2].extend(test_idx.iter().map(|&i| (i, majority)));
                log(&format!(
                    "fold {} of {k}: {} held-out articles",
                    f + 1,
                    test_idx.len()
                ));
            }
            format!("{k}-fold cross-validation by article")
        }
    };
    let gold: Vec<usize> = ours.iter().map(|o| gold_of(o.0)).collect();
    let predicted: Vec<usize> = ours.iter().map(|o| o.1).collect();
    let mut systems = vec![genre_scores("claimlens", &predicted, &gold)];
    for (name, b) in [
        "TF-IDF + logistic regression",
        "TF-IDF + LR, balanced classes",
        "majority genre",
    ]
    .into_iter()
    .zip(&base)
    {
        if !b.is_empty() {
            let gold: Vec<usize> = b.iter().map(|o| gold_of(o.0)).collect();
            let pred: Vec<usize> = b.iter().map(|o| o.1).collect();
            systems.push(genre_scores(name, &pred, &gold));
        }
    }
    let n = ours.len().max(1) as f64;
    let mean_gold_probability = ours
        .iter()
        .map(|o| f64::from(o.2[gold_of(o.0)]))
        .sum::<f64>()
        / n;
    let brier = ours
        .iter()
        .map(|o| {
            (0..3)
                .map(|g| (f64::from(o.2[g]) - f64::from(u8::from(g == gold_of(o.0)))).powi(2))
                .sum::<f64>()
        })
        .sum::<f64>()
        / n;
    let mut reported = Calibration::default();
    for o in &ours {
        reported.add(o.2[o.1], o.1 == gold_of(o.0));
    }
    GenreReport {
        reported,
        mode,
        articles_dir: dir.to_owned(),
        articles: labelled.len(),
        gold: GENRES
            .iter()
            .enumerate()
            .map(|(g, name)| (*name, labelled.iter().filter(|&&i| gold_of(i) == g).count()))
            .collect(),
        unknown_labels: data.unknown_labels,
        missing_articles: data.missing_articles,
        systems,
        mean_gold_probability,
        brier,
    }
}

/// What a report says it skipped: `; 2 unknown labels, 7 absent articles skipped`.
pub fn skipped(unknown_labels: usize, missing_articles: usize) -> String {
    let mut parts = Vec::new();
    if unknown_labels > 0 {
        parts.push(format!("{unknown_labels} unknown labels"));
    }
    if missing_articles > 0 {
        parts.push(format!(
            "{missing_articles} labelled articles absent from the folder"
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {} skipped", parts.join(", "))
    }
}

impl Report for GenreReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        let gold: Vec<String> = self.gold.iter().map(|(g, n)| format!("{n} {g}")).collect();
        writeln!(
            out,
            "genre on {} ({}; {} articles: {}{})",
            self.articles_dir.display(),
            self.mode,
            self.articles,
            gold.join(", "),
            skipped(self.unknown_labels, self.missing_articles)
        )?;
        writeln!(
            out,
            "  {:<32} {:>8} {:>8}   {}",
            "system",
            "macro-F1",
            "accuracy",
            GENRES.map(|g| format!("{g:<9} P     R     F1  ")).join(" ")
        )?;
        for s in &self.systems {
            let per: Vec<String> = s
                .per_genre
                .iter()
                .map(|r| format!("{:<9} {:.3} {:.3} {:.3}", "", r.precision, r.recall, r.f1))
                .collect();
            writeln!(
                out,
                "  {:<32} {:>8.3} {:>8.3}   {}",
                s.system,
                s.macro_f1,
                s.accuracy,
                per.join(" ")
            )?;
        }
        writeln!(
            out,
            "claimlens probabilities: mean probability of the gold genre {:.3}, Brier score {:.3}",
            self.mean_gold_probability, self.brier
        )?;
        writeln!(
            out,
            "reported score (the chosen genre's probability): {}",
            self.reported
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
    fn reads_genres_and_frames_and_rejects_bad_rows() {
        let dir = std::env::temp_dir().join(format!("claimlens-genre-{}", std::process::id()));
        let arts = dir.join("a");
        std::fs::create_dir_all(&arts).unwrap();
        std::fs::write(arts.join("article7.txt"), "Some news.\n").unwrap();
        std::fs::write(arts.join("article8.txt"), "An opinion.\n").unwrap();
        std::fs::write(dir.join("g.txt"), "7\treporting\n8\tsermon\n").unwrap();
        std::fs::write(dir.join("f.txt"), "7\tPolitical,Economic,Bogus\n8\t\n").unwrap();
        let data = read(&arts, Some(&dir.join("g.txt")), Some(&dir.join("f.txt"))).unwrap();
        assert_eq!(data.unknown_labels, 2);
        assert_eq!(data.articles.len(), 2);
        let a = &data.articles[0];
        assert_eq!(a.genre, Some(1));
        let political = frame_index("Political").unwrap();
        assert_eq!(a.frames, Some(1 << political | 1));
        assert_eq!(data.articles[1].genre, None);
        assert_eq!(data.articles[1].frames, Some(0));
        std::fs::write(dir.join("bad.txt"), "7 reporting\n").unwrap();
        assert!(matches!(
            read(&arts, Some(&dir.join("bad.txt")), None),
            Err(EvalError::Format { .. })
        ));
        std::fs::write(dir.join("g2.txt"), "9\topinion\n").unwrap();
        let data = read(&arts, Some(&dir.join("g2.txt")), None).unwrap();
        assert_eq!((data.articles.len(), data.missing_articles), (0, 1));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn scores_per_genre_macro_f1_and_accuracy() {
        let s = genre_scores("x", &[0, 0, 1, 2], &[0, 1, 1, 2]);
        assert_eq!(s.accuracy, 0.75);
        assert!((s.per_genre[0].f1 - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.macro_f1 - (2.0 / 3.0 + 2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-9);
    }
}
