//! `claimlens train`: train a model from labelled data (deterministic).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use claimlens_analyzers::attribution::{train, BeamWidths, TrainOptions};
use claimlens_analyzers::entities;
use claimlens_analyzers::learn::clusters::{self, ClusterCorpus, ClusterOptions};
use claimlens_analyzers::pos;
use claimlens_eval::attribution_model::train_docs;
use claimlens_eval::cluster_check::check_clusters;
use claimlens_eval::conll::read_conll;
use claimlens_eval::polnear::read_polnear;
use claimlens_eval::pos::read_conll_pos;
use claimlens_eval::unlabelled::read_unlabelled;
use clap::{Args, Subcommand};

/// Arguments of `claimlens train`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  claimlens train attribution --polnear ../shared/data/polnear/train --out attribution.bin
  claimlens train ner --conll ../shared/data/conll2003/train.txt --out entities.bin
  claimlens train pos --conll ../shared/data/conll2003/train.txt --out pos.bin
  claimlens train clusters --data ../shared/data --out clusters.bin --show Moscow,said")]
pub struct TrainArgs {
    #[command(subcommand)]
    task: TrainTask,
}

#[derive(Subcommand)]
enum TrainTask {
    /// The attribution taggers (cues; each cue's source and content) from PolNeAR train.
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
        /// Beam width of the cue tagger (1 = greedy); the model decodes with it too.
        #[arg(long, default_value_t = TrainOptions::default().beams.cues,
              value_parser = clap::value_parser!(u32).range(1..=64))]
        cue_beam: u32,
        /// Beam width of the per-cue source/content tagger (1 = greedy).
        #[arg(long, default_value_t = TrainOptions::default().beams.arguments,
              value_parser = clap::value_parser!(u32).range(1..=64))]
        argument_beam: u32,
        /// Seed of the per-epoch shuffle (another seed measures run-to-run noise).
        #[arg(long, default_value_t = TrainOptions::default().seed)]
        seed: u64,
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
    /// The part-of-speech tagger (twenty coarse classes) from CoNLL-2003 train's Treebank tags.
    #[command(after_help = "\
Training is deterministic: the same data and options give a byte-identical model.

Example (the command that produced the committed model):
  claimlens train pos --conll ../shared/data/conll2003/train.txt \\
      --out crates/claimlens-analyzers/models/pos.bin")]
    Pos {
        /// A CoNLL-2003 file (`word POS chunk tag`).
        #[arg(long)]
        conll: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data.
        #[arg(long, default_value_t = pos::TrainOptions::default().epochs)]
        epochs: usize,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = pos::TrainOptions::default().min_weight)]
        min_weight: f32,
    },
    /// Word clusters (k-means over neighbour vectors) from the unlabelled shared texts.
    #[command(after_help = "\
Reads PolNeAR train texts, SemEval-2023 train articles, EUvsDisinfo, ClaimBuster/CLEF
sentences and CoNLL-2003 train words (never an evaluation split). Training is
deterministic: the same data and options give a byte-identical file.

Example (the command that produced the committed model):
  claimlens train clusters --data ../shared/data \\
      --out crates/claimlens-analyzers/models/clusters.bin")]
    Clusters {
        /// The shared data directory.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the clusters.
        #[arg(long)]
        out: PathBuf,
        /// Cluster word forms seen at least this often.
        #[arg(long, default_value_t = ClusterOptions::default().min_count)]
        min_count: u64,
        /// Number of fine clusters.
        #[arg(long, default_value_t = ClusterOptions::default().fine)]
        fine: usize,
        /// Number of coarse clusters (groups of fine clusters).
        #[arg(long, default_value_t = ClusterOptions::default().coarse)]
        coarse: usize,
        /// Seed of the k-means++ draws.
        #[arg(long, default_value_t = ClusterOptions::default().seed)]
        seed: u64,
        /// Print the fine clusters of these words (comma-separated) when done.
        #[arg(long, value_delimiter = ',')]
        show: Vec<String>,
    },
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    match args.task {
        TrainTask::Attribution {
            polnear,
            out,
            epochs,
            min_weight,
            cue_beam,
            argument_beam,
            seed,
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
                seed,
                beams: BeamWidths {
                    cues: cue_beam,
                    arguments: argument_beam,
                },
                ..TrainOptions::default()
            };
            let model = train(&train_set, opts, report_epoch(epochs));
            let what = format!(
                "{} features, {} lexicon words",
                model.feature_count(),
                model.lexicon.len()
            );
            write_model(&out, &model.to_bytes(), &what, start)
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
            let model = entities::train(&docs, &opts, report_epoch(epochs));
            let what = format!("{} features", model.feature_count());
            write_model(&out, &model.to_bytes(), &what, start)
        }
        TrainTask::Pos {
            conll,
            out,
            epochs,
            min_weight,
        } => {
            let start = Instant::now();
            let sentences = read_conll_pos(&conll)?;
            eprintln!(
                "training on {} sentences from {}",
                sentences.len(),
                conll.display()
            );
            let opts = pos::TrainOptions {
                epochs,
                min_weight,
                ..pos::TrainOptions::default()
            };
            let model = pos::train(&sentences, &opts, report_epoch(epochs));
            let what = format!("{} features", model.feature_count());
            write_model(&out, &model.to_bytes(), &what, start)
        }
        TrainTask::Clusters {
            data,
            out,
            min_count,
            fine,
            coarse,
            seed,
            show,
        } => {
            let opts = ClusterOptions {
                min_count,
                fine,
                coarse,
                seed,
                ..ClusterOptions::default()
            };
            train_clusters(&data, &out, &opts, &show)
        }
    }
}

fn train_clusters(
    data: &Path,
    out: &Path,
    opts: &ClusterOptions,
    show: &[String],
) -> Result<ExitCode> {
    let start = Instant::now();
    let texts = read_unlabelled(data)?;
    let mut corpus = ClusterCorpus::default();
    let mut per_source: Vec<(&str, usize, usize)> = Vec::new();
    for t in &texts {
        let before = corpus.token_count();
        corpus.add_text(&t.text);
        match per_source.last_mut() {
            Some(last) if last.0 == t.source => {
                last.1 += 1;
                last.2 += corpus.token_count() - before;
            }
            _ => per_source.push((t.source, 1, corpus.token_count() - before)),
        }
    }
    for (source, docs, tokens) in &per_source {
        eprintln!("  {source}: {docs} texts, {tokens} tokens");
    }
    eprintln!(
        "corpus: {} texts, {} sentences, {} tokens, {} distinct forms ({:.1} s)",
        corpus.doc_count(),
        corpus.sentence_count(),
        corpus.token_count(),
        corpus.distinct_words(),
        start.elapsed().as_secs_f64()
    );
    let model = clusters::train(&corpus, opts, |line| eprintln!("{line}"));
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({} words, {} fine / {} coarse clusters, {:.2} MB) in {:.1} s",
        out.display(),
        model.word_count(),
        model.fine_count(),
        model.coarse_count(),
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    // Train only: the check must not look at the evaluation split.
    let conll = data.join("conll2003/train.txt");
    let check = check_clusters(&model, &read_conll(&conll)?);
    eprintln!(
        "check on held-out capitalised CoNLL-2003 train forms: type accuracy {:.3} fine, \
         {:.3} coarse (always O {:.3}; {:.1}% covered)",
        check.fine_accuracy,
        check.coarse_accuracy,
        check.always_o,
        100.0 * check.coverage
    );
    for word in show {
        match model.lookup(word) {
            Some((c, f)) => {
                let members = model.members(f);
                let sample: Vec<&str> = members.iter().take(40).copied().collect();
                eprintln!(
                    "{word}: coarse {c}, fine {f} ({} words): {}",
                    members.len(),
                    sample.join(" ")
                );
            }
            None => eprintln!("{word}: no cluster"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints each epoch's token errors to stderr.
fn report_epoch(epochs: usize) -> impl FnMut(usize, usize, usize) {
    move |epoch, errors, tokens| {
        eprintln!(
            "  epoch {epoch}/{epochs}: {errors} token errors ({:.2}% of {tokens})",
            100.0 * errors as f64 / tokens.max(1) as f64
        );
    }
}

/// Writes a model file and says what was written (`what`: its feature counts) and how long
/// training took since `start`.
fn write_model(out: &Path, bytes: &[u8], what: &str, start: Instant) -> Result<ExitCode> {
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({what}, {:.1} MB) in {:.1} s",
        out.display(),
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
