//! Page metadata against the hand labels in data/page-metadata, when ../shared/data is
//! present.

use claimlens_eval::page_metadata::{evaluate_metadata, Field};

#[test]
fn metadata_accuracy_stays_above_floors() {
    let Some(benchmark) = claimlens_testkit::shared("data/article-extraction") else {
        return;
    };
    let labels = claimlens_testkit::workspace_root().join("data/page-metadata/labels.tsv");
    let report = evaluate_metadata(&labels, &benchmark).unwrap();
    println!("{report}");
    assert_eq!(report.all.pages, 41);
    // Measured on all 41 pages (docs/evaluation.md, "Reliability: article extraction by
    // cross-validation and metadata"): title 0.976, authors 0.732, published 0.707, site
    // name 0.805, language 0.927, canonical URL 1.000. Floors sit one or two pages below.
    for (field, floor) in [
        (Field::Title, 0.93),
        (Field::Authors, 0.68),
        (Field::Published, 0.65),
        (Field::SiteName, 0.75),
        (Field::Language, 0.88),
        (Field::CanonicalUrl, 0.95),
    ] {
        let accuracy = report.accuracy(field);
        assert!(
            accuracy >= floor,
            "{}: accuracy {accuracy:.3} below {floor}",
            field.name()
        );
    }
}
