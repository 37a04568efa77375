//! Self-contained HTML report: one HTML5 file with inline CSS and a small inline script, no
//! external resources (a Content-Security-Policy forbids loading any).
//!
//! # Layout
//!
//! * A page header, and a document list when there are several documents.
//! * Per document an `<article class="doc">` with a metadata header, the article text on the
//!   left and an annotation panel on the right (stacked on narrow screens and in print).
//! * The text is rendered paragraph by paragraph. Sentences are
//!   `<span class="sent" data-start data-end title="sentence N, rule ...">` and every annotation
//!   of every named layer is a `<mark class="m l{layer} c{colour}" data-layer data-label
//!   data-start data-end data-a title>`. Offsets in `data-start` / `data-end` are code points,
//!   as in the export model. An outlet name that a source chain points at and no annotation
//!   covers gets a `<mark class="m x" data-a="d{n}-x{i}">` of its own ([`chains`]).
//!
//! # Overlaps
//!
//! Sentences and annotations may overlap and nest arbitrarily, so the text is rendered by a
//! boundary sweep: every start and end is a boundary; at each boundary the elements that end
//! are closed (together with the ones opened inside them, which are then reopened as
//! continuation fragments carrying the class `cont`), and the elements that start are opened.
//! The result is always well-formed. Each element's first fragment carries its `id`
//! (`d{doc}-s{sentence}` or `d{doc}-a{layer}-{annotation}`); every fragment carries the same
//! `data-a`, which is what the panel and the script use to find and flash it. Zero-length
//! annotations are rendered as empty marks with a visible caret. Paragraph boundaries close and
//! reopen everything, so an annotation spanning two paragraphs appears in both.
//!
//! # Escaping
//!
//! All text that comes from the input (article text, metadata, labels, reasons, attribute
//! values, diagnostics) goes through [`Esc`], which escapes `& < > " '` (so it is safe in text
//! and in quoted attributes) and replaces control characters other than newline and tab.
//! Element ids and class names are built only from indices, never from input text.

use std::fmt;
use std::io::{self, BufWriter, Write};

use claimlens_core::{AttrValue, CharIndex, Diagnostic, Doc, Severity, Span};

mod chains;

use crate::model::stats;
use crate::SourceChain;
use chains::write_chains;

/// Number of distinct layer colours; layers beyond it reuse them.
const PALETTE: usize = 8;

/// Writes a self-contained HTML page for the documents.
pub fn write_html<W: Write>(out: &mut W, docs: &[(Doc, Vec<Diagnostic>)]) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(64 * 1024, out);
    write_head(&mut w, docs)?;
    for (i, (doc, diags)) in docs.iter().enumerate() {
        write_doc(&mut w, i + 1, doc, diags)?;
    }
    write_tail(&mut w)?;
    w.flush()
}

/// HTML-escapes text for use in element content and in quoted attribute values; replaces
/// control characters other than `\n` and `\t` (a `\r\n` pair becomes `\n`, a lone `\r` a
/// `\n`, anything else U+FFFD).
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let b = s.as_bytes();
        let mut last = 0;
        let mut i = 0;
        while i < b.len() {
            let (rep, width) = match b[i] {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&#39;", 1),
                b'\n' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'\r' if b.get(i + 1) == Some(&b'\n') => ("", 1),
                b'\r' => ("\n", 1),
                0..=0x1f | 0x7f => ("\u{fffd}", 1),
                // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
                0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => ("\u{fffd}", 2),
                _ => {
                    i += 1;
                    continue;
                }
            };
            f.write_str(&s[last..i])?;
            f.write_str(rep)?;
            i += width;
            last = i;
        }
        f.write_str(&s[last..])
    }
}

/// True for URLs that may become a link: only `http:` and `https:`.
/// True for layers whose annotations cover more than half of the text.
fn starts_hidden(layer: &claimlens_core::Layer, text_len: usize) -> bool {
    let covered: usize = layer.annotations.iter().map(|a| a.span.len()).sum();
    text_len > 0 && covered * 2 > text_len
}

fn is_web_url(url: &str) -> bool {
    let u = url.trim_start();
    let lower = |n: usize| u.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// Clamps a span that did not go through layer validation (paragraphs and sentences are plain
/// public fields) to the text and to character boundaries, so that rendering never panics.
fn fix_span(span: Span, text: &str) -> (u32, u32) {
    let len = text.len();
    let mut s = (span.start as usize).min(len);
    let mut e = (span.end as usize).clamp(s, len);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s as u32, e as u32)
}

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

// ---------------------------------------------------------------------------------------------
// Page head and tail
// ---------------------------------------------------------------------------------------------

fn write_head<W: Write>(w: &mut W, docs: &[(Doc, Vec<Diagnostic>)]) -> io::Result<()> {
    let page_title = match docs {
        [(doc, _)] => format!("{} · claimlens", title_of(doc, 1)),
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
    // Per-layer hide rules; the script toggles `hide-l{k}` on the document element.
    let layers = docs
        .iter()
        .map(|(d, _)| d.layers().len())
        .max()
        .unwrap_or(0);
    for k in 0..layers {
        writeln!(
            w,
            ".hide-l{k} mark.l{k}{{background:transparent;border-color:transparent;cursor:auto}}"
        )?;
    }
    w.write_all(b"</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header class=\"top\" role=\"banner\">\n<h1>claimlens report</h1>\n")?;
    let total: usize = docs
        .iter()
        .map(|(d, _)| {
            d.layers()
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
        w.write_all(b"<nav class=\"docs\" aria-label=\"Documents\">\n<ol>\n")?;
        for (i, (doc, diags)) in docs.iter().enumerate() {
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
        w.write_all(b"</ol>\n</nav>\n")?;
    }
    w.write_all(b"</header>\n<main id=\"main\">\n")?;
    if docs.is_empty() {
        w.write_all(b"<p class=\"empty-report\">No documents.</p>\n")?;
    }
    Ok(())
}

fn write_tail<W: Write>(w: &mut W) -> io::Result<()> {
    w.write_all(b"</main>\n<footer class=\"foot\"><p>Generated by claimlens. Click an entry in a panel to jump to its highlight; click a highlight to find its entry.</p></footer>\n<script>\n")?;
    w.write_all(JS.as_bytes())?;
    w.write_all(b"</script>\n</body>\n</html>\n")
}

// ---------------------------------------------------------------------------------------------
// One document
// ---------------------------------------------------------------------------------------------

fn write_doc<W: Write>(w: &mut W, n: usize, doc: &Doc, diags: &[Diagnostic]) -> io::Result<()> {
    let text = doc.text();
    let idx = CharIndex::new(text);
    let st = stats(doc, &idx);
    let m = &doc.meta;

    // Layers that blanket most of the text (per-sentence labels, summaries) start hidden so
    // the span-level highlights stay readable; their checkbox turns them on.
    let hidden: String = doc
        .layers()
        .iter()
        .enumerate()
        .filter(|(_, l)| starts_hidden(l, text.len()))
        .map(|(k, _)| format!(" hide-l{k}"))
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
    w.write_all(b"</dl>\n<ul class=\"stats\" aria-label=\"Statistics\">")?;
    for (v, one, many) in [
        (st.paragraphs, "paragraph", "paragraphs"),
        (st.sentences, "sentence", "sentences"),
        (st.tokens, "token", "tokens"),
        (st.words, "word", "words"),
        (st.chars as usize, "character", "characters"),
    ] {
        write!(w, "<li><b>{v}</b> {}</li>", if v == 1 { one } else { many })?;
    }
    w.write_all(b"</ul>\n</header>\n<div class=\"doc-body\">\n")?;

    // The text.
    let lang = m
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
    let chains = crate::source_chains(doc);
    let extras = unannotated_spans(&chains);
    let els = elements(doc, &idx, &extras);
    let blocks = blocks(doc, &els);
    Sweep {
        w: &mut *w,
        n,
        doc,
        idx: &idx,
        els: &els,
        stack: Vec::new(),
        opened: vec![false; els.len()],
    }
    .run(&blocks)?;
    w.write_all(b"</section>\n")?;

    write_panel(w, n, doc, diags, &idx, &chains, &extras)?;
    w.write_all(b"</div>\n</article>\n")
}

// ---------------------------------------------------------------------------------------------
// The text: blocks, elements and the boundary sweep
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A sentence, by index.
    Sent(usize),
    /// An annotation: (layer index, annotation index).
    Mark(usize, usize),
    /// A span a source chain points at that no annotation covers exactly (an outlet's name),
    /// by index in the document's list of such spans.
    Extra(usize),
}

/// A sentence or an annotation to render: byte span (fixed to the text) and code-point span.
#[derive(Debug, Clone, Copy)]
struct El {
    s: u32,
    e: u32,
    cs: u32,
    ce: u32,
    kind: Kind,
}

impl El {
    fn is_sent(&self) -> bool {
        matches!(self.kind, Kind::Sent(_))
    }
}

/// The spans of chain steps that no annotation covers exactly, each once, in chain order.
fn unannotated_spans(chains: &[SourceChain]) -> Vec<Span> {
    let mut seen = std::collections::HashSet::new();
    chains
        .iter()
        .flat_map(|c| &c.steps)
        .flat_map(|s| &s.spans)
        .filter(|r| r.target.is_none() && seen.insert(r.span))
        .map(|r| r.span)
        .collect()
}

fn elements(doc: &Doc, idx: &CharIndex<'_>, extras: &[Span]) -> Vec<El> {
    let text = doc.text();
    let mut els = Vec::with_capacity(
        doc.sentences.len()
            + doc
                .layers()
                .iter()
                .map(|l| l.annotations.len())
                .sum::<usize>(),
    );
    let mut push = |span: Span, kind: Kind| {
        let (s, e) = fix_span(span, text);
        els.push(El {
            s,
            e,
            cs: idx.char_offset(s),
            ce: idx.char_offset(e),
            kind,
        });
    };
    for (i, s) in doc.sentences.iter().enumerate() {
        push(s.span, Kind::Sent(i));
    }
    for (k, layer) in doc.layers().iter().enumerate() {
        for (j, a) in layer.annotations.iter().enumerate() {
            push(a.span, Kind::Mark(k, j));
        }
    }
    for (i, &span) in extras.iter().enumerate() {
        push(span, Kind::Extra(i));
    }
    els
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// A paragraph, by index.
    Para(usize),
    /// Text between paragraphs; rendered only when it is not white space or when an element
    /// could not be shown in any paragraph.
    Gap,
    /// The whole text, when there are no paragraphs.
    Whole,
}

#[derive(Debug, Clone, Copy)]
struct Block {
    s: u32,
    e: u32,
    kind: BlockKind,
}

/// The rendered blocks in text order: paragraphs, and the gaps between them that must be shown.
fn blocks(doc: &Doc, els: &[El]) -> Vec<Block> {
    let text = doc.text();
    let len = text.len() as u32;
    let mut paras: Vec<(u32, u32, usize)> = doc
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (s, e) = fix_span(p.span, text);
            (s, e, i)
        })
        .collect();
    paras.sort_by_key(|&(s, e, i)| (s, std::cmp::Reverse(e), i));
    // Partition [0, len) into paragraphs and gaps (overlapping paragraphs are clipped).
    let mut all = Vec::with_capacity(paras.len() * 2 + 1);
    let mut cursor = 0;
    for (s, e, i) in paras {
        let s = s.max(cursor);
        if e <= s {
            continue;
        }
        if s > cursor {
            all.push(Block {
                s: cursor,
                e: s,
                kind: BlockKind::Gap,
            });
        }
        all.push(Block {
            s,
            e,
            kind: BlockKind::Para(i),
        });
        cursor = e;
    }
    if all.is_empty() {
        return vec![Block {
            s: 0,
            e: len,
            kind: BlockKind::Whole,
        }];
    }
    if cursor < len {
        all.push(Block {
            s: cursor,
            e: len,
            kind: BlockKind::Gap,
        });
    }
    let mut show: Vec<bool> = all
        .iter()
        .map(|b| match b.kind {
            BlockKind::Gap => !text[b.s as usize..b.e as usize].trim().is_empty(),
            _ => true,
        })
        .collect();
    // An element that no paragraph can show makes its gap visible.
    for el in els {
        let touches = |b: &Block| {
            if el.s == el.e {
                b.s <= el.s && el.s <= b.e
            } else {
                b.s < el.e && el.s < b.e
            }
        };
        let first = all.partition_point(|b| b.e < el.s);
        let last = first + all[first..].partition_point(|b| b.s <= el.e);
        let near = first..last;
        if !all[near.clone()]
            .iter()
            .any(|b| b.kind != BlockKind::Gap && touches(b))
        {
            for i in near {
                if all[i].kind == BlockKind::Gap && touches(&all[i]) {
                    show[i] = true;
                }
            }
        }
    }
    all.into_iter()
        .zip(show)
        .filter_map(|(b, show)| show.then_some(b))
        .collect()
}

struct Sweep<'a, W: Write> {
    w: &'a mut W,
    /// Document number (1-based), used in ids.
    n: usize,
    doc: &'a Doc,
    idx: &'a CharIndex<'a>,
    els: &'a [El],
    /// Currently open elements, innermost last.
    stack: Vec<usize>,
    /// Whether the element's first fragment (the one with the id) was written.
    opened: Vec<bool>,
}

impl<W: Write> Sweep<'_, W> {
    fn run(mut self, blocks: &[Block]) -> io::Result<()> {
        let els = self.els;
        let text = self.doc.text();
        let mut by_start: Vec<usize> = (0..els.len()).collect();
        by_start.sort_by_key(|&x| (els[x].s, x));
        let mut positions: Vec<u32> = els
            .iter()
            .flat_map(|e| [e.s, e.e])
            .chain(blocks.iter().flat_map(|b| [b.s, b.e]))
            .collect();
        positions.sort_unstable();
        positions.dedup();

        // Elements with s <= p < e (non-empty), whether or not they are rendered right now.
        let mut active: Vec<usize> = Vec::new();
        // Elements to (re)open at the current position.
        let mut pending: Vec<usize> = Vec::new();
        let mut si = 0; // next element in `by_start`
        let mut bi = 0; // next block
        let mut cur: Option<Block> = None;
        for (pi, &p) in positions.iter().enumerate() {
            // 1. Close the elements that end here, and everything opened inside them.
            if let Some(lowest) = self.stack.iter().position(|&x| els[x].e == p) {
                while self.stack.len() > lowest {
                    let x = self.pop()?;
                    if els[x].e != p {
                        pending.push(x);
                    }
                }
            }
            active.retain(|&x| els[x].e != p);
            let sj = si + by_start[si..].partition_point(|&x| els[x].s == p);
            let starting = &by_start[si..sj];
            si = sj;
            // 2. Zero-length elements at the end of a block belong to that block.
            // 3. Block end: close everything (it stays active and is reopened in the next one).
            if cur.is_some_and(|b| b.e == p) {
                self.empties(starting)?;
                self.close_block()?;
                pending.clear();
                cur = None;
            }
            // 4. Block start: reopen whatever is active.
            if cur.is_none() && blocks.get(bi).is_some_and(|b| b.s == p) {
                let b = blocks[bi];
                bi += 1;
                self.open_block(b)?;
                cur = Some(b);
                pending.clear();
                pending.extend_from_slice(&active);
            }
            // 5. Elements starting here.
            for &x in starting {
                if els[x].e > p {
                    active.push(x);
                    if cur.is_some() {
                        pending.push(x);
                    }
                }
            }
            if cur.is_some() {
                self.open_pending(&mut pending)?;
                self.empties(starting)?;
            } else {
                pending.clear();
            }
            // A zero-length block ends where it starts.
            if cur.is_some_and(|b| b.s == b.e) {
                self.close_block()?;
                cur = None;
            }
            // 6. The text up to the next boundary.
            if let (Some(b), Some(&q)) = (cur, positions.get(pi + 1)) {
                let q = q.min(b.e);
                if q > p {
                    write!(self.w, "{}", Esc(&text[p as usize..q as usize]))?;
                }
            }
        }
        if cur.is_some() {
            self.close_block()?;
        }
        Ok(())
    }

    fn close_block(&mut self) -> io::Result<()> {
        while !self.stack.is_empty() {
            self.pop()?;
        }
        self.w.write_all(b"</p>\n")
    }

    fn open_block(&mut self, b: Block) -> io::Result<()> {
        let (cs, ce) = (self.idx.char_offset(b.s), self.idx.char_offset(b.e));
        match b.kind {
            BlockKind::Para(i) => write!(
                self.w,
                "<p class=\"para\" dir=\"auto\" data-par=\"{}\" data-start=\"{cs}\" data-end=\"{ce}\">",
                i + 1
            ),
            BlockKind::Gap => write!(
                self.w,
                "<p class=\"para gap\" dir=\"auto\" data-start=\"{cs}\" data-end=\"{ce}\">"
            ),
            BlockKind::Whole => write!(
                self.w,
                "<p class=\"para whole\" dir=\"auto\" data-start=\"{cs}\" data-end=\"{ce}\">"
            ),
        }
    }

    /// Opens the pending elements: sentences below annotations, longer ones outside shorter
    /// ones.
    fn open_pending(&mut self, pending: &mut Vec<usize>) -> io::Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let els = self.els;
        // Keep sentences below every mark so that a sentence's background never hides a
        // highlight: reopen marks above a sentence that starts now.
        if pending.iter().any(|&x| els[x].is_sent()) {
            if let Some(lowest) = self.stack.iter().position(|&x| !els[x].is_sent()) {
                while self.stack.len() > lowest {
                    let x = self.pop()?;
                    pending.push(x);
                }
            }
        }
        pending.sort_by_key(|&x| (!els[x].is_sent(), std::cmp::Reverse(els[x].e), x));
        pending.dedup();
        for x in std::mem::take(pending) {
            self.open(x, false)?;
            self.stack.push(x);
        }
        Ok(())
    }

    /// Writes the zero-length elements among `starting` that were not written yet.
    fn empties(&mut self, starting: &[usize]) -> io::Result<()> {
        for &x in starting {
            if self.els[x].s == self.els[x].e && !self.opened[x] {
                self.open(x, true)?;
                self.close(x)?;
            }
        }
        Ok(())
    }

    fn pop(&mut self) -> io::Result<usize> {
        let x = self.stack.pop().expect("pop on a non-empty stack");
        self.close(x)?;
        Ok(x)
    }

    fn close(&mut self, x: usize) -> io::Result<()> {
        self.w.write_all(match self.els[x].kind {
            Kind::Sent(_) => b"</span>",
            Kind::Mark(..) | Kind::Extra(_) => b"</mark>",
        })
    }

    fn open(&mut self, x: usize, empty: bool) -> io::Result<()> {
        let el = self.els[x];
        let n = self.n;
        let first = !std::mem::replace(&mut self.opened[x], true);
        let cont = if first { "" } else { " cont" };
        match el.kind {
            Kind::Sent(i) => {
                let rule = self.doc.sentences[i].end_rule.as_str();
                write!(
                    self.w,
                    "<span class=\"sent s{}{cont}\" data-a=\"d{n}-s{i}\"",
                    i % 2
                )?;
                if first {
                    write!(self.w, " id=\"d{n}-s{i}\"")?;
                }
                write!(
                    self.w,
                    " data-n=\"{}\" data-start=\"{}\" data-end=\"{}\" title=\"sentence {}, rule {rule}, {}–{}\">",
                    i + 1,
                    el.cs,
                    el.ce,
                    i + 1,
                    el.cs,
                    el.ce
                )
            }
            Kind::Mark(k, j) => {
                let layer = &self.doc.layers()[k];
                let a = &layer.annotations[j];
                let depth = 1 + self
                    .stack
                    .iter()
                    .filter(|&&y| !self.els[y].is_sent())
                    .count()
                    .min(3);
                write!(
                    self.w,
                    "<mark class=\"m l{k} c{} d{depth}{cont}{}\" data-a=\"d{n}-a{k}-{j}\"",
                    k % PALETTE,
                    if empty { " empty" } else { "" }
                )?;
                if first {
                    write!(self.w, " id=\"d{n}-a{k}-{j}\"")?;
                }
                write!(
                    self.w,
                    " data-layer=\"{}\" data-label=\"{}\" data-start=\"{}\" data-end=\"{}\" title=\"{}: {} — {}:{}",
                    Esc(&layer.name),
                    Esc(&a.label),
                    el.cs,
                    el.ce,
                    Esc(&layer.name),
                    Esc(&a.label),
                    Esc(&a.reason.stage),
                    Esc(&a.reason.rule),
                )?;
                if let Some(score) = a.reason.score {
                    write!(self.w, ", score {score:.2}")?;
                }
                write!(self.w, " ({}–{})\">", el.cs, el.ce)
            }
            Kind::Extra(i) => {
                write!(
                    self.w,
                    "<mark class=\"m x{cont}{}\" data-a=\"d{n}-x{i}\"",
                    if empty { " empty" } else { "" }
                )?;
                if first {
                    write!(self.w, " id=\"d{n}-x{i}\"")?;
                }
                write!(
                    self.w,
                    " data-start=\"{}\" data-end=\"{}\" title=\"source chain step ({}–{})\">",
                    el.cs, el.ce, el.cs, el.ce
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The side panel
// ---------------------------------------------------------------------------------------------

/// Sections with more entries than this start collapsed.
const OPEN_LIMIT: usize = 60;

fn write_panel<W: Write>(
    w: &mut W,
    n: usize,
    doc: &Doc,
    diags: &[Diagnostic],
    idx: &CharIndex<'_>,
    chains: &[SourceChain],
    extras: &[Span],
) -> io::Result<()> {
    let text = doc.text();
    let offs = |span: Span| {
        let (s, e) = fix_span(span, text);
        (idx.char_offset(s), idx.char_offset(e), s, e)
    };
    write!(w, "<aside class=\"panel\" aria-label=\"Annotations, document {n}\">\n<fieldset class=\"toggles\"><legend>Highlights</legend>\n")?;
    writeln!(
        w,
        "<label><input type=\"checkbox\" checked data-hide=\"hide-sent\"> <span class=\"sw sw-sent\" aria-hidden=\"true\"></span> sentences <span class=\"n\">({})</span></label>",
        doc.sentences.len()
    )?;
    for (k, layer) in doc.layers().iter().enumerate() {
        let checked = if starts_hidden(layer, text.len()) {
            ""
        } else {
            " checked"
        };
        writeln!(
            w,
            "<label><input type=\"checkbox\"{checked} data-hide=\"hide-l{k}\"> <span class=\"sw c{}\" aria-hidden=\"true\"></span> <bdi>{}</bdi> <span class=\"n\">({})</span></label>",
            k % PALETTE,
            Esc(&layer.name),
            layer.annotations.len()
        )?;
    }
    w.write_all(b"</fieldset>\n")?;

    // Sentences.
    let open = |len: usize| if len <= OPEN_LIMIT { " open" } else { "" };
    writeln!(
        w,
        "<details class=\"sec\"{}><summary>Sentences <span class=\"n\">({})</span></summary>",
        open(doc.sentences.len()),
        doc.sentences.len()
    )?;
    if doc.sentences.is_empty() {
        w.write_all(b"<p class=\"none\">No sentences (segmentation did not run).</p>\n")?;
    } else {
        w.write_all(b"<ol class=\"items\">\n")?;
        for (i, s) in doc.sentences.iter().enumerate() {
            let (cs, ce, bs, be) = offs(s.span);
            writeln!(
                w,
                "<li class=\"item\" id=\"d{n}-i-s{i}\"><button type=\"button\" class=\"jump\" data-target=\"d{n}-s{i}\"><span class=\"off\">{cs}–{ce}</span> <span class=\"rule\">{}</span> <bdi class=\"snip\">{}</bdi></button></li>",
                s.end_rule.as_str(),
                Esc(&text[bs as usize..be as usize])
            )?;
        }
        w.write_all(b"</ol>\n")?;
    }
    w.write_all(b"</details>\n")?;

    write_chains(w, n, doc, idx, chains, extras)?;

    // Who said what: each speaker's attributions, linked to their cue in the text.
    let digest = crate::who_said_what(doc);
    if !digest.is_empty() {
        let rel_layer = doc.layers().iter().position(|l| l.name == "attributions");
        writeln!(
            w,
            "<details class=\"sec\" open><summary>Who said what <span class=\"n\">({})</span></summary>\n<ul class=\"items\">",
            digest.len()
        )?;
        for (speaker, said) in &digest {
            writeln!(
                w,
                "<li class=\"item\"><strong><bdi>{}</bdi></strong> <span class=\"n\">({})</span><ol>",
                Esc(speaker),
                said.len()
            )?;
            for s in said {
                let (_, _, cb, ce) = offs(s.cue);
                let content: Vec<&str> = s
                    .content
                    .iter()
                    .map(|c| {
                        let (_, _, a, b) = offs(*c);
                        &text[a as usize..b as usize]
                    })
                    .collect();
                let target =
                    rel_layer.map_or(String::new(), |k| format!("d{n}-a{k}-{}", s.relation));
                writeln!(
                    w,
                    "<li><button type=\"button\" class=\"jump\" data-target=\"{}\"><span class=\"rule\">{}</span> <bdi class=\"snip\">{}</bdi></button></li>",
                    Esc(&target),
                    Esc(&text[cb as usize..ce as usize]),
                    Esc(&content.join(" … "))
                )?;
            }
            w.write_all(b"</ol></li>\n")?;
        }
        w.write_all(b"</ul>\n</details>\n")?;
    }

    // Entities: canonical names with their type, aliases and mention count.
    let entities = crate::entity_list(doc);
    if !entities.is_empty() {
        let groups_layer = doc.layers().iter().position(|l| l.name == "entity-groups");
        writeln!(
            w,
            "<details class=\"sec\" open><summary>Entities <span class=\"n\">({})</span></summary>\n<ul class=\"items\">",
            entities.len()
        )?;
        for e in &entities {
            let target = groups_layer.map_or(String::new(), |k| format!("d{n}-a{k}-{}", e.group));
            let aliases = if e.aliases.is_empty() {
                String::new()
            } else {
                format!(" aka {}", e.aliases.join(", "))
            };
            writeln!(
                w,
                "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><span class=\"rule\">{}</span> <strong><bdi>{}</bdi></strong> <span class=\"n\">({})</span> <bdi class=\"snip\">{}</bdi></button></li>",
                Esc(&target),
                Esc(&e.label),
                Esc(&e.canonical),
                e.mentions,
                Esc(&aliases)
            )?;
        }
        w.write_all(b"</ul>\n</details>\n")?;
    }

    // Places: each resolved place once, with coordinates and a map link.
    let places = crate::place_list(doc);
    if !places.is_empty() {
        let places_layer = doc.layers().iter().position(|l| l.name == "places");
        writeln!(
            w,
            "<details class=\"sec\" open><summary>Places <span class=\"n\">({})</span></summary>\n<ul class=\"items\">",
            places.len()
        )?;
        for p in &places {
            let target = places_layer.map_or(String::new(), |k| format!("d{n}-a{k}-{}", p.index));
            let place = p.description();
            write!(
                w,
                "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><strong><bdi>{}</bdi></strong> <span class=\"n\">({}) ×{}</span></button>",
                Esc(&target),
                Esc(&p.name),
                Esc(&place),
                p.mentions
            )?;
            if let Some((lat, lon)) = p.point {
                write!(
                    w,
                    " <a class=\"off\" href=\"https://www.openstreetmap.org/?mlat={lat:.4}&amp;mlon={lon:.4}#map=9/{lat:.4}/{lon:.4}\" rel=\"noopener noreferrer\" target=\"_blank\">{lat:.4}, {lon:.4}</a>"
                )?;
            }
            w.write_all(b"</li>\n")?;
        }
        w.write_all(b"</ul>\n</details>\n")?;
    }

    // Timeline: dated expressions in calendar order with the sentence each dates.
    let timeline = crate::timeline(doc);
    if !timeline.is_empty() {
        let times_layer = doc.layers().iter().position(|l| l.name == "times");
        writeln!(
            w,
            "<details class=\"sec\" open><summary>Timeline <span class=\"n\">({})</span></summary>\n<ol class=\"items\">",
            timeline.len()
        )?;
        for t in &timeline {
            let target = times_layer.map_or(String::new(), |k| format!("d{n}-a{k}-{}", t.index));
            let (_, _, sb, se) = offs(t.sentence);
            let (_, _, eb, ee) = offs(t.span);
            let value = if t.value.is_empty() { "?" } else { &t.value };
            writeln!(
                w,
                "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><span class=\"rule\">{}</span> <strong><bdi>{}</bdi></strong> <span class=\"n\">({})</span> <bdi class=\"snip\">{}</bdi></button></li>",
                Esc(&target),
                Esc(value),
                Esc(&text[eb as usize..ee as usize]),
                Esc(&t.anchor),
                Esc(&text[sb as usize..se as usize])
            )?;
        }
        w.write_all(b"</ol>\n</details>\n")?;
    }

    // Named layers.
    for (k, layer) in doc.layers().iter().enumerate() {
        writeln!(
            w,
            "<details class=\"sec layer c{}\"{}><summary><span class=\"sw c{}\" aria-hidden=\"true\"></span> <bdi>{}</bdi> <span class=\"n\">({})</span> <span class=\"producer\">from <bdi>{}</bdi></span></summary>",
            k % PALETTE,
            open(layer.annotations.len()),
            k % PALETTE,
            Esc(&layer.name),
            layer.annotations.len(),
            Esc(&layer.producer)
        )?;
        if layer.annotations.is_empty() {
            w.write_all(b"<p class=\"none\">No annotations.</p>\n")?;
            w.write_all(b"</details>\n")?;
            continue;
        }
        w.write_all(b"<ol class=\"items\" start=\"0\">\n")?;
        for (j, a) in layer.annotations.iter().enumerate() {
            let (cs, ce, bs, be) = offs(a.span);
            write!(
                w,
                "<li class=\"item\" id=\"d{n}-i-a{k}-{j}\"><button type=\"button\" class=\"jump\" data-target=\"d{n}-a{k}-{j}\"><span class=\"lab c{}\">{}</span> <span class=\"off\">{cs}–{ce}</span> <bdi class=\"snip\">{}</bdi></button>",
                k % PALETTE,
                Esc(&a.label),
                Esc(&text[bs as usize..be as usize])
            )?;
            write!(
                w,
                "<div class=\"why\">{}:{}",
                Esc(&a.reason.stage),
                Esc(&a.reason.rule)
            )?;
            if let Some(score) = a.reason.score {
                write!(w, " · score {score:.2}")?;
            }
            w.write_all(b"</div>")?;
            if !a.attrs.is_empty() {
                w.write_all(b"<dl class=\"attrs\">")?;
                for (key, v) in &a.attrs {
                    write!(w, "<div><dt>{}</dt><dd><bdi>", Esc(key))?;
                    match v {
                        AttrValue::Str(s) => write!(w, "{}", Esc(s))?,
                        AttrValue::Int(i) => write!(w, "{i}")?,
                        AttrValue::Float(f) => write!(w, "{f}")?,
                        AttrValue::Bool(b) => write!(w, "{b}")?,
                    }
                    w.write_all(b"</bdi></dd></div>")?;
                }
                w.write_all(b"</dl>")?;
            }
            if !a.links.is_empty() {
                w.write_all(b"<ul class=\"links\">")?;
                for l in &a.links {
                    write!(w, "<li><span class=\"role\">{}</span> → ", Esc(&l.role))?;
                    let target = doc
                        .layers()
                        .iter()
                        .position(|t| t.name == l.layer)
                        .and_then(|tk| {
                            let t = doc.layers()[tk].annotations.get(l.index as usize)?;
                            Some((tk, t))
                        });
                    match target {
                        Some((tk, t)) => {
                            let (_, _, ts, te) = offs(t.span);
                            write!(
                                w,
                                "<button type=\"button\" class=\"link\" data-target=\"d{n}-a{tk}-{}\"><bdi>{}</bdi>[{}] <span class=\"lab c{}\">{}</span> <bdi class=\"snip1\">{}</bdi></button>",
                                l.index,
                                Esc(&l.layer),
                                l.index,
                                tk % PALETTE,
                                Esc(&t.label),
                                Esc(&text[ts as usize..te as usize])
                            )?;
                        }
                        None => write!(w, "<bdi>{}</bdi>[{}]", Esc(&l.layer), l.index)?,
                    }
                    w.write_all(b"</li>")?;
                }
                w.write_all(b"</ul>")?;
            }
            w.write_all(b"</li>\n")?;
        }
        w.write_all(b"</ol>\n</details>\n")?;
    }

    // Diagnostics.
    writeln!(
        w,
        "<details class=\"sec diags\"{}><summary>Diagnostics <span class=\"n\">({})</span></summary>",
        open(diags.len()),
        diags.len()
    )?;
    if diags.is_empty() {
        w.write_all(b"<p class=\"none\">None.</p>\n")?;
    } else {
        w.write_all(b"<ul class=\"items\">\n")?;
        for d in diags {
            let sev = match d.severity {
                Severity::Info => "info",
                Severity::Warning => "warning",
            };
            write!(
                w,
                "<li class=\"item diag {sev}\"><span class=\"sev\">{sev}</span> <span class=\"stage\">{}</span>: <bdi>{}</bdi>",
                Esc(&d.stage),
                Esc(&d.message)
            )?;
            if let Some(span) = d.span {
                let (cs, ce, _, _) = offs(span);
                write!(w, " <span class=\"off\">{cs}–{ce}</span>")?;
            }
            w.write_all(b"</li>\n")?;
        }
        w.write_all(b"</ul>\n")?;
    }
    w.write_all(b"</details>\n</aside>\n")
}

// ---------------------------------------------------------------------------------------------
// Inline assets
// ---------------------------------------------------------------------------------------------

const CSS: &str = r#":root{color-scheme:light dark;--bg:#fcfcfa;--fg:#1c1d21;--muted:#555a64;--line:#d7dae0;--panel:#f4f5f7;--accent:#1d4ed8;--focus:#c2410c;--sent:rgba(100,116,139,.10);--warn:#9a3412;--info:#1e40af}
@media screen and (prefers-color-scheme:dark){:root{--bg:#14161b;--fg:#e6e7ea;--muted:#a9aeb8;--line:#363a46;--panel:#1c1f26;--accent:#93b4ff;--focus:#fb923c;--sent:rgba(148,163,184,.12);--warn:#fdba74;--info:#a5c8ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:1rem;top:1rem;z-index:10;background:var(--bg);padding:.5rem 1rem}
.top{padding:1rem 1.5rem .75rem;border-bottom:1px solid var(--line)}
.top h1{margin:0;font-size:1.2rem;letter-spacing:.01em}
.sub,.muted{color:var(--muted)}
.sub{margin:.15rem 0 0;font-size:.875rem}
nav.docs ol{margin:.6rem 0 0;padding-left:1.5rem;columns:2 22rem;font-size:.9rem}
nav.docs li{margin:.1rem 0;break-inside:avoid}
main{padding:0 1.5rem 2rem;max-width:112rem;margin:0 auto}
.doc{padding-top:1.25rem}
.doc+.doc{border-top:3px double var(--line);margin-top:2rem}
.doc-head h2{margin:0 0 .4rem;font-size:1.55rem;line-height:1.25}
.meta{display:flex;flex-wrap:wrap;gap:.15rem 1.25rem;margin:0 0 .35rem;font-size:.875rem}
.meta div{display:flex;gap:.35rem;min-width:0}
.meta dt{color:var(--muted)}
.meta dd{margin:0;overflow-wrap:anywhere}
.stats{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;margin:0;padding:0;font-size:.875rem;color:var(--muted)}
.stats b{color:var(--fg);font-variant-numeric:tabular-nums}
.doc-body{display:grid;grid-template-columns:minmax(0,1fr) minmax(18rem,26rem);gap:2rem;align-items:start;margin-top:1rem}
.text{font-family:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"Noto Serif","DejaVu Serif",serif;font-size:1.07rem;line-height:2;max-width:50rem}
.para{margin:0 0 1.1em;white-space:pre-wrap;overflow-wrap:break-word}
.para.gap{color:var(--muted)}
.sent.s1{background:var(--sent)}
.sent:not(.cont)::before{content:attr(data-n);font:600 .62rem/1 system-ui,sans-serif;color:var(--muted);vertical-align:.55em;margin:0 .2em 0 .05em;user-select:none}
.hide-sent .sent{background:transparent}
.hide-sent .sent::before{display:none}
mark{color:inherit;background:var(--bgc);border-bottom:2px solid var(--c);border-radius:3px;padding:0 1px 1px;cursor:pointer;-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.d2{padding-bottom:4px}
mark.d3{padding-bottom:7px}
mark.d4{padding-bottom:10px}
mark.cont{border-top-left-radius:0;border-bottom-left-radius:0}
mark.empty{border-bottom:0;border-left:3px solid var(--c);padding:0;margin:0 1px}
.c0{--c:#b45309;--bgc:rgba(245,158,11,.24)}
.c1{--c:#1d4ed8;--bgc:rgba(59,130,246,.18)}
.c2{--c:#15803d;--bgc:rgba(34,197,94,.20)}
.c3{--c:#be185d;--bgc:rgba(236,72,153,.17)}
.c4{--c:#0e7490;--bgc:rgba(6,182,212,.20)}
.c5{--c:#b91c1c;--bgc:rgba(239,68,68,.17)}
.c6{--c:#7e22ce;--bgc:rgba(168,85,247,.17)}
.c7{--c:#4d7c0f;--bgc:rgba(132,204,22,.24)}
@media screen and (prefers-color-scheme:dark){
.c0{--c:#fbbf24;--bgc:rgba(245,158,11,.26)}
.c1{--c:#60a5fa;--bgc:rgba(59,130,246,.28)}
.c2{--c:#4ade80;--bgc:rgba(34,197,94,.24)}
.c3{--c:#f472b6;--bgc:rgba(236,72,153,.26)}
.c4{--c:#22d3ee;--bgc:rgba(6,182,212,.24)}
.c5{--c:#f87171;--bgc:rgba(239,68,68,.26)}
.c6{--c:#c084fc;--bgc:rgba(168,85,247,.28)}
.c7{--c:#a3e635;--bgc:rgba(132,204,22,.22)}}
@keyframes flash{0%,55%{outline-color:var(--focus)}100%{outline-color:transparent}}
.flash{outline:3px solid transparent;outline-offset:2px;animation:flash 1.8s ease-out}
.panel{position:sticky;top:0;max-height:100vh;overflow:auto;padding:.25rem .25rem 1rem 0;font-size:.875rem;line-height:1.4}
.toggles{border:1px solid var(--line);border-radius:8px;margin:0 0 .75rem;padding:.4rem .75rem .55rem}
.toggles legend{font-weight:600;padding:0 .3rem}
.toggles label{display:flex;align-items:center;gap:.45rem;padding:.12rem 0;cursor:pointer}
.toggles input{margin:0;width:1rem;height:1rem;accent-color:var(--accent)}
.sw{display:inline-block;width:.95rem;height:.95rem;border-radius:3px;background:var(--bgc);border:2px solid var(--c);vertical-align:-.15em;flex:none}
.sw-sent{--c:var(--muted);--bgc:var(--sent)}
.n,.producer{color:var(--muted);font-weight:400}
.producer{font-size:.8rem}
details.sec{border:1px solid var(--line);border-radius:8px;background:var(--panel);margin:0 0 .75rem}
details.sec>summary{cursor:pointer;padding:.45rem .75rem;font-weight:600}
.none{margin:0;padding:0 .75rem .6rem;color:var(--muted)}
.items{margin:0;padding:0 .6rem .5rem 2.4rem}
.item{padding:.25rem 0;border-top:1px solid var(--line)}
.item::marker{color:var(--muted);font-size:.8em}
.jump,.link{font:inherit;color:inherit;background:none;border:0;margin:0;padding:.1rem .25rem;text-align:start;cursor:pointer;border-radius:4px}
.jump{display:block;width:100%}
.jump:hover,.link:hover{background:rgba(127,127,127,.14)}
.lab{font-weight:600;border-bottom:2px solid var(--c);background:var(--bgc);padding:0 .2em;border-radius:3px}
.off{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.78rem;color:var(--muted);white-space:nowrap}
.rule{font-size:.78rem;color:var(--muted)}
.snip{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;margin-top:.1rem;white-space:pre-line}
.why{color:var(--muted);padding:0 .25rem;font-size:.8rem}
.attrs{display:flex;flex-wrap:wrap;gap:0 .8rem;margin:.1rem .25rem;font-size:.8rem}
.attrs div{display:flex;gap:.25rem}
.attrs dt{color:var(--muted)}
.attrs dd{margin:0}
.links{list-style:none;margin:.1rem 0 0;padding:0 .25rem;font-size:.8rem}
.role{color:var(--muted)}
.steps{list-style:none;margin:.3rem 0 .1rem;padding:0;display:flex;flex-direction:column;align-items:flex-start}
.step{border:1px solid var(--line);border-left:4px solid var(--c);border-radius:6px;background:var(--bg);padding:.2rem .4rem;max-width:100%}
.step .role{font-size:.7rem;text-transform:uppercase;letter-spacing:.04em;color:var(--c)}
.step .q{white-space:pre-line}
.step .q.name{font-weight:700}
.step.r-content .q{display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
.arrow{padding:.05rem 0 .05rem 1.1rem;color:var(--muted);font-size:.8rem}
.chain-names{font-weight:600}
.cls{font-size:.7rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;border:1px solid currentColor;padding:0 .3em}
.cls-named{color:var(--info)}
.cls-anonymous,.cls-vague{color:var(--warn)}
details.single{margin:.2rem .6rem .5rem}
details.single>summary{cursor:pointer;color:var(--muted)}
mark.x{--c:var(--accent);--bgc:transparent;border-bottom:2px dashed var(--c)}
.sev{font-weight:600;text-transform:uppercase;font-size:.72rem;letter-spacing:.04em}
.diag.warning .sev{color:var(--warn)}
.diag.info .sev{color:var(--info)}
.diag{padding-left:.25rem}
.foot{padding:1rem 1.5rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
@media (max-width:62rem){.doc-body{grid-template-columns:minmax(0,1fr)}.panel{position:static;max-height:none;overflow:visible}}
@media (prefers-reduced-motion:reduce){.flash{animation-duration:.8s}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#fff}
.skip,.toggles,nav.docs,.foot{display:none}
main,.top{padding:0}
.doc-body{display:block}
.panel{position:static;max-height:none;overflow:visible;margin-top:1rem}
.doc+.doc{break-before:page;border:0}
.item{break-inside:avoid}
.snip{display:block;overflow:visible}
mark,.sent,.sw,.lab,.step{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit}}
"#;

const JS: &str = r#"(function () {
  "use strict";
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function flash(list) {
    for (var i = 0; i !== list.length; i++) {
      var el = list[i];
      el.classList.remove("flash");
      void el.offsetWidth;
      el.classList.add("flash");
    }
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!t || !t.matches || !t.matches("input[data-hide]")) return;
    var doc = t.closest(".doc");
    if (doc) doc.classList.toggle(t.getAttribute("data-hide"), !t.checked);
  });
  document.addEventListener("click", function (ev) {
    if (!ev.target || !ev.target.closest) return;
    var b = ev.target.closest("[data-target]");
    if (b) {
      var id = b.getAttribute("data-target");
      var el = document.getElementById(id);
      if (!el) return;
      ev.preventDefault();
      el.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
      flash(document.querySelectorAll('[data-a="' + id + '"]'));
      return;
    }
    var m = ev.target.closest("mark[data-a]");
    if (!m || (window.getSelection && String(window.getSelection()) !== "")) return;
    var item = document.getElementById(m.getAttribute("data-a").replace(/^(d[0-9]+)-/, "$1-i-"));
    if (!item) return;
    var panel = item.closest(".panel");
    var det = item.closest("details");
    if (det) det.open = true;
    if (panel && getComputedStyle(panel).position === "sticky") {
      item.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "nearest" });
    }
    flash([item]);
  });
  var was = [];
  window.addEventListener("beforeprint", function () {
    was = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    was.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    was.forEach(function (d) { d.open = false; });
    was = [];
  });
})();
"#;
