//! Segmentation behaviour on small news texts written for these tests.

use claimlens_core::{BoundaryRule, Doc, Stage};

use super::Segmenter;

fn check(text: &str, expected: &[&str]) {
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    for s in &doc.sentences {
        assert!(s.span.is_valid_for(text));
    }
    for t in &doc.tokens {
        assert!(t.span.is_valid_for(text) && !t.span.is_empty());
    }
    let got: Vec<&str> = doc.sentences.iter().map(|s| doc.slice(s.span)).collect();
    assert_eq!(got, expected);
}

#[test]
fn abbreviations_initials_and_titles() {
    check(
        "Sen. J. R. Doe met Gov. Lee in Washington, D.C. on Feb. 5. They spoke for 2.5 hours.",
        &[
            "Sen. J. R. Doe met Gov. Lee in Washington, D.C. on Feb. 5.",
            "They spoke for 2.5 hours.",
        ],
    );
    check(
        "The aid came from the U.S. The rebels rejected it. Acme Inc. said nothing.",
        &[
            "The aid came from the U.S.",
            "The rebels rejected it.",
            "Acme Inc. said nothing.",
        ],
    );
    check(
        "The answer is no. We left.",
        &["The answer is no.", "We left."],
    );
}

#[test]
fn money_decimals_and_ellipses() {
    check(
        "The fund gave $5.5 million... and then it stopped. Prices rose 3.2% in May… Officials were worried.",
        &[
            "The fund gave $5.5 million... and then it stopped.",
            "Prices rose 3.2% in May…",
            "Officials were worried.",
        ],
    );
}

#[test]
fn quotes_spanning_sentences_and_split_by_cue() {
    check(
        "“We are watching. The attacks continue,” the minister said. “We will respond.”",
        &[
            "“We are watching.",
            "The attacks continue,” the minister said.",
            "“We will respond.”",
        ],
    );
    check(
        "\"Is it over?\" she asked. \"No!\" he said.",
        &["\"Is it over?\" she asked.", "\"No!\" he said."],
    );
}

#[test]
fn datelines_headlines_and_lists() {
    let text = "Storm hits coast\n\nLONDON, Feb. 5 (Reuters) - Heavy rain fell. Roads closed.\n\nOfficials listed:\n- schools shut\n- trains cancelled";
    check(
        text,
        &[
            "Storm hits coast",
            "LONDON, Feb. 5 (Reuters) -",
            "Heavy rain fell.",
            "Roads closed.",
            "Officials listed:",
            "- schools shut",
            "- trains cancelled",
        ],
    );
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    assert_eq!(doc.sentences[1].end_rule, BoundaryRule::Dateline);
    assert_eq!(doc.paragraphs.len(), 3);
}

#[test]
fn wrapped_lines_are_not_boundaries() {
    check(
        "The committee met on Tuesday and agreed that the budget for the\nnext year would rise by a small amount, officials said.\n\nNext.",
        &[
            "The committee met on Tuesday and agreed that the budget for the\nnext year would rise by a small amount, officials said.",
            "Next.",
        ],
    );
}

#[test]
fn empty_and_odd_text_never_panics() {
    for text in [
        "",
        " ",
        "\n\n\n",
        "“”“”“”",
        "....",
        "-",
        "a",
        "\u{feff}",
        "👩‍🔬\n\n\u{0301}",
    ] {
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        for s in &doc.sentences {
            assert!(s.span.is_valid_for(text));
        }
    }
}

#[test]
fn handles_glued_to_words_keep_token_order() {
    // Regression: a handle inside a word was pushed before the word itself.
    check(
        "Robert Bryngelson@AZURIX 08/16/2000 wrote.",
        &["Robert Bryngelson@AZURIX 08/16/2000 wrote."],
    );
    let mut doc = Doc::new("t", "Bryngelson@AZURIX wrote.");
    Segmenter.run(&mut doc);
    assert!(doc
        .tokens
        .windows(2)
        .all(|w| w[0].span.end <= w[1].span.start));
}

#[test]
fn quoted_question_followed_by_named_speaker_is_one_sentence() {
    check(
        "“Is this fair?” Smith asked. “No!” Maria Lopez shouted. “It is over.” The vote went ahead.",
        &[
            "“Is this fair?” Smith asked.",
            "“No!” Maria Lopez shouted.",
            "“It is over.”",
            "The vote went ahead.",
        ],
    );
}

#[test]
fn numbered_lists() {
    check(
        "The plan has steps:\n1. Close the port.\n2. Inspect the boats.\n\nIt starts at 5 p.m. The mayor agreed.",
        &[
            "The plan has steps:",
            "1. Close the port.",
            "2. Inspect the boats.",
            "It starts at 5 p.m.",
            "The mayor agreed.",
        ],
    );
}
