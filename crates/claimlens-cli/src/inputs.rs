//! What `analyze` and `ingest` share: the input and pipeline flags, and how the walk and
//! the progress are reported. Decided here once so both commands read inputs the same way.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use claimlens_core::{Diagnostic, Doc, Stage};
use claimlens_export::terminal::clean;
use claimlens_fetch::{fetch, fetch_with_retries, is_url, FetchError, FetchOptions, Retry};
use claimlens_ingest::{
    expand_with, ErrorKind, Expanded, Format, IngestError, IngestOptions, SkipReason, Skipped,
    WalkOptions,
};
use claimlens_pipeline::{builtin_stages, parse_reference_date, Pipeline, PipelineBuilder};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The `--help` paragraphs on inputs, formats, encodings, size limits and reference dates.
macro_rules! input_help {
    () => {
        "\
Inputs: files of any extension (format sniffed), directories (walked recursively in sorted
order; .txt .md .html .htm .jsonl .ndjson .json .csv .warc .warc.gz files are read, others
are counted as skipped), `-` for stdin, or http:// and https:// URLs. Inside directories, FIFOs, sockets and devices are skipped (they
can block or never end; a pipe named directly, such as `<(curl …)`, is read), symbolic links
are skipped unless --follow (links looping back are skipped either way), and the file
being written (--out, --db) is never read back.

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

URLs are fetched before reading (the page is held in memory until it is read) and read as
their Content-Type says: HTML, XHTML, plain text or a web archive; other types (PDF, images,
JSON) are refused. The header's charset decodes the page, else the page's own meta charset.
Up to 5 redirects are followed, each target checked again; the whole fetch must finish within
--fetch-timeout seconds and the body within --max-fetch-bytes. Hosts that resolve to
loopback, private, link-local, carrier-grade NAT, multicast or other non-public addresses are
refused (the connection goes to the address checked) unless --allow-private-fetch. The final
URL and the fetch time go to meta.fetched_url / fetched_at. A URL that fails is reported like
an unreadable file and the other inputs still run.

Reference date: relative time expressions (\"last year\", \"on Friday\") are resolved against
--date when given, otherwise against each document's publication date from its metadata;
without either they stay relative (anchor \"unresolved\") and an info diagnostic says so.

"
    };
}
pub(crate) use input_help;

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

/// How the article text of an HTML page is chosen.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HtmlExtractor {
    /// Readability and trafilatura both, keeping trafilatura's text unless it is longer
    /// (held-out F1 0.973 on the article-extraction benchmark; about 100 pages/s).
    Select,
    /// Readability alone: about five times faster, held-out F1 0.960.
    Readability,
    /// trafilatura alone (held-out F1 0.962).
    Trafilatura,
}

impl HtmlExtractor {
    fn options(self) -> claimlens_ingest::html::ExtractOptions {
        use claimlens_ingest::html::{ExtractOptions, Extractor};
        match self {
            HtmlExtractor::Select => ExtractOptions::default(),
            HtmlExtractor::Readability => ExtractOptions::READABILITY_ONLY,
            HtmlExtractor::Trafilatura => ExtractOptions {
                primary: Extractor::Trafilatura,
                ..ExtractOptions::READABILITY_ONLY
            },
        }
    }
}

/// Which inputs to read and how: the same flags for every command that reads articles.
#[derive(Args)]
pub struct InputArgs {
    /// Files, directories, `-` for stdin, or http(s) URLs to fetch (none needed with --urls).
    #[arg(required_unless_present = "urls")]
    pub inputs: Vec<PathBuf>,
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
    /// How the article text of an HTML page (a file, a URL, a WARC record, an `html` field)
    /// is chosen (docs/evaluation.md, article extraction).
    #[arg(long, value_enum, default_value = "select")]
    html_extractor: HtmlExtractor,
    /// Give up on a URL after this many seconds (name lookup, redirects, headers and body
    /// together).
    #[arg(long, value_name = "SECS", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..))]
    fetch_timeout: u64,
    /// Largest page accepted from a URL, in bytes; reading stops there.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    max_fetch_bytes: u64,
    /// Fetch URLs whose host is on a loopback, private or link-local network too (off by
    /// default, so a URL cannot reach this machine's or the local network's services).
    #[arg(long)]
    allow_private_fetch: bool,
    /// Also fetch the URLs listed in this file, one per line (blank lines and lines starting
    /// with `#` are skipped; a line that is not an http(s) URL is reported by its number and
    /// the others are still fetched), after the other inputs. Fetched one at a time; a
    /// timeout, network error, HTTP 429 or 5xx is tried again (see --fetch-retries).
    #[arg(long, value_name = "FILE")]
    urls: Option<PathBuf>,
    /// Tries after the first for a URL of --urls that failed in a way that may pass, after a
    /// pause of 1 s, doubled each time.
    #[arg(long, value_name = "N", default_value_t = 2)]
    fetch_retries: u32,
}

impl InputArgs {
    /// The reader options these flags ask for.
    pub fn ingest_options(&self) -> Result<IngestOptions> {
        let mut opts = IngestOptions {
            max_doc_bytes: self.max_doc_bytes,
            lossy: self.lossy,
            format: self.input_format.map(|f| match f {
                InputFormat::Text => Format::Text,
                InputFormat::Html => Format::Html,
                InputFormat::Jsonl => Format::Jsonl,
                InputFormat::Json => Format::Json,
                InputFormat::Csv => Format::Csv,
                InputFormat::Warc => Format::Warc,
            }),
            extraction: self.html_extractor.options(),
            ..IngestOptions::default()
        };
        if let Some(label) = &self.encoding {
            opts.set_encoding_label(label)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        for spec in &self.fields {
            opts.fields
                .set(spec)
                .map_err(|e| anyhow::anyhow!("--field {e}"))?;
        }
        Ok(opts)
    }

    /// The fetch options these flags ask for.
    pub fn fetch_options(&self) -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(self.fetch_timeout),
            max_bytes: self.max_fetch_bytes,
            allow_private: self.allow_private_fetch,
            ..FetchOptions::default()
        }
    }

    /// The inputs in command-line order, directories walked and URLs fetched (a URL that
    /// fails is an error, as a file that cannot be opened is); `exclude` names the files
    /// this run writes.
    pub fn expand(&self, exclude: Vec<PathBuf>) -> Expanded {
        let walk = WalkOptions {
            follow_symlinks: self.follow,
            exclude,
        };
        let fetch_opts = self.fetch_options();
        let mut all = Expanded::default();
        // Runs of paths are expanded together (as before URLs were inputs), URLs one by one
        // between them, so the order on the command line is the order of the documents.
        let mut paths: Vec<PathBuf> = Vec::new();
        let flush = |paths: &mut Vec<PathBuf>, all: &mut Expanded| {
            if !paths.is_empty() {
                let expanded = expand_with(paths, &walk);
                all.inputs.extend(expanded.inputs);
                all.errors.extend(expanded.errors);
                all.skipped.extend(expanded.skipped);
                paths.clear();
            }
        };
        for arg in &self.inputs {
            match arg.to_str().filter(|a| is_url(a)) {
                Some(url) => {
                    flush(&mut paths, &mut all);
                    match fetch(url, &fetch_opts) {
                        Ok(fetched) => all.inputs.push(fetched.input),
                        Err(e) => all.errors.push(fetch_error(url, &e)),
                    }
                }
                None => paths.push(arg.clone()),
            }
        }
        flush(&mut paths, &mut all);
        if let Some(list) = &self.urls {
            self.fetch_list(list, &fetch_opts, &mut all);
        }
        all
    }

    /// The URLs of a `--urls` file, fetched in order with retries; each failure (an unread
    /// file, a line that is no URL, a fetch that failed) an error naming the line.
    fn fetch_list(&self, list: &std::path::Path, fetch_opts: &FetchOptions, all: &mut Expanded) {
        let source = list.display().to_string();
        let text = match std::fs::read_to_string(list) {
            Ok(text) => text,
            Err(e) => {
                all.errors.push(IngestError {
                    source,
                    record: None,
                    id: None,
                    kind: ErrorKind::Io(io::Error::new(e.kind(), format!("--urls: {e}"))),
                });
                return;
            }
        };
        let retry = Retry {
            retries: self.fetch_retries,
            ..Retry::default()
        };
        for (i, line) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            let url = line.trim();
            if url.is_empty() || url.starts_with('#') {
                continue;
            }
            let failed = |message: String| IngestError {
                source: source.clone(),
                record: Some(line_no),
                id: None,
                kind: ErrorKind::Io(io::Error::other(message)),
            };
            if !is_url(url) {
                all.errors.push(failed(format!(
                    "`{}` is not an http(s) URL",
                    clean(url.get(..200).unwrap_or(url))
                )));
                continue;
            }
            match fetch_with_retries(url, fetch_opts, &retry) {
                Ok(fetched) => all.inputs.push(fetched.input),
                Err((e, tries)) => {
                    let error = fetch_error(url, &e);
                    let times = if tries > 1 {
                        format!(" (tried {tries} times)")
                    } else {
                        String::new()
                    };
                    all.errors
                        .push(failed(format!("{url}: {}{times}", error.kind)));
                }
            }
        }
    }
}

/// A failed fetch as an input error, reported and counted as an unreadable file is, with
/// the flag that changes the outcome when there is one.
fn fetch_error(url: &str, e: &FetchError) -> IngestError {
    let hint = match e {
        FetchError::Refused { .. } => "; pass --allow-private-fetch to allow it",
        FetchError::TooLarge { .. } => "; raise --max-fetch-bytes",
        FetchError::Timeout { .. } => "; raise --fetch-timeout",
        _ => "",
    };
    // The failing URL as parsed (`http://a.example` becomes `http://a.example/`): named
    // only when it is another one, a redirect's target.
    let same = |a: &str, b: &str| {
        a.trim_end_matches('/')
            .eq_ignore_ascii_case(b.trim_end_matches('/'))
    };
    let at = if !same(e.url(), url) {
        format!(" at {}", e.url())
    } else {
        String::new()
    };
    IngestError {
        source: url.to_owned(),
        record: None,
        id: None,
        kind: ErrorKind::Io(io::Error::other(format!("cannot fetch{at}: {e}{hint}"))),
    }
}

/// How to analyse: the same flags for every command that runs the pipeline.
#[derive(Args)]
pub struct PipelineArgs {
    /// Publication date used as the reference for relative dates (YYYY-MM-DD); overrides
    /// the date found in each document's metadata.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_reference_date)]
    date: Option<String>,
    /// Skip a pipeline stage (repeatable): a built-in one, or `narratives` (the matching of
    /// claims to the store's known cases, which `analyze` and `narratives match` add).
    #[arg(long = "disable", value_name = "STAGE")]
    disabled: Vec<String>,
    /// Documents analysed at once, each on its own thread (default: one per core). Output
    /// keeps the input order; at most jobs + 2 documents are held at a time.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

impl PipelineArgs {
    /// The pipeline these flags ask for.
    pub fn build(&self) -> Result<Analyzer> {
        self.build_with(None)
    }

    /// Whether `--disable` names `stage`.
    pub fn disables(&self, stage: &str) -> bool {
        self.disabled.iter().any(|d| d == stage)
    }

    /// The built-in stages, then `extra` (a stage that needs what only the front-end has,
    /// such as the narratives stage and its store), minus `--disable`. `--disable narratives`
    /// is accepted without the stage too: a run without a store has nothing to disable.
    pub fn build_with(&self, extra: Option<Box<dyn Stage>>) -> Result<Analyzer> {
        Ok(Analyzer {
            pipeline: pipeline_with(&self.disabled, extra)?,
            date: self.date.clone(),
            jobs: self
                .jobs
                .map_or_else(claimlens_pipeline::parallel::default_jobs, usize::from),
        })
    }
}

/// The built-in stages, then `extra`, minus `disabled` (see [`PipelineArgs::build_with`]):
/// what `analyze`, `narratives match` and `bench` run.
pub fn pipeline_with(disabled: &[String], extra: Option<Box<dyn Stage>>) -> Result<Pipeline> {
    let optional = claimlens_narratives::stage::STAGE;
    let has_extra = extra.as_ref().map(|s| s.name());
    let mut builder = builtin_stages()
        .into_iter()
        .chain(extra)
        .fold(Pipeline::builder(), PipelineBuilder::stage);
    for d in disabled {
        if d == optional && has_extra != Some(optional) {
            continue;
        }
        builder = builder.disable(d.clone());
    }
    Ok(builder.build()?)
}

/// The pipeline with its reference date and how many documents to analyse at once.
pub struct Analyzer {
    pipeline: Pipeline,
    date: Option<String>,
    /// Worker threads ([`claimlens_pipeline::parallel::for_each_ordered`]).
    pub jobs: usize,
}

impl Analyzer {
    /// Adds every layer to `doc`.
    pub fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        self.pipeline
            .run_with_reference_date(doc, self.date.as_deref())
    }
}

/// Says on stderr what the directory walk left out: files of other formats one per line (as
/// before), everything else grouped by reason with the first few paths.
pub fn report_skipped(skipped: &[Skipped]) {
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

pub fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Progress on a terminal (hidden otherwise, or with `--no-progress`): a bar over the input
/// files when there is more than one to go through; for a single input (one file, often a
/// large JSONL, CSV or web archive, or stdin) a spinner with the count of documents, since a
/// count of one file says nothing until the end. Callers report with [`input_done`] and
/// [`document_done`], which advance whichever of the two is shown.
pub fn progress_bar(no_progress: bool, input: &InputArgs, inputs: usize) -> ProgressBar {
    if inputs > 1 || input.inputs.iter().any(|p| p.is_dir()) {
        return terminal_bar(
            no_progress,
            Some(inputs as u64),
            "{bar:30} {pos}/{len} files  {msg}  [{elapsed_precise}]",
        );
    }
    let spinner = terminal_bar(no_progress, None, "{spinner} {msg}  [{elapsed_precise}]");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    spinner
}

/// A bar drawn on standard error in `template`'s style when it is a terminal, hidden
/// otherwise or with `--no-progress` (a hidden bar still counts its position). Used by
/// `analyze`, `ingest`, `clusters` and `export`; the byte bars of `bench` and `models fetch`
/// and the embedding bar of `narratives` still build their own.
pub fn terminal_bar(no_progress: bool, length: Option<u64>, template: &str) -> ProgressBar {
    if no_progress || !io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(length, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
    bar
}

pub fn input_done(progress: &ProgressBar) {
    if progress.length().is_some() {
        progress.inc(1);
    }
}

/// One document was read (analysed, stored or rejected): advances a spinner over documents.
pub fn document_done(progress: &ProgressBar) {
    if progress.length().is_none() {
        progress.inc(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_counts_files_and_a_spinner_documents() {
        let files = ProgressBar::hidden();
        files.set_length(3);
        let documents = ProgressBar::hidden();
        for _ in 0..5 {
            document_done(&files);
            document_done(&documents);
        }
        input_done(&files);
        input_done(&documents);
        assert_eq!((files.position(), documents.position()), (1, 5));
    }
}
