//! `claimlens narratives`: import fact-checks and documented disinformation cases into the
//! store, and match articles' claims against them. Reading the formats and ranking live in
//! `claimlens-narratives`; the store owns the `cases` table; this file only wires and prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use claimlens_core::{CharIndex, Doc};
use claimlens_export::terminal::clean;
use claimlens_ingest::{read, Ingested};
use claimlens_narratives::import::{self, Format};
use claimlens_narratives::matcher::{DocMatches, Hit, Matcher};
use claimlens_narratives::semantic::{CaseVectors, Encoder};
use claimlens_store::{Case, CaseOutcome, Entry, Rejection, SqliteStore, Store};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use crate::ingest::store_path;
use crate::inputs::{input_help, plural, report_skipped, InputArgs, PipelineArgs};
use crate::models::{EmbedderArgs, MiniLm};

/// Arguments of `claimlens narratives`.
#[derive(Args)]
#[command(after_help = "\
Known narratives: fact-checks and documented disinformation cases, kept in the store's
`cases` table (docs/store.md) and matched offline with BM25 and, once fetched, MiniLM sentence
embeddings.

Examples:
  claimlens narratives import --db corpus.db --format euvsdisinfo \\
      ../shared/data/euvsdisinfo/cases_2015_2017.csv
  claimlens narratives import --db corpus.db --format claimreview factchecks.json
  claimlens narratives match --db corpus.db examples/harbour-dispute.txt
  claimlens narratives match --db corpus.db --top 5 --format jsonl news.jsonl > matches.jsonl")]
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
Each article runs through the default pipeline. Every claim of its `claims` layer (every
sentence when it has none, e.g. a text the claims model does not read) is a query over the
stored cases' title, claim and summary. `score` is the BM25 score; `match` is that score
divided by the claim's self-score (what a case holding every claim word would score), so it
lies in [0, 1] and compares across claims. With the sentence embedder (all-MiniLM-L6-v2,
fetched on first need: `claimlens models fetch minilm`), `similarity` is the better cosine of
the claim to the case's claim and to its whole text, mapped into [0, 1], and cases are ranked
by reciprocal-rank fusion of the BM25 and similarity rankings (`fused`: the sum of
1/(60 + rank) over both; chosen over a linear mix on the CLEF 2020 training queries), which
finds cases worded differently from the claim; the cases' embeddings are kept in the store
after the first run. Without the embedder (--bm25-only, or --offline before a fetch) only
cases sharing a word with a claim are listed. stderr and the JSON `matcher` field say which
matcher ran. The article's best cases are those ranked highest for any of its claims.

Examples:
  claimlens narratives match --db corpus.db examples/harbour-dispute.txt
  claimlens narratives match --db corpus.db --top 5 --format jsonl news.jsonl > matches.jsonl"))]
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
    let db = store_path(args.db.as_deref())?;
    let mut store = SqliteStore::open(&db)?;
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
        clean(&db.display().to_string()),
        total.inserted,
        total.updated,
        total.unchanged,
        rejected,
        plural(rejected),
        duplicates,
        plural(duplicates),
        started.elapsed().as_secs_f64()
    );
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
    let db = store_path(args.db.as_deref())?;
    if !db.exists() {
        bail!(
            "no store at {}: import cases first (claimlens narratives import --db …)",
            db.display()
        );
    }
    let mut store = SqliteStore::open(&db)?;
    let cases = store.cases()?;
    if cases.is_empty() {
        bail!(
            "the store {} holds no cases: import some first (claimlens narratives import)",
            db.display()
        );
    }
    let encoder = if args.bm25_only {
        None
    } else {
        args.embedder.load(false)?
    };
    let matcher = match encoder {
        Some(encoder) => {
            let vectors = case_vectors(&mut store, &cases, &encoder)?;
            Matcher::new(cases)
                .with_semantic(Box::new(encoder), vectors)
                .map_err(anyhow::Error::msg)?
        }
        None => Matcher::new(cases),
    };
    eprintln!("claimlens: matcher: {}", matcher.name());
    let opts = args.input.ingest_options()?;
    let analyzer = args.pipeline.build()?;
    let expanded = args.input.expand(vec![db.clone()]);
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
                    analyzer.run(&mut doc);
                    let found = matcher
                        .match_doc(&doc, args.top as usize)
                        .map_err(anyhow::Error::msg)?;
                    match args.format {
                        MatchFormat::Text => print_text(&doc, &found, matcher.cases())?,
                        MatchFormat::Jsonl => {
                            outln!("{}", json_line(&doc, &found, &matcher))
                        }
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

fn print_text(doc: &Doc, found: &DocMatches, cases: &[Case]) -> Result<()> {
    outln!("{}", clean(&doc.id));
    let unit = if found.queries.first().is_some_and(|q| q.is_claim) {
        "claim"
    } else {
        "sentence"
    };
    for (n, query) in found.queries.iter().enumerate() {
        if query.hits.is_empty() {
            continue;
        }
        outln!("  {unit} {}: {}", n + 1, clean(doc.slice(query.span)));
        for hit in &query.hits {
            outln!("    {}", describe(hit, &cases[hit.case]));
        }
    }
    if found.article.is_empty() {
        outln!("  no stored case shares a word with this article");
    } else {
        outln!("  article:");
        for hit in &found.article {
            outln!("    {}", describe(hit, &cases[hit.case]));
        }
    }
    Ok(())
}

/// The cases' embeddings: those the store keeps, the others computed now (with a progress
/// line: 24,000 cases take minutes the first time) and kept for the next run.
fn case_vectors(store: &mut SqliteStore, cases: &[Case], encoder: &MiniLm) -> Result<CaseVectors> {
    let mut stored = store.case_vectors(encoder.name())?;
    let missing: Vec<usize> = (0..cases.len()).filter(|&i| stored[i].is_none()).collect();
    if !missing.is_empty() {
        eprintln!(
            "claimlens: embedding {} case{} with {} (kept in the store for later runs)",
            missing.len(),
            plural(missing.len() as u64),
            encoder.name()
        );
        let started = Instant::now();
        // A chunk at a time, each written in its own transaction: an interrupted run keeps
        // what it embedded.
        for chunk in missing.chunks(512) {
            let some: Vec<Case> = chunk.iter().map(|&i| cases[i].clone()).collect();
            let vectors = CaseVectors::build(&some, encoder).map_err(anyhow::Error::msg)?;
            let rows: Vec<(&str, &str, &[f32], &[f32])> = chunk
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let (claim, full) = vectors.rows(k);
                    (
                        cases[i].source.as_str(),
                        cases[i].case_id.as_str(),
                        claim,
                        full,
                    )
                })
                .collect();
            store.put_case_vectors(encoder.name(), &rows)?;
            for (k, &i) in chunk.iter().enumerate() {
                let (claim, full) = vectors.rows(k);
                stored[i] = Some((claim.to_vec(), full.to_vec()));
            }
        }
        eprintln!(
            "claimlens: embedded in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let dims = stored
        .iter()
        .flatten()
        .map(|(claim, _)| claim.len())
        .next()
        .unwrap_or(0);
    let (mut claim, mut full) = (Vec::new(), Vec::new());
    for (c, f) in stored.into_iter().flatten() {
        claim.extend(c);
        full.extend(f);
    }
    CaseVectors::from_rows(dims, claim, full)
        .filter(|v| v.len() == cases.len())
        .ok_or_else(|| anyhow::anyhow!("the store's case vectors have different lengths: run `claimlens narratives import` again"))
}

/// `match 0.62 (score 12.3)  source/id  title or claim  [verdict]  url`, with the embedder
/// `fused 0.0325 (match 0.62, score 12.3, similarity 0.81)  …`.
fn describe(hit: &Hit, case: &Case) -> String {
    let headline = case
        .title
        .as_deref()
        .or(case.claim.as_deref())
        .unwrap_or("");
    let scores = match hit.similarity {
        Some(similarity) => format!(
            "fused {:.4} (match {:.2}, score {:.1}, similarity {similarity:.2})",
            hit.rank_score, hit.normalised, hit.score
        ),
        None => format!("match {:.2} (score {:.1})", hit.normalised, hit.score),
    };
    let mut line = format!(
        "{scores}  {}/{}  {}",
        case.source,
        case.case_id,
        short(headline, 120)
    );
    if let Some(verdict) = &case.verdict {
        line.push_str(&format!("  [{verdict}]"));
    }
    if let Some(url) = case.url.as_ref().filter(|u| **u != case.case_id) {
        line.push_str(&format!("  {url}"));
    }
    clean(&line).into_owned()
}

fn short(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn case_json(hit: &Hit, case: &Case) -> serde_json::Value {
    json!({
        "source": case.source,
        "case_id": case.case_id,
        "title": case.title,
        "claim": case.claim,
        "verdict": case.verdict,
        "url": case.url,
        "date": case.date,
        "score": hit.score,
        "match": hit.normalised,
        "similarity": hit.similarity,
        "rank_score": hit.rank_score,
    })
}

fn json_line(doc: &Doc, found: &DocMatches, matcher: &Matcher) -> serde_json::Value {
    let cases = matcher.cases();
    let chars = CharIndex::new(doc.text());
    let claims: Vec<serde_json::Value> = found
        .queries
        .iter()
        .map(|q| {
            json!({
                "kind": if q.is_claim { "claim" } else { "sentence" },
                "start": chars.char_offset(q.span.start),
                "end": chars.char_offset(q.span.end),
                "text": doc.slice(q.span),
                "cases": q.hits.iter().map(|h| case_json(h, &cases[h.case])).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": doc.id,
        "matcher": matcher.name(),
        "source": doc.origin.source,
        "record": doc.origin.record,
        "claims": claims,
        "cases": found.article.iter().map(|h| case_json(h, &cases[h.case])).collect::<Vec<_>>(),
    })
}
