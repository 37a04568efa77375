//! Matching by meaning: claims and cases as sentence embeddings, and the mix of their
//! similarity with BM25.
//!
//! BM25 finds the cases that share a claim's words; an embedding also finds the ones that say
//! the same thing in other words ("the bridge shuts next spring" for "the bridge will close in
//! May"). Each case is embedded twice, its claim alone (its title when it has no claim) and
//! its whole search text, and a query's similarity to the case is the better of the two: a
//! long summary dilutes the claim, a bare claim loses the title's context.
//!
//! The encoder is a trait, so this crate stays free of the neural-network runtime: the
//! front-end passes `claimlens-embed`'s MiniLM, tests pass a bag-of-words stand-in.

use crate::Case;

/// Something that turns texts into L2-normalised vectors of one length. `Send + Sync`: the
/// `narratives` stage holds one and runs on every worker thread of the pipeline.
pub trait Encoder: Send + Sync {
    /// The model's name, as outputs report which matcher ran.
    fn name(&self) -> &str;
    /// One vector per text, in order.
    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
}

/// The best share of the embedding similarity in the linear mix [`fuse`] (the rest is
/// normalised BM25) on the CLEF 2020 Task 2 training queries (`claimlens eval retrieval
/// --grid`: MAP@5 0.889). The matcher does not use the mix: reciprocal-rank fusion scored
/// higher on the same queries (0.891), so it ranks; the mix stays as the measured comparison.
pub const LINEAR_WEIGHT: f32 = 0.4;

/// The constant of reciprocal-rank fusion, the matcher's ranking (the usual 60, not tuned).
pub const RRF_K: f32 = 60.0;

/// Every case's two embeddings, row after row.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseVectors {
    dims: usize,
    claim: Vec<f32>,
    full: Vec<f32>,
}

impl CaseVectors {
    /// Embeds `cases` with `encoder`.
    pub fn build(cases: &[Case], encoder: &dyn Encoder) -> Result<CaseVectors, String> {
        let claims: Vec<String> = cases.iter().map(claim_text).collect();
        let fulls: Vec<String> = cases.iter().map(Case::search_text).collect();
        let claim = encoder.encode(&as_str(&claims))?;
        let full = encoder.encode(&as_str(&fulls))?;
        let dims = claim.first().map_or(0, Vec::len);
        if claim.iter().chain(&full).any(|v| v.len() != dims) {
            return Err(format!("{}: vectors of different lengths", encoder.name()));
        }
        Ok(CaseVectors {
            dims,
            claim: claim.concat(),
            full: full.concat(),
        })
    }

    /// Vectors stored earlier: `claim` and `full` hold one row of `dims` values per case.
    pub fn from_rows(dims: usize, claim: Vec<f32>, full: Vec<f32>) -> Option<CaseVectors> {
        (dims > 0 && claim.len() == full.len() && claim.len() % dims == 0).then_some(CaseVectors {
            dims,
            claim,
            full,
        })
    }

    /// Values per vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Cases held.
    pub fn len(&self) -> usize {
        self.claim.len().checked_div(self.dims).unwrap_or(0)
    }

    /// Whether no case is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Case `i`'s claim vector and full-text vector.
    pub fn rows(&self, i: usize) -> (&[f32], &[f32]) {
        let range = i * self.dims..(i + 1) * self.dims;
        (&self.claim[range.clone()], &self.full[range])
    }

    /// The similarity of `query` (a vector from the same encoder) to every case: the better
    /// cosine of the case's two vectors, mapped from [-1, 1] into [0, 1].
    pub fn similarities(&self, query: &[f32]) -> Vec<f32> {
        (0..self.len())
            .map(|i| {
                let (claim, full) = self.rows(i);
                let best = dot(query, claim).max(dot(query, full));
                ((best + 1.0) / 2.0).clamp(0.0, 1.0)
            })
            .collect()
    }
}

/// The text embedded for a case's claim: the claim, else the title, else its search text.
fn claim_text(case: &Case) -> String {
    case.claim
        .clone()
        .or_else(|| case.title.clone())
        .unwrap_or_else(|| case.search_text())
}

fn as_str(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `weight` × similarity + (1 − `weight`) × normalised BM25, case by case; both in [0, 1].
pub fn fuse(bm25_normalised: &[f32], similarity: &[f32], weight: f32) -> Vec<f32> {
    bm25_normalised
        .iter()
        .zip(similarity)
        .map(|(&b, &s)| mix(b, s, weight))
        .collect()
}

/// The linear mix for one case: `weight` × `similarity` + (1 − `weight`) × `bm25_normalised`.
pub fn mix(bm25_normalised: f32, similarity: f32, weight: f32) -> f32 {
    weight * similarity + (1.0 - weight) * bm25_normalised
}

/// Reciprocal-rank fusion: Σ 1 / (k + rank) over the two rankings (a case BM25 does not
/// rank adds nothing from it).
pub fn reciprocal_rank_fusion(bm25: &[f32], similarity: &[f32], k: f32) -> Vec<f32> {
    let mut fused = vec![0.0f32; bm25.len()];
    for scores in [bm25, similarity] {
        let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] > 0.0).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        for (rank, &i) in order.iter().enumerate() {
            fused[i] += 1.0 / (k + rank as f32 + 1.0);
        }
    }
    fused
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stand-in encoder: counts of a few words, normalised.
    pub(crate) struct Words(pub &'static [&'static str]);

    impl Encoder for Words {
        fn name(&self) -> &str {
            "words"
        }
        fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            Ok(texts
                .iter()
                .map(|t| {
                    let lower = t.to_lowercase();
                    let mut v: Vec<f32> = self
                        .0
                        .iter()
                        .map(|w| lower.matches(w).count() as f32)
                        .collect();
                    v.push(0.01);
                    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                    v.iter().map(|x| x / norm).collect()
                })
                .collect())
        }
    }

    fn case(claim: Option<&str>, title: &str, summary: &str) -> Case {
        Case {
            claim: claim.map(str::to_owned),
            title: Some(title.to_owned()),
            summary: Some(summary.to_owned()),
            ..Case::default()
        }
    }

    #[test]
    fn the_better_of_claim_and_full_text_counts() {
        let encoder = Words(&["bridge", "vaccine", "moon"]);
        let cases = [
            case(Some("the bridge closes"), "moon", "moon moon moon"),
            case(None, "vaccine facts", "bridge"),
        ];
        let vectors = CaseVectors::build(&cases, &encoder).unwrap();
        assert_eq!(vectors.len(), 2);
        let query = &encoder.encode(&["a bridge"]).unwrap()[0];
        let sims = vectors.similarities(query);
        // Case 0's claim is about the bridge although its full text is about the moon.
        assert!(sims[0] > 0.99, "{sims:?}");
        assert!(sims.iter().all(|s| (0.0..=1.0).contains(s)));
    }

    #[test]
    fn stored_rows_are_checked() {
        assert!(CaseVectors::from_rows(2, vec![1.0; 4], vec![1.0; 4]).is_some());
        assert!(CaseVectors::from_rows(3, vec![1.0; 4], vec![1.0; 4]).is_none());
        assert!(CaseVectors::from_rows(0, vec![], vec![]).is_none());
    }

    #[test]
    fn fusion_mixes_and_rrf_rewards_agreement() {
        let fused = fuse(&[1.0, 0.0], &[0.0, 1.0], 0.75);
        assert_eq!(fused, vec![0.25, 0.75]);
        let rrf = reciprocal_rank_fusion(&[0.9, 0.5, 0.0], &[0.8, 0.9, 0.1], 60.0);
        assert!(rrf[0] > rrf[2] && rrf[1] > rrf[2]);
        assert!((rrf[0] - (1.0 / 61.0 + 1.0 / 62.0)).abs() < 1e-6);
    }
}
