//! Known narratives: fact-checks and documented disinformation cases, and the claims that
//! resemble them. Everything runs offline, on files the user has.
//!
//! # Brief overview
//!
//! * [`Case`]: one fact-check or documented case, whatever file it came from; `(source,
//!   case_id)` identifies it (the store upserts on it).
//! * [`import::parse`]: reads a file in one of the [`import::Format`]s (EUvsDisinfo CSV
//!   exports, schema.org ClaimReview JSON / JSON-LD, the CLEF 2020 verified-claims TSV, a
//!   plain TSV) into cases, and lists every record it had to reject with its line.
//! * [`bm25::Index`]: a compact in-memory inverted index over case texts, Okapi BM25
//!   scoring, and a score normalised into `[0, 1]` by the query's self-score.
//! * [`matcher::Matcher`]: the best cases for each claim of an analysed article, and for the
//!   article as a whole.
//! * [`stage::NarrativesStage`]: the matcher as a pipeline stage, writing the `narratives`
//!   layer (each claim's matched cases, and the article's best) that every report renders.
//! * [`near_duplicates`]: word shingles, MinHash, LSH banding and clusters of republished
//!   articles by first-seen document, each member checked by exact Jaccard.
//! * [`probability`]: the calibrated probability a match reports (Platt maps over the
//!   absolute evidence, fitted on the CLEF 2020 training queries).
//! * [`semantic`]: cases as sentence embeddings (any [`semantic::Encoder`]), and the mix of
//!   embedding similarity with BM25 that ranks them.
//! * [`retrieval`]: the CLEF 2020 Task 2 files (queries, qrels) and the ranking measures
//!   (MAP@k, MRR, P@1).
//!
//! ```
//! use claimlens_narratives::bm25::{Index, Settings};
//!
//! let cases = ["The vaccine contains microchips", "The harbour bridge will close in May"];
//! let index = Index::build(cases.iter().copied(), Settings::default());
//! let hits = index.search("Officials said the bridge over the harbour will close.", 1);
//! assert_eq!(hits[0].case, 1);
//! assert!(hits[0].normalised > 0.0 && hits[0].normalised <= 1.0);
//! ```

pub mod bm25;
pub mod import;
pub mod matcher;
pub mod near_duplicates;
pub mod probability;
pub mod retrieval;
pub mod semantic;
pub mod stage;
mod tokens;

/// One fact-check or documented disinformation case.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Case {
    /// The data set or publisher it comes from (`euvsdisinfo`, `clef2020`, a fact-checker's
    /// name from ClaimReview `author.name`, or what `--source` says).
    pub source: String,
    /// The case's id inside its source (the EUvsDisinfo report URL, a CLEF `vclaim_id`, …).
    pub case_id: String,
    /// The headline of the case or fact-check.
    pub title: Option<String>,
    /// The claim that was checked or documented, as its source words it.
    pub claim: Option<String>,
    /// The source's summary of the case, when it has one.
    pub summary: Option<String>,
    /// The verdict as the source words it (`False`, `Mostly true`, `disinformation`, …).
    pub verdict: Option<String>,
    /// Where the case is published.
    pub url: Option<String>,
    /// Its date as written by the source (ISO `YYYY-MM-DD` when the source gives one that can
    /// be read unambiguously).
    pub date: Option<String>,
    /// Keywords or tags the source attached.
    pub keywords: Vec<String>,
}

impl Case {
    /// The text the matcher indexes: title, claim and summary, each once.
    pub fn search_text(&self) -> String {
        let mut text = String::new();
        for part in [&self.title, &self.claim, &self.summary]
            .into_iter()
            .flatten()
        {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(part);
        }
        text
    }
}
