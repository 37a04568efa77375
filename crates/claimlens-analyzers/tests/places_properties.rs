//! Property tests of the places stage: on arbitrary text and on place-dense word salad it
//! never panics, adds its layer, and every link points inside that layer.

use claimlens_analyzers::places::{PlacesStage, PLACES_LAYER};
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Stage};
use proptest::prelude::*;

fn check(text: &str) -> Result<(), String> {
    let mut doc = Doc::new("p", text);
    Segmenter.run(&mut doc);
    let diagnostics = PlacesStage.run(&mut doc);
    if !diagnostics.is_empty() {
        return Err(format!("diagnostics: {diagnostics:?}"));
    }
    let layer = doc.layer(PLACES_LAYER).ok_or("no places layer")?;
    for a in &layer.annotations {
        for l in &a.links {
            if l.layer != PLACES_LAYER || l.index as usize >= layer.annotations.len() {
                return Err(format!("bad link {l:?}"));
            }
        }
    }
    if !layer
        .annotations
        .windows(2)
        .all(|w| w[0].span.start <= w[1].span.start)
    {
        return Err("annotations out of order".into());
    }
    Ok(())
}

/// Words that exercise every rule: names, spellings, admin words, titles, directions,
/// distances, state abbreviations, acronyms, connectors, punctuation.
fn place_salad() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Damascus",
        "Khan",
        "Shaykhun",
        "Sheikhoun",
        "Khān",
        "Shaykhūn",
        "Idlib",
        "province",
        "Province",
        "the",
        "capital",
        "city",
        "of",
        "about",
        "10",
        "kilometers",
        "km",
        "miles",
        "northeast",
        "north-east",
        "south",
        "Georgia",
        "and",
        "Ukraine",
        ",",
        ".",
        "'s",
        "’",
        "Russia's",
        "Damascus-based",
        "President",
        "Obama",
        "NATO",
        "U.S.",
        "Va.",
        "Norfolk",
        "Hama",
        "Syria",
        "al-Shugur",
        "Jisr",
        "New",
        "York",
        "Washington",
        "Palestinian",
        "-",
        "—",
        "(",
        ")",
        "\n\n",
        "É",
        "Ḩamāh",
        "Isle",
        "Man",
        "Deir",
        "ez-Zor",
        "5km",
        "twelve",
    ]);
    prop::collection::vec(words, 0..120).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        prop_assert_eq!(check(&text), Ok(()));
    }

    #[test]
    fn never_panics_on_place_salad(text in place_salad()) {
        prop_assert_eq!(check(&text), Ok(()));
    }
}
