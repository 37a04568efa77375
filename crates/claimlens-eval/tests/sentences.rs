//! Sentence boundaries on UD English EWT dev, when ../shared/data is present.

use std::path::PathBuf;

use claimlens_eval::sentences::{evaluate_sentences, read_conllu};

#[test]
fn ud_ewt_dev_boundary_f1_stays_above_floor() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu");
    if !path.exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", path.display()),
        );
        return;
    }
    let docs = read_conllu(&path).unwrap();
    assert_eq!(docs.len(), 318);
    let report = evaluate_sentences(&docs);
    assert_eq!(report.gold_boundaries, 1683);
    // Measured 0.918 on 2026-11-25 (docs/evaluation.md); the floor catches regressions.
    assert!(report.f1 > 0.90, "F1 fell to {:.4}", report.f1);
    assert!(
        report.precision > 0.97,
        "precision fell to {:.4}",
        report.precision
    );
}
