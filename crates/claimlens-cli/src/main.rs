//! The `claimlens` command: glue between ingest, the pipeline, exports and evaluation.

/// `println!` that returns an error instead of panicking when standard output is closed
/// (`claimlens eval … | head`); `main` turns that error into a quiet exit.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

/// `print!` counterpart of [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?
    }};
}

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod analyze;
mod bench;
mod checkworthy;
mod clusters;
mod document_labels;
mod eval;
mod export;
mod ingest;
mod inputs;
mod known_cases;
mod memory;
mod models;
mod narratives;
mod retrieval;
mod search;
mod serve;
mod speakers;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// claimlens: who claims what, on whose authority, in news articles, with evidence.
#[derive(Parser)]
#[command(name = "claimlens", version, about = "claimlens: who claims what, on whose authority, in news articles: every annotation with exact offsets and the rule or model that produced it.", long_about = None, after_help = "\
Examples:
  claimlens analyze examples/harbour-dispute.txt
  claimlens analyze --format json --out report.json article.html
  claimlens analyze https://example.org/story
  claimlens analyze --format jsonl corpus.jsonl > annotations.jsonl
  claimlens ingest --db corpus.db corpus.jsonl
  claimlens clusters --db corpus.db --threshold 0.5
  claimlens export --db corpus.db --out corpus-tables
  claimlens narratives import --db corpus.db --format claimreview factchecks.json
  claimlens narratives match --db corpus.db examples/harbour-dispute.txt
  claimlens models fetch minilm
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens serve --db corpus.db
  claimlens bench --corpus corpus.jsonl")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze articles (files, directories, URLs or `-` for stdin) and report every annotation.
    Analyze(analyze::AnalyzeArgs),
    /// Analyze articles and keep them, with every layer, in the corpus store (SQLite, or
    /// PostgreSQL by URL).
    Ingest(ingest::IngestArgs),
    /// Full-text search of a store, with outlet, date, speaker and layer filters.
    Search(search::SearchArgs),
    /// Who is quoted in a store, how often, and what they said.
    Speakers(speakers::SpeakersArgs),
    /// Republication clusters: who first published each stored story, and who republished it.
    Clusters(clusters::ClustersArgs),
    /// Write a store's documents and every layer as Parquet or CSV tables.
    Export(export::ExportArgs),
    /// Import fact-checks and documented disinformation cases; match articles' claims to them.
    Narratives(narratives::NarrativesArgs),
    /// Score a stage against labelled data and print precision, recall and F1.
    Eval(eval::EvalArgs),
    /// Measure throughput (words/s, MB/s per core) and peak memory on a corpus.
    Bench(bench::BenchArgs),
    /// Fetch the models that are not embedded (the MiniLM sentence embedder) and show where
    /// they are.
    Models(models::ModelsArgs),
    /// Train a model from labelled data.
    Train(train::TrainArgs),
    /// Serve the web workbench and JSON API (loopback, port 8080 by default).
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(args),
        Command::Speakers(args) => speakers::run(args),
        Command::Clusters(args) => clusters::run(args),
        Command::Export(args) => export::run(args),
        Command::Narratives(args) => narratives::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Models(args) => models::run(args),
        Command::Train(args) => train::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`| head`): nothing more to say, as for any Unix filter.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors name files and quote input: cleaned so neither can drive the terminal.
            let message = format!("{e:#}");
            eprintln!(
                "claimlens: error: {}",
                claimlens_export::terminal::clean(&message)
            );
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
