//! The unlabelled cluster corpus on the real shared data, when ../shared/data is present.

use std::path::PathBuf;

use claimlens_eval::unlabelled::read_unlabelled;

#[test]
fn gathers_every_source_and_no_evaluation_split() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.join("conll2003/train.txt").exists() {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", data.display()),
        );
        return;
    }
    let texts = read_unlabelled(&data).unwrap();
    for source in [
        "polnear-train",
        "semeval2023-train",
        "euvsdisinfo",
        "checkworthiness",
        "conll2003-train",
    ] {
        let n = texts.iter().filter(|t| t.source == source).count();
        assert!(n > 100, "{source}: only {n} texts");
    }
    // Deduplicated: no text twice.
    let mut seen = std::collections::HashSet::new();
    assert!(texts.iter().all(|t| seen.insert(t.text.as_str())));
    // CoNLL-2003 valid documents must not leak in: the first word of its first
    // sentence is a headline token that train never starts a document with.
    let valid = std::fs::read_to_string(data.join("conll2003/valid.txt")).unwrap_or_default();
    let first_valid_sentence: Vec<&str> = valid
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with("-DOCSTART-"))
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    if !first_valid_sentence.is_empty() {
        let joined = first_valid_sentence.join(" ");
        assert!(
            !texts.iter().any(|t| t.text.starts_with(&joined)),
            "a CoNLL valid document is in the corpus"
        );
    }
    // PolNeAR dev articles must not leak in either.
    let dev = data.join("polnear/dev/text");
    for entry in std::fs::read_dir(&dev).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        assert!(
            !seen.contains(text.trim()),
            "{} is in the corpus",
            entry.path().display()
        );
    }
}
