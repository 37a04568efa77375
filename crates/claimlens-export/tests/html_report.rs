//! Tests of the self-contained HTML report: well-formedness under overlapping annotations,
//! escaping of every piece of input text, code-point offsets, the panel and the absence of
//! external resources.

use std::collections::HashMap;

use claimlens_core::{
    Annotation, BoundaryRule, Diagnostic, Doc, Layer, Link, Metadata, Origin, Paragraph, Reason,
    Sentence, Severity, Span,
};
use claimlens_export::{write_html, write_html_with, DocView, HtmlOptions};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Example documents
// ---------------------------------------------------------------------------------------------

/// Byte span of the first occurrence of `needle`.
fn find(text: &str, needle: &str) -> Span {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    Span::new(s, s + needle.len())
}

/// Splits the text into paragraphs at blank lines and adds the given sentences (by text).
fn segment(doc: &mut Doc, sentences: &[(&str, BoundaryRule)]) {
    let text = doc.text().to_owned();
    let mut start = 0;
    for part in text.split("\n\n") {
        doc.paragraphs.push(Paragraph {
            span: Span::new(start, start + part.len()),
        });
        start += part.len() + 2;
    }
    for &(s, rule) in sentences {
        let span = find(&text, s);
        let paragraph = doc
            .paragraphs
            .iter()
            .position(|p| p.span.contains(span))
            .expect("sentence inside a paragraph") as u32;
        doc.sentences.push(Sentence {
            span,
            paragraph,
            end_rule: rule,
        });
    }
}

fn link(role: &'static str, layer: &'static str, index: u32) -> Link {
    Link {
        role: role.into(),
        layer: layer.into(),
        index,
    }
}

const ARTICLE: &str = "“We will not back down,” said Élodie Martín, the mayor of Saint-Étienne, on Tuesday. Critics — including the café owners’ union — called the plan “reckless” 🙄.\n\n\
According to Dr. Jürgen Müller, the budget “doubles by 2026.” He added: “Nobody asked us.” 👩‍🔬 Researchers disagreed.\n\n\
قال الوزير إن «الخطة ستنجح». ورفض المتحدث التعليق.";

/// A multilingual article with three paragraphs, seven sentences and three layers whose
/// annotations nest, cross each other, cross sentence and paragraph boundaries, and include a
/// zero-length one.
fn sample_doc() -> Doc {
    let mut doc = Doc::new("courrier-2024-0507", ARTICLE);
    doc.meta = Metadata {
        title: Some("Mayor vows to press on with “reckless” plan".into()),
        outlet: Some("Le Courrier".into()),
        url: Some("https://example.com/a?x=1&y=2".into()),
        author: Some("Anaïs Dupont".into()),
        published: Some("2024-05-07".into()),
        language: Some("en".into()),
        ..Metadata::default()
    };
    doc.origin = Origin {
        source: "articles.jsonl".into(),
        record: Some(3),
        format: "jsonl",
        encoding: "UTF-8",
    };
    segment(
        &mut doc,
        &[
            (
                "“We will not back down,” said Élodie Martín, the mayor of Saint-Étienne, on Tuesday.",
                BoundaryRule::TerminalPunctuation,
            ),
            (
                "Critics — including the café owners’ union — called the plan “reckless” 🙄.",
                BoundaryRule::ParagraphBreak,
            ),
            (
                "According to Dr. Jürgen Müller, the budget “doubles by 2026.”",
                BoundaryRule::ClosingQuote,
            ),
            ("He added: “Nobody asked us.”", BoundaryRule::ClosingQuote),
            ("👩‍🔬 Researchers disagreed.", BoundaryRule::ParagraphBreak),
            ("قال الوزير إن «الخطة ستنجح».", BoundaryRule::TerminalPunctuation),
            ("ورفض المتحدث التعليق.", BoundaryRule::EndOfText),
        ],
    );
    let t = ARTICLE;
    let stage = "example";

    let mut entities = Layer::new("entities", "ner");
    for (needle, label) in [
        ("Élodie Martín", "PERSON"),
        ("Saint-Étienne", "GPE"),
        ("the café owners’ union", "ORG"),
        ("Dr. Jürgen Müller", "PERSON"),
        ("الوزير", "PERSON"),
    ] {
        entities.push(
            Annotation::new(
                find(t, needle),
                label,
                Reason::scored("ner", "lexicon", 0.91),
            )
            .with_attr("canonical", needle),
        );
    }
    entities.sort();
    doc.insert_layer(entities).unwrap();

    // Indices are fixed by the push order: the links below address annotations by index.
    let mut attributions = Layer::new("attributions", "attribution");
    attributions.push(Annotation::new(
        find(t, "“We will not back down,”"),
        "QUOTE",
        Reason::rule(stage, "quote-marks"),
    )); // 0
    attributions.push(
        Annotation::new(find(t, "said"), "CUE", Reason::rule(stage, "verb:say"))
            .with_attr("lemma", "say"),
    ); // 1
    attributions.push(
        Annotation::new(
            find(t, "Élodie Martín, the mayor of Saint-Étienne"),
            "SOURCE",
            Reason::scored(stage, "appositive", 0.8),
        )
        .with_link(link("entity", "entities", 0)),
    ); // 2
    attributions.push(
        Annotation::new(
            find(t, "“doubles by 2026.” He added: “Nobody asked us.”"),
            "QUOTE",
            Reason::rule(stage, "quote-marks"),
        )
        .with_link(link("source", "entities", 3)),
    ); // 3
    attributions.push(
        Annotation::new(
            find(t, "«الخطة ستنجح»"),
            "QUOTE",
            Reason::rule(stage, "guillemets"),
        )
        .with_link(link("source", "entities", 4))
        .with_link(link("cue", "attributions", 5)),
    ); // 4
    attributions.push(Annotation::new(
        find(t, "قال"),
        "CUE",
        Reason::rule(stage, "verb:qaala"),
    )); // 5
    attributions.annotations[0].links = Box::new([
        link("cue", "attributions", 1),
        link("source", "attributions", 2),
    ]);
    doc.insert_layer(attributions).unwrap();

    let mut claims = Layer::new("claims", "claims");
    // Crosses the quote boundary and the sentence boundary.
    claims.push(Annotation::new(
        find(t, "the budget “doubles by 2026.” He added"),
        "CLAIM",
        Reason::scored(stage, "numeric-claim", 0.67),
    ));
    // Crosses the paragraph break.
    claims.push(Annotation::new(
        find(
            t,
            "called the plan “reckless” 🙄.\n\nAccording to Dr. Jürgen Müller",
        ),
        "CLAIM",
        Reason::scored(stage, "evaluative", 0.42),
    ));
    // Zero-length: an insertion point right before “Researchers”.
    let at = find(t, "Researchers").start as usize;
    claims.push(Annotation::new(
        Span::new(at, at),
        "GAP",
        Reason::rule(stage, "missing-evidence"),
    ));
    claims.sort();
    doc.insert_layer(claims).unwrap();
    doc
}

fn sample_diagnostics(doc: &Doc) -> Vec<Diagnostic> {
    vec![
        Diagnostic {
            severity: Severity::Warning,
            stage: "attribution".into(),
            message: "quote without a resolvable source".into(),
            span: Some(find(doc.text(), "“Nobody asked us.”")),
        },
        Diagnostic {
            severity: Severity::Info,
            stage: "segment".into(),
            message: "mixed scripts: Latin, Arabic".into(),
            span: None,
        },
    ]
}

/// A second, plain document without segmentation.
fn plain_doc() -> Doc {
    let text = "The council met on Monday. It said the vote was delayed.";
    let mut doc = Doc::new("plain-1", text);
    doc.meta.title = Some("Council delays vote".into());
    doc.meta.url = Some("ftp://example.com/file".into());
    doc.origin.source = "plain.txt".into();
    doc.origin.format = "text";
    doc.origin.encoding = "UTF-8";
    let mut cues = Layer::new("cues", "attribution");
    cues.push(Annotation::new(
        find(text, "said"),
        "CUE",
        Reason::rule("attribution", "verb:say"),
    ));
    doc.insert_layer(cues).unwrap();
    doc
}

/// A document whose every field tries to break out of its context.
fn hostile_doc() -> (Doc, Vec<Diagnostic>) {
    let text = "Officials wrote <script>alert(1)</script> and \"quotes\" and &amp; and 'single'.\n\n\
                A line\u{1b}[31m with\u{0} controls\u{85} and a\r\nCRLF <img src=x onerror=alert(2)>.";
    let mut doc = Doc::new("<id>&\"", text);
    doc.meta = Metadata {
        title: Some("</title><script>alert('t')</script>".into()),
        outlet: Some("<b>bold</b> & co".into()),
        url: Some("javascript:alert(\"u\")".into()),
        author: Some("O'Brien \"Bob\"".into()),
        published: Some("<time>".into()),
        language: Some("\"><script>".into()),
        fetched_url: Some("javascript:alert(\"f\")".into()),
        fetched_at: Some("<time>".into()),
    };
    doc.origin.source = "<file>.html".into();
    segment(
        &mut doc,
        &[
            (
                "Officials wrote <script>alert(1)</script> and \"quotes\" and &amp; and 'single'.",
                BoundaryRule::TerminalPunctuation,
            ),
            (
                "A line\u{1b}[31m with\u{0} controls\u{85} and a\r\nCRLF <img src=x onerror=alert(2)>.",
                BoundaryRule::EndOfText,
            ),
        ],
    );
    let mut layer = Layer::new("<img src=x onerror=alert(3)>", "x\"y");
    layer.push(
        Annotation::new(
            find(text, "<script>alert(1)</script>"),
            "\"><script>alert(4)</script>",
            Reason::scored("a&b", "<rule>'", 0.5),
        )
        .with_attr("k<", "v\"><script>"),
    );
    layer.push(Annotation::new(
        find(text, "&amp;"),
        "AMP",
        Reason::rule("s", "r"),
    ));
    doc.insert_layer(layer).unwrap();
    let diags = vec![Diagnostic::warning("<stage>", "bad <iframe src=x> & more")];
    (doc, diags)
}

fn render(docs: &[(Doc, Vec<Diagnostic>)]) -> String {
    let mut out = Vec::new();
    let views: Vec<DocView<'_>> = docs.iter().map(|(d, g)| DocView::new(d, g)).collect();
    write_html(&mut out, &views).unwrap();
    String::from_utf8(out).expect("the report is UTF-8")
}

#[test]
fn a_host_banner_is_the_first_thing_in_the_body_and_changes_nothing_else() {
    let (docs, plain) = sample_report();
    let views: Vec<DocView<'_>> = docs.iter().map(|(d, g)| DocView::new(d, g)).collect();
    let mut out = Vec::new();
    let banner = "<nav class=\"host\"><a href=\"/\">Home</a></nav>\n";
    write_html_with(
        &mut out,
        &views,
        HtmlOptions {
            banner: Some(banner),
        },
    )
    .unwrap();
    let hosted = String::from_utf8(out).unwrap();
    assert!(hosted.contains(&format!("<body>\n{banner}<a class=\"skip\"")));
    assert_eq!(hosted.replacen(banner, "", 1), plain);
}

fn sample_report() -> (Vec<(Doc, Vec<Diagnostic>)>, String) {
    let doc = sample_doc();
    let diags = sample_diagnostics(&doc);
    let docs = vec![(doc, diags)];
    let html = render(&docs);
    (docs, html)
}

// ---------------------------------------------------------------------------------------------
// A small, strict parser for the report's own markup
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Tok {
    Open {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Close(String),
    Text(String),
}

const VOID: &[&str] = &["meta", "input", "br", "hr", "img", "link", "wbr"];
const BLOCK: &[&str] = &[
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "ul", "ol", "li",
    "dl", "details", "fieldset", "h1", "h2", "h3", "table",
];

/// Decodes the five entities the writer uses; panics on a bare `&` (which would mean some text
/// was not escaped).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (rep, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ]
        .iter()
        .find(|(e, _)| rest.starts_with(e))
        .map(|(e, c)| (*c, e.len()))
        .unwrap_or_else(|| panic!("unescaped & at {:?}", &rest[..rest.len().min(20)]));
        out.push(rep);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

fn parse_attrs(inner: &str) -> (String, Vec<(String, String)>) {
    let inner = inner.trim_end_matches('/');
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    assert!(
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()),
        "bad tag name in <{inner}>"
    );
    let mut attrs = Vec::new();
    let mut rest = inner[name_end..].trim_start();
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c == '=' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..end].to_ascii_lowercase();
        assert!(
            key.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "bad attribute name {key:?} in <{inner}>"
        );
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix('=') {
            let r = r
                .strip_prefix('"')
                .unwrap_or_else(|| panic!("unquoted attribute {key} in <{inner}>"));
            let close = r.find('"').expect("closing quote");
            let raw = &r[..close];
            assert!(!raw.contains('<'), "raw < in attribute {key}: {raw:?}");
            attrs.push((key, unescape(raw)));
            rest = r[close + 1..].trim_start();
        } else {
            attrs.push((key, String::new()));
            rest = rest.trim_start();
        }
    }
    (name, attrs)
}

fn tokenize(html: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<!") {
            let end = r.find('>').expect("unterminated declaration");
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').expect("unterminated end tag");
            toks.push(Tok::Close(r[..end].trim().to_ascii_lowercase()));
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r.find('>').expect("unterminated start tag");
            let (name, attrs) = parse_attrs(&r[..end]);
            rest = &r[end + 1..];
            let raw = name == "script" || name == "style";
            toks.push(Tok::Open {
                name: name.clone(),
                attrs,
            });
            if raw {
                let close = format!("</{name}>");
                let end = rest.find(&close).expect("raw text element closed");
                rest = &rest[end..];
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let raw = &rest[..end];
            assert!(!raw.contains('>'), "raw > in text: {raw:?}");
            toks.push(Tok::Text(unescape(raw)));
            rest = &rest[end..];
        }
    }
    toks
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Checks that every element is closed in order and that paragraphs hold only inline content.
fn assert_well_formed(toks: &[Tok]) {
    let mut stack: Vec<&str> = Vec::new();
    for t in toks {
        match t {
            Tok::Open { name, .. } if VOID.contains(&name.as_str()) => {}
            Tok::Open { name, .. } => {
                if BLOCK.contains(&name.as_str()) {
                    assert!(!stack.contains(&"p"), "<{name}> inside <p>: {stack:?}");
                }
                if name == "mark" {
                    assert!(stack.contains(&"p"), "<mark> outside the text: {stack:?}");
                }
                stack.push(name);
            }
            Tok::Close(name) => {
                let top = stack
                    .pop()
                    .unwrap_or_else(|| panic!("</{name}> with nothing open"));
                assert_eq!(top, name, "</{name}> closes <{top}>");
            }
            Tok::Text(_) => {}
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// Text inside each element carrying `data-a`, concatenated over all its fragments.
fn fragment_texts(toks: &[Tok]) -> HashMap<String, String> {
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut stack: Vec<Option<String>> = Vec::new();
    for t in toks {
        match t {
            Tok::Open { name, .. } if VOID.contains(&name.as_str()) => {}
            Tok::Open { attrs, .. } => {
                let a = attr(attrs, "data-a").map(str::to_owned);
                if let Some(a) = &a {
                    texts.entry(a.clone()).or_default();
                }
                stack.push(a);
            }
            Tok::Close(_) => {
                stack.pop();
            }
            Tok::Text(s) => {
                for a in stack.iter().flatten() {
                    texts.get_mut(a).unwrap().push_str(s);
                }
            }
        }
    }
    texts
}

/// Rendered blocks of the text: (start, end) in code points, and their text.
fn blocks(toks: &[Tok]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut depth = None;
    let mut level = 0usize;
    for t in toks {
        match t {
            Tok::Open { name, .. } if VOID.contains(&name.as_str()) => {}
            Tok::Open { name, attrs } => {
                level += 1;
                if name == "p" && attr(attrs, "class").is_some_and(|c| c.starts_with("para")) {
                    let n = |k| attr(attrs, k).unwrap().parse::<usize>().unwrap();
                    out.push((n("data-start"), n("data-end"), String::new()));
                    depth = Some(level);
                }
            }
            Tok::Close(_) => {
                if depth == Some(level) {
                    depth = None;
                }
                level -= 1;
            }
            Tok::Text(s) => {
                if depth.is_some() {
                    out.last_mut().unwrap().2.push_str(s);
                }
            }
        }
    }
    out
}

fn chars(text: &str, span: Span) -> (usize, usize) {
    (
        text[..span.start as usize].chars().count(),
        text[..span.end as usize].chars().count(),
    )
}

/// The start tag with `id="{id}"`.
fn tag_with_id<'a>(toks: &'a [Tok], id: &str) -> &'a [(String, String)] {
    let mut found = toks.iter().filter_map(|t| match t {
        Tok::Open { attrs, .. } if attr(attrs, "id") == Some(id) => Some(attrs.as_slice()),
        _ => None,
    });
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no element with id {id}"));
    assert!(found.next().is_none(), "id {id} is not unique");
    first
}

/// Expected rendered text of a span: the characters inside rendered blocks.
fn visible(text: &str, span: (usize, usize), blocks: &[(usize, usize, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for &(s, e, _) in blocks {
        let (a, b) = (span.0.max(s), span.1.min(e));
        if a < b {
            out.extend(&chars[a..b]);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn page_is_self_contained() {
    let (_, html) = sample_report();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("<script>").count(), 1);
    assert!(html.contains("Content-Security-Policy"));
    for bad in [
        "src=",
        "<link",
        "@import",
        "url(",
        "@font-face",
        "//cdn",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "external reference {bad:?}");
    }
    // The article URL is the only link out, and it does not leak the referrer or the opener.
    assert_eq!(html.matches("href=\"http").count(), 1);
    assert!(html.contains(
        "<a href=\"https://example.com/a?x=1&amp;y=2\" rel=\"noopener noreferrer\" target=\"_blank\">"
    ));
    // Every other href is an in-page anchor.
    let toks = tokenize(&html);
    for t in &toks {
        if let Tok::Open { attrs, .. } = t {
            if let Some(href) = attr(attrs, "href") {
                assert!(
                    href.starts_with('#') || href == "https://example.com/a?x=1&y=2",
                    "{href}"
                );
            }
        }
    }
}

#[test]
fn non_web_urls_are_text_not_links() {
    let html = render(&[(plain_doc(), vec![])]);
    assert!(!html.contains("href=\"ftp"));
    assert!(html.contains("<dt>url</dt><dd><bdi>ftp://example.com/file</bdi></dd>"));
    let (doc, diags) = hostile_doc();
    let html = render(&[(doc, diags)]);
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains("javascript:alert(&quot;u&quot;)"));
}

#[test]
fn tags_are_balanced_with_overlapping_annotations() {
    let (_, html) = sample_report();
    for tag in ["mark", "span", "p", "li", "details", "bdi", "button"] {
        let opens =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closes = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            opens, closes,
            "<{tag}> opened {opens} times, closed {closes} times"
        );
    }
    let toks = tokenize(&html);
    assert_well_formed(&toks);
    // The overlaps really forced fragments.
    let claims_style = claimlens_schema::LAYERS
        .iter()
        .position(|l| l.name == "claims")
        .unwrap();
    assert!(html.contains(&format!("class=\"m l2 k{claims_style} d1 cont\"")));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let (doc, diags) = hostile_doc();
    let layer_name = doc.layers()[0].name.to_string();
    let label = doc.layers()[0].annotations[0].label.to_string();
    let html = render(&[(doc, diags)]);
    // Only the report's own script element.
    assert_eq!(html.matches("<script").count(), 1);
    for raw in [
        "</title><script>",
        "<b>bold",
        "<img",
        "<iframe",
        "<time>",
        "<rule>",
        "<stage>",
        "<file>",
        "alert(1)</script>",
        "\"><script>",
        "&amp; and",
    ] {
        assert!(!html.contains(raw), "unescaped {raw:?}");
    }
    assert!(html.contains(
        "<title>&lt;/title&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; · claimlens</title>"
    ));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;quotes&quot;"));
    assert!(html.contains("&amp;amp; and"));
    assert!(html.contains("&#39;single&#39;"));
    assert!(html.contains("O&#39;Brien &quot;Bob&quot;"));
    assert!(html.contains("bad &lt;iframe src=x&gt; &amp; more"));
    // Control characters are gone; CRLF became a newline.
    assert!(!html.contains('\u{1b}') && !html.contains('\0') && !html.contains('\u{85}'));
    assert!(!html.contains('\r'));
    assert!(html.contains("A line\u{fffd}[31m with\u{fffd} controls\u{fffd} and a\nCRLF"));
    // A language that is not a language tag is not used as `lang`.
    assert!(!html.contains("lang=\"&quot;"));

    // The strict parser accepts it (it panics on a bare `&`, `<` in attributes or `>` in
    // text), and attributes round-trip to the original values.
    let toks = tokenize(&html);
    assert_well_formed(&toks);
    let marks: Vec<_> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Open { name, attrs } if name == "mark" => Some(attrs),
            _ => None,
        })
        .collect();
    assert_eq!(marks.len(), 2);
    assert_eq!(attr(marks[0], "data-layer"), Some(layer_name.as_str()));
    assert_eq!(attr(marks[0], "data-label"), Some(label.as_str()));
    assert!(attr(marks[0], "title")
        .unwrap()
        .contains("a&b:<rule>', score 0.50"));
    let texts = fragment_texts(&toks);
    assert_eq!(texts["d1-a0-0"], "<script>alert(1)</script>");
    assert_eq!(texts["d1-a0-1"], "&amp;");
}

#[test]
fn mark_offsets_are_code_points() {
    let (docs, html) = sample_report();
    let doc = &docs[0].0;
    let text = doc.text();
    let toks = tokenize(&html);
    let blocks = blocks(&toks);
    let texts = fragment_texts(&toks);
    let mut multibyte = 0;
    for (k, layer) in doc.layers().iter().enumerate() {
        for (j, a) in layer.annotations.iter().enumerate() {
            let id = format!("d1-a{k}-{j}");
            let attrs = tag_with_id(&toks, &id);
            let (cs, ce) = chars(text, a.span);
            let num = |key| attr(attrs, key).unwrap().parse::<usize>().unwrap();
            assert_eq!((num("data-start"), num("data-end")), (cs, ce), "{id}");
            assert_eq!(attr(attrs, "data-layer"), Some(&*layer.name));
            assert_eq!(attr(attrs, "data-label"), Some(&*a.label));
            let title = attr(attrs, "title").unwrap();
            assert!(
                title.contains(&*a.label) && title.contains(&*a.reason.rule),
                "{title}"
            );
            // The text shown inside the mark is the annotated text (minus the paragraph break
            // for the annotation that spans two paragraphs).
            let expected = visible(text, (cs, ce), &blocks);
            assert_eq!(texts[&id], expected, "{id}");
            if cs != a.span.start as usize {
                multibyte += 1;
            }
        }
    }
    assert!(multibyte > 5);
    // One checked by hand: “Élodie Martín” starts after “We will not back down,” said
    // (the curly quotes are 3 bytes each and É is 2 bytes).
    let attrs = tag_with_id(&toks, "d1-a0-0");
    assert_eq!(attr(attrs, "data-start"), Some("30"));
    assert_eq!(attr(attrs, "data-end"), Some("43"));
    assert_eq!(find(text, "Élodie Martín").start, 34);
    // The Arabic quote.
    let (cs, ce) = chars(text, find(text, "«الخطة ستنجح»"));
    let attrs = tag_with_id(&toks, "d1-a1-4");
    assert_eq!(attr(attrs, "data-start").unwrap(), cs.to_string());
    assert_eq!(attr(attrs, "data-end").unwrap(), ce.to_string());
}

#[test]
fn sentences_carry_offsets_and_rule() {
    let (docs, html) = sample_report();
    let doc = &docs[0].0;
    let toks = tokenize(&html);
    let texts = fragment_texts(&toks);
    for (i, s) in doc.sentences.iter().enumerate() {
        let id = format!("d1-s{i}");
        let attrs = tag_with_id(&toks, &id);
        let (cs, ce) = chars(doc.text(), s.span);
        assert_eq!(attr(attrs, "data-start").unwrap(), cs.to_string());
        assert_eq!(attr(attrs, "data-end").unwrap(), ce.to_string());
        let title = attr(attrs, "title").unwrap();
        assert!(
            title.starts_with(&format!("sentence {}, rule {}", i + 1, s.end_rule.as_str())),
            "{title}"
        );
        assert_eq!(texts[&id], doc.slice(s.span));
    }
    // The rendered paragraphs are exactly the document's paragraphs, in order.
    let blocks = blocks(&toks);
    assert_eq!(blocks.len(), 3);
    for ((s, e, shown), p) in blocks.iter().zip(&doc.paragraphs) {
        assert_eq!((*s, *e), chars(doc.text(), p.span));
        assert_eq!(shown, doc.slice(p.span));
    }
}

#[test]
fn every_annotation_is_listed_once_in_the_panel() {
    let (docs, html) = sample_report();
    let doc = &docs[0].0;
    let mut total = 0;
    for (k, layer) in doc.layers().iter().enumerate() {
        assert_eq!(
            html.matches(&format!("data-hide=\"hide-l{k}\"")).count(),
            1,
            "one toggle per layer"
        );
        // The toggle shows the layer's title, never its internal name; without the primary
        // layer (quotes and speakers), the layers that do not blanket the text start shown.
        assert!(html.contains(&format!(
            "<input type=\"checkbox\" checked data-hide=\"hide-l{k}\"> <bdi>{}</bdi>",
            claimlens_schema::layer_title(&layer.name)
        )));
        for j in 0..layer.annotations.len() {
            total += 1;
            let id = format!("d1-a{k}-{j}");
            assert_eq!(html.matches(&format!("id=\"d1-i-a{k}-{j}\"")).count(), 1);
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1);
            // Its entry in the layer's section jumps to it (digest sections, such as the
            // ranked claims, add jumps of their own).
            assert_eq!(
                html.matches(&format!(
                    "id=\"d1-i-a{k}-{j}\"><button type=\"button\" class=\"jump\" data-target=\"{id}\""
                ))
                .count(),
                1
            );
        }
    }
    assert_eq!(total, 14);
    assert_eq!(
        html.matches("<li class=\"item\" id=\"d1-i-a").count(),
        total
    );
    assert_eq!(
        html.matches("<li class=\"item\" id=\"d1-i-s").count(),
        doc.sentences.len()
    );
    // Links point at their targets.
    assert!(html.contains("<span class=\"role\">entity</span> → <button type=\"button\" class=\"link\" data-target=\"d1-a0-0\">"));
    assert!(html.contains("<span class=\"role\">cue</span> → <button type=\"button\" class=\"link\" data-target=\"d1-a1-5\">"));
    // Reasons, scores and attributes.
    assert!(html.contains("<div class=\"why\">example:appositive · score 0.80</div>"));
    assert!(html.contains("<dt>lemma</dt><dd><bdi>say</bdi></dd>"));
    // Diagnostics with code-point offsets.
    let (cs, ce) = chars(doc.text(), find(doc.text(), "“Nobody asked us.”"));
    assert!(html.contains(&format!(
        "<span class=\"sev\">warning</span> <span class=\"stage\">attribution</span>: <bdi>quote without a resolvable source</bdi> <span class=\"off\">{cs}–{ce}</span>"
    )));
    assert!(html.contains("<span class=\"sev\">info</span>"));
}

#[test]
fn zero_length_and_cross_paragraph_annotations_are_kept() {
    let (docs, html) = sample_report();
    let doc = &docs[0].0;
    let claims = doc.layer("claims").unwrap();
    let toks = tokenize(&html);
    let (gap, _) = claims
        .annotations
        .iter()
        .enumerate()
        .find(|(_, a)| a.span.is_empty())
        .unwrap();
    let attrs = tag_with_id(&toks, &format!("d1-a2-{gap}"));
    assert!(attr(attrs, "class").unwrap().contains("empty"));
    // The paragraph-spanning claim has a fragment in each paragraph.
    let (cross, _) = claims
        .annotations
        .iter()
        .enumerate()
        .find(|(_, a)| doc.slice(a.span).contains("\n\n"))
        .unwrap();
    let data_a = format!("data-a=\"d1-a2-{cross}\"");
    assert_eq!(html.matches(&data_a).count(), 2);
}

#[test]
fn several_documents_get_a_navigation() {
    let doc = sample_doc();
    let diags = sample_diagnostics(&doc);
    let html = render(&[(doc, diags), (plain_doc(), vec![])]);
    assert!(html.contains("<nav class=\"docs\" aria-label=\"Documents\">"));
    assert!(html
        .contains("<a href=\"#doc-1\"><bdi>Mayor vows to press on with “reckless” plan</bdi></a>"));
    assert!(html.contains("<a href=\"#doc-2\"><bdi>Council delays vote</bdi></a>"));
    assert!(html.contains("<title>claimlens report · 2 documents</title>"));
    assert!(html.contains("<article class=\"doc hide-sent\" id=\"doc-2\""));
    // Ids are per document.
    assert!(html.contains("id=\"d1-a0-0\"") && html.contains("id=\"d2-a0-0\""));
    assert_well_formed(&tokenize(&html));
    // One document: no navigation.
    let single = render(&[(plain_doc(), vec![])]);
    assert!(!single.contains("<nav"));
    // No documents: still a valid page.
    let empty = render(&[]);
    assert_well_formed(&tokenize(&empty));
    assert!(empty.contains("No documents."));
}

#[test]
fn unsegmented_text_is_rendered_whole() {
    let html = render(&[(plain_doc(), vec![])]);
    let toks = tokenize(&html);
    assert_well_formed(&toks);
    let blocks = blocks(&toks);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].2, plain_doc().text());
    assert!(html.contains("<p class=\"para whole\" dir=\"auto\" data-start=\"0\" data-end=\"56\">"));
    assert_eq!(fragment_texts(&toks)["d1-a0-0"], "said");
    assert!(html.contains("No sentences (segmentation did not run)."));
}

#[test]
fn odd_segmentation_never_panics_and_loses_no_text() {
    // Paragraphs out of order and overlapping, a sentence inside a character, a sentence past
    // the end, non-white-space text between paragraphs, an annotation in a blank gap.
    let text = "é1 two\n\nthree × four\n\n   \n\nfive";
    let mut doc = Doc::new("odd", text);
    doc.paragraphs = vec![
        Paragraph {
            span: find(text, "five"),
        },
        Paragraph {
            span: find(text, "three × four"),
        },
        Paragraph {
            span: Span::new(0, 4),
        },
        Paragraph {
            span: Span::new(2, 6),
        },
    ];
    doc.sentences = vec![
        Sentence {
            span: Span::new(1, 5),
            paragraph: 0,
            end_rule: BoundaryRule::EndOfText,
        },
        Sentence {
            span: Span::new(20, 999),
            paragraph: 1,
            end_rule: BoundaryRule::EndOfText,
        },
    ];
    let mut layer = Layer::new("x", "t");
    let blank = find(text, "   ");
    layer.push(Annotation::new(blank, "BLANK", Reason::rule("t", "r")));
    layer.push(Annotation::new(
        Span::new(0, text.len()),
        "ALL",
        Reason::rule("t", "r"),
    ));
    layer.sort();
    doc.insert_layer(layer).unwrap();
    let html = render(&[(doc, vec![])]);
    let toks = tokenize(&html);
    assert_well_formed(&toks);
    let texts = fragment_texts(&toks);
    // The blank annotation forced its white-space gap to be shown; the non-blank gap "o\n\n"
    // left by the clipped paragraphs is shown too.
    assert_eq!(texts["d1-a0-1"], "   ");
    let shown: String = blocks(&toks).into_iter().map(|b| b.2).collect();
    for part in ["é1 two", "three × four", "five"] {
        assert!(shown.contains(part), "{part} missing from {shown:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Random paragraphs, sentences and overlapping annotations over a text with multi-byte
    /// characters and markup characters: the output always parses strictly, every annotation
    /// and sentence has exactly one id, and each shows exactly its text.
    #[test]
    fn random_overlaps_render_well_formed(
        alphabet in proptest::collection::vec(
            prop_oneof![
                Just('a'), Just(' '), Just('\n'), Just('é'), Just('“'), Just('😀'),
                Just('ع'), Just('<'), Just('&'), Just('"'), Just('\''), Just('>'),
            ],
            0..60,
        ),
        cuts in proptest::collection::vec((0usize..100, 0usize..100), 0..12),
        sents in proptest::collection::vec((0usize..100, 0usize..100), 0..6),
        paras in proptest::collection::vec(0usize..100, 0..4),
    ) {
        let text: String = alphabet.iter().collect();
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let at = |x: usize| bounds[x % bounds.len()];
        let span = |(a, b): (usize, usize)| {
            let (a, b) = (at(a), at(b));
            Span::new(a.min(b), a.max(b))
        };
        let mut doc = Doc::new("p", text.clone());
        let mut ps: Vec<usize> = paras.iter().map(|&p| at(p)).collect();
        ps.sort_unstable();
        ps.dedup();
        let mut last = 0;
        for p in ps.into_iter().chain([text.len()]) {
            if p > last {
                doc.paragraphs.push(Paragraph { span: Span::new(last, p) });
            }
            last = p;
        }
        for &s in &sents {
            doc.sentences.push(Sentence {
                span: span(s),
                paragraph: 0,
                end_rule: BoundaryRule::TerminalPunctuation,
            });
        }
        for (k, half) in [(0, 0), (1, 1)] {
            let mut layer = Layer::new(if k == 0 { "a<&" } else { "b\"" }, "t");
            for (i, &c) in cuts.iter().enumerate() {
                if i % 2 == half {
                    layer.push(Annotation::new(span(c), "L", Reason::rule("t", "r")));
                }
            }
            doc.insert_layer(layer).unwrap();
        }
        let html = render(&[(doc.clone(), vec![])]);
        let toks = tokenize(&html);
        assert_well_formed(&toks);
        let blocks = blocks(&toks);
        // All paragraph text is shown, once, in order.
        let shown: String = blocks.iter().map(|b| b.2.as_str()).collect();
        prop_assert_eq!(&shown, &visible(&text, (0, text.chars().count()), &blocks));
        // The paragraphs cover the whole text here, so all of it is shown.
        prop_assert_eq!(&shown, &text);
        let texts = fragment_texts(&toks);
        for (k, layer) in doc.layers().iter().enumerate() {
            for (j, a) in layer.annotations.iter().enumerate() {
                let id = format!("d1-a{k}-{j}");
                prop_assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1);
                prop_assert_eq!(html.matches(&format!("id=\"d1-i-a{k}-{j}\"")).count(), 1);
                let attrs = tag_with_id(&toks, &id);
                let (cs, ce) = chars(&text, a.span);
                prop_assert_eq!(attr(attrs, "data-start").unwrap(), cs.to_string());
                prop_assert_eq!(attr(attrs, "data-end").unwrap(), ce.to_string());
                prop_assert_eq!(&texts[&id], &visible(&text, (cs, ce), &blocks));
            }
        }
        for (i, s) in doc.sentences.iter().enumerate() {
            let id = format!("d1-s{i}");
            prop_assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1);
            let (cs, ce) = chars(&text, s.span);
            prop_assert_eq!(&texts[&id], &visible(&text, (cs, ce), &blocks));
        }
    }
}

/// Relayed claims with an outlet whose name holds markup: the chain section escapes it, and
/// every step link (the outlet's to its `outlets` annotation) points at a highlight whose
/// characters are the link's text and offsets.
#[test]
fn source_chain_steps_link_to_highlights_of_their_text() {
    const TEXT: &str = "Radio «Ébène» reported: Mayor Zoë Vidal said fares rise 🚢. \
                        Zoë Vidal told the <b>Daily</b> Star, that ports close.";
    let mut doc = Doc::new("chains", TEXT);
    segment(
        &mut doc,
        &[
            (
                "Radio «Ébène» reported: Mayor Zoë Vidal said fares rise 🚢.",
                BoundaryRule::TerminalPunctuation,
            ),
            (
                "Zoë Vidal told the <b>Daily</b> Star, that ports close.",
                BoundaryRule::EndOfText,
            ),
        ],
    );
    let at = |needle: &str, nth: usize| {
        let (s, _) = TEXT.match_indices(needle).nth(nth).expect("in the text");
        Span::new(s, s + needle.len())
    };
    let rule = |r: &'static str| Reason::rule("test", r);
    let mut parts = Layer::new("attribution-parts", "test");
    for (label, needle, nth) in [
        ("SOURCE", "Radio «Ébène»", 0),
        ("CUE", "reported:", 0),
        ("SOURCE", "Mayor Zoë Vidal", 0),
        ("CUE", "said", 0),
        ("CONTENT", "fares rise 🚢", 0),
        ("SOURCE", "Zoë Vidal", 1),
        ("CUE", "told", 0),
        ("CONTENT", "that ports close", 0),
    ] {
        parts.push(Annotation::new(at(needle, nth), label, rule("tagger")));
    }
    doc.insert_layer(parts).unwrap();
    let mut rels = Layer::new("attributions", "test");
    for (cue, source, content) in [(1, 0, None), (3, 2, Some(4)), (6, 5, Some(7))] {
        let span = doc.layer("attribution-parts").unwrap().annotations[cue as usize].span;
        let mut a = Annotation::new(span, "ATTRIBUTION", rule("cue+arguments"))
            .with_link(link("cue", "attribution-parts", cue))
            .with_link(link("source", "attribution-parts", source));
        if let Some(c) = content {
            a = a.with_link(link("content", "attribution-parts", c));
        }
        rels.push(a);
    }
    doc.insert_layer(rels).unwrap();
    let mut outlets = Layer::new("outlets", "test");
    outlets.push(
        Annotation::new(
            at("the <b>Daily</b> Star", 0),
            "OUTLET",
            rule("told:words-after-cue"),
        )
        .with_attr("role", "addressee"),
    );
    doc.insert_layer(outlets).unwrap();
    // The chains as the sourcing stage stores them, step by step.
    use claimlens_schema::{layer, ChainStep, StepRole};
    let mut chains = Layer::new(layer::SOURCE_CHAINS, "test");
    let steps = [
        (
            0,
            StepRole::Relay,
            "Radio «Ébène»",
            1,
            Some(0),
            (layer::ATTRIBUTION_PARTS, 0),
            "named",
        ),
        (
            0,
            StepRole::Speaker,
            "Mayor Zoë Vidal",
            1,
            Some(1),
            (layer::ATTRIBUTION_PARTS, 2),
            "relay",
        ),
        (
            0,
            StepRole::Content,
            "",
            1,
            None,
            (layer::ATTRIBUTION_PARTS, 4),
            "cue+arguments",
        ),
        (
            1,
            StepRole::Outlet,
            "the <b>Daily</b> Star",
            2,
            None,
            (layer::OUTLETS, 0),
            "told:words-after-cue",
        ),
        (
            1,
            StepRole::Speaker,
            "Zoë Vidal",
            2,
            Some(2),
            (layer::ATTRIBUTION_PARTS, 5),
            "told-outlet",
        ),
        (
            1,
            StepRole::Content,
            "",
            2,
            None,
            (layer::ATTRIBUTION_PARTS, 7),
            "cue+arguments",
        ),
    ];
    for (k, &(chain, role, name, claim, cue, (l, i), why)) in steps.iter().enumerate() {
        let step = ChainStep {
            chain,
            step: if chain == 0 { k as u32 } else { k as u32 - 3 },
            role,
            name: name.to_owned(),
            kind: "".into(),
            claim,
            cue,
            evidence: vec![(l.into(), i)],
            sourcing: None,
        };
        let span = doc.layer(l).unwrap().annotations[i as usize].span;
        chains.push(step.annotation(span, rule(why)));
    }
    doc.insert_layer(chains).unwrap();
    let outlets_layer = doc.layers().iter().position(|l| l.name == "outlets");

    let html = render(&[(doc, vec![])]);
    assert!(html.contains("Source chains <span class=\"n\">(2 relayed · 0 single voice)</span>"));
    assert!(!html.contains("<b>Daily"), "the outlet's markup is escaped");
    let toks = tokenize(&html);
    assert_well_formed(&toks);
    let texts = fragment_texts(&toks);
    let blocks = blocks(&toks);
    // Every step link: (target, start, end, shown text).
    let mut links: Vec<(String, usize, usize, String)> = Vec::new();
    let mut inside = false;
    for t in &toks {
        match t {
            Tok::Open { name, attrs }
                if name == "button"
                    && attr(attrs, "class").is_some_and(|c| c.contains("step-link")) =>
            {
                let n = |k| attr(attrs, k).unwrap().parse::<usize>().unwrap();
                let target = attr(attrs, "data-target").unwrap().to_owned();
                links.push((target, n("data-start"), n("data-end"), String::new()));
                inside = true;
            }
            Tok::Close(name) if name == "button" => inside = false,
            Tok::Text(s) if inside => links.last_mut().unwrap().3.push_str(s),
            _ => {}
        }
    }
    // Relay, its cue, speaker, cue, content; outlet, speaker, cue, content.
    assert_eq!(links.len(), 9, "{links:?}");
    for (target, start, end, shown) in &links {
        let want = visible(TEXT, (*start, *end), &blocks);
        assert_eq!(shown, &want, "{target}");
        assert_eq!(texts.get(target), Some(&want), "highlight {target}");
        let tag = tag_with_id(&toks, target);
        assert_eq!(attr(tag, "data-start"), Some(start.to_string().as_str()));
        assert_eq!(attr(tag, "data-end"), Some(end.to_string().as_str()));
    }
    // The outlet step links to the outlet's own annotation.
    let outlet = format!("d1-a{}-0", outlets_layer.unwrap());
    assert!(
        links
            .iter()
            .any(|(target, _, _, shown)| *target == outlet && shown == "the <b>Daily</b> Star"),
        "{links:?}"
    );
    assert!(!texts.contains_key("d1-x0"), "no extra highlight is needed");
}

#[test]
fn ranked_claims_open_the_panel_and_jump_to_their_claims() {
    let (docs, html) = sample_report();
    let doc = &docs[0].0;
    let k = doc
        .layers()
        .iter()
        .position(|l| l.name == "claims")
        .unwrap();
    let layer = &doc.layers()[k];
    let start = html
        .find("<summary>Claims (ranked) <span class=\"n\">(2)</span></summary>")
        .expect("a ranked-claims section counting the two CLAIMs");
    let end = start + html[start..].find("</details>").unwrap();
    assert!(
        end < html.find("<summary>Sentences").unwrap(),
        "the claims come before the sentence list"
    );
    let section = &html[start..end];
    for (j, a) in layer.annotations.iter().enumerate() {
        let jump = format!("class=\"jump\" data-target=\"d1-a{k}-{j}\"");
        // The sample's layer sets no rank: its claims are listed, unranked, and the GAP is
        // not a claim.
        assert_eq!(section.contains(&jump), a.label == "CLAIM", "{jump}");
    }
    assert!(section.contains("<span class=\"rank\">#–</span>"));
}
