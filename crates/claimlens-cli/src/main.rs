//! The `claimlens` command: glue between ingest, the pipeline, exports and evaluation.

mod analyze;
mod bench;
mod eval;
mod memory;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// claimlens: who claims what, on whose authority, in news articles, with evidence.
#[derive(Parser)]
#[command(name = "claimlens", version, about = "claimlens: who claims what, on whose authority, in news articles: every annotation with exact offsets and the rule or model that produced it.", long_about = None, after_help = "\
Examples:
  claimlens analyze examples/harbour-dispute.txt
  claimlens analyze --format json --out report.json article.html
  claimlens analyze --format jsonl corpus.jsonl > annotations.jsonl
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens bench --corpus corpus.jsonl")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze articles (files, directories or `-` for stdin) and report every annotation.
    Analyze(analyze::AnalyzeArgs),
    /// Score a stage against labelled data and print precision, recall and F1.
    Eval(eval::EvalArgs),
    /// Measure throughput (words/s, MB/s per core) and peak memory on a corpus.
    Bench(bench::BenchArgs),
    /// Train a model from labelled data.
    Train(train::TrainArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Train(args) => train::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("claimlens: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
