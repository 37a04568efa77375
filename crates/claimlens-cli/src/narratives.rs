//! `claimlens narratives`: import fact-checks and documented disinformation cases into the
//! store, and match articles' claims against them. Reading the formats and ranking live in
//! `claimlens-narratives`; the store owns the `cases` table; this file only wires and prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use claimlens_core::{Annotation, AttrValue, CharIndex, Doc, Span};
use claimlens_export::terminal::clean;
use claimlens_export::{known_narratives, CaseMatch};
use claimlens_ingest::{read, Ingested};
use claimlens_narratives::import::{self, Format};
use claimlens_narratives::stage::{snippet, Settings};
use claimlens_schema::layer;
use claimlens_store::{CaseOutcome, Entry, Location, Rejection};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use crate::ingest::{existing_store_location, store_location};
use crate::inputs::{input_help, plural, report_skipped, InputArgs, PipelineArgs};
use crate::known_cases::{embed_missing, narratives_stage};
use crate::models::EmbedderArgs;

/// Arguments of `claimlens narratives`.
#[derive(Args)]
#[command(after_help = "\
Known narratives: fact-checks and documented disinformation cases, kept in the store's
`cases` table (docs/store.md) and matched offline with BM25 and, once fetched, MiniLM sentence
embeddings. The matching is the `narratives` pipeline stage: once the store holds cases,
`claimlens analyze --db corpus.db` shows the matches in every report as well.

Examples:
  claimlens narratives import --db corpus.db --format euvsdisinfo \\
      ../shared/data/euvsdisinfo/cases_2015_2017.csv
  claimlens narratives import --db corpus.db --format claimreview factchecks.json
  claimlens narratives match --db corpus.db examples/harbour-dispute.txt
  claimlens narratives match --db corpus.db --top 5 --format jsonl news.jsonl > matches.jsonl
  claimlens analyze --db corpus.db --format html --out report.html examples/harbour-dispute.txt")]
pub struct NarrativesArgs {
    #[command(subcommand)]
    command: NarrativesCommand,
}

#[derive(Subcommand)]
enum NarrativesCommand {
    /// Read fact-checks or documented cases from files into the store (upsert by source and
    /// id: importing a file again changes nothing).
    Import(ImportArgs),
    /// Analyse articles and list, for each claim and for the whole article, the stored cases
    /// it most resembles (BM25 mixed with sentence-embedding similarity).
    Match(MatchArgs),
}

/// The case file formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum CaseFormat {
    /// EUvsDisinfo CSV exports (2015–2017 reports with summaries, or the case-title list).
    Euvsdisinfo,
    /// schema.org ClaimReview JSON / JSON-LD: an object, an array or an `@graph`.
    Claimreview,
    /// CLEF 2020 Task 2 `verified_claims.docs.tsv` (vclaim_id, vclaim, title).
    Clef,
    /// Tab-separated `id, claim, title, verdict, url, date` (header line optional).
    Tsv,
}

#[derive(Args)]
#[command(after_help = "\
Formats:
  euvsdisinfo  EUvsDisinfo CSV exports: the reports (issue, date, outlet, …, title, summary,
               disproof; MM/DD/YY dates; id: a stable hash of date, title and summary) or the
               case titles (date, id, title, countries, keywords, languages, outlets; id: the
               report URL). Verdict: disinformation. Source: euvsdisinfo.
  claimreview  schema.org ClaimReview JSON or JSON-LD (one object, an array, or @graph):
               claimReviewed, reviewRating.alternateName (verdict), url (id), datePublished,
               name/headline, reviewBody, keywords; source: author.name.
  clef         CLEF 2020 Task 2 verified_claims.docs.tsv. The release is a zip: extract it
               first (unzip v3.zip -d /tmp/clef2020). Source: clef2020.
  tsv          id, claim, title, verdict, url, date, tab-separated, no quoting; source: the
               file name without its extension.
--source overrides the source of every case read.

Then every case without an embedding is embedded with all-MiniLM-L6-v2 (fetched on first need
unless --offline; a progress bar on a terminal; minutes for tens of thousands of cases) and the
vectors are kept in the store, so matching starts at once. --bm25-only skips this (the first
match with the embedder embeds them instead).

Each case is keyed by (source, id): a case already stored with the same fields is left as
it was, a changed one is replaced, a repeated id inside a file keeps its last record. Records
that cannot be read are listed on stderr with file and line (JSON: element), counted, and
kept in the store's `rejected` table. Cases are written --batch at a time, one transaction
each.

Exit status: 0 when every file could be read, 1 when a file could not be read as the format
(or, with --strict, when any record was rejected), 2 on a usage error or a store that cannot
be opened.

Examples:
  claimlens narratives import --db corpus.db --format euvsdisinfo \\
      ../shared/data/euvsdisinfo/*.csv
  unzip -o ../shared/data/clef2020-claim-retrieval/v3.zip -d /tmp/clef2020
  claimlens narratives import --db corpus.db --format clef \\
      /tmp/clef2020/v3.0/verified_claims.docs.tsv
  claimlens narratives import --db corpus.db --format tsv --source desk checks.tsv")]
struct ImportArgs {
    /// Files to import.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The files' format.
    #[arg(long, value_enum)]
    format: CaseFormat,
    /// The store (an SQLite file, created if missing). Default: claimlens/corpus.db in the
    /// user's data folder.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Name the source of every case read (instead of the format's own).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Cases written per transaction.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    batch: u32,
    /// Exit with status 1 if any record was rejected.
    #[arg(long)]
    strict: bool,
    /// Do not embed the cases now (the first match with the embedder embeds them then).
    #[arg(long)]
    bm25_only: bool,
    #[command(flatten)]
    embedder: EmbedderArgs,
}

/// Output formats of `narratives match`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum MatchFormat {
    /// A readable listing.
    Text,
    /// One JSON object per article (docs/schema.md, Narrative matches).
    Jsonl,
}

#[derive(Args)]
#[command(after_help = concat!(input_help!(), "\
Each article runs through the default pipeline and the `narratives` stage, whose layer this
command lists (`claimlens analyze` shows the same matches in its reports). Every claim of
its `claims` layer (every sentence when it has none, e.g. a text the claims model does not
read) is a query over the stored cases' title, claim and summary; claims that match no case
are not listed. `score` is the BM25 score; `match` is that score
divided by the claim's self-score (what a case holding every claim word would score), so it
lies in [0, 1] and compares across claims. With the sentence embedder (all-MiniLM-L6-v2,
fetched on first need: `claimlens models fetch minilm`), `similarity` is the better cosine of
the claim to the case's claim and to its whole text, mapped into [0, 1], and cases are ranked
by reciprocal-rank fusion of the BM25 and similarity rankings (`fused`: the sum of
1/(60 + rank) over both; chosen over a linear mix on the CLEF 2020 training queries), which
finds cases worded differently from the claim; the cases' embeddings are kept in the store
after the first run. `p` (JSON `probability`) is the calibrated probability that the case is
the claim's own (fitted on the CLEF 2020 training queries, where every tweet has a fact-check:
on news an upper estimate). A case is listed when `p` is at least 0.24 (the best-F1 floor on
those training queries) and it shares at least
two words with the claim or, with the embedder, `similarity` is at least 0.75. Without the
embedder (--bm25-only, or --offline before a fetch) only cases sharing words with a claim are
listed. stderr and the JSON `matcher` field say which
matcher ran. The article's best cases are those ranked highest for any of its claims.

Examples:
  claimlens narratives match --db corpus.db examples/harbour-dispute.txt
  claimlens narratives match --db corpus.db --top 5 --format jsonl news.jsonl > matches.jsonl
  # every claim's best case, however unlikely (the ranking, not the leads):
  claimlens narratives match --db corpus.db --top 1 --min-probability 0 examples/harbour-dispute.txt"))]
struct MatchArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The store holding the cases. Default: claimlens/corpus.db in the user's data folder.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Cases listed per claim and per article.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    top: u32,
    /// The least match probability a listed case needs (default: the stage's floor, 0.24;
    /// 0 lists each claim's `--top` best whatever their probability).
    #[arg(long, value_name = "P", value_parser = probability_arg)]
    min_probability: Option<f32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatchFormat::Text)]
    format: MatchFormat,
    /// Match with BM25 alone, without the sentence embedder.
    #[arg(long)]
    bm25_only: bool,
    #[command(flatten)]
    embedder: EmbedderArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

pub fn run(args: NarrativesArgs) -> Result<ExitCode> {
    match args.command {
        NarrativesCommand::Import(args) => run_import(args),
        NarrativesCommand::Match(args) => run_match(args),
    }
}

fn run_import(args: ImportArgs) -> Result<ExitCode> {
    let location = store_location(args.db.as_deref())?;
    let mut store = location.open()?;
    let format = match args.format {
        CaseFormat::Euvsdisinfo => Format::EuVsDisinfo,
        CaseFormat::Claimreview => Format::ClaimReview,
        CaseFormat::Clef => Format::Clef,
        CaseFormat::Tsv => Format::Tsv,
    };
    let started = Instant::now();
    let mut total = CaseOutcome::default();
    let (mut rejected, mut duplicates, mut failed_files) = (0u64, 0u64, 0u64);
    for file in &args.files {
        let name = clean(&file.display().to_string()).into_owned();
        let bytes = match read_capped(file) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                eprintln!(
                    "claimlens: {name}: more than {MAX_CASE_FILE_BYTES} bytes: refused (case \
                     files are read whole; split it)"
                );
                failed_files += 1;
                continue;
            }
            Err(e) => {
                eprintln!("claimlens: {name}: cannot read: {e}");
                failed_files += 1;
                continue;
            }
        };
        let imported = match import::parse(format, &bytes, args.source.as_deref(), &file_stem(file))
        {
            Ok(imported) => imported,
            Err(e) => {
                eprintln!("claimlens: {name}: {}", clean(&e.to_string()));
                failed_files += 1;
                continue;
            }
        };
        let source = file.display().to_string();
        let rejections: Vec<Entry> = imported
            .rejected
            .iter()
            .map(|r| {
                eprintln!("claimlens: {name}: {}", clean(&r.to_string()));
                Entry::Rejected(Rejection {
                    source: source.clone(),
                    record: Some(r.position),
                    reason: r.reason.clone(),
                })
            })
            .collect();
        store.write_batch(&rejections)?;
        for chunk in imported.cases.chunks(args.batch as usize) {
            let outcome = store.upsert_cases(chunk)?;
            total.inserted += outcome.inserted;
            total.updated += outcome.updated;
            total.unchanged += outcome.unchanged;
        }
        rejected += imported.rejected.len() as u64;
        duplicates += imported.duplicates;
        if imported.other_nodes > 0 {
            eprintln!(
                "claimlens: {name}: passed over {} JSON-LD node{} of other types",
                imported.other_nodes,
                plural(imported.other_nodes)
            );
        }
    }
    eprintln!(
        "claimlens: cases in {}: {} new, {} updated, {} unchanged; {} rejected record{}, {} \
         repeated id{} (last kept); {:.2} s",
        clean(&location.to_string()),
        total.inserted,
        total.updated,
        total.unchanged,
        rejected,
        plural(rejected),
        duplicates,
        plural(duplicates),
        started.elapsed().as_secs_f64()
    );
    // The cases' embeddings are computed here, once, so a later analysis does not stop for
    // minutes to embed a large import; an import with nothing new to embed costs a lookup.
    if !args.bm25_only {
        if let Some(encoder) = args.embedder.load(false)? {
            embed_missing(&mut *store, &encoder)?;
        }
    }
    Ok(if failed_files > 0 || (args.strict && rejected > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Case files are read whole (the public exports are a few megabytes); a larger file is
/// refused rather than allowed to exhaust memory.
const MAX_CASE_FILE_BYTES: u64 = 1 << 30;

/// The file's bytes, or `None` when it holds more than [`MAX_CASE_FILE_BYTES`] (checked
/// while reading, so a pipe or a growing file is bounded too).
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CASE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_CASE_FILE_BYTES).then_some(bytes))
}

/// A file's name without its extension: the source of a plain TSV's cases.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "tsv".to_owned(), |s| s.to_string_lossy().into_owned())
}

fn run_match(args: MatchArgs) -> Result<ExitCode> {
    let location = existing_store_location(
        args.db.as_deref(),
        "import cases first (claimlens narratives import --db …)",
    )?;
    let defaults = Settings::default();
    let settings = Settings {
        top: args.top as usize,
        min_probability: args.min_probability.unwrap_or(defaults.min_probability),
        ..defaults
    };
    let Some(stage) = narratives_stage(&location, args.bm25_only, &args.embedder, settings)? else {
        bail!(
            "the store {location} holds no cases: import some first (claimlens narratives import)"
        );
    };
    let matcher = stage.matcher().name();
    let opts = args.input.ingest_options()?;
    let analyzer = args.pipeline.build_with(Some(Box::new(stage)))?;
    let own_files = match &location {
        Location::File(db) => vec![db.clone()],
        Location::Postgres(_) => Vec::new(),
    };
    let expanded = args.input.expand(own_files);
    report_skipped(&expanded.skipped);
    let mut failed = expanded.errors.len();
    for e in &expanded.errors {
        eprintln!("claimlens: {}", clean(&e.to_string()));
    }
    let mut matched = 0usize;
    for input in &expanded.inputs {
        for item in read(input, &opts).with_diagnostics() {
            match item {
                Ok(Ingested { mut doc, .. }) => {
                    for d in analyzer.run(&mut doc) {
                        if d.stage == claimlens_narratives::stage::STAGE {
                            eprintln!("claimlens: {}: {}", clean(&doc.id), clean(&d.message));
                        }
                    }
                    let found = Found::read(&doc);
                    match args.format {
                        MatchFormat::Text => print_text(&doc, &found)?,
                        MatchFormat::Jsonl => outln!("{}", json_line(&doc, &found, &matcher)),
                    }
                    matched += 1;
                }
                Err(e) => {
                    eprintln!("claimlens: {}", clean(&e.to_string()));
                    failed += 1;
                }
            }
        }
    }
    if matched == 0 {
        if failed == 0 {
            bail!("no input documents found");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The `narratives` layer of a document as this command lists it: the report digest's
/// grouping (each matched claim or sentence with its cases, best first, then the article's
/// best), each case read back as its annotation for the raw scores the listing prints.
struct Found<'a> {
    queries: Vec<(Span, Vec<&'a Annotation>)>,
    article: Vec<&'a Annotation>,
}

impl<'a> Found<'a> {
    fn read(doc: &'a Doc) -> Found<'a> {
        let annotations = doc
            .layer(layer::NARRATIVES)
            .map_or(&[][..], |l| l.annotations.as_slice());
        let known = known_narratives(doc).unwrap_or_default();
        let of = |cases: &[CaseMatch]| -> Vec<&'a Annotation> {
            cases.iter().map(|c| &annotations[c.index]).collect()
        };
        Found {
            queries: known
                .claims
                .iter()
                .map(|c| (c.span, of(&c.cases)))
                .collect(),
            article: of(&known.article),
        }
    }
}

fn print_text(doc: &Doc, found: &Found) -> Result<()> {
    outln!("{}", clean(&doc.id));
    for (span, cases) in &found.queries {
        let unit = cases[0].attr_str("query").unwrap_or("claim");
        outln!("  {unit}: {}", clean(doc.slice(*span)));
        for case in cases {
            outln!("    {}", describe(case));
        }
    }
    if found.article.is_empty() {
        outln!("  no stored case matches this article");
    } else {
        outln!("  article:");
        for case in &found.article {
            outln!("    {}", describe(case));
        }
    }
    Ok(())
}

/// A probability flag: a number in [0, 1].
fn probability_arg(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a probability between 0 and 1")),
    }
}

/// A number attribute of a match.
fn number(a: &Annotation, key: &str) -> Option<f64> {
    match a.attr(key)? {
        AttrValue::Float(x) => Some(*x),
        AttrValue::Int(x) => Some(*x as f64),
        _ => None,
    }
}

/// `p 0.91 (match 0.62, score 12.3)  source/id  title or claim  [verdict]  url`, with the
/// embedder `p 0.93 (fused 0.0325, match 0.62, score 12.3, similarity 0.81)  …`.
fn describe(a: &Annotation) -> String {
    let text = |key| a.attr_str(key).unwrap_or("");
    let (probability, fused, bm25, raw) = (
        number(a, "score").unwrap_or(0.0),
        number(a, "rank_score").unwrap_or(0.0),
        number(a, "bm25").unwrap_or(0.0),
        number(a, "bm25_raw").unwrap_or(0.0),
    );
    let scores = match number(a, "similarity") {
        Some(similarity) => format!(
            "p {probability:.2} (fused {fused:.4}, match {bm25:.2}, score {raw:.1}, similarity {similarity:.2})"
        ),
        None => format!("p {probability:.2} (match {bm25:.2}, score {raw:.1})"),
    };
    let headline = a.attr_str("title").or(a.attr_str("claim")).unwrap_or("");
    let mut line = format!(
        "{scores}  {}/{}  {}",
        text("source"),
        text("case_id"),
        snippet(headline, 120)
    );
    if let Some(verdict) = a.attr_str("verdict") {
        line.push_str(&format!("  [{verdict}]"));
    }
    if let Some(url) = a.attr_str("url").filter(|u| *u != text("case_id")) {
        line.push_str(&format!("  {url}"));
    }
    clean(&line).into_owned()
}

fn case_json(a: &Annotation) -> serde_json::Value {
    json!({
        "source": a.attr_str("source"),
        "case_id": a.attr_str("case_id"),
        "title": a.attr_str("title"),
        "claim": a.attr_str("claim"),
        "verdict": a.attr_str("verdict"),
        "url": a.attr_str("url"),
        "date": a.attr_str("date"),
        "score": number(a, "bm25_raw"),
        "match": number(a, "bm25"),
        "similarity": number(a, "similarity"),
        "rank_score": number(a, "rank_score"),
        "probability": number(a, "score"),
    })
}

fn json_line(doc: &Doc, found: &Found, matcher: &str) -> serde_json::Value {
    let chars = CharIndex::new(doc.text());
    let claims: Vec<serde_json::Value> = found
        .queries
        .iter()
        .map(|(span, cases)| {
            json!({
                "kind": cases[0].attr_str("query"),
                "start": chars.char_offset(span.start),
                "end": chars.char_offset(span.end),
                "text": doc.slice(*span),
                "cases": cases.iter().map(|a| case_json(a)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": doc.id,
        "matcher": matcher,
        "source": doc.origin.source,
        "record": doc.origin.record,
        "claims": claims,
        "cases": found.article.iter().map(|a| case_json(a)).collect::<Vec<_>>(),
    })
}
