//! The `techniques` layer on the canonical seed article (read from ../shared, never copied
//! here). Nothing in the stage or its model names this article: the spans come from the
//! tagger and lexicon trained on the SemEval-2023 training articles. What the issue asks of
//! this text and what the shipped model does (docs/evaluation.md, "Persuasion techniques:
//! the tagger's role biases", and "Persuasion techniques: a tagger in two layers"):
//! "self-proclaimed" comes out as name calling, "false-flag" in Zakharova's quotes as loaded
//! language. "notorious" is printed, not asserted: the two-layer tagger marks the name after
//! it ("White Helmets") and leaves the word itself out by a margin of 0.2 in a score of 13
//! (it flags 12 of the 27 uses of "notorious" in the 530 unseen articles, the one-layer
//! tagger 11). "Takfiri terrorists" is not found either, so it is printed too.

mod common;

use claimlens_core::Doc;
use claimlens_schema::layer;

/// The labels of the technique spans that hold the first occurrence of `words` at or after
/// byte `from`.
fn labels_over<'d>(doc: &'d Doc, words: &str, from: usize) -> Vec<&'d str> {
    let start = from
        + doc.text()[from..]
            .find(words)
            .expect("words in the article");
    let span = claimlens_core::Span::new(start, start + words.len());
    doc.layer(layer::TECHNIQUES)
        .expect("techniques layer")
        .annotations
        .iter()
        .filter(|a| a.span.contains(span))
        .map(|a| a.label.as_str())
        .collect()
}

#[test]
fn seed_article_loaded_words_and_labels_come_out_as_techniques() {
    let Some(path) = common::shared("fixtures/seed-article.txt") else {
        return;
    };
    let doc = common::analyze_file(&path);
    let shown: Vec<String> = doc
        .layer(layer::TECHNIQUES)
        .unwrap()
        .annotations
        .iter()
        .map(|a| format!("{} {:?} {:?}", a.label, doc.slice(a.span), a.reason.score))
        .collect();
    eprintln!("{shown:#?}");
    let wording = |labels: &[&str]| {
        labels
            .iter()
            .any(|l| *l == "Loaded_Language" || *l == "Name_Calling-Labeling")
    };
    assert!(
        wording(&labels_over(&doc, "self-proclaimed", 0)),
        "{shown:#?}"
    );
    // "false-flag" inside Zakharova's own words (the quotation that opens with “We are
    // closely monitoring”), not only in the article's paraphrase before it.
    let quote = doc.text().find("“We are closely monitoring").unwrap();
    assert!(
        wording(&labels_over(&doc, "false-flag", quote)),
        "{shown:#?}"
    );
    for words in ["notorious", "Takfiri terrorists"] {
        eprintln!("{words:?}: {:?}", labels_over(&doc, words, 0));
    }
}
