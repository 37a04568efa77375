//! `claimlens bench`: throughput of ingest + pipeline on a corpus, on one core.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use claimlens_export::{write_json, DocView, ExportOptions};
use claimlens_ingest::{expand, read, IngestOptions};
use claimlens_narratives::stage::Settings;
use claimlens_store::Location;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::inputs::pipeline_with;
use crate::known_cases::narratives_stage;
use crate::memory::peak_rss_bytes;
use crate::models::EmbedderArgs;

/// Arguments of `claimlens bench`.
#[derive(Args)]
#[command(after_help = "\
Runs single-threaded, so every figure is per core. The one-off start-up (the embedded models
decoded, by running every stage once on a short built-in article) is timed and printed on
its own and left out of the rates, as the baselines' model loading is. Bytes are the UTF-8 bytes of the
documents' text (for HTML, of the extracted text); MB = 10^6 bytes. Words are word, number
and URL tokens. Peak RSS is the process high-water mark. The time per step shows where the
pipeline's time goes (each stage, then writing the JSON export, timed on its own); the
per-document percentiles are of the pipeline's time for one document (and of the narratives
stage's, with --db).

Examples (from the repository root):
  claimlens bench --corpus examples/
  claimlens bench --corpus examples/ --json
  # with the narratives stage over a store's cases (BM25 alone; drop --bm25-only for MiniLM):
  claimlens bench --corpus examples/ --db corpus.db --bm25-only
  # ingest and segmentation only:
  claimlens bench --corpus examples/ --disable attribution --disable sourcing \\
      --disable entities --disable temporal --disable amounts --disable places \\
      --disable claims
  # ingest alone:
  claimlens bench --corpus examples/ --disable segment --disable attribution \\
      --disable sourcing --disable entities --disable temporal --disable amounts \\
      --disable places --disable claims
  # beside the tools a user would otherwise pick (python3 bench/throughput_baselines.py
  # writes the baseline file first):
  claimlens bench --corpus corpus.jsonl --baseline bench/out/throughput.json")]
pub struct BenchArgs {
    /// Corpus: JSONL/CSV file, text files or a directory.
    #[arg(long, required = true)]
    corpus: Vec<PathBuf>,
    /// Skip a pipeline stage (repeatable); disabling every stage measures ingest alone. A stage
    /// whose required layers would be missing is refused before anything runs.
    #[arg(long = "disable", value_name = "STAGE")]
    disabled: Vec<String>,
    /// JSON written by bench/throughput_baselines.py, printed side by side with the ratio.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// A store of known cases (`claimlens narratives import`): adds the narratives stage as
    /// `analyze` does, so its cost per article shows (loading the cases is not timed).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// With --db: match with BM25 alone, without the sentence embedder.
    #[arg(long)]
    bm25_only: bool,
    #[command(flatten)]
    embedder: EmbedderArgs,
}

#[derive(Serialize)]
struct BenchReport {
    stages: Vec<&'static str>,
    documents: u64,
    errors: u64,
    bytes: u64,
    words: u64,
    tokens: u64,
    sentences: u64,
    /// Reading and analysing the corpus, start-up left out.
    seconds: f64,
    /// The one-off start-up before the first document: every stage run once on a short
    /// built-in article, which decodes the embedded models.
    startup_seconds: f64,
    mb_per_s: f64,
    words_per_s: f64,
    peak_rss_mib: Option<f64>,
    /// Seconds spent in each stage, then in writing the JSON export (to nowhere, not part of
    /// `seconds`), with their share of `seconds`.
    time_per_step: Vec<StepTime>,
    /// Milliseconds per document of the whole pipeline (ingest and export left out).
    latency_ms: Latency,
    /// The same for the narratives stage alone, when it ran.
    narratives_latency_ms: Option<Latency>,
}

/// Percentiles of per-document times, in milliseconds (nearest rank).
#[derive(Serialize)]
struct Latency {
    p50: f64,
    p99: f64,
    max: f64,
}

impl Latency {
    fn of(mut times: Vec<Duration>) -> Latency {
        times.sort();
        let at = |q: f64| {
            let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1));
            times.get(rank - 1).map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        Latency {
            p50: at(0.50),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

#[derive(Serialize)]
struct StepTime {
    step: String,
    seconds: f64,
    share: f64,
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let stage = match &args.db {
        Some(db) if !Location::of(db).exists() => {
            bail!("no store at {} (--db)", db.display())
        }
        Some(db) => narratives_stage(
            &Location::of(db),
            args.bm25_only,
            &args.embedder,
            Settings::default(),
        )?,
        None => None,
    };
    let pipeline = pipeline_with(
        &args.disabled,
        stage.map(|s| Box::new(s) as Box<dyn claimlens_core::Stage>),
    )?;
    let narratives_step = pipeline
        .stage_names()
        .iter()
        .position(|n| *n == claimlens_narratives::stage::STAGE);
    let (mut latency, mut narratives_latency) = (Vec::new(), Vec::new());
    let expanded = expand(&args.corpus);
    if let Some(e) = expanded.errors.first() {
        bail!("{e}");
    }
    let total_bytes: u64 = expanded
        .inputs
        .iter()
        .filter_map(|i| i.path.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(total_bytes);
        b.set_style(
            ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg}")
                .expect("valid template"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let opts = IngestOptions::default();
    let (mut documents, mut errors, mut bytes, mut words, mut tokens, mut sentences) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    // What a process pays once (decoding the embedded models) is timed apart from the rate a
    // long batch runs at, as the baselines' model loading is.
    let startup = Instant::now();
    pipeline.warm_up();
    let startup_seconds = startup.elapsed().as_secs_f64();
    let mut stage_time = Vec::new();
    let mut export_time = std::time::Duration::ZERO;
    let start = Instant::now();
    for input in &expanded.inputs {
        for item in read(input, &opts) {
            match item {
                Ok(mut doc) => {
                    let before = narratives_step.and_then(|i| stage_time.get(i).copied());
                    let doc_start = Instant::now();
                    let diagnostics = pipeline.run_timed(&mut doc, &mut stage_time);
                    latency.push(doc_start.elapsed());
                    if let Some(i) = narratives_step {
                        narratives_latency.push(stage_time[i] - before.unwrap_or_default());
                    }
                    // What every front-end does next: the JSON export (the API's response).
                    let export_start = Instant::now();
                    write_json(
                        &mut std::io::sink(),
                        &DocView::new(&doc, &diagnostics),
                        ExportOptions::default(),
                    )?;
                    export_time += export_start.elapsed();
                    documents += 1;
                    bytes += doc.text().len() as u64;
                    words += doc.word_count() as u64;
                    tokens += doc.tokens.len() as u64;
                    sentences += doc.sentences.len() as u64;
                    if documents % 256 == 0 {
                        bar.set_position(bytes);
                    }
                }
                Err(_) => errors += 1,
            }
        }
    }
    // The throughput figures are ingest and the pipeline, as before the export was timed;
    // the export's time is reported on its own, on top.
    let seconds = (start.elapsed() - export_time).as_secs_f64();
    bar.finish_and_clear();
    let names = pipeline.stage_names();
    let time_per_step: Vec<StepTime> = names
        .iter()
        .map(|n| n.to_string())
        .zip(stage_time.iter().copied())
        .chain(std::iter::once(("export (json)".to_owned(), export_time)))
        .map(|(step, d)| StepTime {
            step,
            seconds: d.as_secs_f64(),
            share: d.as_secs_f64() / seconds.max(f64::MIN_POSITIVE),
        })
        .collect();
    let report = BenchReport {
        stages: pipeline.stage_names(),
        documents,
        errors,
        bytes,
        words,
        tokens,
        sentences,
        seconds,
        startup_seconds,
        mb_per_s: bytes as f64 / 1e6 / seconds,
        words_per_s: words as f64 / seconds,
        peak_rss_mib: peak_rss_bytes().map(|b| b as f64 / (1024.0 * 1024.0)),
        time_per_step,
        latency_ms: Latency::of(latency),
        narratives_latency_ms: narratives_step.map(|_| Latency::of(narratives_latency)),
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{} documents ({} errors), {:.1} MB, {} words, {} tokens, {} sentences in {:.2} s (after a start-up of {:.2} s); stages: {}",
        report.documents,
        report.errors,
        report.bytes as f64 / 1e6,
        report.words,
        report.tokens,
        report.sentences,
        report.seconds,
        report.startup_seconds,
        if report.stages.is_empty() { "none (ingest only)".to_owned() } else { report.stages.join(", ") }
    );
    outln!(
        "  {:<34} {:>9} {:>13} {:>14}",
        "tool (one core)",
        "MB/s",
        "words/s",
        "peak RSS MiB"
    );
    outln!(
        "  {:<34} {:>9.2} {:>13.0} {:>14}",
        "claimlens",
        report.mb_per_s,
        report.words_per_s,
        report
            .peak_rss_mib
            .map_or("n/a".into(), |m| format!("{m:.1}"))
    );
    if let Some(path) = &args.baseline {
        print_baselines(path, report.mb_per_s)?;
    }
    let l = &report.latency_ms;
    outln!(
        "  per document: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        l.p50,
        l.p99,
        l.max
    );
    if let Some(l) = &report.narratives_latency_ms {
        outln!(
            "  narratives stage per document: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            l.p50,
            l.p99,
            l.max
        );
    }
    outln!("  time per step (share of the pipeline's time; the rest is reading and decoding; the export comes on top):");
    for t in &report.time_per_step {
        outln!(
            "    {:<20} {:>8.3} s {:>6.1}%",
            t.step,
            t.seconds,
            100.0 * t.share
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the baseline tools' figures beside claimlens's.
fn print_baselines(path: &std::path::Path, mb_per_s: f64) -> Result<()> {
    {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let v: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        for r in v["results"].as_array().into_iter().flatten() {
            let mbps = r["mb_per_s"].as_f64().unwrap_or(f64::NAN);
            outln!(
                "  {:<34} {:>9.2} {:>13.0} {:>14.1}   claimlens is {:.1}x faster",
                format!(
                    "{} {} ({:.0} MB)",
                    r["tool"].as_str().unwrap_or("?"),
                    r["version"].as_str().unwrap_or(""),
                    r["mb"].as_f64().unwrap_or(0.0)
                ),
                mbps,
                r["words_per_s"].as_f64().unwrap_or(f64::NAN),
                r["peak_rss_mib"].as_f64().unwrap_or(f64::NAN),
                mb_per_s / mbps
            );
        }
    }
    Ok(())
}
