//! The probability that a matched case is the claim's own known case, the `score` a match
//! reports. Ranking and probability answer different questions: reciprocal-rank fusion ranks
//! best but only says where a case stands among the others (every claim has a first case,
//! however unrelated), so the probability is read from the absolute evidence instead: the
//! linear mix of embedding similarity and normalised BM25 ([`raw`]), or normalised BM25 alone
//! when no encoder ran, each through its own Platt map fitted on the top-ranked cases of the
//! CLEF 2020 training queries (`claimlens eval retrieval --write-probability`).
//!
//! What the probability means, and its limit: of the cases the matcher lists among a query's
//! first five with probability p, about p are judged the query's match. The CLEF queries were
//! chosen because a fact-check exists for each; an article's claims often have none, so on
//! news the share of matches is lower than on CLEF and the probability an upper estimate.

use std::sync::OnceLock;

use claimlens_core::probability::PlattMap;

use crate::semantic::{mix, LINEAR_WEIGHT};

/// The committed maps, written by `claimlens eval retrieval --write-probability`.
const EMBEDDED: &str = include_str!("../models/match-probability.tsv");

/// Which evidence a match had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// BM25 alone (no encoder ran).
    Bm25,
    /// BM25 and embedding similarity.
    Fused,
}

impl Evidence {
    fn name(self) -> &'static str {
        match self {
            Evidence::Bm25 => "bm25",
            Evidence::Fused => "fused",
        }
    }
}

/// The raw score a probability is read from: the linear mix at [`LINEAR_WEIGHT`] when a
/// similarity exists, else the normalised BM25 score; both in [0, 1].
pub fn raw(normalised: f32, similarity: Option<f32>) -> (Evidence, f32) {
    match similarity {
        Some(s) => (Evidence::Fused, mix(normalised, s, LINEAR_WEIGHT)),
        None => (Evidence::Bm25, normalised),
    }
}

/// One Platt map per kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchProbability {
    /// For BM25 alone: its normalised score.
    pub bm25: PlattMap,
    /// For BM25 with embeddings: the linear mix.
    pub fused: PlattMap,
}

impl MatchProbability {
    /// The committed maps (checked by a unit test, so this cannot fail in a built binary).
    pub fn embedded() -> &'static MatchProbability {
        static MAPS: OnceLock<MatchProbability> = OnceLock::new();
        MAPS.get_or_init(|| {
            MatchProbability::from_tsv(EMBEDDED)
                .expect("the committed match-probability maps parse")
        })
    }

    /// The probability for a case with this normalised BM25 score and similarity.
    pub fn probability(&self, normalised: f32, similarity: Option<f32>) -> f32 {
        let (evidence, raw) = raw(normalised, similarity);
        self.map(evidence).probability(raw)
    }

    fn map(&self, evidence: Evidence) -> &PlattMap {
        match evidence {
            Evidence::Bm25 => &self.bm25,
            Evidence::Fused => &self.fused,
        }
    }

    /// Fits both maps to `(raw score, is the query's case)` outcomes; `None` when either
    /// kind lacks right or wrong outcomes.
    pub fn fit(bm25: &[(f32, bool)], fused: &[(f32, bool)]) -> Option<MatchProbability> {
        Some(MatchProbability {
            bm25: PlattMap::fit(bm25)?,
            fused: PlattMap::fit(fused)?,
        })
    }

    /// The maps as a TSV file, `header` as `#` comment lines first.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out: String = header.lines().map(|l| format!("# {l}\n")).collect();
        out.push_str(TSV_HEADER);
        out.push('\n');
        for evidence in [Evidence::Bm25, Evidence::Fused] {
            let m = self.map(evidence);
            out.push_str(&format!(
                "{}\t{}\t{}\n",
                evidence.name(),
                m.intercept,
                m.slope
            ));
        }
        out
    }

    /// Reads [`MatchProbability::to_tsv`]'s format: both maps, finite, slopes not negative
    /// (a higher score never means a less likely match).
    pub fn from_tsv(text: &str) -> Result<MatchProbability, String> {
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty());
        if lines.next() != Some(TSV_HEADER) {
            return Err(format!("expected the header {TSV_HEADER:?}"));
        }
        let (mut bm25, mut fused) = (None, None);
        for line in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, intercept, slope] = fields[..] else {
                return Err(format!("{line:?}: expected three fields"));
            };
            let number = |s: &str| s.parse::<f32>().ok().filter(|x| x.is_finite());
            let (Some(intercept), Some(slope)) = (number(intercept), number(slope)) else {
                return Err(format!(
                    "{line:?}: intercept and slope must be finite numbers"
                ));
            };
            if slope < 0.0 {
                return Err(format!("{line:?}: a negative slope"));
            }
            let slot = match name {
                "bm25" => &mut bm25,
                "fused" => &mut fused,
                _ => return Err(format!("{line:?}: unknown evidence {name:?}")),
            };
            if slot.replace(PlattMap { intercept, slope }).is_some() {
                return Err(format!("{line:?}: a second map for {name}"));
            }
        }
        match (bm25, fused) {
            (Some(bm25), Some(fused)) => Ok(MatchProbability { bm25, fused }),
            _ => Err("both the bm25 and the fused map are needed".to_owned()),
        }
    }
}

const TSV_HEADER: &str = "evidence\tintercept\tslope";

/// The floor on a probability that keeps the outcomes with the best F1 (of the right ones
/// among all given): `(floor, F1, precision, recall)`, the floor being the lowest kept
/// probability; ties keep the higher floor. `None` without a right outcome.
pub fn best_f1_floor(scored: &[(f32, bool)]) -> Option<(f32, f64, f64, f64)> {
    let right = scored.iter().filter(|o| o.1).count();
    if right == 0 {
        return None;
    }
    let mut sorted: Vec<(f32, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<(f32, f64, f64, f64)> = None;
    let mut kept_right = 0usize;
    for (i, &(p, is_right)) in sorted.iter().enumerate() {
        kept_right += usize::from(is_right);
        // A floor can only sit between different probabilities.
        if sorted.get(i + 1).is_some_and(|next| next.0 == p) {
            continue;
        }
        let precision = kept_right as f64 / (i + 1) as f64;
        let recall = kept_right as f64 / right as f64;
        let f1 = if kept_right == 0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        if best.is_none_or(|b| f1 > b.1) {
            best = Some((p, f1, precision, recall));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_maps_load_and_rise_with_the_evidence() {
        let m = MatchProbability::embedded();
        for similarity in [None, Some(0.3)] {
            let low = m.probability(0.05, similarity);
            let high = m.probability(0.9, similarity.map(|_| 0.95));
            assert!(low < high, "{similarity:?}: {low} !< {high}");
            assert!((0.0..=1.0).contains(&low) && (0.0..=1.0).contains(&high));
        }
    }

    #[test]
    fn the_raw_score_is_the_linear_mix_when_a_similarity_exists() {
        assert_eq!(raw(0.5, None), (Evidence::Bm25, 0.5));
        let (evidence, r) = raw(0.5, Some(1.0));
        assert_eq!(evidence, Evidence::Fused);
        assert!((r - (LINEAR_WEIGHT + (1.0 - LINEAR_WEIGHT) * 0.5)).abs() < 1e-6);
    }

    #[test]
    fn maps_round_trip_and_damage_is_refused() {
        let m = MatchProbability {
            bm25: PlattMap {
                intercept: -3.0,
                slope: 5.5,
            },
            fused: PlattMap {
                intercept: -9.25,
                slope: 12.0,
            },
        };
        let tsv = m.to_tsv("fitted on nothing real");
        assert!(tsv.starts_with("# fitted on nothing real\n"));
        assert_eq!(MatchProbability::from_tsv(&tsv), Ok(m));
        let h = TSV_HEADER;
        for (text, want) in [
            (String::new(), "header"),
            (format!("{h}\nbm25\t1\n"), "three"),
            (format!("{h}\nbm25\tx\t1\nfused\t1\t1\n"), "finite"),
            (format!("{h}\nbm25\t1\t-1\nfused\t1\t1\n"), "negative"),
            (format!("{h}\nwords\t1\t1\n"), "unknown"),
            (format!("{h}\nbm25\t1\t1\nbm25\t1\t1\n"), "second"),
            (format!("{h}\nbm25\t1\t1\n"), "both"),
        ] {
            let e = MatchProbability::from_tsv(&text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_best_f1_floor_keeps_the_likely_right_ones() {
        let scored = [
            (0.9, true),
            (0.8, true),
            (0.6, false),
            (0.5, true),
            (0.2, false),
        ];
        // Floors: 0.9 → F1 0.5, 0.8 → 0.8, 0.6 → 0.667, 0.5 → 0.857, 0.2 → 0.75.
        let (floor, f1, precision, recall) = best_f1_floor(&scored).unwrap();
        assert_eq!(floor, 0.5);
        assert!((f1 - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!((precision, recall), (0.75, 1.0));
        assert_eq!(best_f1_floor(&[(0.5, false)]), None);
        // Equal probabilities are kept or left together.
        // (0.7 alone: F1 2/3; both 0.4s with it: 0.8; one 0.4 without the other is no floor.)
        let (floor, f1, ..) = best_f1_floor(&[(0.7, true), (0.4, false), (0.4, true)]).unwrap();
        assert_eq!(floor, 0.4);
        assert!((f1 - 0.8).abs() < 1e-9);
    }

    #[test]
    fn fitting_needs_both_outcomes_for_both_maps() {
        let both = [
            (0.1, false),
            (0.2, false),
            (0.8, true),
            (0.3, true),
            (0.7, false),
        ];
        assert!(MatchProbability::fit(&both, &both).is_some());
        assert_eq!(MatchProbability::fit(&both, &[(0.5, true)]), None);
    }
}
