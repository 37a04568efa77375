//! The ranked claims, from the `claims` layer: every fact (score, rank, type, speaker,
//! sourcing, which amounts, times, places and entities lie inside) is the `claims` stage's;
//! this digest only orders the annotations by rank and resolves their links to spans.

use std::borrow::Cow;

use claimlens_core::{Annotation, AttrValue, Doc, Span};
use claimlens_schema::{label, layer, role};

use super::{attr_cow as text, SpanRef};

/// One claim of the ranked list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimEntry<'a> {
    /// Index of the claim in the `claims` layer.
    pub index: usize,
    /// 1 for the most check-worthy claim of the document; `None` when the layer's producer
    /// set no rank.
    pub rank: Option<u32>,
    /// Probability that a fact-checker would deem it worth checking.
    pub checkworthy: f64,
    /// Full Fact's claim type (`quantity`, `correlation/causation`, ...).
    pub kind: Cow<'a, str>,
    /// Canonical speaker name, the source's own words, or `outlet`.
    pub speaker: Cow<'a, str>,
    /// `named`, `anonymous`, `vague` or `unsourced`.
    pub sourcing: Cow<'a, str>,
    /// The claim.
    pub span: Span,
    /// What makes it checkable: the amounts, times, places and entities inside it.
    pub details: Vec<ClaimDetail<'a>>,
}

/// One checkable detail of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDetail<'a> {
    /// The link's role: `amount`, `time`, `place` or `entity`.
    pub role: &'static str,
    /// The target annotation's label (`MONEY`, `DATE`, `PLACE`, `PERSON`, ...).
    pub label: &'a str,
    /// The target annotation's span, layer and index.
    pub target: SpanRef<'a>,
}

/// The link roles shown as details, in the order the reports list them.
const DETAIL_ROLES: [&str; 4] = [role::AMOUNT, role::TIME, role::PLACE, role::ENTITY];

/// The layer's `CLAIM`s by rank (1 first). Empty when the layer is absent.
pub fn ranked_claims(doc: &Doc) -> Vec<ClaimEntry<'_>> {
    ranked_claims_iter(doc).collect()
}

/// The entries of [`ranked_claims`], built one at a time in rank order: only the order
/// (one index per claim) is held, so the JSON export writes each entry as it is built
/// instead of holding all of them at the moment its memory peaks.
pub fn ranked_claims_iter(doc: &Doc) -> impl Iterator<Item = ClaimEntry<'_>> {
    let annotations = doc
        .layer(layer::CLAIMS)
        .map_or(&[][..], |l| &l.annotations[..]);
    let mut order: Vec<usize> = (0..annotations.len())
        .filter(|&i| annotations[i].label == label::CLAIM)
        .collect();
    // A layer from another producer may lack ranks: those sort last, in text order.
    order.sort_by_key(|&i| {
        let rank = rank(&annotations[i]);
        (rank.is_none(), rank, i)
    });
    order
        .into_iter()
        .map(move |i| entry(doc, i, &annotations[i]))
}

fn rank(a: &Annotation) -> Option<u32> {
    match a.attr("rank") {
        Some(AttrValue::Int(r)) => u32::try_from(*r).ok(),
        _ => None,
    }
}

/// The digest entry of the claim `index` of the `claims` layer.
fn entry<'d>(doc: &'d Doc, index: usize, a: &'d Annotation) -> ClaimEntry<'d> {
    let mut details = Vec::new();
    for r in DETAIL_ROLES {
        for l in a.links.iter().filter(|l| l.role == r) {
            let Some((target_layer, t)) = doc
                .layer(&l.layer)
                .and_then(|t| Some((t.name.as_ref(), t.annotations.get(l.index as usize)?)))
            else {
                continue;
            };
            details.push(ClaimDetail {
                role: r,
                label: &t.label,
                target: SpanRef {
                    span: t.span,
                    target: Some((target_layer, l.index as usize)),
                },
            });
        }
    }
    ClaimEntry {
        index,
        rank: rank(a),
        checkworthy: match a.attr("checkworthy") {
            Some(AttrValue::Float(p)) => *p,
            _ => a.reason.score.map_or(0.0, f64::from),
        },
        kind: text(a.attr("type")),
        speaker: text(a.attr("speaker")),
        sourcing: text(a.attr("sourcing")),
        span: a.span,
        details,
    }
}

#[cfg(test)]
mod tests {
    use claimlens_core::{Annotation, Layer, Link, Reason};

    use super::*;

    #[test]
    fn orders_by_rank_and_resolves_detail_links() {
        let mut doc = Doc::new("d", "They paid $5 million. It rained.");
        let mut amounts = Layer::new(layer::AMOUNTS, "test");
        amounts.push(Annotation::new(
            Span::new(10, 20),
            "MONEY",
            Reason::rule("amounts", "r"),
        ));
        doc.insert_layer(amounts).unwrap();
        let mut claims = Layer::new(layer::CLAIMS, "test");
        let claim = |span, rank: i64, p: f64| {
            Annotation::new(span, "CLAIM", Reason::rule("claims", "m"))
                .with_attr("checkworthy", p)
                .with_attr("rank", rank)
                .with_attr("type", "other")
                .with_attr("speaker", "outlet")
                .with_attr("sourcing", "unsourced")
        };
        claims.push(claim(Span::new(0, 21), 1, 0.8).with_link(Link {
            role: role::AMOUNT.into(),
            layer: layer::AMOUNTS.into(),
            index: 0,
        }));
        claims.push(claim(Span::new(22, 32), 2, 0.1));
        // Another producer's annotation without a rank, and one that is not a claim.
        claims.push(Annotation::new(
            Span::new(3, 7),
            "CLAIM",
            Reason::scored("other", "m", 0.5),
        ));
        claims.push(Annotation::new(
            Span::new(0, 0),
            "GAP",
            Reason::rule("other", "r"),
        ));
        doc.insert_layer(claims).unwrap();
        let c = ranked_claims(&doc);
        assert_eq!(
            c.iter().map(|c| c.rank).collect::<Vec<_>>(),
            [Some(1), Some(2), None],
            "unranked last; the GAP is not a claim"
        );
        assert_eq!(c[0].checkworthy, 0.8);
        assert_eq!(c[0].details.len(), 1);
        assert_eq!(c[0].details[0].label, "MONEY");
        assert_eq!(c[0].details[0].target.span, Span::new(10, 20));
        assert_eq!(c[0].details[0].target.target, Some((layer::AMOUNTS, 0)));
        assert!(c[1].details.is_empty());
        assert_eq!((c[2].rank, c[2].checkworthy), (None, 0.5));
    }
}
