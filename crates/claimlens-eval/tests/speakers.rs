//! Speaker resolution on the hand-labelled PolNeAR sources (data/speaker-labels/): the dev set
//! the rules were revised on, and the held-out train sample, when ../shared/data is present.

use std::path::PathBuf;

use claimlens_eval::speakers::{evaluate_speakers, read_labels, MentionType, NONE_LABEL};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn labels_path() -> PathBuf {
    manifest().join("../../data/speaker-labels/polnear-dev.tsv")
}

fn heldout_labels_path() -> PathBuf {
    manifest().join("../../data/speaker-labels/polnear-train-heldout.tsv")
}

#[test]
fn labels_file_is_well_formed() {
    assert_well_formed(&labels_path(), 100, 50);
}

#[test]
fn heldout_labels_file_is_well_formed() {
    assert_well_formed(&heldout_labels_path(), 200, 40);
}

/// At least `min_labels` rows, at least `min_per_type` pronouns and role descriptions each.
fn assert_well_formed(path: &std::path::Path, min_labels: usize, min_per_type: usize) {
    let labels = read_labels(path).unwrap();
    assert!(labels.len() >= min_labels, "{} labels", labels.len());
    let pronouns = labels
        .iter()
        .filter(|l| l.mention_type() == MentionType::Pronoun)
        .count();
    assert!(pronouns >= min_per_type && labels.len() - pronouns >= min_per_type);
    // Sorted by document, then offset; no span twice.
    assert!(labels
        .windows(2)
        .all(|w| (&w[0].doc_id, w[0].start, w[0].end) < (&w[1].doc_id, w[1].start, w[1].end)));
    assert!(labels.iter().any(|l| l.speaker == NONE_LABEL));
}

#[test]
fn dev_speaker_resolution_accuracy() {
    let dev = manifest().join("../../../shared/data/polnear/dev");
    if !dev.exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", dev.display()),
        );
        return;
    }
    let report = evaluate_speakers(&dev, &labels_path()).unwrap();
    eprintln!("{report}");
    assert_eq!(report.total, read_labels(&labels_path()).unwrap().len());
    assert_eq!(report.missing, 0, "{}", report.errors_table());
    // Measured 2026-12-06 (descriptions by head word, plurals of people, later that day):
    // 0.737 overall, 0.766 on pronouns, 0.668 on role descriptions, 0.675 with the exact name (a leading "the" ignored; data/speaker-labels/README.md). The floors sit slightly
    // below so that a regression fails and an improvement passes.
    assert!(report.accuracy > 0.65, "{report}");
    assert!(
        report.by_mention[&MentionType::Pronoun].accuracy > 0.68,
        "{report}"
    );
    assert!(report.exact_name.accuracy > 0.58, "{report}");
    assert!(
        report.by_mention[&MentionType::Role].accuracy > 0.50,
        "{report}"
    );
}

#[test]
fn heldout_speaker_resolution_accuracy() {
    let train = manifest().join("../../../shared/data/polnear/train");
    if !train.exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", train.display()),
        );
        return;
    }
    let labels = heldout_labels_path();
    let report = evaluate_speakers(&train, &labels).unwrap();
    eprintln!("{report}");
    assert_eq!(report.total, read_labels(&labels).unwrap().len());
    assert_eq!(report.missing, 0, "{}", report.errors_table());
    // Measured 2026-12-06 (descriptions by head word, plurals of people, later that day):
    // 0.664 overall, 0.699 on pronouns, 0.576 on role descriptions, 0.620 with the exact name (a leading "the" ignored; data/speaker-labels/README.md). Floors slightly below, as
    // for dev. The overall and pronoun floors were 0.60 and 0.68 before gender agreement:
    // "she" then took "Tom Ebeling" for "Betsy Ebeling" nine times, each counted right by
    // the lenient surname rule; it no longer does, and the exact-name figure rose.
    assert!(report.accuracy > 0.58, "{report}");
    assert!(
        report.by_mention[&MentionType::Pronoun].accuracy > 0.64,
        "{report}"
    );
    assert!(report.exact_name.accuracy > 0.53, "{report}");
    assert!(
        report.by_mention[&MentionType::Role].accuracy > 0.41,
        "{report}"
    );
}
