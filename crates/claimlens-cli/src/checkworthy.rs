//! `claimlens eval checkworthy` and `claimlens train checkworthy`: read the debate files,
//! run every stage before `claims` on each line, then evaluate or train.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use claimlens_core::Doc;
use claimlens_eval::checkworthy::{
    self, CalibrationMap, Featurized, Logistic, LogisticOptions, Row, TrainOptions,
};
use claimlens_pipeline::Pipeline;

/// The learner settings both commands accept.
#[derive(clap::Args, Clone, Copy)]
pub struct LearnerArgs {
    /// Passes over the data.
    #[arg(long, default_value_t = TrainOptions::default().learner.epochs)]
    epochs: usize,
    /// L2 penalty per update.
    #[arg(long, default_value_t = TrainOptions::default().learner.l2)]
    l2: f32,
    /// AdaGrad learning rate.
    #[arg(long, default_value_t = TrainOptions::default().learner.rate)]
    rate: f32,
    /// Fit an isotonic calibration map instead of Platt's sigmoid.
    #[arg(long)]
    isotonic: bool,
}

impl LearnerArgs {
    fn options(self) -> TrainOptions {
        let d = TrainOptions::default();
        TrainOptions {
            learner: LogisticOptions {
                epochs: self.epochs,
                l2: self.l2,
                rate: self.rate,
                ..d.learner
            },
            isotonic: self.isotonic,
            ..d
        }
    }
}

/// Reads and annotates a file, logging how long it took.
fn load(
    path: &Path,
    read: fn(&Path) -> Result<Vec<Row>, claimlens_eval::EvalError>,
) -> Result<(Vec<Row>, Featurized)> {
    let start = Instant::now();
    let rows = read(path)?;
    let pipeline = Pipeline::builder();
    let pipeline = claimlens_pipeline::builtin_stages()
        .into_iter()
        .fold(pipeline, |p, s| p.stage(s))
        .disable(checkworthy::CLAIMS_STAGE)
        .build()
        .context("building the pipeline")?;
    let annotate = |doc: &mut Doc| {
        pipeline.run(doc);
    };
    let feats = checkworthy::featurize(&rows, &annotate);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{}: {} lines ({} check-worthy), {} words annotated in {secs:.1} s ({:.0} words/s)",
        path.display(),
        rows.len(),
        rows.iter().filter(|r| r.positive).count(),
        feats.words,
        feats.words as f64 / secs.max(1e-9)
    );
    Ok((rows, feats))
}

/// `claimlens eval checkworthy`.
pub fn eval(
    claimbuster: Option<PathBuf>,
    folds: usize,
    clef2019: Option<PathBuf>,
    leave_one_out: bool,
    model: Option<PathBuf>,
    learner: LearnerArgs,
) -> Result<ExitCode> {
    anyhow::ensure!(
        claimbuster.is_some() || clef2019.is_some(),
        "give --claimbuster <csv> and/or --clef2019 <csv>"
    );
    anyhow::ensure!(folds >= 2, "--folds must be at least 2");
    let opts = learner.options();
    let mut extra = None;
    if let Some(path) = claimbuster {
        let (rows, feats) = load(&path, checkworthy::read_claimbuster)?;
        outln!(
            "ClaimBuster {folds}-fold cross-validation ({}): positive class, threshold chosen on \
             the training folds",
            path.display()
        );
        for r in checkworthy::cross_validate(&rows, &feats, folds, &opts) {
            outln!("{r}");
        }
        extra = Some((rows, feats));
    }
    if let Some(path) = clef2019 {
        let (rows, feats) = load(&path, checkworthy::read_clef2019)?;
        if leave_one_out {
            let extra = extra.as_ref().map(|(r, f)| (r.as_slice(), f));
            outln!(
                "CLEF 2019 Task 1, leave-one-debate-out ({}): each debate ranked by a model \
                 trained on the other debates{}",
                path.display(),
                if extra.is_some() {
                    " and the ClaimBuster sentences (less any copy of a held-out line)"
                } else {
                    ""
                }
            );
            for (set, r) in checkworthy::leave_one_out(&rows, &feats, extra, &opts) {
                outln!("{set:<32} {r}");
            }
        } else {
            let m = match model {
                Some(p) => {
                    let bytes =
                        std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
                    Logistic::from_bytes(&bytes)
                        .with_context(|| format!("reading {}", p.display()))?
                }
                None => checkworthy::embedded_model()?.clone(),
            };
            outln!("CLEF 2019 Task 1 ({}), model {}:", path.display(), m.name);
            outln!("{}", checkworthy::score_shipped(&rows, &feats, &m));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `claimlens train checkworthy`.
pub fn train(
    claimbuster: &Path,
    clef2019: &Path,
    out: &Path,
    learner: LearnerArgs,
) -> Result<ExitCode> {
    let start = Instant::now();
    let (mut rows, mut feats) = load(claimbuster, checkworthy::read_claimbuster)?;
    let (clef_rows, clef_feats) = load(clef2019, checkworthy::read_clef2019)?;
    rows.extend(clef_rows);
    for (all, more) in feats.sets.iter_mut().zip(clef_feats.sets) {
        all.extend(more);
    }
    let model = checkworthy::train_model(&rows, &feats, &learner.options());
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({} features, calibration {:?}, {:.2} MB) in {:.1} s",
        out.display(),
        model.feature_count(),
        match &model.calibration {
            CalibrationMap::Isotonic(p) => format!("isotonic, {} points", p.len()),
            c => format!("{c:?}"),
        },
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
