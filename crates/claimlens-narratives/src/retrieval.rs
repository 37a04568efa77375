//! Claim retrieval as CLEF 2020 CheckThat! Task 2 scores it: for each query (a tweet), a
//! ranking of the verified claims; the qrels say which claims are relevant.
//!
//! Measures, averaged over queries: MAP@k (average precision over the first k ranks,
//! divided by the number of relevant claims, capped at k), MRR (reciprocal rank of the first
//! relevant claim in the whole ranking; 0 when no relevant claim scores above zero) and P@1.

use std::collections::{HashMap, HashSet};

use crate::bm25::{best, Index, Settings};
use crate::import::ImportError;
use crate::Case;

/// One query: its id and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query id (`tweet_id`).
    pub id: String,
    /// The query text (`tweet_content`).
    pub text: String,
}

/// Reads `tweets.queries.tsv`: a header, then `tweet_id <TAB> tweet_content` with CSV
/// quoting.
pub fn read_queries(input: &str) -> Result<Vec<Query>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(input.as_bytes());
    let mut queries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError(format!("queries: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        match (record.get(0), record.get(1)) {
            (Some(id), Some(text)) if !id.trim().is_empty() => queries.push(Query {
                id: id.trim().to_owned(),
                text: text.to_owned(),
            }),
            _ => return Err(ImportError(format!("queries line {line}: no id and text"))),
        }
    }
    Ok(queries)
}

/// Reads a qrels file (`query_id 0 claim_id relevance`, white-space separated): the relevant
/// claim ids of each query (relevance > 0).
pub fn read_qrels(input: &str) -> Result<HashMap<String, HashSet<String>>, ImportError> {
    let mut qrels: HashMap<String, HashSet<String>> = HashMap::new();
    for (index, line) in input.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [query, _, claim, relevance] = fields[..] else {
            return Err(ImportError(format!(
                "qrels line {}: expected `query 0 claim relevance`",
                index + 1
            )));
        };
        let relevance: i64 = relevance.parse().map_err(|_| {
            ImportError(format!(
                "qrels line {}: relevance `{relevance}` is not a number",
                index + 1
            ))
        })?;
        if relevance > 0 {
            qrels
                .entry(query.to_owned())
                .or_default()
                .insert(claim.to_owned());
        }
    }
    Ok(qrels)
}

/// Ranking measures averaged over the queries that have a relevant claim.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    /// Queries scored.
    pub queries: usize,
    /// MAP@1, MAP@3, MAP@5.
    pub map: [f64; 3],
    /// Mean reciprocal rank.
    pub mrr: f64,
    /// Precision of the first result.
    pub p_at_1: f64,
}

/// The cut-offs of [`Measures::map`].
pub const CUTOFFS: [usize; 3] = [1, 3, 5];

/// Accumulates per-query results into [`Measures`].
#[derive(Default)]
pub struct Scorer {
    sums: Measures,
}

impl Scorer {
    /// Adds one query: the 1-based ranks of its relevant claims in the full ranking (`None`
    /// for a relevant claim that was not ranked) and how many are relevant.
    pub fn add(&mut self, mut ranks: Vec<Option<usize>>) {
        if ranks.is_empty() {
            return;
        }
        let relevant = ranks.len();
        ranks.sort_unstable_by_key(|r| r.unwrap_or(usize::MAX));
        let s = &mut self.sums;
        s.queries += 1;
        for (slot, &k) in CUTOFFS.iter().enumerate() {
            let mut found = 0usize;
            let mut precision_sum = 0.0;
            for rank in ranks.iter().flatten().filter(|&&r| r <= k) {
                found += 1;
                precision_sum += found as f64 / *rank as f64;
            }
            s.map[slot] += precision_sum / relevant.min(k) as f64;
        }
        if let Some(Some(first)) = ranks.first() {
            s.mrr += 1.0 / *first as f64;
            if *first == 1 {
                s.p_at_1 += 1.0;
            }
        }
    }

    /// The averages.
    pub fn finish(&self) -> Measures {
        let n = self.sums.queries.max(1) as f64;
        Measures {
            queries: self.sums.queries,
            map: self.sums.map.map(|m| m / n),
            mrr: self.sums.mrr / n,
            p_at_1: self.sums.p_at_1 / n,
        }
    }
}

/// The 1-based rank of `case` in a ranking by `scores` (higher first, ties by position), or
/// `None` when it scores nothing.
pub fn rank_of(scores: &[f32], case: usize) -> Option<usize> {
    let own = scores[case];
    if own <= 0.0 {
        return None;
    }
    let ahead = scores
        .iter()
        .enumerate()
        .filter(|&(i, &s)| s > own || (s == own && i < case))
        .count();
    Some(ahead + 1)
}

/// The first `top` cases of each judged query under `ranking` (one score per case for the
/// query at that position; zero: unranked), each with `raw(query, case)` and whether `qrels`
/// judge it the query's case: the outcomes a match-probability map is fitted to and
/// measured on ([`crate::probability`]). Queries without a judgement are left out.
pub fn top_outcomes(
    cases: &[Case],
    queries: &[Query],
    qrels: &HashMap<String, HashSet<String>>,
    top: usize,
    mut ranking: impl FnMut(usize) -> Vec<f32>,
    raw: impl Fn(usize, usize) -> f32,
) -> Vec<(f32, bool)> {
    let mut outcomes = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        let Some(relevant) = qrels.get(&query.id) else {
            continue;
        };
        for case in best(&ranking(i), top) {
            outcomes.push((raw(i, case), relevant.contains(&cases[case].case_id)));
        }
    }
    outcomes
}

/// Ranks `cases` (indexed on title, claim and summary with `settings`) for each query and
/// scores the rankings against `qrels`. Queries without a relevant case in `qrels` are left
/// out; a relevant id that is not among the cases counts as never ranked.
pub fn evaluate(
    cases: &[Case],
    queries: &[Query],
    qrels: &HashMap<String, HashSet<String>>,
    settings: Settings,
) -> Measures {
    let texts: Vec<String> = cases.iter().map(Case::search_text).collect();
    let index = Index::build(texts.iter().map(String::as_str), settings);
    evaluate_scores(cases, queries, qrels, |_, query| index.scores(&query.text))
}

/// Scores the rankings that `score` gives (one score per case, higher first, zero for
/// unranked; called with the query's position and the query) against `qrels`, as
/// [`evaluate`] does.
pub fn evaluate_scores(
    cases: &[Case],
    queries: &[Query],
    qrels: &HashMap<String, HashSet<String>>,
    mut score: impl FnMut(usize, &Query) -> Vec<f32>,
) -> Measures {
    let position: HashMap<&str, usize> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.case_id.as_str(), i))
        .collect();
    let mut scorer = Scorer::default();
    for (i, query) in queries.iter().enumerate() {
        let Some(relevant) = qrels.get(&query.id) else {
            continue;
        };
        let scores = score(i, query);
        scorer.add(
            relevant
                .iter()
                .map(|id| position.get(id.as_str()).and_then(|&i| rank_of(&scores, i)))
                .collect(),
        );
    }
    scorer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_relevant_claim_scores_one_over_its_rank_within_the_cutoff() {
        let mut scorer = Scorer::default();
        scorer.add(vec![Some(1)]);
        scorer.add(vec![Some(2)]);
        scorer.add(vec![None]);
        scorer.add(vec![Some(4)]);
        let m = scorer.finish();
        assert_eq!(m.queries, 4);
        assert!((m.map[0] - 0.25).abs() < 1e-9);
        assert!((m.map[1] - 1.5 / 4.0).abs() < 1e-9);
        assert!((m.map[2] - 1.75 / 4.0).abs() < 1e-9);
        assert!((m.mrr - 1.75 / 4.0).abs() < 1e-9);
        assert!((m.p_at_1 - 0.25).abs() < 1e-9);
    }

    #[test]
    fn ranks_count_higher_scores_and_earlier_ties() {
        let scores = [0.5, 0.9, 0.5, 0.0];
        assert_eq!(rank_of(&scores, 1), Some(1));
        assert_eq!(rank_of(&scores, 0), Some(2));
        assert_eq!(rank_of(&scores, 2), Some(3));
        assert_eq!(rank_of(&scores, 3), None);
    }

    #[test]
    fn clef_files_are_read_with_quoted_tweets() {
        let queries = read_queries("\ttweet_content\n7\t\"He said \"\"no\"\" — X\"\n").unwrap();
        assert_eq!(queries[0].text, "He said \"no\" — X");
        let qrels = read_qrels("7\t0\t12\t1\n8\t0\t3\t0\n").unwrap();
        assert!(qrels["7"].contains("12"));
        assert!(!qrels.contains_key("8"));
        assert!(read_qrels("7 0 12\n").is_err());
    }
}
