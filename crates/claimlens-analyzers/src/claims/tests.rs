use super::*;
use crate::Segmenter;

fn run(text: &str) -> (Doc, Vec<Diagnostic>) {
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    crate::temporal::TemporalStage.run(&mut doc);
    crate::amounts::AmountsStage.run(&mut doc);
    let d = ClaimsStage.run(&mut doc);
    (doc, d)
}

#[test]
fn english_and_other_languages_are_told_apart() {
    let (doc, d) = run("  \n ");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("no sentences"));
    assert!(doc.layer(layer::CLAIMS).unwrap().annotations.is_empty());
    let german = "Die Regierung hat am Montag beschlossen, dass die Steuern im nächsten Jahr \
                  steigen werden, obwohl viele Bürger und Unternehmen dagegen protestiert \
                  haben und eine Senkung fordern.";
    let (doc, d) = run(german);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("does not look like English"));
    assert!(doc.layer(layer::CLAIMS).unwrap().annotations.is_empty());
    let mut doc = Doc::new("t", "Short English text in a French-tagged document.");
    doc.meta.language = Some("fr".into());
    Segmenter.run(&mut doc);
    assert_eq!(ClaimsStage.run(&mut doc).len(), 1);
}

#[test]
fn unattributed_sentences_are_ranked_outlet_claims() {
    let (doc, d) = run("Unemployment fell to 4.1% in March. What a lovely day! Thank you all.");
    assert!(d.is_empty(), "{d:?}");
    let claims = &doc.layer(layer::CLAIMS).unwrap().annotations;
    assert_eq!(claims.len(), 3);
    let mut ranks: Vec<i64> = claims
        .iter()
        .map(|c| match c.attr("rank") {
            Some(claimlens_core::AttrValue::Int(r)) => *r,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(claims[0].attr_str("speaker"), Some("outlet"));
    assert_eq!(claims[0].attr_str("type"), Some("quantity"));
    assert!(
        claims[0].reason.rule.contains("strongest:"),
        "{}",
        claims[0].reason.rule
    );
    let p0 = claims[0].reason.score.unwrap();
    assert!(claims[1..].iter().all(|c| c.reason.score.unwrap() < p0));
    assert_eq!(ranks[0], 1);
    ranks.sort_unstable();
    assert_eq!(ranks, [1, 2, 3]);
}
