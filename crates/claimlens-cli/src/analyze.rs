//! `claimlens analyze`: read inputs, run the pipeline, write a report.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use claimlens_export::terminal::clean;
use claimlens_export::{ExportOptions, Sink, SinkOptions, TextOptions, HTML_DOC_LIMIT};
use claimlens_ingest::{
    expand_with, read, Format, IngestOptions, Ingested, SkipReason, Skipped, WalkOptions,
};
use claimlens_pipeline::{parse_reference_date, Pipeline};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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

/// Input formats, overriding extensions and sniffing.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InputFormat {
    /// Plain text, one article per file.
    Text,
    /// An HTML page, one article per file.
    Html,
    /// JSON Lines, one article per line.
    Jsonl,
    /// A JSON array of objects (or objects one after another), one article per object.
    Json,
    /// CSV with a header, one article per record.
    Csv,
    /// A web archive (WARC, plain or gzip-compressed), one article per archived HTML page.
    Warc,
}

/// Arguments of `claimlens analyze`.
#[derive(Args)]
#[command(after_help = "\
Inputs: files of any extension (format sniffed), directories (walked recursively in sorted
order; .txt .md .html .htm .jsonl .ndjson .json .csv .warc .warc.gz files are read, others
are counted as skipped), or `-` for stdin. Inside directories, FIFOs, sockets and devices are skipped (they
can block or never end; a pipe named directly, such as `<(curl …)`, is read), symbolic links
are skipped unless --follow (links looping back are skipped either way), and the --out file
is never read back.

Formats come from the extension, else from the content: a web archive (`WARC/1.`, or gzip),
HTML, JSONL (`{`), a JSON array (`[{`), CSV (a header line naming an article column), else
plain text. In a web archive (WARC 1.0/1.1, plain or one gzip member per record), every
successful HTML response or resource record is an article (chunked and gzip/deflate bodies
are decoded); its target URI and date go to meta.fetched_url / fetched_at, its WARC-Record-ID
is the document id; other records (requests, redirects, images, metadata) are passed over.
JSON/JSONL/CSV fields: text|body|content|articleBody, html, id, title, url, outlet|source,
author|byline, published|date, language (override with --field text=body).

Encodings: a byte-order mark, then --encoding, else UTF-8, UTF-16 without a BOM (from its
NUL bytes) or a detected legacy encoding (an info diagnostic says which). Invalid UTF-8 is an
error naming the first bad byte (a quotation must not be silently altered), also when the
text is ASCII with a few stray bytes; --lossy replaces the bad bytes with U+FFFD and a warning
counts them. An HTML page where no article is found but a real paragraph is, is analyzed as
its body text, with a warning.

--max-doc-bytes is kept while reading: a larger file is refused unread, and stdin, pipes and
devices stop at the limit (\"more than N bytes\"). A JSONL line or JSON element over it is
skipped; a CSV record over it ends that input.

Reference date: relative time expressions (\"last year\", \"on Friday\") are resolved against
--date when given, otherwise against each document's publication date from its metadata;
without either they stay relative (anchor \"unresolved\") and an info diagnostic says so.

--out: the file is replaced only when the run analyzed at least one document (it is written
beside the target under a temporary name, then renamed), and never when it is also an input.

Exit status: 0 when at least one document was analyzed (errors are listed on stderr and
counted in the summary), 1 when none could be, 2 on a usage error. --strict makes any
input error exit 1.

Examples:
  claimlens analyze examples/harbour-dispute.txt
  claimlens analyze --format html --out report.html examples/
  claimlens analyze --format jsonl --field text=body news.csv > out.jsonl
  claimlens analyze --date 2019-02-05 article.txt
  claimlens analyze --follow --format jsonl --out corpus/annotations.jsonl corpus/
  claimlens analyze --format jsonl export.json
  claimlens analyze --claims-only --format jsonl examples/ > claims.jsonl
  claimlens analyze --lossy --encoding utf-8 damaged.txt
  claimlens analyze --format jsonl crawl.warc.gz > crawl.jsonl
  claimlens analyze --input-format html <(curl -s https://example.org/story)
  curl -s https://example.org/story | claimlens analyze --input-format html -")]
pub struct AnalyzeArgs {
    /// Files, directories, or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write to this file instead of stdout.
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Treat every input as this format instead of using extensions and sniffing.
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// Decode text and HTML inputs with this encoding (WHATWG label: utf-8, windows-1252, ...).
    #[arg(long)]
    encoding: Option<String>,
    /// Replace invalid UTF-8 in text and HTML inputs with U+FFFD instead of refusing them; a
    /// warning counts the replacements and gives the first one's byte offset.
    #[arg(long)]
    lossy: bool,
    /// Map a document field to a JSONL key / CSV column, e.g. `text=body` (repeatable).
    #[arg(long = "field", value_name = "FIELD=NAME")]
    fields: Vec<String>,
    /// Follow symbolic links found inside directories (links named as inputs are always
    /// followed; links that loop back are skipped either way).
    #[arg(long)]
    follow: bool,
    /// Largest accepted document, JSONL line or CSV record, in bytes.
    #[arg(long, default_value_t = claimlens_ingest::DEFAULT_MAX_DOC_BYTES)]
    max_doc_bytes: u64,
    /// Publication date used as the reference for relative dates (YYYY-MM-DD); overrides
    /// the date found in each document's metadata.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_reference_date)]
    date: Option<String>,
    /// Skip a pipeline stage (repeatable).
    #[arg(long = "disable", value_name = "STAGE")]
    disabled: Vec<String>,
    /// With `--format jsonl`: one line per claim instead of per document (document id,
    /// source, rank, checkworthy, type, speaker, sourcing, offsets, text, checkable details),
    /// most check-worthy first within each document; a triage list for a verification desk.
    #[arg(long)]
    claims_only: bool,
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

pub fn run(args: AnalyzeArgs) -> Result<ExitCode> {
    if args.claims_only && args.format != OutputFormat::Jsonl {
        // A usage error (exit 2), like the ones clap reports itself.
        clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "--claims-only writes one JSON line per claim: use it with --format jsonl\n",
        )
        .exit();
    }
    let mut opts = IngestOptions {
        max_doc_bytes: args.max_doc_bytes,
        lossy: args.lossy,
        format: args.input_format.map(|f| match f {
            InputFormat::Text => Format::Text,
            InputFormat::Html => Format::Html,
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Json => Format::Json,
            InputFormat::Csv => Format::Csv,
            InputFormat::Warc => Format::Warc,
        }),
        ..IngestOptions::default()
    };
    if let Some(label) = &args.encoding {
        opts.set_encoding_label(label)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    for spec in &args.fields {
        opts.fields
            .set(spec)
            .map_err(|e| anyhow::anyhow!("--field {e}"))?;
    }
    let pipeline = Pipeline::with_disabled(&args.disabled)?;

    let walk = WalkOptions {
        follow_symlinks: args.follow,
        exclude: args.out.iter().cloned().collect(),
    };
    let expanded = expand_with(&args.inputs, &walk);
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
    let out: Box<dyn Write> = match &out_file {
        Some(f) => Box::new(BufWriter::new(f.writer()?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let color =
        args.out.is_none() && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let progress = progress_bar(&args, expanded.inputs.len());

    let mut sink = Sink::new(
        out,
        SinkOptions {
            format: if args.claims_only {
                claimlens_export::OutputFormat::ClaimsJsonl
            } else {
                args.format.into()
            },
            export: ExportOptions {
                tokens: args.tokens,
            },
            text: TextOptions { color },
        },
    );
    let mut analyzed = 0u64;
    for input in &expanded.inputs {
        for item in read(input, &opts).with_diagnostics() {
            match item {
                Ok(Ingested {
                    mut doc,
                    mut diagnostics,
                }) => {
                    diagnostics
                        .extend(pipeline.run_with_reference_date(&mut doc, args.date.as_deref()));
                    sink.write(doc, diagnostics)?;
                    analyzed += 1;
                }
                Err(e) => {
                    progress.suspend(|| eprintln!("claimlens: {}", clean(&e.to_string())));
                    errors += 1;
                }
            }
            progress.set_message(format!("{analyzed} documents, {errors} errors"));
        }
        progress.inc(1);
    }
    let written = sink.finish()?;
    progress.finish_and_clear();
    if let Some(f) = out_file.filter(|_| analyzed > 0) {
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
    if analyzed == 0 {
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

/// Says on stderr what the directory walk left out: files of other formats one per line (as
/// before), everything else grouped by reason with the first few paths.
fn report_skipped(skipped: &[Skipped]) {
    for s in skipped {
        if s.reason == SkipReason::NotAnInputFormat {
            eprintln!(
                "claimlens: skipped {} (not a text, HTML, JSON, JSONL or CSV file)",
                clean(&s.path.display().to_string())
            );
        }
    }
    let group = |keep: &dyn Fn(SkipReason) -> bool| -> Vec<&Skipped> {
        skipped.iter().filter(|s| keep(s.reason)).collect()
    };
    let special = group(&|r| matches!(r, SkipReason::Special(_)));
    if !special.is_empty() {
        let mut kinds: Vec<&str> = special
            .iter()
            .filter_map(|s| match s.reason {
                SkipReason::Special(kind) => Some(kind.as_str()),
                _ => None,
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        eprintln!(
            "claimlens: skipped {} special file{} ({}: reading could block or never end; name one \
             directly to read it): {}",
            special.len(),
            plural(special.len() as u64),
            kinds.join(", "),
            some_paths(&special)
        );
    }
    let groups = [
        (
            SkipReason::Symlink,
            "symbolic link",
            "not followed (pass --follow to read what they point to)",
        ),
        (
            SkipReason::SymlinkLoop,
            "symbolic link",
            "looping back to a directory being walked",
        ),
        (
            SkipReason::AlreadyListed,
            "file",
            "already listed under another path",
        ),
        (SkipReason::Excluded, "file", "the --out file of this run"),
    ];
    for (reason, noun, why) in groups {
        let found = group(&|r| r == reason);
        if !found.is_empty() {
            eprintln!(
                "claimlens: skipped {} {noun}{}, {why}: {}",
                found.len(),
                plural(found.len() as u64),
                some_paths(&found)
            );
        }
    }
}

/// The first few paths of a group, and how many more.
fn some_paths(skipped: &[&Skipped]) -> String {
    const SHOWN: usize = 3;
    let mut text: Vec<String> = skipped
        .iter()
        .take(SHOWN)
        .map(|s| clean(&s.path.display().to_string()).into_owned())
        .collect();
    if skipped.len() > SHOWN {
        text.push(format!("and {} more", skipped.len() - SHOWN));
    }
    text.join(", ")
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn progress_bar(args: &AnalyzeArgs, inputs: usize) -> ProgressBar {
    let show = !args.no_progress
        && io::stderr().is_terminal()
        && (inputs > 1 || args.inputs.iter().any(|p| p.is_dir()));
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  [{elapsed_precise}]")
            .expect("valid template"),
    );
    bar
}
