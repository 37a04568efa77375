//! The committed attribution model on PolNeAR dev, when ../shared/data is present. Fails when
//! feature code changes without retraining (the model and features must agree).

use std::path::PathBuf;

use claimlens_analyzers::attribution::{Model, EMBEDDED_MODEL};
use claimlens_eval::attribution_model::evaluate_attribution_model;
use claimlens_eval::polnear::read_polnear;

#[test]
fn committed_model_scores_above_floor_on_polnear_dev() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev");
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let docs = read_polnear(&dir).unwrap();
    let model = Model::from_bytes(EMBEDDED_MODEL).unwrap();
    let run = evaluate_attribution_model(&docs, &model);
    let r = &run.report;
    // Measured 2026-11-26: cue 0.658, source 0.727, content 0.543 exact, relation 0.457
    // (docs/evaluation.md).
    assert!(
        r.cue.exact.f1() > 0.64,
        "cue exact F1 {:.3}",
        r.cue.exact.f1()
    );
    assert!(
        r.source.exact.f1() > 0.70,
        "source exact F1 {:.3}",
        r.source.exact.f1()
    );
    assert!(
        r.content.exact.f1() > 0.53,
        "content exact F1 {}",
        r.content.exact.f1()
    );
    assert!(
        r.content.overlap.f1() > 0.78,
        "content overlap F1 {:.3}",
        r.content.overlap.f1()
    );
}
