//! `claimlens analyze`: read inputs, run the pipeline, write a report.

mod error_records;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use claimlens_export::terminal::clean;
use claimlens_export::{ExportOptions, LayerDump, Sink, SinkOptions, TextOptions, HTML_DOC_LIMIT};
use claimlens_ingest::{read, IngestError, Ingested};
use claimlens_narratives::stage as narratives;
use claimlens_pipeline::parallel::for_each_ordered;
use claimlens_store::Location;
use clap::{Args, ValueEnum};

use self::error_records::{write_error_record, SharedOut};
use crate::inputs::{
    document_done, input_done, input_help, plural, progress_bar, report_skipped, InputArgs,
    PipelineArgs,
};
use crate::known_cases::{existing_store, narratives_stage};
use crate::models::EmbedderArgs;

/// Output formats (the CLI's names for [`claimlens_export::OutputFormat`]).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    /// Readable terminal report (colours only on a terminal).
    Text,
    /// One JSON object per document (an array when there are several).
    Json,
    /// One JSON object per line, per document.
    Jsonl,
    /// One self-contained HTML page with highlighted layers.
    Html,
}

impl From<OutputFormat> for claimlens_export::OutputFormat {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Text => claimlens_export::OutputFormat::Text,
            OutputFormat::Json => claimlens_export::OutputFormat::Json,
            OutputFormat::Jsonl => claimlens_export::OutputFormat::Jsonl,
            OutputFormat::Html => claimlens_export::OutputFormat::Html,
        }
    }
}

/// Arguments of `claimlens analyze`.
#[derive(Args)]
#[command(after_help = concat!(input_help!(), "\
--format jsonl is a streaming filter: each document's line is written (and flushed) as soon
as it is analyzed, in input order, so `analyze --format jsonl -` can run under Spark's
RDD.pipe or Hadoop Streaming (docs/scale.md). A record that fails (broken JSON, no text
field, empty text, over --max-doc-bytes) writes no line by default, only a message on stderr;
with --error-records it writes, in its place, one line
{\"schema\":\"claimlens.error/1\",\"source\":\"-\",\"record\":N,\"id\":...,\"error\":\"...\"}
(`record` the 1-based line, `id` the record's own id or null), so every non-blank input line
has exactly one output line. Pass --input-format jsonl too: otherwise a stream whose first
line is not JSON is sniffed as one plain-text document. With --error-records every failure
is written, so the exit status is 0 even when no record could be analyzed or there were none
(an empty partition); --strict still exits 1 when any record failed.

--out: the file is replaced only when the run analyzed at least one document or ran with
--error-records (it is written beside the target under a temporary name, then renamed), and
never when it is also an input.

Exit status: 0 when at least one document was analyzed (errors are listed on stderr and
counted in the summary) or with --error-records, 1 when none could be, 2 on a usage error.
--strict makes any input error exit 1.

--layers: the terminal report opens with the claims, who said what, source chains,
entities, places and timeline; --layers adds every layer's annotations after them (offsets,
text, attributes, the rule that made each), --layers times,entities only those layers. A
value right after --layers is read as layer names: put inputs before it, or use --layers=all.

Known narratives: when the store (--db, else claimlens/corpus.db in the user's data folder)
exists and holds cases (claimlens narratives import), each claim is matched against them and
every report shows the matched fact-checks beside the claim (the `narratives` layer,
docs/schema.md); stderr says which matcher ranked (BM25 with MiniLM sentence embeddings once
fetched, else BM25 alone, as `claimlens narratives match`). --no-narratives (or --disable
narratives) skips it; without a store nothing is matched and no store is created.

Examples:
  claimlens analyze examples/harbour-dispute.txt
  claimlens narratives import --db cases.db --format tsv --source desk checks.tsv
  claimlens analyze --db cases.db --bm25-only examples/harbour-dispute.txt
  claimlens analyze examples/harbour-dispute.txt --layers
  claimlens analyze --layers times,entities examples/harbour-dispute.txt
  claimlens analyze --format html --out report.html examples/
  claimlens analyze --format jsonl --field text=body news.csv > out.jsonl
  claimlens analyze --date 2019-02-05 article.txt
  claimlens analyze --follow --format jsonl --out corpus/annotations.jsonl corpus/
  claimlens analyze --format jsonl export.json
  claimlens analyze --claims-only --format jsonl examples/ > claims.jsonl
  claimlens analyze --lossy --encoding utf-8 damaged.txt
  claimlens analyze --format jsonl crawl.warc.gz > crawl.jsonl
  claimlens analyze -j 2 --format jsonl corpus/ > out.jsonl
  claimlens analyze -j 1 --input-format jsonl --format jsonl --error-records - < part.jsonl
  claimlens analyze https://example.org/story
  claimlens analyze --format json --fetch-timeout 10 https://example.org/story local.html
  claimlens analyze --allow-private-fetch http://intranet.local/memo.html
  claimlens analyze --input-format html <(curl -s https://example.org/story)
  curl -s https://example.org/story | claimlens analyze --input-format html -"))]
pub struct AnalyzeArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write to this file instead of stdout.
    #[arg(short, long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// The store whose known narratives claims are matched against (default:
    /// claimlens/corpus.db in the user's data folder). Read only when it exists; never
    /// created.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Do not match claims against the store's known narratives (as --disable narratives).
    #[arg(long)]
    no_narratives: bool,
    /// Match known narratives with BM25 alone, without the sentence embedder.
    #[arg(long)]
    bm25_only: bool,
    #[command(flatten)]
    embedder: EmbedderArgs,
    /// With `--format jsonl`: one line per claim instead of per document (document id,
    /// source, rank, checkworthy, type, speaker, sourcing, offsets, text, checkable details),
    /// most check-worthy first within each document; a triage list for a verification desk.
    #[arg(long)]
    claims_only: bool,
    /// With `--format jsonl`: write a `claimlens.error/1` line in place of each record that
    /// fails, so the output has one line per input record, in input order (a filter for
    /// RDD.pipe or Hadoop Streaming).
    #[arg(long)]
    error_records: bool,
    /// With the terminal report: after the summaries, list the annotations of every layer
    /// (`--layers` or `--layers all`) or of the named ones (`--layers times,entities`).
    #[arg(
        long,
        value_name = "LAYERS",
        num_args = 0..=1,
        default_missing_value = "all",
        value_parser = parse_layers
    )]
    layers: Option<LayerDump>,
    /// Include tokens in JSON output.
    #[arg(long)]
    tokens: bool,
    /// Exit with status 1 if any input or record failed.
    #[arg(long)]
    strict: bool,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// A `--layers` value; the error (an unknown name) lists the valid names.
fn parse_layers(value: &str) -> Result<LayerDump, String> {
    LayerDump::parse(value).map_err(|e| {
        format!("{e} (to list every layer, write --layers after the inputs, or --layers=all)")
    })
}

pub fn run(args: AnalyzeArgs) -> Result<ExitCode> {
    if args.layers.is_some() && args.format != OutputFormat::Text {
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "--layers lists layers in the terminal report: use it with --format text (JSON \
             and HTML always carry every layer)\n",
        )
        .exit();
    }
    if args.claims_only && args.format != OutputFormat::Jsonl {
        // A usage error (exit 2), like the ones clap reports itself.
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "--claims-only writes one JSON line per claim: use it with --format jsonl\n",
        )
        .exit();
    }
    if args.error_records && args.format != OutputFormat::Jsonl {
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "--error-records writes a JSON line in place of each failed record: use it with \
             --format jsonl\n",
        )
        .exit();
    }
    let opts = args.input.ingest_options()?;
    // The known-narratives stage, when a store with cases is there: loaded once per run.
    let matching = !args.no_narratives && !args.pipeline.disables(narratives::STAGE);
    let store = matching
        .then(|| existing_store(args.db.as_deref()))
        .flatten();
    if let Some(db) = args.db.as_deref().filter(|_| matching && store.is_none()) {
        eprintln!(
            "claimlens: no store at {} (--db): claims are not matched to known cases",
            clean(&db.display().to_string())
        );
    }
    let stage = match &store {
        Some(db) => narratives_stage(
            db,
            args.bm25_only,
            &args.embedder,
            narratives::Settings::default(),
        )?,
        None => None,
    };
    let pipeline = args
        .pipeline
        .build_with(stage.map(|s| Box::new(s) as Box<dyn claimlens_core::Stage>))?;

    let store_file = match &store {
        Some(Location::File(path)) => Some(path.clone()),
        _ => None,
    };
    let never_read: Vec<PathBuf> = args.out.iter().chain(&store_file).cloned().collect();
    let expanded = args.input.expand(never_read);
    let mut errors = 0u64;
    for e in &expanded.errors {
        eprintln!("claimlens: {}", clean(&e.to_string()));
        errors += 1;
    }
    report_skipped(&expanded.skipped);

    // `--out` goes to a temporary file beside the target, renamed over it only when the run
    // analyzed something: a failed run never truncates an earlier report, concurrent runs
    // never interleave, and an input is never overwritten.
    let out_file = args
        .out
        .as_deref()
        .map(|p| OutFile::create(p, &expanded.inputs))
        .transpose()?;
    // The sink writes documents to one handle, error lines go to the other: one buffer, so
    // both keep the input order.
    let mut out = SharedOut::new(match &out_file {
        Some(f) => Box::new(BufWriter::new(f.writer()?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    });
    // A JSONL line is flushed once written, so a reader of a pipe sees each document when it
    // is done, not when the buffer fills or the input ends.
    let streaming = args.format == OutputFormat::Jsonl;
    if args.error_records {
        for e in &expanded.errors {
            write_error_record(&mut out, e)?;
        }
    }
    let color =
        args.out.is_none() && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let progress = progress_bar(args.no_progress, &args.input, expanded.inputs.len());

    let mut sink = Sink::new(
        out.clone(),
        SinkOptions {
            format: if args.claims_only {
                claimlens_export::OutputFormat::ClaimsJsonl
            } else {
                args.format.into()
            },
            export: ExportOptions {
                tokens: args.tokens,
            },
            text: TextOptions {
                color,
                layers: args.layers.unwrap_or_default(),
            },
        },
    );
    let mut analyzed = 0u64;
    // Documents are read on one thread, analysed on `jobs`, and written here in input order.
    let items = expanded.inputs.iter().flat_map(|input| {
        read(input, &opts)
            .with_diagnostics()
            .map(Some)
            .chain(std::iter::once(None))
    });
    let analyze = |item: Option<Result<Ingested, IngestError>>| {
        item.map(|r| {
            r.map(|mut ingested| {
                let found = pipeline.run(&mut ingested.doc);
                ingested.diagnostics.extend(found);
                ingested
            })
        })
    };
    for_each_ordered(pipeline.jobs, items, analyze, |done| -> Result<()> {
        match done {
            // The end of an input.
            None => {
                input_done(&progress);
                return Ok(());
            }
            Some(Ok(Ingested { doc, diagnostics })) => {
                sink.write(doc, diagnostics)?;
                analyzed += 1;
            }
            Some(Err(e)) => {
                progress.suspend(|| eprintln!("claimlens: {}", clean(&e.to_string())));
                if args.error_records {
                    write_error_record(&mut out, &e)?;
                }
                errors += 1;
            }
        }
        if streaming {
            out.flush()?;
        }
        document_done(&progress);
        progress.set_message(format!("{analyzed} documents, {errors} errors"));
        Ok(())
    })?;
    let written = sink.finish()?;
    progress.finish_and_clear();
    // With --error-records every record has its line, so the output is complete even when
    // none could be analyzed.
    let complete = analyzed > 0 || args.error_records;
    if let Some(f) = out_file.filter(|_| complete) {
        f.commit()?;
    }
    if written.left_out > 0 {
        eprintln!(
            "claimlens: the HTML report shows the first {HTML_DOC_LIMIT} documents; \
             {} more were analyzed but left out (use --format jsonl for corpora)",
            written.left_out
        );
    }

    if analyzed != 1 || errors > 0 || !expanded.skipped.is_empty() {
        eprintln!(
            "claimlens: analyzed {analyzed} document{}, {errors} error{}, {} skipped file{}",
            plural(analyzed),
            plural(errors),
            expanded.skipped.len(),
            plural(expanded.skipped.len() as u64)
        );
    }
    if analyzed == 0 && !args.error_records {
        if errors == 0 {
            bail!("no input documents found");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(if args.strict && errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The `--out` file being written: a temporary file in the target's folder until
/// [`OutFile::commit`] renames it over the target (dropped uncommitted, it is removed).
struct OutFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl OutFile {
    fn create(path: &Path, inputs: &[claimlens_ingest::Input]) -> Result<OutFile> {
        if let Ok(target) = path.canonicalize() {
            let is_input = inputs
                .iter()
                .filter_map(|i| i.path.as_ref())
                .any(|p| p.canonicalize().is_ok_and(|p| p == target));
            if is_input {
                bail!(
                    "--out {} is also an input; refusing to overwrite it",
                    path.display()
                );
            }
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".claimlens-")
            .suffix(".part")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(OutFile {
            path: path.to_owned(),
            tmp,
        })
    }

    fn writer(&self) -> Result<File> {
        self.tmp
            .reopen()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Replaces the target with what was written, keeping an existing target's permissions
    /// (a new one gets the usual rw-r--r-- rather than the temporary file's owner-only mode).
    fn commit(self) -> Result<()> {
        let kept = std::fs::metadata(&self.path).ok().map(|m| m.permissions());
        if let Some(permissions) = kept.or_else(default_permissions) {
            std::fs::set_permissions(self.tmp.path(), permissions)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        self.tmp
            .persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}

/// Permissions of a new `--out` file: rw-r--r--, as a plain `create` would give under the
/// usual umask.
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
