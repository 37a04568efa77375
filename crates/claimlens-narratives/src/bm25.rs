//! Okapi BM25 over an in-memory inverted index.
//!
//! The index is built at match time from the store's cases (tens of thousands of short
//! texts take well under a second, `docs/evaluation.md`), so the store keeps only the cases
//! and nothing can fall out of step with them.

use std::collections::HashMap;

pub use crate::tokens::Tokenizer;

/// Tokenisation and BM25 parameters. The defaults were chosen on the CLEF 2020 Task 2
/// training queries (`claimlens eval retrieval --grid`, `docs/evaluation.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// How texts become terms.
    pub tokenizer: Tokenizer,
    /// Term-frequency saturation.
    pub k1: f32,
    /// Length normalisation (0: none, 1: full).
    pub b: f32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            tokenizer: Tokenizer {
                stop_words: true,
                stem: true,
            },
            // The best MAP@5 on the 800 training queries (0.8321); the grid is flat (every
            // setting with stop words removed and plurals folded lies within 0.01 of it).
            k1: 0.9,
            b: 1.0,
        }
    }
}

/// A case found for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The case's position in the texts the index was built from.
    pub case: usize,
    /// Its BM25 score.
    pub score: f32,
    /// The score divided by the query's self-score ([`Index::self_score`]): in `[0, 1]`,
    /// comparable across queries of different lengths.
    pub normalised: f32,
}

/// An inverted index: for each term, the cases holding it and how often.
pub struct Index {
    settings: Settings,
    postings: HashMap<String, Vec<(u32, u32)>>,
    lengths: Vec<u32>,
    average_length: f32,
}

impl Index {
    /// Indexes `texts`; a hit's [`Hit::case`] is the text's position.
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>, settings: Settings) -> Index {
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut lengths = Vec::new();
        let mut counts: HashMap<String, u32> = HashMap::new();
        for (case, text) in texts.enumerate() {
            counts.clear();
            let mut length = 0u32;
            settings.tokenizer.terms(text, |term| {
                length += 1;
                *counts.entry(term).or_default() += 1;
            });
            for (term, tf) in counts.drain() {
                postings.entry(term).or_default().push((case as u32, tf));
            }
            lengths.push(length);
        }
        let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
        let average_length = if lengths.is_empty() {
            1.0
        } else {
            (total as f32 / lengths.len() as f32).max(1.0)
        };
        Index {
            settings,
            postings,
            lengths,
            average_length,
        }
    }

    /// How many texts are indexed.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The query's distinct terms.
    fn query_terms(&self, query: &str) -> Vec<String> {
        let mut terms = Vec::new();
        self.settings.tokenizer.terms(query, |t| terms.push(t));
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    /// Inverse document frequency (the always-positive form of Lucene's BM25).
    fn idf(&self, document_frequency: usize) -> f32 {
        let n = self.lengths.len() as f32;
        let df = document_frequency as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The BM25 score of every indexed text for `query` (0 for texts sharing no term).
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let Settings { k1, b, .. } = self.settings;
        let mut scores = vec![0.0f32; self.lengths.len()];
        for term in self.query_terms(query) {
            let Some(list) = self.postings.get(&term) else {
                continue;
            };
            let idf = self.idf(list.len());
            for &(case, tf) in list {
                let tf = tf as f32;
                let length = self.lengths[case as usize] as f32 / self.average_length;
                scores[case as usize] += idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * length));
            }
        }
        scores
    }

    /// The query's self-score: what a text holding every query term with saturated frequency
    /// would score, `Σ idf(t) · (k1 + 1)` over its distinct terms. No text scores more, so
    /// dividing by it puts scores in `[0, 1]`. A term no case holds counts with the idf of a
    /// term held by none: a case lacking the claim's words is not a full match.
    pub fn self_score(&self, query: &str) -> f32 {
        self.query_terms(query)
            .iter()
            .map(|t| self.idf(self.postings.get(t).map_or(0, Vec::len)))
            .sum::<f32>()
            * (self.settings.k1 + 1.0)
    }

    /// Every text's score for `query` and that score divided by the query's
    /// [`Index::self_score`], in `[0, 1]` (0 for every text when the query has no term).
    pub fn normalised_scores(&self, query: &str) -> (Vec<f32>, Vec<f32>) {
        let scores = self.scores(query);
        let own = self.self_score(query);
        let normalised = scores
            .iter()
            .map(|s| {
                if own > 0.0 {
                    (s / own).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        (scores, normalised)
    }

    /// The `top` best texts for `query`, best first (ties: the earlier text first); texts
    /// sharing no term with the query are never returned.
    pub fn search(&self, query: &str, top: usize) -> Vec<Hit> {
        let (scores, normalised) = self.normalised_scores(query);
        best(&scores, top)
            .into_iter()
            .map(|case| Hit {
                case,
                score: scores[case],
                normalised: normalised[case],
            })
            .collect()
    }
}

/// The positions of the `top` highest positive scores, best first, ties by position.
pub fn best(scores: &[f32], top: usize) -> Vec<usize> {
    let mut found: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] > 0.0).collect();
    let order = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    if found.len() > top && top > 0 {
        found.select_nth_unstable_by(top - 1, order);
    }
    found.truncate(top);
    found.sort_by(order);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: [&str; 4] = [
        "Vaccines contain microchips that track people",
        "The harbour bridge will close in May for repairs",
        "NATO troops are preparing to invade Belarus",
        "The moon landing was staged in a film studio",
    ];

    fn index() -> Index {
        Index::build(CASES.iter().copied(), Settings::default())
    }

    #[test]
    fn the_case_sharing_the_rarest_words_comes_first() {
        let hits = index().search("Officials claim NATO will invade Belarus next week", 2);
        assert_eq!(hits[0].case, 2);
        assert_eq!(hits.len(), 1, "no other case shares a word: {hits:?}");
    }

    #[test]
    fn normalised_scores_lie_in_the_unit_interval_and_reach_near_one_for_the_case_itself() {
        let index = index();
        for text in CASES {
            let hits = index.search(text, 4);
            assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.normalised)));
            assert!(hits[0].normalised > 0.4, "{text}: {hits:?}");
        }
        assert!(index.search("", 3).is_empty());
        assert!(index.search("unrelated words entirely", 3).is_empty());
    }

    #[test]
    fn best_breaks_ties_by_position_and_skips_zero_scores() {
        assert_eq!(best(&[0.5, 0.0, 0.9, 0.5, 0.1], 3), [2, 0, 3]);
        assert_eq!(best(&[0.0, 0.0], 3), Vec::<usize>::new());
        assert_eq!(best(&[0.2, 0.4], 0), Vec::<usize>::new());
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = Index::build(std::iter::empty(), Settings::default());
        assert!(index.is_empty());
        assert!(index.search("anything", 3).is_empty());
    }
}
