//! The temporal and amounts stages on random and hostile text: no panic, every span valid,
//! every link resolvable.

use claimlens_analyzers::amounts::AmountsStage;
use claimlens_analyzers::temporal::TemporalStage;
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Severity, Stage};
use proptest::prelude::*;

fn run_all(text: &str, published: Option<&str>) {
    let mut doc = Doc::new("t", text);
    doc.meta.published = published.map(str::to_owned);
    Segmenter.run(&mut doc);
    let mut diagnostics = TemporalStage.run(&mut doc);
    diagnostics.extend(AmountsStage.run(&mut doc));
    // Only the "publication date unknown" note may appear; a warning means a rejected layer.
    assert!(
        diagnostics.iter().all(|d| d.severity == Severity::Info),
        "{diagnostics:?}"
    );
    for name in ["times", "amounts", "quantified"] {
        let layer = doc.layer(name).expect("layer added");
        for a in &layer.annotations {
            assert!(a.span.is_valid_for(text), "{name}: {:?}", a.span);
            assert!(!a.span.is_empty(), "{name}: empty span");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn random_text_never_panics(text in "[0-9a-zA-Z$€£%.,:/ \n-]{0,300}") {
        run_all(&text, Some("2019-02-05"));
    }

    #[test]
    fn date_and_amount_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("on "), Just("Friday"), Just("last "), Just("next "), Just("year"),
                Just("February "), Just("31"), Just("29, "), Just("99999"), Just("2019"),
                Just("-"), Just(" to "), Just("between "), Just(" and "), Just("from "),
                Just("ago"), Just(" weeks "), Just("three"), Just("$"), Just("€"),
                Just("2.3bn"), Just(" million"), Just("%"), Just(" percent"), Just("over "),
                Just("at least "), Just("dozens of "), Just(" people"), Just("km"),
                Just("the end of "), Just("early "), Just("p.m."), Just("12:99"), Just(". "),
                Just("99999999999999999999999999999"), Just("the 1990s"), Just("'s"),
            ],
            0..80,
        ),
        published in prop_oneof![
            Just(None), Just(Some("2019-02-05")), Just(Some("2999-12-31")),
            Just(Some("1000-01-01")), Just(Some("not a date")),
        ],
    ) {
        run_all(&parts.concat(), published);
    }
}

#[test]
fn extreme_reference_dates_do_not_overflow() {
    let text = "Next year, next month, next week, tomorrow, next summer, next Friday, \
                the next quarter, in January, next century, 30 centuries ago, 999999 days ago.";
    for date in ["2999-12-31", "1000-01-01", "2999-12-31T23:59:59Z"] {
        run_all(text, Some(date));
    }
}
