//! The embeddings agree with sentence-transformers' own run of the same model files.
//!
//! The reference figures were computed here with sentence-transformers 5 (PyTorch, CPU) on
//! the files of the pinned package, `encode(texts, normalize_embeddings=True)`, on sentences
//! written for this test. The test needs the fetched model: without it, it skips visibly.

use claimlens_embed::{cosine, package, Embedder};
use claimlens_testkit::{skip, Requirement};

const TEXTS: [&str; 5] = [
    "The harbour bridge will close for repairs in May, the city council said.",
    "Officials announced that the bridge over the harbour shuts next spring.",
    "Vaccines contain microchips that track people.",
    "Zoë's café — naïve résumé: 42 € on 3/4!",
    "x",
];

/// The first eight values of each reference embedding.
const FIRST_EIGHT: [[f32; 8]; 5] = [
    [
        -0.013253, 0.024290, 0.123460, -0.016523, 0.035157, -0.026769, -0.068288, -0.032161,
    ],
    [
        0.026846, 0.040375, 0.130854, 0.019514, 0.035773, -0.042289, -0.070254, -0.040380,
    ],
    [
        -0.051275, 0.048514, -0.018027, -0.046235, 0.057391, 0.035183, 0.104403, 0.005390,
    ],
    [
        -0.015847, -0.028715, 0.024706, 0.011944, 0.021524, 0.046775, -0.001384, -0.037996,
    ],
    [
        -0.097910, -0.064001, -0.023181, -0.046197, 0.021700, -0.028492, 0.154854, 0.054404,
    ],
];

fn embedder() -> Option<Embedder> {
    let Some(cache) = package::default_cache_dir() else {
        skip(Requirement::Model, "no cache directory for the model");
        return None;
    };
    match package::locate(&cache) {
        Ok(files) => Some(Embedder::load(&files).expect("verified files load")),
        Err(e) => {
            skip(Requirement::Model, &e.to_string());
            None
        }
    }
}

#[test]
fn embeddings_match_the_reference_implementation() {
    let Some(embedder) = embedder() else { return };
    let vectors = embedder.embed(&TEXTS).unwrap();
    for (vector, reference) in vectors.iter().zip(FIRST_EIGHT) {
        assert_eq!(vector.len(), claimlens_embed::DIMENSIONS);
        for (got, want) in vector.iter().zip(reference) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }
    // The similarities sentence-transformers gives for the same pairs.
    for ((a, b), want) in [((0, 1), 0.723880), ((0, 2), -0.115467), ((1, 2), -0.060860)] {
        let got = cosine(&vectors[a], &vectors[b]);
        assert!(
            (got - want).abs() < 1e-4,
            "cos({a},{b}) = {got}, want {want}"
        );
    }
}

#[test]
fn batching_and_order_do_not_change_an_embedding() {
    let Some(embedder) = embedder() else { return };
    let alone = embedder.embed(&[TEXTS[2]]).unwrap();
    let mut reversed = TEXTS;
    reversed.reverse();
    let together = embedder.embed(&reversed).unwrap();
    assert!(cosine(&alone[0], &together[2]) > 0.99999);
    assert!(embedder.embed(&[]).unwrap().is_empty());
    // Far past the 256-piece limit: cut, not an error.
    let long = "word ".repeat(5000);
    assert_eq!(embedder.embed(&[&long, ""]).unwrap().len(), 2);
}
