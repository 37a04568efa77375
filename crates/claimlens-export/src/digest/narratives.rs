//! The known narratives, from the `narratives` layer: each claim's matched cases beside the
//! claim, and the article's best cases. Which cases match, their scores and their (already
//! capped) texts are the `narratives` stage's; this digest only groups the annotations.

use claimlens_core::{Annotation, AttrValue, Doc, Span};
use claimlens_schema::{label, layer, linked, role};

/// One matched case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMatch {
    /// Index of the annotation in the `narratives` layer.
    pub index: usize,
    /// The case's source and its id there.
    pub source: String,
    /// The case's id inside its source.
    pub case_id: String,
    /// Its headline: the title, else the claim, else the id.
    pub headline: String,
    /// What else it says: the summary, else the claim when the headline is the title.
    pub summary: Option<String>,
    /// The verdict, as the source words it.
    pub verdict: Option<String>,
    /// The case's date, as the source writes it.
    pub date: Option<String>,
    /// Where the case is published, as stored (the renderer decides what it links).
    pub url: Option<String>,
    /// The calibrated probability that it is the claim's case (`attrs.score`).
    pub score: f64,
    /// The embedding similarity, when the embedder ran.
    pub similarity: Option<f64>,
}

/// A claim (or sentence) with the cases it matched, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimMatches {
    /// The claim's span.
    pub span: Span,
    /// Its index in the `claims` layer, when it is a claim of that layer.
    pub claim: Option<u32>,
    /// The cases, best first.
    pub cases: Vec<CaseMatch>,
}

/// What the `narratives` layer says of a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KnownNarratives {
    /// The matcher that ranked (`bm25`, `bm25+all-MiniLM-L6-v2`), when any case matched.
    pub matcher: Option<String>,
    /// Matched claims in text order.
    pub claims: Vec<ClaimMatches>,
    /// The article's best cases, best first.
    pub article: Vec<CaseMatch>,
}

/// The layer's matches; `None` when the document has no `narratives` layer (no store of
/// cases was at hand), so reports can tell "nothing matched" from "nothing was matched".
pub fn known_narratives(doc: &Doc) -> Option<KnownNarratives> {
    let l = doc.layer(layer::NARRATIVES)?;
    let mut out = KnownNarratives::default();
    for (index, a) in l.annotations.iter().enumerate() {
        if out.matcher.is_none() {
            out.matcher = text(a, "matcher");
        }
        let case = case_match(index, a);
        if a.label == label::ARTICLE_MATCH {
            out.article.push(case);
        } else if a.label == label::MATCH {
            match out.claims.last_mut() {
                Some(c) if c.span == a.span => c.cases.push(case),
                _ => out.claims.push(ClaimMatches {
                    span: a.span,
                    claim: linked(a, role::CLAIM, layer::CLAIMS).next(),
                    cases: vec![case],
                }),
            }
        }
    }
    Some(out)
}

/// What a match's `p` means, said where it is shown (docs/evaluation.md, "calibrated match
/// probabilities": it holds on fact-checked queries and overstates on news).
pub const PROBABILITY_NOTE: &str = "Leads to check. p: the probability the case is the \
claim's, calibrated on fact-checked tweets; on news, where most claims have no known case, it \
runs high.";

fn case_match(index: usize, a: &Annotation) -> CaseMatch {
    let case_id = text(a, "case_id").unwrap_or_default();
    let (title, claim) = (text(a, "title"), text(a, "claim"));
    let summary = text(a, "summary").or(if title.is_some() { claim.clone() } else { None });
    CaseMatch {
        index,
        source: text(a, "source").unwrap_or_default(),
        headline: title.or(claim).unwrap_or_else(|| case_id.clone()),
        case_id,
        summary,
        verdict: text(a, "verdict"),
        date: text(a, "date"),
        url: text(a, "url"),
        score: number(a, "score").unwrap_or(0.0),
        similarity: number(a, "similarity"),
    }
}

fn text(a: &Annotation, key: &str) -> Option<String> {
    a.attr_str(key)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn number(a: &Annotation, key: &str) -> Option<f64> {
    match a.attr(key)? {
        AttrValue::Float(x) => Some(*x),
        AttrValue::Int(x) => Some(*x as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Layer, Reason};
    use claimlens_schema::link;

    #[test]
    fn groups_matches_by_claim_and_keeps_the_article_list_apart() {
        let text = "They said vaccines contain microchips. It rained.";
        let mut doc = Doc::new("n", text);
        let mut claims = Layer::new(layer::CLAIMS, "claims");
        claims.push(Annotation::new(
            Span::new(10, 37),
            label::CLAIM,
            Reason::rule("claims", "t"),
        ));
        doc.insert_layer(claims).unwrap();
        let m = |span, kind: &'static str, id: &str, score: f64| {
            Annotation::new(span, kind, Reason::scored("narratives", "bm25", 0.5))
                .with_attr("source", "desk")
                .with_attr("case_id", id.to_owned())
                .with_attr("claim", "Vaccines contain microchips.")
                .with_attr("title", "Microchips")
                .with_attr("url", "javascript:alert(1)")
                .with_attr("score", score)
                .with_attr("matcher", "bm25")
        };
        let mut l = Layer::new(layer::NARRATIVES, "narratives");
        l.push(m(Span::new(0, text.len()), label::ARTICLE_MATCH, "a", 0.6));
        l.push(m(Span::new(10, 37), label::MATCH, "a", 0.6).with_link(link(
            role::CLAIM,
            layer::CLAIMS,
            0,
        )));
        l.push(m(Span::new(10, 37), label::MATCH, "b", 0.3));
        doc.insert_layer(l).unwrap();
        let found = known_narratives(&doc).unwrap();
        assert_eq!(found.matcher.as_deref(), Some("bm25"));
        assert_eq!(found.article.len(), 1);
        assert_eq!(found.claims.len(), 1);
        let claim = &found.claims[0];
        assert_eq!((claim.claim, claim.cases.len()), (Some(0), 2));
        assert_eq!(claim.cases[1].case_id, "b");
        assert_eq!(claim.cases[0].headline, "Microchips");
        // No summary: the claim says what the title does not.
        assert_eq!(
            claim.cases[0].summary.as_deref(),
            Some("Vaccines contain microchips.")
        );
        assert!(known_narratives(&Doc::new("e", "x")).is_none());
    }
}
