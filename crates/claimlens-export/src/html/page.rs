//! The document skeleton: the page head (title, security policy, stylesheet, document list),
//! the tail (footer and script), and each document's frame around its text and panel.

use std::io::{self, Write};

use claimlens_core::{CharIndex, Doc};

use super::blocks::{blocks, elements, unannotated_spans};
use super::links::Links;
use super::panel::write_panel;
use super::style::{shown_by_default, technique_families, write_family_rules, write_layer_rules};
use super::sweep::Sweep;
use super::Esc;
use crate::model::stats;
use crate::view::DocView;
use crate::Digests;

/// The report's stylesheet; per-layer hide rules are appended after it.
const CSS: &str = include_str!("report.css");
/// The report's script: highlight toggles, jumps between panel and text, print handling.
const JS: &str = include_str!("report.js");

fn title_of(doc: &Doc, n: usize) -> String {
    match doc.meta.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ if !doc.id.trim().is_empty() => doc.id.clone(),
        _ => format!("document {n}"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// True for URLs that may become a link: only `http:` and `https:`.
fn is_web_url(url: &str) -> bool {
    let u = url.trim_start();
    let lower = |n: usize| u.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

// ---------------------------------------------------------------------------------------------
// Page head and tail
// ---------------------------------------------------------------------------------------------

pub(super) fn write_head<W: Write>(
    w: &mut W,
    docs: &[DocView<'_>],
    banner: Option<&str>,
) -> io::Result<()> {
    let page_title = match docs {
        [view] => format!("{} · claimlens", title_of(view.doc, 1)),
        _ => format!(
            "claimlens report · {}",
            plural(docs.len(), "document", "documents")
        ),
    };
    w.write_all(
        b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
          <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
          <meta name=\"color-scheme\" content=\"light dark\">\n\
          <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
          style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; \
          base-uri 'none'; form-action 'none'\">\n\
          <meta name=\"generator\" content=\"claimlens ",
    )?;
    write!(
        w,
        "{}\">\n<title>{}</title>\n<style>\n",
        env!("CARGO_PKG_VERSION"),
        Esc(&page_title)
    )?;
    w.write_all(CSS.as_bytes())?;
    write_layer_rules(w)?;
    let families = docs
        .iter()
        .map(|v| technique_families(v.doc).len())
        .max()
        .unwrap_or(0);
    write_family_rules(w, families)?;
    // Per-layer hide rules; the script toggles `hide-l{k}` on the document element.
    let layers = docs.iter().map(|v| v.doc.layers().len()).max().unwrap_or(0);
    for k in 0..layers {
        writeln!(
            w,
            ".hide-l{k} mark.l{k}{{background:transparent;border-color:transparent;padding:0;font-weight:inherit;cursor:auto}}"
        )?;
    }
    w.write_all(b"</style>\n</head>\n<body>\n")?;
    if let Some(banner) = banner {
        w.write_all(banner.as_bytes())?;
    }
    w.write_all(b"<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header class=\"top\" role=\"banner\">\n<h1>claimlens report</h1>\n")?;
    let total: usize = docs
        .iter()
        .map(|v| {
            v.doc
                .layers()
                .iter()
                .map(|l| l.annotations.len())
                .sum::<usize>()
        })
        .sum();
    writeln!(
        w,
        "<p class=\"sub\">{} · {} · offsets are Unicode code points</p>",
        plural(docs.len(), "document", "documents"),
        plural(total, "annotation", "annotations")
    )?;
    if docs.len() > 1 {
        write_doc_list(w, docs)?;
    }
    w.write_all(b"</header>\n<main id=\"main\">\n")?;
    if docs.is_empty() {
        w.write_all(b"<p class=\"empty-report\">No documents.</p>\n")?;
    }
    Ok(())
}

/// The table of contents of a report with several documents.
fn write_doc_list<W: Write>(w: &mut W, docs: &[DocView<'_>]) -> io::Result<()> {
    w.write_all(b"<nav class=\"docs\" aria-label=\"Documents\">\n<ol>\n")?;
    for (i, view) in docs.iter().enumerate() {
        let (doc, diags) = (view.doc, view.diagnostics);
        let n = i + 1;
        let anns: usize = doc.layers().iter().map(|l| l.annotations.len()).sum();
        write!(
            w,
            "<li><a href=\"#doc-{n}\"><bdi>{}</bdi></a> <span class=\"muted\">",
            Esc(&title_of(doc, n))
        )?;
        if let Some(o) = doc.meta.outlet.as_deref() {
            write!(w, "<bdi>{}</bdi> · ", Esc(o))?;
        }
        write!(
            w,
            "{} · {}",
            plural(doc.sentences.len(), "sentence", "sentences"),
            plural(anns, "annotation", "annotations")
        )?;
        if !diags.is_empty() {
            write!(w, " · {}", plural(diags.len(), "diagnostic", "diagnostics"))?;
        }
        w.write_all(b"</span></li>\n")?;
    }
    w.write_all(b"</ol>\n</nav>\n")
}

pub(super) fn write_tail<W: Write>(w: &mut W) -> io::Result<()> {
    w.write_all(b"</main>\n<footer class=\"foot\"><p>Generated by claimlens. Click an entry in a panel to jump to its highlight; click a highlight to find its entry.</p></footer>\n<script>\n")?;
    w.write_all(JS.as_bytes())?;
    w.write_all(b"</script>\n</body>\n</html>\n")
}

// ---------------------------------------------------------------------------------------------
// One document
// ---------------------------------------------------------------------------------------------

pub(super) fn write_doc<W: Write>(w: &mut W, n: usize, view: &DocView<'_>) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);

    // Only the primary highlights (quotes and their speakers) are shown when the page opens,
    // and no sentence shading: the legend's checkboxes turn the others on.
    let hidden: String = std::iter::once(" hide-sent".to_owned())
        .chain(
            shown_by_default(doc)
                .iter()
                .enumerate()
                .filter(|(_, shown)| !**shown)
                .map(|(k, _)| format!(" hide-l{k}")),
        )
        .collect();
    writeln!(
        w,
        "<article class=\"doc{hidden}\" id=\"doc-{n}\" aria-labelledby=\"doc-{n}-h\">\n<header class=\"doc-head\">"
    )?;
    writeln!(
        w,
        "<h2 id=\"doc-{n}-h\"><bdi>{}</bdi></h2>",
        Esc(&title_of(doc, n))
    )?;
    write_metadata(w, doc)?;
    write_stats(w, doc, idx)?;
    if let Some(p) = crate::digest::document_profile(doc) {
        writeln!(
            w,
            "<p class=\"profile\"><span class=\"muted\">document</span> <bdi>{}</bdi></p>",
            Esc(&p.line())
        )?;
    }
    w.write_all(b"</header>\n<div class=\"doc-body\">\n")?;

    let digests = Digests::of(view.doc);
    let extras = unannotated_spans(&digests.source_chains);
    let links = Links::of_doc(doc, &digests.source_chains);
    write_text_section(w, n, doc, idx, &extras, &links)?;
    write_panel(w, n, view, &digests, &extras)?;
    w.write_all(b"</div>\n</article>\n")
}

/// The document's metadata as a definition list (a web URL becomes a link).
fn write_metadata<W: Write>(w: &mut W, doc: &Doc) -> io::Result<()> {
    let m = &doc.meta;
    w.write_all(b"<dl class=\"meta\">")?;
    let field = |w: &mut W, k: &str, v: &str| -> io::Result<()> {
        write!(w, "<div><dt>{k}</dt><dd><bdi>{}</bdi></dd></div>", Esc(v))
    };
    field(w, "id", &doc.id)?;
    for (k, v) in [
        ("outlet", &m.outlet),
        ("author", &m.author),
        ("published", &m.published),
        ("language", &m.language),
        ("fetched from", &m.fetched_url),
        ("fetched at", &m.fetched_at),
    ] {
        if let Some(v) = v {
            field(w, k, v)?;
        }
    }
    if let Some(url) = m.url.as_deref() {
        if is_web_url(url) {
            write!(
                w,
                "<div><dt>url</dt><dd><a href=\"{0}\" rel=\"noopener noreferrer\" target=\"_blank\">{0}</a></dd></div>",
                Esc(url.trim())
            )?;
        } else {
            field(w, "url", url)?;
        }
    }
    let mut source = doc.origin.source.clone();
    if let Some(r) = doc.origin.record {
        source.push_str(&format!(" #{r}"));
    }
    if !source.is_empty() {
        field(w, "source", &source)?;
    }
    if !doc.origin.format.is_empty() {
        field(w, "format", doc.origin.format)?;
    }
    if !doc.origin.encoding.is_empty() {
        field(w, "encoding", doc.origin.encoding)?;
    }
    w.write_all(b"</dl>\n")
}

fn write_stats<W: Write>(w: &mut W, doc: &Doc, idx: &CharIndex<'_>) -> io::Result<()> {
    let st = stats(doc, idx);
    w.write_all(b"<ul class=\"stats\" aria-label=\"Statistics\">")?;
    for (v, one, many) in [
        (st.paragraphs, "paragraph", "paragraphs"),
        (st.sentences, "sentence", "sentences"),
        (st.tokens, "token", "tokens"),
        (st.words, "word", "words"),
        (st.chars as usize, "character", "characters"),
    ] {
        write!(w, "<li><b>{v}</b> {}</li>", if v == 1 { one } else { many })?;
    }
    w.write_all(b"</ul>\n")
}

/// The article text with its sentences and highlights, in the document's language when the
/// metadata names a plausible language tag.
fn write_text_section<W: Write>(
    w: &mut W,
    n: usize,
    doc: &Doc,
    idx: &CharIndex<'_>,
    extras: &[claimlens_core::Span],
    links: &Links,
) -> io::Result<()> {
    let lang = doc
        .meta
        .language
        .as_deref()
        .filter(|l| !l.is_empty() && l.len() <= 35)
        .filter(|l| l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    write!(
        w,
        "<section class=\"text\" aria-label=\"Article text, document {n}\""
    )?;
    if let Some(l) = lang {
        write!(w, " lang=\"{}\"", Esc(l))?;
    }
    w.write_all(b">\n")?;
    let els = elements(doc, idx, extras);
    let blocks = blocks(doc, &els);
    Sweep::new(w, n, doc, idx, &els, links).run(&blocks)?;
    w.write_all(b"</section>\n")
}
