//! Regression tests for segmenter bugs found by fuzzing and property tests.
//!
//! Tests marked `#[ignore]` reproduce a bug that is not fixed yet; run them with
//! `cargo test -p claimlens-analyzers --test regressions -- --ignored`.

use std::time::{Duration, Instant};

use claimlens_analyzers::Segmenter;

fn segment_time(text: &str) -> Duration {
    let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    Segmenter::segment_into(text, &mut p, &mut t, &mut s);
    started.elapsed()
}

/// Bug (fixed): the tokenizer looked for an e-mail `@` over the rest of the white-space-free
/// chunk at every word start, so a chunk of alternating letters and punctuation (`a(a(a(...`,
/// `a%a%...`) was quadratic: 1 MB took 17-21 s in release. E-mail starts are now marked in
/// one backward pass per chunk.
#[test]
fn letter_punctuation_runs_segment_in_linear_time() {
    let budget = if cfg!(debug_assertions) {
        Duration::from_secs(5)
    } else {
        Duration::from_secs(1)
    };
    for unit in ["a(", "a%", "a+", "a)", "a%a@b.c "] {
        let text = unit.repeat((1 << 20) / unit.len());
        let took = segment_time(&text);
        assert!(took < budget, "{unit:?} x 1 MB took {took:?}");
    }
}
