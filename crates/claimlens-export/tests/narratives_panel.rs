//! The "Known narratives" panel of the text and HTML reports, from a `narratives` layer
//! written here: the case is shown beside its claim, hostile case fields are escaped (HTML)
//! or cleaned (terminal), only web addresses become links, and a document without the layer
//! gets no panel.

use claimlens_core::{Annotation, BoundaryRule, Doc, Layer, Reason, Sentence, Span};
use claimlens_export::{write_html, write_text, DocView, LayerDump, TextOptions};
use claimlens_schema::{label, layer, link, role};

const TEXT: &str = "Officials say vaccines contain microchips. It rained.";

fn reports(doc: &Doc) -> (String, String) {
    let view = DocView::new(doc, &[]);
    let mut text = Vec::new();
    let opts = TextOptions {
        color: true,
        layers: LayerDump::default(),
    };
    write_text(&mut text, &view, opts).unwrap();
    let mut html = Vec::new();
    write_html(&mut html, std::slice::from_ref(&view)).unwrap();
    (
        String::from_utf8(text).unwrap(),
        String::from_utf8(html).unwrap(),
    )
}

fn doc() -> Doc {
    let mut doc = Doc::new("d", TEXT);
    for (s, e) in [(0, 42), (43, TEXT.len())] {
        doc.sentences.push(Sentence {
            span: Span::new(s, e),
            paragraph: 0,
            end_rule: BoundaryRule::TerminalPunctuation,
        });
    }
    let mut claims = Layer::new(layer::CLAIMS, "claims");
    claims.push(Annotation::new(
        Span::new(14, 41),
        label::CLAIM,
        Reason::rule("claims", "test"),
    ));
    doc.insert_layer(claims).unwrap();
    doc
}

fn case(span: Span, kind: &'static str, title: &str, url: &str) -> Annotation {
    Annotation::new(span, kind, Reason::scored("narratives", "bm25", 0.64))
        .with_attr("source", "desk")
        .with_attr("case_id", "vx1")
        .with_attr("title", title.to_owned())
        .with_attr("summary", "Health agencies found no such chips.")
        .with_attr("verdict", "False")
        .with_attr("date", "2021-03-04")
        .with_attr("url", url.to_owned())
        .with_attr("score", 0.6364)
        .with_attr("matcher", "bm25")
}

fn with_matches(title: &str, url: &str) -> Doc {
    let mut doc = doc();
    let mut l = Layer::new(layer::NARRATIVES, "narratives");
    l.push(case(
        Span::new(0, TEXT.len()),
        label::ARTICLE_MATCH,
        title,
        url,
    ));
    l.push(
        case(Span::new(14, 41), label::MATCH, title, url).with_link(link(
            role::CLAIM,
            layer::CLAIMS,
            0,
        )),
    );
    doc.insert_layer(l).unwrap();
    doc
}

#[test]
fn the_case_is_shown_beside_its_claim_in_both_reports() {
    let doc = with_matches(
        "Microchips in vaccines",
        "https://checks.example/vx1?a=1&b=2",
    );
    let (text, html) = reports(&doc);
    assert!(text.contains("Known narratives (matcher bm25)"), "{text}");
    let at = text.find("\"vaccines contain microchips\" 14..41").unwrap();
    assert!(text[at..].contains("Microchips in vaccines"), "{text}");
    assert!(text[at..].contains("(2021-03-04)"));
    assert!(text[at..].contains("Health agencies found no such chips."));
    assert!(text.contains("The article's best:"));

    assert!(html.contains(">Known narratives <span class=\"n\">(1)</span>"));
    assert!(html.contains(
        "<a href=\"https://checks.example/vx1?a=1&amp;b=2\" rel=\"noopener noreferrer\" target=\"_blank\"><strong><bdi>Microchips in vaccines</bdi></strong></a>"
    ), "{html}");
    assert!(html.contains("probability 0.64"));
}

#[test]
fn hostile_case_fields_are_escaped_cleaned_and_never_linked() {
    let doc = with_matches(
        "<script>alert(1)</script>\u{1b}[2J\u{202e}evil",
        "javascript:alert(1)",
    );
    let (text, html) = reports(&doc);
    assert!(
        !text.contains("\u{1b}[2J") && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("href=\"javascript"));
    assert!(!html.contains('\u{202e}'));
}

#[test]
fn no_layer_no_panel_and_an_empty_layer_says_nothing_matched() {
    let (text, html) = reports(&doc());
    assert!(!text.contains("Known narratives"));
    assert!(!html.contains("Known narratives"));
    let mut empty = doc();
    empty
        .insert_layer(Layer::new(layer::NARRATIVES, "narratives"))
        .unwrap();
    let (text, html) = reports(&empty);
    assert!(text.contains("no stored case matches"), "{text}");
    assert!(html.contains("No stored case matches"));
}
