//! `claimlens train`: train a model from labelled data (deterministic).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use claimlens_eval::train::{
    self, AttributionOptions, BeamWidths, ClusterOptions, MinWeights, NerOptions,
    NerSecondPassOptions, PosOptions,
};
use clap::{Args, Subcommand};

/// Arguments of `claimlens train`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  claimlens train attribution --polnear ../shared/data/polnear/train --out attribution.bin
  claimlens train ner --conll ../shared/data/conll2003/train.txt --second-pass-folds 5 --out entities.bin
  claimlens train pos --conll ../shared/data/conll2003/train.txt --out pos.bin
  claimlens train clusters --data ../shared/data --out clusters.bin --show Moscow,said
  claimlens train calibration --polnear ../shared/data/polnear/dev \\
      --conll ../shared/data/conll2003/valid.txt --out calibration.tsv
  claimlens train checkworthy --claimbuster ../shared/data/checkworthiness/claimbuster_kfold_25ncs.csv \\
      --clef2019 ../shared/data/checkworthiness/clef2019_t1_train.csv --out checkworthy.bin
  claimlens train techniques --data ../shared/data/semeval2023-persuasion-en --out techniques.bin
  claimlens train genre --data ../shared/data/semeval2023-persuasion-en --out genre.bin")]
pub struct TrainArgs {
    #[command(subcommand)]
    task: TrainTask,
}

#[derive(Subcommand)]
enum TrainTask {
    /// The persuasion-techniques model (lexicon span finder, BIO span tagger and one
    /// calibrated logistic regression per technique) from the SemEval-2023 Task 3 English
    /// training articles.
    #[command(after_help = "\
Reads train-articles/, train-labels-paragraphs.txt and train-labels-spans/ under --data.
Each technique's span source (lexicon thresholds, tagger, both), calibration maps and
decision thresholds are chosen on 3 folds of the
training articles (by a hash of the article id); the lexicon's and the tagger's span maps
are Platt or isotonic, whichever had the lower cross-fitted Brier score (printed). Training is deterministic: the same data
gives a byte-identical model.

Example (the command that produced the committed model):
  claimlens train techniques --data ../shared/data/semeval2023-persuasion-en \\
      --out crates/claimlens-analyzers/models/techniques.bin")]
    Techniques {
        /// The SemEval-2023 Task 3 English folder.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(
            long,
            default_value = "crates/claimlens-analyzers/models/techniques.bin"
        )]
        out: PathBuf,
    },
    /// The genre and frames model (one calibrated logistic regression per genre and per
    /// frame over document features) from the SemEval-2023 Task 3 English training articles.
    #[command(after_help = "\
Reads train-articles/, train-labels-genre.txt and train-labels-framing.txt under --data.
Calibration maps, the genre decision weights (for macro-F1) and the frame thresholds (for
micro-F1) are chosen on 3 folds of the training articles (by a hash of the article id).
Training is deterministic: the same data gives a byte-identical model.

Example (the command that produced the committed model):
  claimlens train genre --data ../shared/data/semeval2023-persuasion-en \\
      --out crates/claimlens-analyzers/models/genre.bin")]
    Genre {
        /// The SemEval-2023 Task 3 English folder.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "crates/claimlens-analyzers/models/genre.bin")]
        out: PathBuf,
    },
    /// The check-worthiness model of the claims stage (calibrated logistic regression) from
    /// ClaimBuster and CLEF 2019 Task 1 debate lines.
    #[command(after_help = "\
Every line goes through the stages before `claims`, as an article would. The calibration map
(Platt, or isotonic with --isotonic) is fitted on 5-fold held-out scores of the training data.
Training is deterministic: the same data and options give a byte-identical model.

Example (the command that produced the committed model):
  claimlens train checkworthy \\
      --claimbuster ../shared/data/checkworthiness/claimbuster_kfold_25ncs.csv \\
      --clef2019 ../shared/data/checkworthiness/clef2019_t1_train.csv \\
      --out crates/claimlens-analyzers/models/checkworthy.bin")]
    Checkworthy {
        /// ClaimBuster sentences (sentence_id,screening,label,text).
        #[arg(long)]
        claimbuster: PathBuf,
        /// CLEF 2019 Task 1 lines (line_number,speaker,text,label,file_name).
        #[arg(long)]
        clef2019: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        learner: crate::checkworthy::LearnerArgs,
    },
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
        #[arg(long, default_value_t = AttributionOptions::default().epochs)]
        epochs: usize,
        /// Drop cue-tagger features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = AttributionOptions::default().min_weights.cues)]
        cue_min_weight: f32,
        /// Drop argument-tagger features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = AttributionOptions::default().min_weights.arguments)]
        argument_min_weight: f32,
        /// Beam width of the cue tagger (1 = greedy); the model decodes with it too.
        #[arg(long, default_value_t = AttributionOptions::default().beams.cues,
              value_parser = clap::value_parser!(u32).range(1..=64))]
        cue_beam: u32,
        /// Beam width of the per-cue source/content tagger (1 = greedy).
        #[arg(long, default_value_t = AttributionOptions::default().beams.arguments,
              value_parser = clap::value_parser!(u32).range(1..=64))]
        argument_beam: u32,
        /// Seed of the per-epoch shuffle (another seed measures run-to-run noise).
        #[arg(long, default_value_t = AttributionOptions::default().seed)]
        seed: u64,
    },
    /// The entity tagger (PER, ORG, LOC, MISC) from CoNLL-2003 train.
    #[command(after_help = "\
Training is deterministic: the same data and options give a byte-identical model.

The second pass re-tags each document with the first pass's predictions elsewhere in it as
features; it learns from first-pass predictions cross-fitted over document folds of the
training file (--second-pass-folds; 0 trains the first pass alone).

Examples (the first is the command that produced the committed model, two passes; the
second trains the first pass alone):
  claimlens train ner --conll ../shared/data/conll2003/train.txt --second-pass-folds 5 \\
      --out crates/claimlens-analyzers/models/entities.bin
  claimlens train ner --conll ../shared/data/conll2003/train.txt \\
      --out /tmp/entities-first-pass.bin")]
    Ner {
        /// A CoNLL-2003 file (`word POS chunk tag`, IOB tags).
        #[arg(long)]
        conll: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data.
        #[arg(long, default_value_t = NerOptions::default().epochs)]
        epochs: usize,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = NerOptions::default().min_weight)]
        min_weight: f32,
        /// Document folds the second pass's training predictions are cross-fitted over;
        /// 0 trains the first pass alone.
        #[arg(long, default_value_t = NerOptions::default().second_pass.map_or(0, |s| s.folds))]
        second_pass_folds: usize,
        /// Partial taggings kept while training and decoding both passes (1: greedy); the
        /// width is stored in the model.
        #[arg(long, default_value_t = NerOptions::default().beam as u64,
            value_parser = clap::value_parser!(u64).range(1..=32))]
        beam: u64,
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
        #[arg(long, default_value_t = PosOptions::default().epochs)]
        epochs: usize,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = PosOptions::default().min_weight)]
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
    /// Calibration maps that turn the embedded models' raw scores into probabilities.
    #[command(after_help = "\
Fits, for attribution cues, sources and contents, entity mentions and place resolutions, a
logistic (Platt) map from the raw score to the share of items that are right, on splits the
models were not trained on: PolNeAR dev, CoNLL-2003 valid and the places stage's labelled
outputs on PolNeAR and SemEval train articles (a table of chosen mentions such as
mentions.tsv is measured but holds too few wrong resolutions to fit). Splits named test or
held-out are refused; a component without at least ten right and ten wrong items gets no
map. Prints each component's Brier score and expected calibration
error before and after, cross-fitted over five folds of documents (each fold mapped by a map
fitted on the other four), and the same for the alternatives (isotonic maps; maps of the mean
tag probability); the file holds the maps fitted on all of each set. Deterministic: the same
data gives a byte-identical file.

Example (the command that produced the committed table):
  claimlens train calibration --polnear ../shared/data/polnear/dev \\
      --conll ../shared/data/conll2003/valid.txt \\
      --places data/place-mentions/outputs-train.tsv --data ../shared/data \\
      --out crates/claimlens-analyzers/models/calibration.tsv")]
    Calibration {
        /// A PolNeAR split the attribution model was not trained on (dev).
        #[arg(long)]
        polnear: PathBuf,
        /// A CoNLL-2003 file the entity model was not trained on (valid).
        #[arg(long)]
        conll: PathBuf,
        /// The places stage's labelled outputs (or a place-mentions table, measured only).
        #[arg(long, default_value = "data/place-mentions/outputs-train.tsv")]
        places: PathBuf,
        /// The shared data directory the table's articles are under.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the table.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    let log = &mut |line: &str| eprintln!("{line}");
    match args.task {
        TrainTask::Techniques { data, out } => {
            train::techniques(&data, &out, &train::TechniquesOptions::default(), log)?;
        }
        TrainTask::Genre { data, out } => {
            train::genre(&data, &out, &train::GenreOptions::default(), log)?;
        }
        TrainTask::Checkworthy {
            claimbuster,
            clef2019,
            out,
            learner,
        } => return crate::checkworthy::train(&claimbuster, &clef2019, &out, learner),
        TrainTask::Attribution {
            polnear,
            out,
            epochs,
            cue_min_weight,
            argument_min_weight,
            cue_beam,
            argument_beam,
            seed,
        } => {
            let opts = AttributionOptions {
                epochs,
                min_weights: MinWeights {
                    cues: cue_min_weight,
                    arguments: argument_min_weight,
                },
                seed,
                beams: BeamWidths {
                    cues: cue_beam,
                    arguments: argument_beam,
                },
                ..AttributionOptions::default()
            };
            train::attribution(&polnear, &out, opts, log)?;
        }
        TrainTask::Ner {
            conll,
            out,
            epochs,
            min_weight,
            second_pass_folds,
            beam,
        } => {
            let opts = NerOptions {
                epochs,
                min_weight,
                beam: beam as usize,
                second_pass: (second_pass_folds > 0).then(|| NerSecondPassOptions {
                    folds: second_pass_folds.max(2),
                    ..NerSecondPassOptions::default()
                }),
                ..NerOptions::default()
            };
            train::ner(&conll, &out, &opts, log)?;
        }
        TrainTask::Pos {
            conll,
            out,
            epochs,
            min_weight,
        } => {
            let opts = PosOptions {
                epochs,
                min_weight,
                ..PosOptions::default()
            };
            train::pos(&conll, &out, &opts, log)?;
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
            train::clusters(&data, &out, &opts, &show, log)?;
        }
        TrainTask::Calibration {
            polnear,
            conll,
            places,
            data,
            out,
        } => {
            let sets = train::CalibrationData {
                polnear: &polnear,
                conll: &conll,
                places: (&places, &data),
            };
            train::calibration(&sets, &out, log)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
