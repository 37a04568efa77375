//! The `document` layer on the canonical seed article (read from ../shared, never copied
//! here): a news report on a warning by the Russian Foreign Ministry. The article is not
//! special-cased anywhere. The shipped model calls it `opinion` (0.90; reporting 0.09), as
//! it calls nearly every article (docs/evaluation.md, "Reliability: genre and frames"), so
//! this test checks the layer's shape, not that genre; it prints what the model says.

mod common;

use claimlens_core::AttrValue;
use claimlens_schema::{label, layer};

#[test]
fn seed_article_gets_one_genre_with_probabilities_and_ranked_frames() {
    let Some(path) = common::shared("fixtures/seed-article.txt") else {
        return;
    };
    let doc = common::analyze_file(&path);
    let l = doc.layer(layer::DOCUMENT).expect("document layer");
    let genre = l
        .annotations
        .iter()
        .find(|a| a.label == label::GENRE)
        .expect("a genre");
    let p = |k: &str| match genre.attr(k) {
        Some(AttrValue::Float(f)) => *f,
        other => panic!("{k}: {other:?}"),
    };
    let frames: Vec<(&str, f32)> = l
        .annotations
        .iter()
        .filter(|a| a.label == label::FRAME)
        .map(|a| (a.attr_str("label").unwrap(), a.reason.score.unwrap()))
        .collect();
    eprintln!(
        "genre {:?}: opinion {} reporting {} satire {}; frames {frames:?}",
        genre.attr_str("label"),
        p("opinion"),
        p("reporting"),
        p("satire")
    );
    let chosen = genre.attr_str("label").expect("a label");
    assert!((p("opinion") + p("reporting") + p("satire") - 1.0).abs() < 1e-3);
    assert!((f64::from(genre.reason.score.unwrap()) - p(chosen)).abs() < 1e-3);
    assert!(
        frames.windows(2).all(|w| w[0].1 >= w[1].1),
        "most probable first"
    );
}
