//! Regression tests of the reports under hostile input: escape sequences or bidi controls in the
//! id, metadata, file name or text must reach neither the terminal report nor the HTML page.

use claimlens_core::{
    Annotation, BoundaryRule, Doc, Layer, Metadata, Origin, Paragraph, Reason, Sentence, Span,
};
use claimlens_export::{write_html, write_text, DocView, TextOptions};

/// Renders the text report (with colours, the way a terminal gets it) and the HTML page.
fn reports(doc: &Doc) -> (String, String) {
    let view = DocView::new(doc, &[]);
    let mut text = Vec::new();
    write_text(&mut text, &view, TextOptions { color: true }).unwrap();
    let mut html = Vec::new();
    write_html(&mut html, std::slice::from_ref(&view)).unwrap();
    (
        String::from_utf8(text).unwrap(),
        String::from_utf8(html).unwrap(),
    )
}

/// Every way an escape sequence or bidi control can travel: id, metadata, file name, layer
/// text, and an annotation attribute.
fn hostile_doc() -> Doc {
    const EVIL: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{202e}\u{9b}31m\u{2066}";
    let text = format!("Ann Lee said{EVIL} the port will close.");
    let mut doc = Doc::new(format!("id{EVIL}"), text.clone());
    doc.meta = Metadata {
        title: Some(format!("title{EVIL}")),
        outlet: Some(format!("outlet{EVIL}")),
        author: Some(format!("author{EVIL}")),
        ..Metadata::default()
    };
    doc.origin = Origin {
        source: format!("dir/file{EVIL}.jsonl"),
        ..doc.origin.clone()
    };
    let whole = Span::new(0, text.len());
    doc.paragraphs.push(Paragraph { span: whole });
    doc.sentences.push(Sentence {
        span: whole,
        paragraph: 0,
        end_rule: BoundaryRule::TerminalPunctuation,
    });
    let mut layer = Layer::new("claims", "test");
    layer.push(
        Annotation::new(whole, "CLAIM", Reason::rule("test", "whole"))
            .with_attr("speaker", format!("Ann{EVIL}")),
    );
    doc.insert_layer(layer).unwrap();
    doc
}

#[test]
fn escape_sequences_and_bidi_controls_reach_no_report() {
    let (text, html) = reports(&hostile_doc());
    for (name, report) in [("text", &text), ("HTML", &html)] {
        for bad in [
            "\u{1b}]52;c;ZXZpbA==\u{7}",
            "\u{1b}[2J",
            "\u{7}",
            "\u{202e}",
            "\u{2066}",
            "\u{9b}",
        ] {
            assert!(!report.contains(bad), "{name} report holds {bad:?}");
        }
    }
    // The text report's own colours are the only escapes it writes: every ESC starts one of
    // its SGR sequences.
    for (i, _) in text.match_indices('\u{1b}') {
        let sgr = &text[i + 1..];
        let end = sgr.find('m').expect("an SGR sequence ends with m");
        assert!(
            sgr.starts_with('[') && sgr[1..end].bytes().all(|b| b.is_ascii_digit() || b == b';'),
            "a non-colour escape at byte {i}: {:?}",
            &text[i..(i + 20).min(text.len())]
        );
    }
    // What was there stays visible as U+FFFD, in the header too.
    assert!(text.contains("== id\u{fffd}]52;c;ZXZpbA==\u{fffd}\u{fffd}[2J\u{fffd}"));
    assert!(html.contains("id\u{fffd}]52;c;ZXZpbA==\u{fffd}\u{fffd}[2J\u{fffd}"));
}

#[test]
fn bidi_marks_that_cannot_reorder_text_are_kept() {
    let text = "\u{5e9}\u{5dc}\u{5d5}\u{5dd} 2026\u{200f} AB\u{200e}.";
    let mut doc = Doc::new("rtl", text);
    doc.sentences.push(Sentence {
        span: Span::new(0, text.len()),
        paragraph: 0,
        end_rule: BoundaryRule::TerminalPunctuation,
    });
    let (report, html) = reports(&doc);
    assert!(report.contains(text));
    assert!(html.contains(text));
}
