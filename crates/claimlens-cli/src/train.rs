//! `claimlens train`: train a model from labelled data (deterministic).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use claimlens_analyzers::attribution::{train, TrainOptions};
use claimlens_analyzers::entities;
use claimlens_eval::attribution_model::train_docs;
use claimlens_eval::conll::read_conll;
use claimlens_eval::polnear::read_polnear;
use clap::{Args, Subcommand};

/// Arguments of `claimlens train`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  claimlens train attribution --polnear ../shared/data/polnear/train --out attribution.bin
  claimlens train ner --conll ../shared/data/conll2003/train.txt --out entities.bin")]
pub struct TrainArgs {
    #[command(subcommand)]
    task: TrainTask,
}

#[derive(Subcommand)]
enum TrainTask {
    /// The attribution tagger (source, cue, content) from PolNeAR train.
    #[command(after_help = "\
Training is deterministic: the same data and options give a byte-identical model.

Example (the command that produced the committed model):
  claimlens train attribution --polnear ../shared/data/polnear/train \\
      --out crates/claimlens-analyzers/models/attribution.bin")]
    Attribution {
        /// A PolNeAR split directory (text/ and attributions/).
        #[arg(long)]
        polnear: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data.
        #[arg(long, default_value_t = TrainOptions::default().epochs)]
        epochs: usize,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = TrainOptions::default().min_weight)]
        min_weight: f32,
    },
    /// The entity tagger (PER, ORG, LOC, MISC) from CoNLL-2003 train.
    #[command(after_help = "\
Training is deterministic: the same data and options give a byte-identical model.

Example (the command that produced the committed model):
  claimlens train ner --conll ../shared/data/conll2003/train.txt \\
      --out crates/claimlens-analyzers/models/entities.bin")]
    Ner {
        /// A CoNLL-2003 file (`word POS chunk tag`, IOB tags).
        #[arg(long)]
        conll: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data.
        #[arg(long, default_value_t = entities::TrainOptions::default().epochs)]
        epochs: usize,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = entities::TrainOptions::default().min_weight)]
        min_weight: f32,
    },
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    match args.task {
        TrainTask::Attribution {
            polnear,
            out,
            epochs,
            min_weight,
        } => {
            let start = Instant::now();
            let docs = read_polnear(&polnear)?;
            let train_set = train_docs(&docs);
            eprintln!(
                "training on {} documents from {}",
                docs.len(),
                polnear.display()
            );
            let opts = TrainOptions {
                epochs,
                min_weight,
                ..TrainOptions::default()
            };
            let model = train(&train_set, opts, |epoch, errors, tokens| {
                eprintln!(
                    "  epoch {epoch}/{epochs}: {errors} token errors ({:.2}% of {tokens})",
                    100.0 * errors as f64 / tokens as f64
                );
            });
            let bytes = model.to_bytes();
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "wrote {} ({} features, {} lexicon words, {:.1} MB) in {:.1} s",
                out.display(),
                model.feature_count(),
                model.lexicon.len(),
                bytes.len() as f64 / 1e6,
                start.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        TrainTask::Ner {
            conll,
            out,
            epochs,
            min_weight,
        } => {
            let start = Instant::now();
            let docs = read_conll(&conll)?;
            eprintln!(
                "training on {} documents from {}",
                docs.len(),
                conll.display()
            );
            let opts = entities::TrainOptions {
                epochs,
                min_weight,
                ..entities::TrainOptions::default()
            };
            let model = entities::train(&docs, &opts, |epoch, errors, tokens| {
                eprintln!(
                    "  epoch {epoch}/{epochs}: {errors} token errors ({:.2}% of {tokens})",
                    100.0 * errors as f64 / tokens as f64
                );
            });
            let bytes = model.to_bytes();
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "wrote {} ({} features, {:.1} MB) in {:.1} s",
                out.display(),
                model.feature_count(),
                bytes.len() as f64 / 1e6,
                start.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
