//! The store's known cases as the `narratives` stage: what `analyze` and `narratives match`
//! share. Cases, their index and their vectors are loaded once per run here; the matching
//! itself is the stage's (`claimlens_narratives::stage`).

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use claimlens_narratives::matcher::Matcher;
use claimlens_narratives::semantic::{CaseVectors, Encoder};
use claimlens_narratives::stage::{NarrativesStage, Settings};
use claimlens_store::{Case, Location, Store};

use crate::inputs::plural;
use crate::models::{EmbedderArgs, MiniLm};
use indicatif::{ProgressBar, ProgressStyle};

/// The store `--db` names, else the default one, when it exists: `analyze` only reads cases
/// from a store that is there, and never creates one (nor its folder).
pub fn existing_store(db: Option<&Path>) -> Option<Location> {
    let location = db
        .map(Location::of)
        .or_else(|| claimlens_store::default_path().map(Location::File))?;
    location.exists().then_some(location)
}

/// The narratives stage over the store's cases, or `None` when it holds none. With the
/// embedder (unless `bm25_only`; fetched or refused as `embedder` says) the cases' vectors
/// come from the store, the missing ones computed and kept. Says on stderr which matcher
/// ranks.
pub fn narratives_stage(
    location: &Location,
    bm25_only: bool,
    embedder: &EmbedderArgs,
    settings: Settings,
) -> Result<Option<NarrativesStage>> {
    let mut store = location.open()?;
    let store = &mut *store;
    let cases = store.cases()?;
    if cases.is_empty() {
        return Ok(None);
    }
    let encoder = if bm25_only {
        None
    } else {
        embedder.load(false)?
    };
    let matcher = match encoder {
        Some(encoder) => {
            let vectors = case_vectors(store, &cases, &encoder)?;
            Matcher::new(cases)
                .with_semantic(Box::new(encoder), vectors)
                .map_err(anyhow::Error::msg)?
        }
        None => Matcher::new(cases),
    };
    eprintln!(
        "claimlens: known narratives: {} case{} from {}, matcher {}",
        matcher.cases().len(),
        plural(matcher.cases().len() as u64),
        claimlens_export::terminal::clean(&location.to_string()),
        matcher.name()
    );
    Ok(Some(NarrativesStage::new(Arc::new(matcher), settings)))
}

/// Embeds the store's cases that have no vector from `encoder` yet and keeps the vectors
/// (`narratives import` calls it, so matching need not).
pub fn embed_missing(store: &mut dyn Store, encoder: &MiniLm) -> Result<()> {
    let cases = store.cases()?;
    case_vectors(store, &cases, encoder).map(drop)
}

/// The cases' embeddings: those the store keeps, the others computed now (with a progress
/// bar on a terminal: 24,000 cases take minutes the first time) and kept for the next run.
fn case_vectors(store: &mut dyn Store, cases: &[Case], encoder: &MiniLm) -> Result<CaseVectors> {
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
        let bar = progress_bar(missing.len() as u64);
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
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
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

/// A bar over `cases` cases on a terminal, hidden otherwise (logs keep the two lines).
fn progress_bar(cases: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(cases);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} cases embedded, {eta} left")
            .expect("valid template"),
    );
    bar
}
