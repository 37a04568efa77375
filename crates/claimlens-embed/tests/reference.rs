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
        -0.013253297,
        0.024290316,
        0.123459518,
        -0.016522571,
        0.035156850,
        -0.026769405,
        -0.068288252,
        -0.032160886,
    ],
    [
        0.026846342,
        0.040374789,
        0.130854115,
        0.019514455,
        0.035773300,
        -0.042288899,
        -0.070254400,
        -0.040379800,
    ],
    [
        -0.051274691,
        0.048513699,
        -0.018027045,
        -0.046235275,
        0.057390977,
        0.035182871,
        0.104403026,
        0.005389968,
    ],
    [
        -0.015846817,
        -0.028714821,
        0.024706332,
        0.011943921,
        0.021523518,
        0.046775155,
        -0.001384299,
        -0.037996110,
    ],
    [
        -0.097909637,
        -0.064000703,
        -0.023181261,
        -0.046196602,
        0.021699874,
        -0.028492259,
        0.154853821,
        0.054403592,
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
    for ((a, b), want) in [
        ((0, 1), 0.72388005),
        ((0, 2), -0.11546679),
        ((1, 2), -0.06085955),
    ] {
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
