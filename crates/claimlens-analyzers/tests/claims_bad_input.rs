//! The claims stage after every earlier stage, on random and hostile text: no panic, every
//! claim's span inside the document, every link resolving, ranks 1..n.

use claimlens_analyzers::amounts::AmountsStage;
use claimlens_analyzers::attribution::AttributionStage;
use claimlens_analyzers::claims::ClaimsStage;
use claimlens_analyzers::entities::EntityStage;
use claimlens_analyzers::places::PlacesStage;
use claimlens_analyzers::sourcing::SourcingStage;
use claimlens_analyzers::temporal::TemporalStage;
use claimlens_analyzers::Segmenter;
use claimlens_core::{AttrValue, Doc, Stage};
use proptest::prelude::*;

fn analyze(text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    let stages: [&dyn Stage; 8] = [
        &Segmenter,
        &AttributionStage,
        &SourcingStage,
        &EntityStage,
        &TemporalStage,
        &AmountsStage,
        &PlacesStage,
        &ClaimsStage,
    ];
    for s in stages {
        s.run(&mut doc);
    }
    doc
}

fn check(text: &str) {
    let doc = analyze(text);
    let claims = doc.layer("claims").expect("claims layer added");
    let mut ranks = Vec::new();
    for c in &claims.annotations {
        assert!(c.span.is_valid_for(text), "{:?}", c.span);
        assert!(!c.span.is_empty());
        for l in &c.links {
            let target = doc.layer(&l.layer).expect("linked layer exists");
            assert!((l.index as usize) < target.annotations.len(), "{l:?}");
        }
        let p = c.reason.score.expect("scored");
        assert!((0.0..=1.0).contains(&p), "{p}");
        match c.attr("rank") {
            Some(AttrValue::Int(r)) => ranks.push(*r),
            other => panic!("rank {other:?}"),
        }
    }
    ranks.sort_unstable();
    assert!(
        ranks.iter().copied().eq(1..=ranks.len() as i64),
        "{ranks:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_text_gives_valid_claims(text in "[0-9a-zA-Z$%.,:;'\"“” \n-]{0,300}") {
        check(&text);
    }

    #[test]
    fn news_like_soup_gives_valid_claims(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("The minister said "), Just("that "), Just("“"), Just("”"),
                Just("there were reports "), Just("over 460 incidents "), Just("$5 million "),
                Just("on February 5 "), Just("in Idlib "), Just("Zakharova "), Just("told "),
                Just("officials "), Just("will "), Just("because "), Just("I saw "),
                Just(". "), Just("\n\n"), Just("A"), Just("SHOUTED HEADLINE "), Just(", "),
            ],
            0..60,
        ),
    ) {
        check(&parts.concat());
    }
}

#[test]
fn one_token_sentences_caps_and_many_sentences() {
    check("Yes. No. Maybe. OK.");
    check("THE GOVERNMENT SAID TAXES WILL RISE BY 5 PERCENT NEXT YEAR.");
    check(&"Prices rose 3% in May. ".repeat(2000));
}
