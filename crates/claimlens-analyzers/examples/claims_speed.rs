//! Speed of the claims stage alone: every earlier stage runs first (untimed), then the
//! claims stage is timed over all documents, best of three runs, on one core.
//!
//! ```text
//! cargo run --release -p claimlens-analyzers --example claims_speed -- ../shared/data/polnear/dev/text
//! ```

use std::time::Instant;

use claimlens_analyzers::claims::ClaimsStage;
use claimlens_analyzers::{amounts, attribution, entities, places, sourcing, temporal, Segmenter};
use claimlens_core::{Doc, Stage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: claims_speed <directory of .txt files>")?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let earlier: [&dyn Stage; 7] = [
        &Segmenter,
        &attribution::AttributionStage,
        &sourcing::SourcingStage,
        &entities::EntityStage,
        &temporal::TemporalStage,
        &amounts::AmountsStage,
        &places::PlacesStage,
    ];
    let mut docs = Vec::new();
    for p in &paths {
        let mut doc = Doc::new(p.display().to_string(), std::fs::read_to_string(p)?);
        for s in earlier {
            s.run(&mut doc);
        }
        docs.push(doc);
    }
    let words: usize = docs.iter().map(Doc::word_count).sum();
    // Load the model before timing, as a long-running process would have.
    claimlens_analyzers::claims::model::embedded()?;
    let mut best = f64::MAX;
    let mut claims = 0;
    for _ in 0..3 {
        let mut copies = docs.clone();
        let start = Instant::now();
        for d in &mut copies {
            ClaimsStage.run(d);
        }
        best = best.min(start.elapsed().as_secs_f64());
        claims = copies
            .iter()
            .map(|d| d.layer("claims").map_or(0, |l| l.annotations.len()))
            .sum();
    }
    println!(
        "{} documents, {words} words, {claims} claims: claims stage {:.3} s, {:.2} M words/s",
        docs.len(),
        best,
        words as f64 / best / 1e6
    );
    Ok(())
}
