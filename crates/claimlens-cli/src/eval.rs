//! `claimlens eval`: score stages against labelled data.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use claimlens_eval::sentences::{evaluate_sentences, read_conllu};
use clap::{Args, Subcommand};

/// Arguments of `claimlens eval`.
#[derive(Args)]
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
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    match args.task {
        EvalTask::Sentences {
            conllu,
            baseline,
            json,
        } => {
            let docs = read_conllu(&conllu)?;
            let report = evaluate_sentences(&docs);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "sentence boundaries on {} ({} documents, {} gold boundaries)",
                conllu.display(),
                report.docs,
                report.gold_boundaries
            );
            println!(
                "  {:<28} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
                "tool", "P", "R", "F1", "tp", "fp", "fn"
            );
            let c = report.counts;
            println!(
                "  {:<28} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6}",
                "claimlens", report.precision, report.recall, report.f1, c.tp, c.fp, c.fn_
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
            println!(
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
