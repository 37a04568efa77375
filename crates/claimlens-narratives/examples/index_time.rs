//! Times reading case files and building the BM25 index over them, as `narratives match`
//! does at start-up (docs/evaluation.md):
//!
//! ```sh
//! cargo run --release -p claimlens-narratives --example index_time -- \
//!     euvsdisinfo ../shared/data/euvsdisinfo/cases_2015_2017.csv \
//!     euvsdisinfo ../shared/data/euvsdisinfo/case_titles_to_2021.csv \
//!     clef /tmp/clef2020/v3.0/verified_claims.docs.tsv
//! ```

use std::time::Instant;

use claimlens_narratives::bm25::{Index, Settings};
use claimlens_narratives::import::{parse, Format};
use claimlens_narratives::Case;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let mut cases: Vec<Case> = Vec::new();
    for pair in args.chunks(2) {
        let [format, path] = pair else {
            eprintln!("usage: index_time (euvsdisinfo|claimreview|clef|tsv FILE)...");
            std::process::exit(2);
        };
        let format = match format.as_str() {
            "euvsdisinfo" => Format::EuVsDisinfo,
            "claimreview" => Format::ClaimReview,
            "clef" => Format::Clef,
            _ => Format::Tsv,
        };
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        cases.extend(parse(format, &bytes, None, "tsv").unwrap().cases);
    }
    let read = started.elapsed();
    let started = Instant::now();
    let texts: Vec<String> = cases.iter().map(Case::search_text).collect();
    let index = Index::build(texts.iter().map(String::as_str), Settings::default());
    let built = started.elapsed();
    let started = Instant::now();
    let queries = 1000.min(texts.len());
    for text in texts.iter().take(queries) {
        std::hint::black_box(index.search(text, 3));
    }
    let searched = started.elapsed();
    println!(
        "{} cases: read {:.3} s, index built {:.3} s, {} case texts searched as queries in {:.3} s ({:.2} ms each)",
        index.len(),
        read.as_secs_f64(),
        built.as_secs_f64(),
        queries,
        searched.as_secs_f64(),
        searched.as_secs_f64() * 1000.0 / queries.max(1) as f64
    );
}
