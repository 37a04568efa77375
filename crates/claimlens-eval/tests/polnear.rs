//! PolNeAR dev: the reader and the attribution scorer on real data, when ../shared/data is
//! present.

use std::path::PathBuf;

use claimlens_eval::attribution::{score_attribution, PredictedRelation};
use claimlens_eval::polnear::{read_polnear, read_polnear_with_stats};

fn split_dir(split: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/polnear")
        .join(split);
    if path.exists() {
        Some(path)
    } else {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", path.display()),
        );
        None
    }
}

#[test]
fn dev_reads_and_scores_perfectly_against_itself() {
    let Some(dir) = split_dir("dev") else {
        return;
    };
    let (docs, stats) = read_polnear_with_stats(&dir).unwrap();
    assert_eq!(docs.len(), 84);
    assert_eq!(stats.relations, 2192);
    assert_eq!(docs.iter().map(|d| d.relations.len()).sum::<usize>(), 2192);
    assert_eq!(stats.text_mismatches, 0);
    assert!(docs.windows(2).all(|w| w[0].id < w[1].id));
    for doc in &docs {
        for rel in &doc.relations {
            for fragment in rel.source.iter().chain(&rel.cue).chain(&rel.content) {
                let slice = doc
                    .text
                    .get(fragment.clone())
                    .unwrap_or_else(|| panic!("{}: {fragment:?} is not a valid span", doc.id));
                assert!(
                    !slice.trim().is_empty(),
                    "{}: {fragment:?} is blank",
                    doc.id
                );
            }
        }
    }
    let pairs: Vec<_> = docs
        .iter()
        .map(|d| {
            let predicted: Vec<PredictedRelation> =
                d.relations.iter().map(PredictedRelation::from).collect();
            (d, predicted)
        })
        .collect();
    let report = score_attribution(&pairs);
    assert_eq!(report.docs, 84);
    assert_eq!(report.relation.gold, 2192);
    for scores in [report.cue, report.source, report.content, report.relation] {
        assert_eq!(scores.exact.f1(), 1.0, "{report}");
        assert_eq!(scores.overlap.f1(), 1.0, "{report}");
    }
}

#[test]
fn missing_split_is_reported_as_missing_data() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("no-such-polnear-split");
    assert!(matches!(
        read_polnear(&dir),
        Err(claimlens_eval::EvalError::MissingData(_))
    ));
}
