//! Check-worthiness: the claims model on debate sentences.
//!
//! * [`read_claimbuster`] (`sentence_id,screening,label,text`) and [`read_clef2019`]
//!   (`line_number,speaker,text,label,file_name`) read the two layouts into [`Row`]s.
//! * [`featurize`] runs the caller's pipeline on each text (so training and scoring see the
//!   layers every article gets) and keeps the features of each feature set.
//! * [`cross_validate`]: k folds fixed by a hash of the sentence id; each fold scored by a
//!   model trained (and calibrated, and its threshold chosen) on the other folds only.
//!   Positive-class precision/recall/F1, and Brier/ECE of the held-out probabilities.
//! * [`rank_debates`]: one ranking per debate (`file_name`), MAP, R-precision, P@5, P@10,
//!   by the shipped model ([`score_shipped`]) or leave-one-debate-out ([`leave_one_out`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use claimlens_analyzers::claims::features::FeatureSet;
use claimlens_analyzers::claims::model::{self, Labelled};
use claimlens_analyzers::learn::features::Hasher;
use claimlens_core::Doc;

use crate::calibration::Calibration;
use crate::{Counts, EvalError};

pub use claimlens_analyzers::claims::model::TrainOptions;
pub use claimlens_analyzers::claims::STAGE as CLAIMS_STAGE;
pub use claimlens_analyzers::learn::logistic::{
    Calibration as CalibrationMap, Logistic, LogisticOptions,
};

/// The model embedded in the binary.
pub fn embedded_model() -> Result<&'static Logistic, EvalError> {
    Ok(model::embedded()?)
}

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `sentence_id` (ClaimBuster) or `line_number` (CLEF).
    pub id: String,
    /// The sentence or debate line.
    pub text: String,
    /// Check-worthy.
    pub positive: bool,
    /// The debate (`file_name`, CLEF); empty for ClaimBuster.
    pub group: String,
}

/// Runs the pipeline's earlier stages on a document.
pub type Annotate<'a> = &'a dyn Fn(&mut Doc);

fn read_csv(path: &Path, columns: &[&str]) -> Result<Vec<Vec<String>>, EvalError> {
    let file = std::fs::File::open(path).map_err(|e| EvalError::io(path, e))?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let format = |line: u64, message: String| EvalError::Format {
        path: path.to_owned(),
        line,
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| format(1, e.to_string()))?
        .clone();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| {
            headers.iter().position(|h| h.trim() == *c).ok_or_else(|| {
                format(
                    1,
                    format!("no `{c}` column (expected columns: {})", columns.join(",")),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let row: Vec<String> = at
            .iter()
            .map(|&i| record.get(i).map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| format(line, "missing fields".into()))?;
        out.push(row);
    }
    Ok(out)
}

fn label(path: &Path, value: &str, line: usize) -> Result<bool, EvalError> {
    match value.trim() {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(EvalError::Format {
            path: path.to_owned(),
            line: line as u64 + 2,
            message: format!("label `{other}` is neither 0 nor 1"),
        }),
    }
}

/// Reads a file in the ClaimBuster layout (`sentence_id,screening,label,text`).
pub fn read_claimbuster(path: &Path) -> Result<Vec<Row>, EvalError> {
    read_csv(path, &["sentence_id", "label", "text"])?
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(Row {
                positive: label(path, &r[1], i)?,
                id: r[0].clone(),
                text: r[2].clone(),
                group: String::new(),
            })
        })
        .collect()
}

/// Reads a file in the CLEF 2019 Task 1 layout (`line_number,speaker,text,label,file_name`).
pub fn read_clef2019(path: &Path) -> Result<Vec<Row>, EvalError> {
    read_csv(path, &["line_number", "text", "label", "file_name"])?
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(Row {
                positive: label(path, &r[2], i)?,
                id: r[0].clone(),
                text: r[1].clone(),
                group: r[3].clone(),
            })
        })
        .collect()
}

/// The features of every row under each feature set (index: [`SETS`] order).
pub struct Featurized {
    /// `sets[s][i]`: row i's features under `SETS[s]`.
    pub sets: [Vec<Vec<u32>>; 3],
    /// Words annotated.
    pub words: usize,
}

/// The feature sets compared: the full set and two baselines.
pub const SETS: [(FeatureSet, &str); 3] = [
    (FeatureSet::Full, "words, word pairs and layers"),
    (FeatureSet::Ngrams, "words and word pairs"),
    (FeatureSet::Unigrams, "words only (≈ TF-IDF + LR)"),
];

/// Annotates each row's text with `annotate` and extracts its features.
pub fn featurize(rows: &[Row], annotate: Annotate<'_>) -> Featurized {
    let mut sets: [Vec<Vec<u32>>; 3] = Default::default();
    let mut words = 0;
    for r in rows {
        let mut doc = Doc::new(r.id.clone(), r.text.clone());
        annotate(&mut doc);
        words += doc.word_count();
        for (s, (set, _)) in SETS.iter().enumerate() {
            sets[s].push(model::text_features(&doc, *set));
        }
    }
    Featurized { sets, words }
}

fn labelled(rows: &[Row], feats: &[Vec<u32>], keep: impl Fn(usize) -> bool) -> Vec<Labelled> {
    rows.iter()
        .zip(feats)
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, (r, f))| Labelled {
            features: f.clone(),
            positive: r.positive,
            weight: 1.0,
        })
        .collect()
}

/// Cross-validated figures of one feature set.
#[derive(Debug, Clone)]
pub struct CvResult {
    /// Which features.
    pub set: &'static str,
    /// Positive-class counts at each fold's chosen threshold.
    pub counts: Counts,
    /// Calibration of the held-out calibrated probabilities.
    pub calibrated: Calibration,
    /// Calibration of the held-out raw probabilities (before the map).
    pub raw: Calibration,
}

impl fmt::Display for CvResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<32} P {:.3}  R {:.3}  F1 {:.3}   (tp {} fp {} fn {})",
            self.set,
            self.counts.precision(),
            self.counts.recall(),
            self.counts.f1(),
            self.counts.tp,
            self.counts.fp,
            self.counts.fn_
        )?;
        writeln!(f, "  held-out calibrated: {}", self.calibrated)?;
        write!(f, "  held-out raw:        {}", self.raw)
    }
}

/// The fold of a row id: a hash, so a row's fold does not depend on file order.
pub fn fold_of(id: &str, folds: usize) -> usize {
    (Hasher::new(0u8).raw(id.as_bytes()).finish() as usize) % folds.max(1)
}

/// The decision threshold maximising F1 on held-out calibrated scores.
fn best_threshold(model: &Logistic, held_out: &[(f32, bool)]) -> f32 {
    let mut scored: Vec<(f32, bool)> = held_out
        .iter()
        .map(|&(m, y)| (model.calibrate(m), y))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total_pos = scored.iter().filter(|s| s.1).count() as f64;
    let (mut tp, mut best, mut threshold) = (0.0, -1.0, 0.5);
    for (k, &(p, y)) in scored.iter().enumerate() {
        tp += f64::from(u8::from(y));
        let f1 = 2.0 * tp / (k as f64 + 1.0 + total_pos);
        if f1 > best {
            best = f1;
            threshold = p;
        }
    }
    threshold
}

/// k-fold cross-validation of each feature set on `rows` (ClaimBuster).
pub fn cross_validate(
    rows: &[Row],
    feats: &Featurized,
    folds: usize,
    opts: &TrainOptions,
) -> Vec<CvResult> {
    let fold: Vec<usize> = rows.iter().map(|r| fold_of(&r.id, folds)).collect();
    SETS.iter()
        .zip(&feats.sets)
        .map(|((_, set), feats)| {
            let mut result = CvResult {
                set,
                counts: Counts::default(),
                calibrated: Calibration::default(),
                raw: Calibration::default(),
            };
            for k in 0..folds {
                let train = labelled(rows, feats, |i| fold[i] != k);
                let (m, held_out) = model::train_with_held_out(&train, opts, "fold");
                let threshold = best_threshold(&m, &held_out);
                for (i, r) in rows.iter().enumerate().filter(|(i, _)| fold[*i] == k) {
                    let margin = m.margin(&feats[i]);
                    let p = m.calibrate(margin);
                    let (predicted, gold) = (p >= threshold, r.positive);
                    result.counts.tp += u64::from(predicted && gold);
                    result.counts.fp += u64::from(predicted && !gold);
                    result.counts.fn_ += u64::from(!predicted && gold);
                    result.calibrated.add(p, r.positive);
                    result.raw.add(1.0 / (1.0 + (-margin).exp()), r.positive);
                }
            }
            result
        })
        .collect()
}

/// Ranking figures averaged over debates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Debates with at least one positive line (the ones averaged).
    pub debates: usize,
    /// Positive lines.
    pub positives: usize,
    /// Mean average precision.
    pub map: f64,
    /// Mean R-precision.
    pub r_precision: f64,
    /// Mean precision at 5.
    pub p5: f64,
    /// Mean precision at 10.
    pub p10: f64,
}

impl fmt::Display for Ranking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MAP {:.3}  R-precision {:.3}  P@5 {:.3}  P@10 {:.3}   ({} debates, {} positives)",
            self.map, self.r_precision, self.p5, self.p10, self.debates, self.positives
        )
    }
}

/// MAP, R-precision, P@5 and P@10 of `(score, positive, group)` triples, one ranking per
/// group (ties keep file order), averaged over the groups with a positive.
pub fn rank_debates(scored: &[(f32, bool, &str)]) -> Ranking {
    let mut groups: BTreeMap<&str, Vec<(f32, bool)>> = BTreeMap::new();
    for &(s, y, g) in scored {
        groups.entry(g).or_default().push((s, y));
    }
    let mut r = Ranking::default();
    for lines in groups.values_mut() {
        lines.sort_by(|a, b| b.0.total_cmp(&a.0));
        let pos = lines.iter().filter(|l| l.1).count();
        if pos == 0 {
            continue;
        }
        let (mut hits, mut ap) = (0usize, 0.0);
        let mut at = [0usize; 3]; // hits within 5, 10, R
        for (k, l) in lines.iter().enumerate() {
            if l.1 {
                hits += 1;
                ap += hits as f64 / (k + 1) as f64;
            }
            for (slot, cut) in [5, 10, pos].into_iter().enumerate() {
                if k + 1 == cut {
                    at[slot] = hits;
                }
            }
        }
        for (slot, cut) in [5usize, 10, pos].into_iter().enumerate() {
            if lines.len() < cut {
                at[slot] = hits;
            }
        }
        r.debates += 1;
        r.positives += pos;
        r.map += ap / pos as f64;
        r.p5 += at[0] as f64 / 5.0;
        r.p10 += at[1] as f64 / 10.0;
        r.r_precision += at[2] as f64 / pos as f64;
    }
    let n = r.debates.max(1) as f64;
    r.map /= n;
    r.p5 /= n;
    r.p10 /= n;
    r.r_precision /= n;
    r
}

/// Scores `rows` with `model` (full features) and ranks each debate.
pub fn score_shipped(rows: &[Row], feats: &Featurized, model: &Logistic) -> Ranking {
    let scored: Vec<(f32, bool, &str)> = rows
        .iter()
        .zip(&feats.sets[0])
        .map(|(r, f)| (model.probability(f), r.positive, r.group.as_str()))
        .collect();
    rank_debates(&scored)
}

/// Words of six-word windows that mark two texts as copies of each other.
const SHINGLE: usize = 6;

/// Hashes of a text's six-word windows (lower-case letters and digits of each word), or of
/// all its words when it has fewer: a ClaimBuster sentence sharing one with a debate line
/// is a copy, or a part, of it.
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let hash = |ws: &[String]| {
        ws.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, w| {
            w.bytes()
                .chain([b' '])
                .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
        })
    };
    if words.len() < SHINGLE {
        return vec![hash(&words)];
    }
    words.windows(SHINGLE).map(hash).collect()
}

/// Leave-one-debate-out on `rows` (CLEF): each debate ranked by a model trained on the
/// other debates only, for each feature set; with `extra` (ClaimBuster), those sentences
/// join every training set, except any that shares a six-word window (or, when shorter,
/// all its words) with a line of the held-out debate: ClaimBuster draws on the same 2016
/// debates, so a copy or a part of a held-out line would leak its label.
pub fn leave_one_out(
    rows: &[Row],
    feats: &Featurized,
    extra: Option<(&[Row], &Featurized)>,
    opts: &TrainOptions,
) -> Vec<(&'static str, Ranking)> {
    let groups: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    let opts = TrainOptions {
        calibration_folds: 0,
        ..*opts
    };
    let extra_keys: Vec<Vec<u64>> = extra.map_or(Vec::new(), |(x, _)| {
        x.iter().map(|r| shingles(&r.text)).collect()
    });
    SETS.iter()
        .enumerate()
        .map(|(s, (_, set))| {
            let feats = &feats.sets[s];
            let mut scored = Vec::with_capacity(rows.len());
            for g in &groups {
                let mut train = labelled(rows, feats, |i| rows[i].group != *g);
                if let Some((x, xf)) = extra {
                    let held: std::collections::HashSet<u64> = rows
                        .iter()
                        .filter(|r| r.group == *g)
                        .flat_map(|r| shingles(&r.text))
                        .collect();
                    let copied = |i: usize| extra_keys[i].iter().any(|k| held.contains(k));
                    train.extend(labelled(x, &xf.sets[s], |i| !copied(i)));
                }
                let m = model::train(&train, &opts, "fold");
                for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.group == *g) {
                    scored.push((m.margin(&feats[i]), r.positive, r.group.as_str()));
                }
            }
            (*set, rank_debates(&scored))
        })
        .collect()
}

/// Trains the shipped model on both files (full features) and fits its calibration map.
pub fn train_model(rows: &[Row], feats: &Featurized, opts: &TrainOptions) -> Logistic {
    let data = labelled(rows, &feats.sets[0], |_| true);
    model::train(&data, opts, "logistic:claimbuster+clef2019")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_metrics_by_hand() {
        // Debate a: positives at ranks 1 and 3 of 4; debate b: no positive (skipped).
        let scored = [
            (0.9, true, "a"),
            (0.8, false, "a"),
            (0.7, true, "a"),
            (0.1, false, "a"),
            (0.5, false, "b"),
        ];
        let r = rank_debates(&scored);
        assert_eq!(r.debates, 1);
        assert!((r.map - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-9);
        assert!((r.r_precision - 0.5).abs() < 1e-9);
        assert!((r.p5 - 0.4).abs() < 1e-9);
        assert!((r.p10 - 0.2).abs() < 1e-9);
    }

    #[test]
    fn copies_and_parts_share_a_shingle() {
        let line = shingles("Well, we've lost 700,000 jobs in America, and it's a disgrace.");
        let part = shingles("We've lost 700,000 jobs in America.");
        assert!(part.iter().any(|k| line.contains(k)));
        let other = shingles("We have created 700,000 jobs in America.");
        assert!(!other.iter().any(|k| line.contains(k)));
        assert_eq!(shingles("Thank you."), shingles("thank  you!"));
    }

    #[test]
    fn folds_are_fixed_by_id() {
        assert_eq!(fold_of("27247", 5), fold_of("27247", 5));
        let counts = (0..1000).fold([0; 5], |mut c, i| {
            c[fold_of(&i.to_string(), 5)] += 1;
            c
        });
        assert!(counts.iter().all(|&c| c > 150), "{counts:?}");
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let dir = std::env::temp_dir().join(format!("cw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.csv");
        std::fs::write(&p, "sentence_id,label\n1,0\n").unwrap();
        let e = read_claimbuster(&p).unwrap_err().to_string();
        assert!(e.contains("no `text` column"), "{e}");
        std::fs::write(&p, "sentence_id,screening,label,text\n1,-3,7,Hi.\n").unwrap();
        let e = read_claimbuster(&p).unwrap_err().to_string();
        assert!(e.contains("label `7`"), "{e}");
        std::fs::write(
            &p,
            "line_number,speaker,text,label,file_name\n1,A,\"Hi.\",1,d\n",
        )
        .unwrap();
        let rows = read_clef2019(&p).unwrap();
        assert_eq!(rows[0].group, "d");
        assert!(matches!(
            read_clef2019(&dir.join("missing.csv")),
            Err(EvalError::MissingData(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
