//! The committed attribution model on PolNeAR dev, when ../shared/data is present. Fails when
//! feature code changes without retraining (the model and features must agree).

use std::path::PathBuf;

use claimlens_analyzers::attribution::{Model, EMBEDDED_MODEL};
use claimlens_analyzers::learn::calibration::CalibrationTable;
use claimlens_eval::attribution_model::{evaluate_attribution_model, AttributionRun};
use claimlens_eval::calibration_fit::{cross_fit, fit};
use claimlens_eval::polnear::read_polnear;

#[test]
fn committed_model_scores_above_floor_on_polnear_dev() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev");
    if !dir.exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", dir.display()),
        );
        return;
    }
    let docs = read_polnear(&dir).unwrap();
    let model = Model::from_bytes(EMBEDDED_MODEL).unwrap();
    let run = evaluate_attribution_model(&docs, &model);
    let r = &run.report;
    // Measured 2026-12-06 (one-sentence-after window): cue 0.678, source 0.740, content 0.553
    // exact, relation 0.470 (2026-11-26: 0.678, 0.736, 0.553, 0.471; docs/evaluation.md).
    assert!(
        r.cue.exact.f1() > 0.67,
        "cue exact F1 {:.3}",
        r.cue.exact.f1()
    );
    assert!(
        r.source.exact.f1() > 0.72,
        "source exact F1 {:.3}",
        r.source.exact.f1()
    );
    assert!(
        r.content.exact.f1() > 0.54,
        "content exact F1 {}",
        r.content.exact.f1()
    );
    // Direct quotes with their source, measured 2026-11-26: P 0.854, R 0.739.
    assert!(
        r.quote_source.exact.precision() > 0.82 && r.quote_source.exact.recall() > 0.71,
        "quote+source exact P {:.3} R {:.3}",
        r.quote_source.exact.precision(),
        r.quote_source.exact.recall()
    );
    assert!(
        r.content.overlap.f1() > 0.78,
        "content overlap F1 {:.3}",
        r.content.overlap.f1()
    );
    // Calibration, cross-fitted by document (measured 2026-12-02: ECE 0.020, 0.011, 0.010).
    let table = CalibrationTable::embedded().unwrap();
    for (c, outcomes) in AttributionRun::COMPONENTS.iter().zip(&run.outcomes) {
        let r = cross_fit(outcomes);
        assert!(r.after.ece() <= 0.05, "{}: {}", c.name(), r.after);
        assert!(r.after.brier() < r.before.brier(), "{}", c.name());
        // The committed map is the one this model's scores on dev give: retrain, refit.
        assert_eq!(
            table.map(*c),
            fit(outcomes).as_ref(),
            "{}: rerun `claimlens train calibration` (docs/evaluation.md)",
            c.name()
        );
    }
}
