//! Attribution and sourcing on hostile quotation patterns: no panic, no quadratic blow-up,
//! and every span valid.

use std::time::{Duration, Instant};

use claimlens_analyzers::attribution::AttributionStage;
use claimlens_analyzers::sourcing::SourcingStage;
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Stage};
use proptest::prelude::*;

fn run_all(text: &str) -> (Doc, Duration) {
    let started = Instant::now();
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    let mut diagnostics = AttributionStage.run(&mut doc);
    diagnostics.extend(SourcingStage.run(&mut doc));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    for layer in doc.layers() {
        for a in &layer.annotations {
            assert!(a.span.is_valid_for(text), "{}: {:?}", layer.name, a.span);
        }
    }
    (doc, started.elapsed())
}

fn budget() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(20)
    } else {
        Duration::from_secs(2)
    }
}

#[test]
fn pathological_quotes_stay_fast_and_valid() {
    let cases = [
        "“".repeat(10_000),
        "“".repeat(5_000) + &"”".repeat(5_000),
        "\"".repeat(10_000),
        "“a ".repeat(10_000),
        "\"He said.\" ".repeat(5_000),
        "“Unclosed quote that never ends, he said and she said".repeat(500),
        "”Closing first“ said Smith. ".repeat(2_000),
        "“ ” “ ” “ ”\n\n".repeat(2_000),
    ];
    for text in &cases {
        let (_, took) = run_all(text);
        assert!(took < budget(), "{} chars took {took:?}", text.len());
    }
}

#[test]
fn many_attributions_stay_linear() {
    // 4,000 attributions in one paragraph and 4,000 one-sentence paragraphs.
    let one = "“We will win,” Smith said. Jones told reporters that it was over. ";
    for text in [one.repeat(2_000), one.repeat(2_000).replace(". ", ".\n\n")] {
        let (doc, took) = run_all(&text);
        assert!(doc.layer("attributions").unwrap().annotations.len() > 1_000);
        assert!(took < budget(), "took {took:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn quote_soup_never_panics(text in "[“”\"'‘’ a-zA-Z.,:\n]{0,400}") {
        run_all(&text);
    }

    #[test]
    fn news_like_quote_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("“"), Just("”"), Just("\""), Just(" said "), Just(" told "),
                Just("Smith"), Just("he"), Just(" according to "), Just(". "), Just(":"),
                Just("\n\n"), Just("there were reports that "), Just("the official "),
            ],
            0..120,
        )
    ) {
        run_all(&parts.concat());
    }
}
