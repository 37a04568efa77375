//! Regressions where one stage's layer met another's in a way neither stage's own tests
//! covered: each runs the whole default pipeline on text written for this file.

use claimlens_core::{Doc, Severity};
use claimlens_pipeline::Pipeline;

fn run(text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    let diagnostics = Pipeline::default_pipeline().run(&mut doc);
    assert!(
        diagnostics.iter().all(|d| d.severity != Severity::Warning),
        "{diagnostics:?}"
    );
    doc
}

/// "Monroe, La.": the entity tagger's `La` and the places stage's state abbreviation
/// `La.` start at the same character; the places stage sliced the text between them
/// backwards and panicked (found by the full-pipeline benchmark on real news).
#[test]
fn state_abbreviation_inside_an_entity_span_does_not_panic() {
    let doc = run(
        "The mayor said at a rally in Monroe, La., on Nov. 6, 2019, that jobs were \
                   back.\n\nShe spoke later in Shreveport, La. and in Baton Rouge, La.\n",
    );
    let places = doc.layer("places").expect("places layer");
    let mut last_end = 0;
    for a in &places.annotations {
        assert!(
            a.span.start >= last_end,
            "overlapping places: {:?}",
            places.annotations
        );
        last_end = a.span.end;
    }
    let names: Vec<&str> = places
        .annotations
        .iter()
        .map(|a| doc.slice(a.span))
        .collect();
    assert!(
        names.contains(&"Monroe") && names.contains(&"Baton Rouge"),
        "{names:?}"
    );
}
