//! PolNeAR annotators against each other (the human ceiling of the attribution scores), when
//! ../shared/data is present.

use std::path::PathBuf;

use claimlens_eval::agreement::annotator_agreement;

#[test]
fn annotators_agree_far_from_perfectly_on_exact_spans() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear");
    if !root.exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", root.display()),
        );
        return;
    }
    let (train, dev) = (root.join("train"), root.join("dev"));
    let a = annotator_agreement(&[&train, &dev]).unwrap();
    // Measured 2026-11-25: 18 articles; exact F1 cue 0.716, source 0.809, content 0.682.
    assert_eq!(a.articles, 18);
    let r = &a.report;
    assert!((0.70..0.73).contains(&r.cue.exact.f1()), "{r}");
    assert!((0.79..0.82).contains(&r.source.exact.f1()), "{r}");
    assert!((0.67..0.70).contains(&r.content.exact.f1()), "{r}");
    // Overlap agreement is higher: annotators find the same parts, edges differ.
    assert!(r.content.overlap.f1() > r.content.exact.f1() + 0.1, "{r}");
}
