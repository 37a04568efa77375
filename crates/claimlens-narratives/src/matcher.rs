//! Matching an analysed article against known cases: each claim of the `claims` layer (each
//! sentence when the layer is absent or empty, e.g. a non-English text) is a query over the
//! cases. With BM25 alone a case's rank score is its normalised BM25 score; with an encoder
//! ([`Matcher::with_semantic`]) it is the reciprocal-rank fusion of the BM25 ranking and the
//! embedding-similarity ranking ([`crate::semantic::reciprocal_rank_fusion`]), which scored
//! above the best linear mix on the CLEF 2020 training queries. The article's best cases are
//! those with the highest rank score for any of its claims.

use claimlens_core::{Doc, Span};
use claimlens_schema::layer;

use crate::bm25::{best, Index, Settings};
use crate::probability::MatchProbability;
use crate::semantic::{reciprocal_rank_fusion, CaseVectors, Encoder, RRF_K};
use crate::Case;

/// Cases with their index, built once per run.
pub struct Matcher {
    cases: Vec<Case>,
    index: Index,
    semantic: Option<(Box<dyn Encoder>, CaseVectors)>,
}

/// One case found for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index into [`Matcher::cases`].
    pub case: usize,
    /// The BM25 score.
    pub score: f32,
    /// The BM25 score divided by the query's self-score, in [0, 1].
    pub normalised: f32,
    /// The embedding similarity in [0, 1], when an encoder ran.
    pub similarity: Option<f32>,
    /// What the ranking used: with an encoder the reciprocal-rank fusion score, Σ 1 / (60 +
    /// rank) over the BM25 and similarity rankings (at most 2/61), else `normalised`.
    pub rank_score: f32,
    /// The calibrated probability that this is the query's own case (see
    /// [`crate::probability`]): what a match reports as its score.
    pub probability: f32,
}

/// The cases found for one claim or sentence.
#[derive(Debug, Clone)]
pub struct QueryMatches {
    /// The claim's (or sentence's) span in the document, in bytes.
    pub span: Span,
    /// Whether the query is a `claims`-layer claim (`false`: a sentence).
    pub is_claim: bool,
    /// Best first.
    pub hits: Vec<Hit>,
}

/// What one article matched.
#[derive(Debug, Clone, Default)]
pub struct DocMatches {
    /// One entry per claim (or sentence), in text order, including those with no hit.
    pub queries: Vec<QueryMatches>,
    /// The article's best cases: each case's best normalised score over its claims, best
    /// first (ties: the case with the higher raw score, then the earlier case).
    pub article: Vec<Hit>,
}

impl Matcher {
    /// Indexes `cases` (title, claim and summary of each) with the default settings.
    pub fn new(cases: Vec<Case>) -> Matcher {
        let texts: Vec<String> = cases.iter().map(Case::search_text).collect();
        let index = Index::build(texts.iter().map(String::as_str), Settings::default());
        Matcher {
            cases,
            index,
            semantic: None,
        }
    }

    /// Ranks by the mix of BM25 and `encoder`'s similarity; `vectors` are the cases'
    /// embeddings by the same encoder, in the order of the cases.
    pub fn with_semantic(
        mut self,
        encoder: Box<dyn Encoder>,
        vectors: CaseVectors,
    ) -> Result<Matcher, String> {
        if vectors.len() != self.cases.len() {
            return Err(format!(
                "{} case vectors for {} cases",
                vectors.len(),
                self.cases.len()
            ));
        }
        self.semantic = Some((encoder, vectors));
        Ok(self)
    }

    /// Which matcher ranks: `bm25`, or `bm25+<encoder>`.
    pub fn name(&self) -> String {
        match &self.semantic {
            Some((encoder, _)) => format!("bm25+{}", encoder.name()),
            None => "bm25".to_owned(),
        }
    }

    /// The indexed cases; [`Hit::case`] indexes into it.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The `top` best cases for each claim of `doc` and for the whole article. Fails only
    /// when the encoder fails.
    pub fn match_doc(&self, doc: &Doc, top: usize) -> Result<DocMatches, String> {
        let claims: Vec<Span> = doc
            .layer(layer::CLAIMS)
            .map(|l| l.annotations.iter().map(|a| a.span).collect())
            .unwrap_or_default();
        let is_claim = !claims.is_empty();
        let spans = if is_claim {
            claims
        } else {
            doc.sentences.iter().map(|s| s.span).collect()
        };
        let texts: Vec<&str> = spans.iter().map(|&s| doc.slice(s)).collect();
        let embedded = match &self.semantic {
            Some((encoder, _)) if !texts.is_empty() => Some(encoder.encode(&texts)?),
            _ => None,
        };
        let mut best: Vec<Option<Hit>> = vec![None; self.cases.len()];
        let queries: Vec<QueryMatches> = spans
            .into_iter()
            .enumerate()
            .map(|(i, span)| {
                let query = embedded.as_ref().map(|vectors| vectors[i].as_slice());
                let hits = self.search(texts[i], query, top);
                for hit in &hits {
                    let slot = &mut best[hit.case];
                    if slot.is_none_or(|b| (hit.rank_score, hit.score) > (b.rank_score, b.score)) {
                        *slot = Some(*hit);
                    }
                }
                QueryMatches {
                    span,
                    is_claim,
                    hits,
                }
            })
            .collect();
        let mut article: Vec<Hit> = best.into_iter().flatten().collect();
        article.sort_by(|a, b| {
            b.rank_score
                .total_cmp(&a.rank_score)
                .then(b.score.total_cmp(&a.score))
                .then(a.case.cmp(&b.case))
        });
        article.truncate(top);
        Ok(DocMatches { queries, article })
    }

    /// The `top` cases for one query text (and its embedding when an encoder runs). BM25
    /// alone lists only cases sharing a word with the query; the fusion ranks every case.
    fn search(&self, text: &str, embedding: Option<&[f32]>, top: usize) -> Vec<Hit> {
        let (scores, normalised) = self.index.normalised_scores(text);
        let similarity = match (&self.semantic, embedding) {
            (Some((_, vectors)), Some(query)) => Some(vectors.similarities(query)),
            _ => None,
        };
        // With an encoder every case is ranked by fusion; without, by normalised BM25.
        let fused = similarity
            .as_ref()
            .map(|similarity| reciprocal_rank_fusion(&normalised, similarity, RRF_K));
        let ranking = fused.as_deref().unwrap_or(&normalised);
        best(ranking, top)
            .into_iter()
            .map(|case| Hit {
                case,
                score: scores[case],
                normalised: normalised[case],
                similarity: similarity.as_ref().map(|s| s[case]),
                rank_score: ranking[case],
                probability: MatchProbability::embedded()
                    .probability(normalised[case], similarity.as_ref().map(|s| s[case])),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Annotation, BoundaryRule, Layer, Reason, Sentence};

    const TEXT: &str = "Officials say vaccines contain microchips. The weather was mild.";

    fn matcher() -> Matcher {
        let case = |id: &str, claim: &str| Case {
            source: "desk".into(),
            case_id: id.into(),
            claim: Some(claim.into()),
            ..Case::default()
        };
        Matcher::new(vec![
            case("moon", "The moon landing was filmed in a studio."),
            case("chips", "Vaccines contain microchips that track people."),
        ])
    }

    fn doc_with_sentences() -> Doc {
        let mut doc = Doc::new("a", TEXT);
        for (start, end) in [(0, 42), (43, TEXT.len())] {
            doc.sentences.push(Sentence {
                span: Span::new(start, end),
                paragraph: 0,
                end_rule: BoundaryRule::TerminalPunctuation,
            });
        }
        doc
    }

    #[test]
    fn sentences_are_the_queries_when_there_is_no_claims_layer() {
        let found = matcher().match_doc(&doc_with_sentences(), 3).unwrap();
        assert_eq!(found.queries.len(), 2);
        assert!(!found.queries[0].is_claim);
        assert_eq!(found.queries[0].hits[0].case, 1);
        assert!(found.queries[1].hits.is_empty());
        assert_eq!(found.article.len(), 1);
        assert_eq!(found.article[0].case, 1);
    }

    #[test]
    fn claims_are_the_queries_when_the_layer_has_some() {
        let mut doc = doc_with_sentences();
        let mut layer = Layer::new(layer::CLAIMS, "claims");
        layer.annotations.push(Annotation::new(
            Span::new(14, 41),
            "CLAIM",
            Reason::rule("claims", "test"),
        ));
        doc.insert_layer(layer).unwrap();
        let found = matcher().match_doc(&doc, 3).unwrap();
        assert_eq!(found.queries.len(), 1);
        assert!(found.queries[0].is_claim);
        assert_eq!(
            doc.slice(found.queries[0].span),
            "vaccines contain microchips"
        );
        assert_eq!(found.article[0].case, 1);
    }

    #[test]
    fn an_encoder_finds_a_case_that_shares_no_word_and_says_which_matcher_ran() {
        use crate::semantic::tests::Words;
        // The stand-in encoder treats "jab" and "vaccine" as one dimension.
        struct Synonyms;
        impl Encoder for Synonyms {
            fn name(&self) -> &str {
                "synonyms"
            }
            fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
                let texts: Vec<String> =
                    texts.iter().map(|t| t.replace("jab", "vaccine")).collect();
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                Words(&["vaccine", "moon", "chip"]).encode(&texts)
            }
        }
        let plain = matcher();
        assert_eq!(plain.name(), "bm25");
        let cases = plain.cases().to_vec();
        let vectors = CaseVectors::build(&cases, &Synonyms).unwrap();
        let semantic = Matcher::new(cases)
            .with_semantic(Box::new(Synonyms), vectors)
            .unwrap();
        assert_eq!(semantic.name(), "bm25+synonyms");
        let doc = {
            let text = "The jab is dangerous.";
            let mut doc = Doc::new("b", text);
            doc.sentences.push(Sentence {
                span: Span::new(0, text.len()),
                paragraph: 0,
                end_rule: BoundaryRule::TerminalPunctuation,
            });
            doc
        };
        assert!(plain.match_doc(&doc, 3).unwrap().article.is_empty());
        let found = semantic.match_doc(&doc, 1).unwrap();
        let hit = found.article[0];
        assert_eq!(hit.case, 1);
        assert_eq!(hit.score, 0.0);
        assert!(hit.similarity.unwrap() > 0.8, "{hit:?}");
        // Reciprocal-rank fusion: first by similarity, unranked by BM25 (no shared word).
        assert!((hit.rank_score - 1.0 / 61.0).abs() < 1e-6, "{hit:?}");
        let wrong = CaseVectors::build(&semantic.cases()[..1], &Synonyms).unwrap();
        assert!(Matcher::new(semantic.cases().to_vec())
            .with_semantic(Box::new(Synonyms), wrong)
            .is_err());
    }
}
