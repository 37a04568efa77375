//! Regression tests of the reports under hostile input: a one-sentence megabyte article must
//! give reports a few times its size (every snippet repeated its whole sentence, so the HTML
//! page grew quadratically), and escape sequences or bidi controls in the id, metadata, file
//! name or text must reach neither the terminal report nor the HTML page.

use claimlens_core::{
    Annotation, BoundaryRule, Doc, Layer, Link, Metadata, Origin, Paragraph, Reason, Sentence, Span,
};
use claimlens_export::{write_html, write_text, DocView, LayerDump, TextOptions};

/// Renders the text report (with colours, the way a terminal gets it) and the HTML page.
fn reports(doc: &Doc) -> (String, String) {
    let view = DocView::new(doc, &[]);
    let mut text = Vec::new();
    write_text(
        &mut text,
        &view,
        TextOptions {
            color: true,
            layers: LayerDump::All,
        },
    )
    .unwrap();
    let mut html = Vec::new();
    write_html(&mut html, std::slice::from_ref(&view)).unwrap();
    (
        String::from_utf8(text).unwrap(),
        String::from_utf8(html).unwrap(),
    )
}

/// One sentence of about `bytes` bytes with no full stop, and the layers that made the
/// reports quadratic: a dated expression every `every` bytes (each timeline entry showed the
/// whole sentence), a claim covering the sentence and a cue beside each date linking to it
/// (each link showed the whole claim), all in one paragraph.
fn one_sentence_article(bytes: usize, every: usize) -> Doc {
    const PHRASE: &str = "on Friday the minister said that prices in Paris rose, and ";
    let filler = "the harbour was quiet, ".repeat(every.saturating_sub(PHRASE.len()) / 23);
    let unit = format!("{PHRASE}{filler}");
    let text = unit.repeat(bytes / unit.len() + 1);
    let mut doc = Doc::new("long", text.clone());
    let whole = Span::new(0, text.len());
    doc.paragraphs.push(Paragraph { span: whole });
    doc.sentences.push(Sentence {
        span: whole,
        paragraph: 0,
        end_rule: BoundaryRule::EndOfText,
    });
    let mut claims = Layer::new("claims", "test");
    claims.push(Annotation::new(
        whole,
        "CLAIM",
        Reason::rule("test", "whole"),
    ));
    let mut times = Layer::new("times", "test");
    let mut cues = Layer::new("cues", "test");
    for (start, _) in text.match_indices(PHRASE) {
        let friday = Span::new(start + 3, start + 9);
        times.push(
            Annotation::new(friday, "DATE", Reason::rule("test", "weekday"))
                .with_attr("value", "2026-11-27")
                .with_attr("anchor", "publication"),
        );
        let said = Span::new(start + 23, start + 27);
        cues.push(
            Annotation::new(said, "CUE", Reason::rule("test", "verb:say")).with_link(Link {
                role: "content".into(),
                layer: "claims".into(),
                index: 0,
            }),
        );
    }
    doc.insert_layer(claims).unwrap();
    doc.insert_layer(times).unwrap();
    doc.insert_layer(cues).unwrap();
    doc
}

/// Bytes of report allowed per annotation beyond the text itself: its highlight's markup, its
/// panel entry with a snippet of at most 200 code points, a link or a timeline entry.
const PER_ANNOTATION: usize = 2_000;

#[test]
fn reports_of_a_one_megabyte_sentence_stay_a_few_times_its_size() {
    // A date and a cue every 2 KB: before snippets were bounded, the page repeated the
    // megabyte once per date and once per cue (about 1 GB).
    let doc = one_sentence_article(1_000_000, 2_000);
    let size = doc.text().len();
    let (text, html) = reports(&doc);
    for (name, report) in [("HTML", &html), ("text", &text)] {
        assert!(
            report.len() <= 4 * size,
            "{name} report {} bytes for a {size}-byte sentence",
            report.len()
        );
    }
    // The cut snippets say which characters they show.
    assert!(
        text.contains("(shown 0..200)"),
        "no window offsets in the text report"
    );
    assert!(html.contains("title=\"shown: characters 0–200\""));
}

#[test]
fn reports_grow_with_the_text_and_the_annotations_not_their_product() {
    // A date and a cue in every 59 bytes: the markup of 34,000 annotations dominates, but each
    // costs a bounded number of bytes however long the sentence around it is.
    let doc = one_sentence_article(1_000_000, 0);
    let size = doc.text().len();
    let annotations: usize = doc.layers().iter().map(|l| l.annotations.len()).sum();
    let (text, html) = reports(&doc);
    for (name, report) in [("HTML", &html), ("text", &text)] {
        assert!(
            report.len() <= 4 * size + PER_ANNOTATION * annotations,
            "{name} report {} bytes for a {size}-byte sentence with {annotations} annotations",
            report.len()
        );
    }
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
