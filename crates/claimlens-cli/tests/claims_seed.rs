//! The claims layer on the canonical seed article (read from ../shared, never copied here):
//! what the general model ranks highest, with speakers and sourcing labels. The article is
//! not special-cased anywhere; these are properties any reasonable triage list must have.

mod common;

use claimlens_core::{AttrValue, Doc};
use claimlens_schema::layer;

/// The claims in rank order: (rank, text, speaker, sourcing, type).
fn ranked(doc: &Doc) -> Vec<(i64, String, String, String, String)> {
    let claims = doc.layer(layer::CLAIMS).expect("claims layer");
    let mut out: Vec<_> = claims
        .annotations
        .iter()
        .map(|c| {
            let rank = match c.attr("rank") {
                Some(AttrValue::Int(r)) => *r,
                other => panic!("rank {other:?}"),
            };
            let s = |k: &str| c.attr_str(k).unwrap_or_default().to_owned();
            (
                rank,
                doc.slice(c.span).to_owned(),
                s("speaker"),
                s("sourcing"),
                s("type"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn seed_article_top_claims_carry_the_checkable_details_and_their_speakers() {
    let Some(path) = common::shared("fixtures/seed-article.txt") else {
        return;
    };
    let doc = common::analyze_file(&path);
    let claims = ranked(&doc);
    for c in &claims {
        eprintln!(
            "{} [{}] {} / {} / {}",
            c.0,
            c.4,
            c.2,
            c.3,
            &c.1[..c.1.len().min(90)]
        );
    }
    // The upper half of the list: a desk working down it meets each of these early.
    let top = &claims[..claims.len().div_ceil(2)];
    let find = |needle: &str| {
        top.iter()
            .find(|c| c.1.contains(needle))
            .unwrap_or_else(|| panic!("no top-ranked claim mentions {needle:?}"))
    };
    let incidents = find("460");
    assert_eq!(incidents.2, "Maria Zakharova");
    assert_eq!(incidents.4, "quantity");
    let ambulances = find("ambulances");
    assert_eq!(ambulances.2, "Ahmad Kazem");
    let pledge = find("$5 million");
    assert_ne!(
        pledge.2, "outlet",
        "the pledge is the US announcement's, not the outlet's"
    );
    assert_eq!(pledge.4, "quantity");
    let hedged = claims
        .iter()
        .find(|c| c.1.starts_with("there were reports"))
        .expect("the hedged claim is a claim");
    assert_eq!(hedged.3, "vague");
    assert_eq!(hedged.2, "Maria Zakharova");
}
