//! `claimlens eval retrieval`: claim retrieval (BM25, MiniLM embeddings, and their fusion)
//! scored on files in the CLEF 2020 CheckThat! Task 2 layout. The rankings and the measures
//! live in `claimlens_narratives::{retrieval, semantic}`; this file reads the files and prints.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use claimlens_core::probability::PlattMap;
use claimlens_eval::calibration::Calibration;
use claimlens_narratives::bm25::{Index, Settings, Tokenizer};
use claimlens_narratives::import::{self, Format};
use claimlens_narratives::probability::{self, best_f1_floor, MatchProbability};
use claimlens_narratives::retrieval::{
    evaluate, evaluate_scores, read_qrels, read_queries, top_outcomes, Measures, Query,
};
use claimlens_narratives::semantic::{
    fuse, reciprocal_rank_fusion, CaseVectors, Encoder, LINEAR_WEIGHT, RRF_K,
};
use claimlens_narratives::Case;
use clap::Args;

use crate::eval::refuse_test_or_dev;
use crate::models::EmbedderArgs;

/// Flags of `claimlens eval retrieval`.
#[derive(Args)]
pub struct RetrievalArgs {
    /// The verified claims (`verified_claims.docs.tsv`: vclaim_id, vclaim, title).
    #[arg(long)]
    claims: PathBuf,
    /// The queries (`tweets.queries.tsv`: tweet_id, tweet_content).
    #[arg(long)]
    queries: PathBuf,
    /// The relevance judgements (`tweet-vclaim-pairs.qrels`: tweet_id 0 vclaim_id 1).
    #[arg(long)]
    qrels: PathBuf,
    /// BM25 term-frequency saturation (default: the shipped setting).
    #[arg(long)]
    k1: Option<f32>,
    /// BM25 length normalisation (default: the shipped setting).
    #[arg(long)]
    b: Option<f32>,
    /// Keep English function words.
    #[arg(long)]
    keep_stop_words: bool,
    /// Do not fold plural endings.
    #[arg(long)]
    no_stem: bool,
    /// Score every setting of a grid (stop words, plural folding, k1, b) instead of one:
    /// run it on the training queries to choose the shipped setting, never on a test split.
    #[arg(long)]
    grid: bool,
    /// Score BM25 alone (no embeddings, no fusion).
    #[arg(long)]
    bm25_only: bool,
    /// Fit the match-probability maps to these queries' first five cases under each
    /// matcher's ranking and write them to FILE. The committed
    /// crates/claimlens-narratives/models/match-probability.tsv comes from the training
    /// queries; a test or dev split is refused.
    #[arg(long, value_name = "FILE")]
    write_probability: Option<PathBuf>,
    #[command(flatten)]
    embedder: EmbedderArgs,
}

pub fn run(args: RetrievalArgs) -> Result<ExitCode> {
    if args.write_probability.is_some() {
        if args.bm25_only {
            anyhow::bail!("--write-probability fits the fused map too: drop --bm25-only");
        }
        refuse_test_or_dev(&[args.queries.as_path(), args.qrels.as_path()])?;
    }
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let imported = import::parse(Format::Clef, &read(&args.claims)?, None, "clef2020")
        .with_context(|| args.claims.display().to_string())?;
    for r in &imported.rejected {
        eprintln!("claimlens: {}: {r}", args.claims.display());
    }
    let text = |p: &Path| -> Result<String> {
        String::from_utf8(read(p)?).with_context(|| format!("{} is not UTF-8", p.display()))
    };
    let queries =
        read_queries(&text(&args.queries)?).with_context(|| args.queries.display().to_string())?;
    let qrels =
        read_qrels(&text(&args.qrels)?).with_context(|| args.qrels.display().to_string())?;
    let cases = imported.cases;
    outln!(
        "{} verified claims, {} queries ({} with a relevant claim)",
        cases.len(),
        queries.len(),
        queries.iter().filter(|q| qrels.contains_key(&q.id)).count()
    );
    outln!("stop words  plurals  k1    b     MAP@1   MAP@3   MAP@5   MRR     P@1");
    let settings = if args.grid {
        grid()
    } else {
        let shipped = Settings::default();
        vec![Settings {
            tokenizer: Tokenizer {
                stop_words: shipped.tokenizer.stop_words && !args.keep_stop_words,
                stem: shipped.tokenizer.stem && !args.no_stem,
            },
            k1: args.k1.unwrap_or(shipped.k1),
            b: args.b.unwrap_or(shipped.b),
        }]
    };
    let started = Instant::now();
    let mut best: Option<(f64, Settings)> = None;
    for s in settings {
        let m = evaluate(&cases, &queries, &qrels, s);
        print_row(s, &m)?;
        if best.is_none_or(|(map5, _)| m.map[2] > map5) {
            best = Some((m.map[2], s));
        }
    }
    if args.grid {
        if let Some((map5, s)) = best {
            outln!("best MAP@5 {map5:.4}:");
            print_row(s, &evaluate(&cases, &queries, &qrels, s))?;
        }
    }
    eprintln!(
        "claimlens: scored in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // Per query: the shipped BM25 divided by the query's self-score (in [0, 1]), computed
    // once for the probability rows and the fusion rows.
    let bm25 = normalised_bm25(&cases, &queries);
    bm25_floor(&cases, &queries, &qrels, &bm25)?;
    if !args.bm25_only {
        if let Some(encoder) = args.embedder.load(false)? {
            let write = args.write_probability.as_deref();
            semantic_rows(&encoder, &cases, &queries, &qrels, &bm25, args.grid, write)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The embedding and fusion rows: MiniLM alone, the linear mix with the weight chosen on the
/// training queries (every weight from 0 to 1 with `--grid`), and reciprocal-rank fusion (what
/// `narratives match` ranks by), all over the shipped BM25.
fn semantic_rows(
    encoder: &dyn Encoder,
    cases: &[Case],
    queries: &[Query],
    qrels: &HashMap<String, HashSet<String>>,
    bm25: &[Vec<f32>],
    grid: bool,
    write_probability: Option<&Path>,
) -> Result<()> {
    let started = Instant::now();
    let vectors = CaseVectors::build(cases, encoder).map_err(anyhow::Error::msg)?;
    let texts: Vec<&str> = queries.iter().map(|q| q.text.as_str()).collect();
    let query_vectors = encoder.encode(&texts).map_err(anyhow::Error::msg)?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "claimlens: {} embedded {} texts in {seconds:.1} s ({:.0} texts/s)",
        encoder.name(),
        2 * cases.len() + texts.len(),
        (2 * cases.len() + texts.len()) as f64 / seconds
    );
    let similarity: Vec<Vec<f32>> = query_vectors
        .iter()
        .map(|v| vectors.similarities(v))
        .collect();
    outln!("matcher                          MAP@1   MAP@3   MAP@5   MRR     P@1");
    let row = |label: &str, m: Measures| -> Result<()> {
        outln!("{label:<32} {}", columns(&m));
        Ok(())
    };
    let score = |f: &dyn Fn(usize) -> Vec<f32>| evaluate_scores(cases, queries, qrels, |i, _| f(i));
    row("BM25 (normalised)", score(&|i| bm25[i].clone()))?;
    row(encoder.name(), score(&|i| similarity[i].clone()))?;
    let weights: Vec<f32> = if grid {
        (0..=20).map(|w| w as f32 / 20.0).collect()
    } else {
        vec![LINEAR_WEIGHT]
    };
    let mut best: Option<(f64, f32)> = None;
    for w in weights {
        let m = score(&|i| fuse(&bm25[i], &similarity[i], w));
        row(&format!("linear mix, weight {w:.2}"), m)?;
        if best.is_none_or(|(map5, _)| m.map[2] > map5) {
            best = Some((m.map[2], w));
        }
    }
    if let (true, Some((map5, w))) = (grid, best) {
        outln!("best linear weight {w:.2}: MAP@5 {map5:.4}");
    }
    let fused = |i: usize| reciprocal_rank_fusion(&bm25[i], &similarity[i], RRF_K);
    row(
        &format!("reciprocal-rank fusion, k {RRF_K} (shipped)"),
        score(&fused),
    )?;
    // The probability a match reports, on each matcher's first five cases per query.
    let similarity = &similarity;
    let raw_of = |similar: bool| {
        move |i: usize, case: usize| {
            let s = similar.then(|| similarity[i][case]);
            probability::raw(bm25[i][case], s).1
        }
    };
    let top = |ranking: &dyn Fn(usize) -> Vec<f32>, similar: bool| {
        top_outcomes(cases, queries, qrels, 5, ranking, raw_of(similar))
    };
    let bm25_outcomes = top(&|i| bm25[i].clone(), false);
    let fused_outcomes = top(&fused, true);
    let embedded = MatchProbability::embedded();
    outln!("match probability, first five cases per query: cases  matches  Brier  ECE (raw score read as a probability → calibrated)");
    for (label, outcomes, map) in [
        ("bm25 alone", &bm25_outcomes, &embedded.bm25),
        ("bm25 + embeddings", &fused_outcomes, &embedded.fused),
    ] {
        probability_row(label, outcomes, map)?;
    }
    if let Some(out) = write_probability {
        let fitted = MatchProbability::fit(&bm25_outcomes, &fused_outcomes)
            .context("the queries give no right or no wrong match to fit to")?;
        let header = format!(
            "Match probability: Platt maps from the raw score (bm25: normalised BM25; fused: the\n\
             linear mix at weight {LINEAR_WEIGHT}) to the share of a query's first five cases that are its\n\
             match, fitted on {} and {} outcomes of {} queries.\n\
             Written by: claimlens eval retrieval --write-probability FILE (on the training queries).",
            bm25_outcomes.len(),
            fused_outcomes.len(),
            queries.len()
        );
        std::fs::write(out, fitted.to_tsv(&header))
            .with_context(|| format!("cannot write {}", out.display()))?;
        outln!("fitted here (in-sample):");
        probability_row("bm25 alone", &bm25_outcomes, &fitted.bm25)?;
        probability_row("bm25 + embeddings", &fused_outcomes, &fitted.fused)?;
        eprintln!("claimlens: wrote {}", out.display());
    }
    Ok(())
}

/// Each query's normalised BM25 score for every case, on the shipped settings.
fn normalised_bm25(cases: &[Case], queries: &[Query]) -> Vec<Vec<f32>> {
    let search: Vec<String> = cases.iter().map(Case::search_text).collect();
    let index = Index::build(search.iter().map(String::as_str), Settings::default());
    queries
        .iter()
        .map(|q| index.normalised_scores(&q.text).1)
        .collect()
}

/// The match probability under BM25 alone on the shipped settings' first five cases per
/// query, and the floor on it with the best F1 on these queries (the `narratives` stage's
/// floor was chosen so, on the training queries).
fn bm25_floor(
    cases: &[Case],
    queries: &[Query],
    qrels: &HashMap<String, HashSet<String>>,
    bm25: &[Vec<f32>],
) -> Result<()> {
    let outcomes = top_outcomes(
        cases,
        queries,
        qrels,
        5,
        |i| bm25[i].clone(),
        |i, case| probability::raw(bm25[i][case], None).1,
    );
    let map = &MatchProbability::embedded().bm25;
    let mapped: Vec<(f32, bool)> = outcomes
        .iter()
        .map(|&(raw, right)| (map.probability(raw), right))
        .collect();
    if let Some((floor, f1, precision, recall)) = best_f1_floor(&mapped) {
        outln!(
            "bm25 alone, first five cases per query: the match-probability floor with the best F1 here is {floor:.2} \
             (F1 {f1:.4}, precision {precision:.4}, recall {recall:.4} of the queries' cases among them)"
        );
    }
    Ok(())
}

/// One row of the probability table: the outcomes' count and matches, then Brier score and
/// ten-bin ECE of the raw score read as a probability and of `map`'s probability.
fn probability_row(label: &str, outcomes: &[(f32, bool)], map: &PlattMap) -> Result<()> {
    let (mut raw, mut mapped) = (Calibration::default(), Calibration::default());
    for &(score, right) in outcomes {
        raw.add(score, right);
        mapped.add(map.probability(score), right);
    }
    let matches = outcomes.iter().filter(|o| o.1).count();
    outln!(
        "{label:<20} {:>6}  {matches:>6}  {:.4} → {:.4}  {:.4} → {:.4}",
        outcomes.len(),
        raw.brier(),
        mapped.brier(),
        raw.ece(),
        mapped.ece()
    );
    Ok(())
}

fn print_row(s: Settings, m: &Measures) -> Result<()> {
    let yes = |b: bool| if b { "removed" } else { "kept" };
    outln!(
        "{:<11} {:<8} {:<5.2} {:<5.2} {}",
        yes(s.tokenizer.stop_words),
        if s.tokenizer.stem { "folded" } else { "kept" },
        s.k1,
        s.b,
        columns(m)
    );
    Ok(())
}

/// The measure columns of both tables: MAP@1, MAP@3, MAP@5, MRR, P@1.
fn columns(m: &Measures) -> String {
    format!(
        "{:.4}  {:.4}  {:.4}  {:.4}  {:.4}",
        m.map[0], m.map[1], m.map[2], m.mrr, m.p_at_1
    )
}

/// Stop words and plural folding on and off, k1 from 0.6 to 2.0, b from 0.3 to 1.0.
fn grid() -> Vec<Settings> {
    let mut all = Vec::new();
    for stop_words in [true, false] {
        for stem in [true, false] {
            for k1 in [0.6, 0.9, 1.2, 1.5, 2.0] {
                for b in [0.3, 0.5, 0.75, 0.9, 1.0] {
                    all.push(Settings {
                        tokenizer: Tokenizer { stop_words, stem },
                        k1,
                        b,
                    });
                }
            }
        }
    }
    all
}
