//! `claimlens eval`: score stages against labelled data.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use claimlens_analyzers::attribution::{Model, EMBEDDED_MODEL};
use claimlens_eval::attribution_model::evaluate_attribution_model;
use claimlens_eval::sentences::{evaluate_sentences, read_conllu};
use clap::{Args, Subcommand};

/// Arguments of `claimlens eval`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens eval extraction --data ../shared/data/article-extraction
  claimlens eval attribution --polnear ../shared/data/polnear/dev
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt
  claimlens eval dates --table data/date-expressions/expressions.tsv
  claimlens eval places --table data/place-mentions/mentions.tsv")]
pub struct EvalArgs {
    #[command(subcommand)]
    task: EvalTask,
}

#[derive(Subcommand)]
enum EvalTask {
    /// Sentence boundaries on a CoNLL-U treebank (UD English EWT dev).
    #[command(after_help = "\
Each `# newdoc` is rebuilt as one text (sentences joined by a space, or a newline at
`# newpar`); boundaries are sentence-end code-point offsets, document ends excluded.

Examples:
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens eval sentences --conllu en_ewt-ud-dev.conllu --baseline bench/out/sentences.json")]
    Sentences {
        /// The CoNLL-U file.
        #[arg(long)]
        conllu: PathBuf,
        /// JSON written by bench/sentences_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// HTML article extraction on the article-extraction benchmark (shingle P/R/F1, pages/s).
    #[command(after_help = "\
Metric as defined by the benchmark: 4-token shingles of \\w+ tokens, per-page tp/fp/fn
normalised, precision and recall averaged over pages, F1 their harmonic mean.

Examples:
  claimlens eval extraction --data ../shared/data/article-extraction
  claimlens eval extraction --data ../shared/data/article-extraction --baseline bench/out/extraction.json")]
    Extraction {
        /// The benchmark directory (ground-truth.json and html/).
        #[arg(long)]
        data: PathBuf,
        /// JSON written by bench/extraction_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Attribution relations (source, cue, content) on a PolNeAR split.
    #[command(after_help = "\
Scores cue, source and content spans (exact after trimming edge punctuation, and overlap)
and whole relations against the reference annotator; then direct quotes alone (contents
enclosed in quotation marks) and quotes with their source; then how well the span scores
predict an exact match (Brier score, expected calibration error, share right per score bin).

Examples:
  claimlens eval attribution --polnear ../shared/data/polnear/dev
  claimlens eval attribution --polnear ../shared/data/polnear/dev --model /tmp/attribution.bin")]
    Attribution {
        /// A PolNeAR split directory (text/ and attributions/).
        #[arg(long)]
        polnear: PathBuf,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Human agreement on attribution: PolNeAR's doubly annotated articles, one annotator
    /// scored against the other exactly as `eval attribution` scores the tagger.
    #[command(after_help = "\
The reference annotator (id sorting first) is gold and the next one is scored; figures are a
ceiling for the tagger's on the same metric.

Example:
  claimlens eval agreement --polnear ../shared/data/polnear/train --polnear ../shared/data/polnear/dev")]
    Agreement {
        /// PolNeAR split directories (repeat the flag for several).
        #[arg(long, required = true)]
        polnear: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Named entities on CoNLL-2003 (conlleval semantics), with tagging speed.
    #[command(after_help = "\
An entity counts as found only with exact boundaries and type (PER, ORG, LOC, MISC); scores are
micro-averaged. The gold tokenization is used, so only the tagger is measured; words/s counts
feature extraction and decoding on one core, not reading the file.

Examples:
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt --baseline bench/out/ner.json
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt --model /tmp/entities.bin --json")]
    Ner {
        /// A CoNLL-2003 file (`word POS chunk tag`).
        #[arg(long)]
        conll: PathBuf,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// JSON written by bench/ner_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Part-of-speech classes on Penn Treebank-tagged text (CoNLL-2003 or CoNLL-U XPOS).
    #[command(after_help = "\
Treebank tags are mapped to the tagger's twenty coarse classes; accuracy is per token, on
the gold tokenization. Give --conll (CoNLL-2003 columns) or --conllu (the XPOS column).

Examples:
  claimlens eval pos --conll ../shared/data/conll2003/valid.txt
  claimlens eval pos --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu --json")]
    Pos {
        /// A CoNLL-2003 file (`word POS chunk tag`).
        #[arg(long, conflicts_with = "conllu", required_unless_present = "conllu")]
        conll: Option<PathBuf>,
        /// A CoNLL-U file (XPOS column).
        #[arg(long)]
        conllu: Option<PathBuf>,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Speaker resolution on hand-labelled pronoun and role-description sources of PolNeAR.
    #[command(after_help = "\
Runs the sourcing stage on gold attribution layers built from the PolNeAR relations, so that
only speaker resolution is measured, and compares each labelled source's canonical speaker
with the hand label (data/speaker-labels/README.md): correct when equal ignoring case or when
both end in the same word (surname); a NONE label is correct when the prediction is
`anonymous` or `unresolved`.

Examples:
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv --verbose
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv --json > speakers.json
  claimlens eval speakers --polnear ../shared/data/polnear/train \\
      --labels data/speaker-labels/polnear-train-heldout.tsv   # held out")]
    Speakers {
        /// The PolNeAR split directory the labels were made on (text/ and attributions/):
        /// `dev` for polnear-dev.tsv, `train` for polnear-train-heldout.tsv.
        #[arg(long)]
        polnear: PathBuf,
        /// The hand labels (TSV).
        #[arg(long)]
        labels: PathBuf,
        /// Print the report as JSON (errors included).
        #[arg(long)]
        json: bool,
        /// Also print every wrongly resolved source and every match by surname only.
        #[arg(long)]
        verbose: bool,
    },
    /// Time-expression detection and normalisation on hand-labelled expressions in their
    /// real context.
    #[command(after_help = "\
Each row names a shared file, a code-point offset, the expression, a reference date and the
expected TIMEX3 / ISO 8601 value (data/date-expressions/README.md). The expression's line
(its field for CSV files) is analysed by segment + temporal with that reference date;
detection = a `times` annotation overlaps it, accuracy = the most overlapping annotation's
value equals the expected one (over all rows).

Examples:
  claimlens eval dates --table data/date-expressions/expressions.tsv
  claimlens eval dates --table data/date-expressions/expressions.tsv --shared ../shared/data --verbose
  claimlens eval dates --table data/date-expressions/expressions.tsv --json > dates.json")]
    Dates {
        /// The labelled expressions (TSV).
        #[arg(long)]
        table: PathBuf,
        /// The shared data directory the table's paths are relative to.
        #[arg(long, default_value = "../shared/data")]
        shared: PathBuf,
        /// Print the report as JSON (mistakes included).
        #[arg(long)]
        json: bool,
        /// Also print every missed or wrongly normalised expression.
        #[arg(long)]
        verbose: bool,
    },
    /// Place resolution on hand-labelled place mentions (data/place-mentions/).
    #[command(after_help = "\
Reads each labelled article from the data directory, runs segmentation, the entity tagger
and the places stage (as the default pipeline does), and scores every labelled mention:
detected (a PLACE annotation overlaps it) and correct (the same GeoNames id, or, when the
label has none, the same country and kind and the same name or a point within 25 km). Also prints the places stage's time per document and the one-off
gazetteer load.

Examples:
  claimlens eval places --table data/place-mentions/mentions.tsv
  claimlens eval places --table data/place-mentions/seed.tsv --verbose
  claimlens eval places --table data/place-mentions/mentions.tsv --data ../shared/data --json")]
    Places {
        /// The labelled mentions (TSV; data/place-mentions/README.md).
        #[arg(long)]
        table: PathBuf,
        /// Directory the table's file paths are relative to.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Print the report as JSON (mistakes included).
        #[arg(long)]
        json: bool,
        /// Also print every mention that was missed or resolved wrongly.
        #[arg(long)]
        verbose: bool,
    },
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    match args.task {
        EvalTask::Ner {
            conll,
            model,
            baseline,
            json,
        } => eval_ner(&conll, model.as_deref(), baseline.as_deref(), json),
        EvalTask::Pos {
            conll,
            conllu,
            model,
            json,
        } => eval_pos(conll.as_deref(), conllu.as_deref(), model.as_deref(), json),
        EvalTask::Dates {
            table,
            shared,
            json,
            verbose,
        } => {
            let report = claimlens_eval::dates::evaluate_dates(&table, &shared)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!("{report}");
            if verbose {
                outln!("missed or wrongly normalised (expected vs predicted):");
                out!("{}", report.mistakes_table());
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Extraction {
            data,
            baseline,
            json,
        } => {
            let report = claimlens_eval::extraction::evaluate_extraction(&data)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!("{report}");
            if let Some(path) = baseline {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let v: serde_json::Value = serde_json::from_str(&text)
                    .with_context(|| format!("parsing {}", path.display()))?;
                for (tool, r) in v["results"].as_object().into_iter().flatten() {
                    outln!(
                        "  {:<12} {:>9.4} {:>7.4} {:>7.4} {:>8.1}   ({})",
                        tool,
                        r["precision"].as_f64().unwrap_or(f64::NAN),
                        r["recall"].as_f64().unwrap_or(f64::NAN),
                        r["f1"].as_f64().unwrap_or(f64::NAN),
                        r["pages_per_s"].as_f64().unwrap_or(f64::NAN),
                        r["label"].as_str().unwrap_or("")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Attribution {
            polnear,
            model,
            json,
        } => {
            let docs = claimlens_eval::polnear::read_polnear(&polnear)?;
            let model = match model {
                Some(p) => {
                    let bytes =
                        std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
                    Model::from_bytes(&bytes)?
                }
                None => Model::from_bytes(EMBEDDED_MODEL)?,
            };
            let run = evaluate_attribution_model(&docs, &model);
            if json {
                let mut v = serde_json::to_value(&run.report)?;
                v["calibration"] = serde_json::to_value(&run.calibration)?;
                v["calibration"]["brier"] = run.calibration.brier().into();
                v["calibration"]["ece"] = run.calibration.ece().into();
                outln!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!(
                    "attribution on {} ({} documents)",
                    polnear.display(),
                    docs.len()
                );
                outln!("{}", run.report);
                outln!(
                    "segmentation + tagging: {:.0} words/s on one core ({} words, {:.2} s)",
                    run.words as f64 / run.seconds,
                    run.words,
                    run.seconds
                );
                outln!("span scores against exact matches: {}", run.calibration);
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Agreement { polnear, json } => {
            let dirs: Vec<&std::path::Path> = polnear.iter().map(PathBuf::as_path).collect();
            let agreement = claimlens_eval::agreement::annotator_agreement(&dirs)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&agreement.report)?);
            } else {
                outln!(
                    "second annotator against the reference on {} doubly annotated articles",
                    agreement.articles
                );
                outln!("{}", agreement.report);
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Speakers {
            polnear,
            labels,
            json,
            verbose,
        } => {
            let report = claimlens_eval::speakers::evaluate_speakers(&polnear, &labels)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!("{report}");
            if verbose {
                outln!("wrongly resolved (expected vs predicted):");
                out!("{}", report.errors_table());
                outln!("counted correct by the surname rule only:");
                out!("{}", report.surname_matches_table());
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Places {
            table,
            data,
            json,
            verbose,
        } => {
            let report = claimlens_eval::places::evaluate_places(&data, &table)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!("{report}");
            if verbose {
                outln!("missed or wrongly resolved (expected vs predicted):");
                out!("{}", report.mistakes_table());
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalTask::Sentences {
            conllu,
            baseline,
            json,
        } => {
            let docs = read_conllu(&conllu)?;
            let report = evaluate_sentences(&docs);
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            outln!(
                "sentence boundaries on {} ({} documents, {} gold boundaries)",
                conllu.display(),
                report.docs,
                report.gold_boundaries
            );
            outln!(
                "  {:<28} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
                "tool",
                "P",
                "R",
                "F1",
                "tp",
                "fp",
                "fn"
            );
            let c = report.counts;
            outln!(
                "  {:<28} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6}",
                "claimlens",
                report.precision,
                report.recall,
                report.f1,
                c.tp,
                c.fp,
                c.fn_
            );
            if let Some(path) = baseline {
                print_baselines(&path)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the rows of a baseline JSON (`results: {tool: {precision, recall, f1, tp, fp, fn}}`).
fn print_baselines(path: &PathBuf) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let versions = &v["versions"];
    if let Some(results) = v["results"].as_object() {
        for (tool, r) in results {
            let name = match versions[tool].as_str() {
                Some(ver) => format!("{tool} {ver}"),
                None => tool.clone(),
            };
            outln!(
                "  {:<28} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6}",
                name,
                r["precision"].as_f64().unwrap_or(f64::NAN),
                r["recall"].as_f64().unwrap_or(f64::NAN),
                r["f1"].as_f64().unwrap_or(f64::NAN),
                r["tp"],
                r["fp"],
                r["fn"]
            );
        }
    }
    Ok(())
}

fn eval_ner(
    conll: &std::path::Path,
    model: Option<&std::path::Path>,
    baseline: Option<&std::path::Path>,
    json: bool,
) -> Result<ExitCode> {
    use claimlens_analyzers::entities;
    let owned;
    let model = match model {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            owned = entities::Model::from_bytes(&bytes)?;
            &owned
        }
        None => entities::embedded_model()?,
    };
    let docs = claimlens_eval::conll::read_conll(conll)?;
    let report = claimlens_eval::ner::evaluate_ner(model, &docs);
    if json {
        let mut v = serde_json::to_value(&report)?;
        v["words_per_sec"] = report.words_per_sec().into();
        outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "NER on {} ({} documents, {} words), exact entity match:",
        conll.display(),
        report.documents,
        report.words
    );
    outln!(
        "  {:<28} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "",
        "P",
        "R",
        "F1",
        "tp",
        "fp",
        "fn"
    );
    let row = |name: &str, c: &claimlens_eval::Counts| -> std::io::Result<()> {
        outln!(
            "  {:<28} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6}",
            name,
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        );
        Ok(())
    };
    row("claimlens (all types)", &report.overall)?;
    for (t, c) in &report.per_type {
        row(&format!("  {t}"), c)?;
    }
    outln!(
        "  speed: {:.0} words/s on one core ({:.3} s)",
        report.words_per_sec(),
        report.elapsed.as_secs_f64()
    );
    if let Some(path) = baseline {
        print_ner_baseline(path, report.words_per_sec())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the baseline taggers of bench/ner_baselines.py, with their speed relative to ours.
fn print_ner_baseline(path: &std::path::Path, ours_wps: f64) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let Some(results) = v["results"].as_object() else {
        return Ok(());
    };
    for (tool, r) in results {
        let name = match v["versions"][tool].as_str() {
            Some(ver) => format!("{tool} {ver}"),
            None => tool.clone(),
        };
        let f = |k: &str| r[k].as_f64().unwrap_or(f64::NAN);
        outln!(
            "  {:<28} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6}",
            name,
            f("precision"),
            f("recall"),
            f("f1"),
            r["tp"],
            r["fp"],
            r["fn"]
        );
        if let Some(types) = r["per_type"].as_object() {
            for (t, c) in types {
                let g = |k: &str| c[k].as_f64().unwrap_or(f64::NAN);
                outln!(
                    "  {:<28} {:>7.4} {:>7.4} {:>7.4}",
                    format!("  {t}"),
                    g("precision"),
                    g("recall"),
                    g("f1")
                );
            }
        }
        let wps = f("words_per_sec");
        outln!(
            "  speed: {wps:.0} words/s on one core; claimlens is {:.1}x faster",
            ours_wps / wps
        );
    }
    Ok(())
}

fn eval_pos(
    conll: Option<&Path>,
    conllu: Option<&Path>,
    model: Option<&Path>,
    json: bool,
) -> Result<ExitCode> {
    use claimlens_analyzers::pos;
    use claimlens_eval::pos::{evaluate_pos, read_conll_pos, read_conllu_pos};
    let (path, sentences) = match (conll, conllu) {
        (Some(p), _) => (p, read_conll_pos(p)?),
        (None, Some(p)) => (p, read_conllu_pos(p)?),
        (None, None) => anyhow::bail!("give --conll or --conllu"),
    };
    let loaded;
    let model = match model {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            loaded = pos::Model::from_bytes(&bytes)?;
            &loaded
        }
        None => pos::Model::embedded()?,
    };
    let report = evaluate_pos(model, &sentences);
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "part of speech ({}: {} sentences, {} tokens)\n  accuracy {:.4}   verb forms {:.4} ({} verbs)\n  {:.0} words/s on one core",
            path.display(),
            report.sentences,
            report.tokens,
            report.accuracy(),
            report.verb_accuracy(),
            report.verbs,
            report.words_per_sec
        );
    }
    Ok(ExitCode::SUCCESS)
}
