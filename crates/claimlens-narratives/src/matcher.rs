//! Matching an analysed article against known cases: each claim of the `claims` layer (each
//! sentence when the layer is absent or empty, e.g. a non-English text) is a BM25 query over
//! the cases; the article's best cases are those with the highest normalised score for any
//! of its claims.

use claimlens_core::{Doc, Span};
use claimlens_schema::layer;

use crate::bm25::{Hit, Index, Settings};
use crate::Case;

/// Cases with their index, built once per run.
pub struct Matcher {
    cases: Vec<Case>,
    index: Index,
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
        Matcher { cases, index }
    }

    /// The indexed cases; [`Hit::case`] indexes into it.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The `top` best cases for each claim of `doc` and for the whole article.
    pub fn match_doc(&self, doc: &Doc, top: usize) -> DocMatches {
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
        let mut best: Vec<Option<Hit>> = vec![None; self.cases.len()];
        let queries: Vec<QueryMatches> = spans
            .into_iter()
            .map(|span| {
                let hits = self.index.search(doc.slice(span), top);
                for hit in &hits {
                    let slot = &mut best[hit.case];
                    if slot.is_none_or(|b| (hit.normalised, hit.score) > (b.normalised, b.score)) {
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
            b.normalised
                .total_cmp(&a.normalised)
                .then(b.score.total_cmp(&a.score))
                .then(a.case.cmp(&b.case))
        });
        article.truncate(top);
        DocMatches { queries, article }
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
        let found = matcher().match_doc(&doc_with_sentences(), 3);
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
        let found = matcher().match_doc(&doc, 3);
        assert_eq!(found.queries.len(), 1);
        assert!(found.queries[0].is_claim);
        assert_eq!(
            doc.slice(found.queries[0].span),
            "vaccines contain microchips"
        );
        assert_eq!(found.article[0].case, 1);
    }
}
