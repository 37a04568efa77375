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
//! and in quoted attributes) and replaces control characters other than newline and tab, and the
//! bidi embeddings, overrides and isolates (an RLO would reverse the rest of its paragraph,
//! highlights included; see `escape`). Element ids and class names are built only from indices, never from input text.
//!
//! # Modules
//!
//! * `page` — the document skeleton: page head (with `report.css`) and tail (with
//!   `report.js`), and each document's frame (metadata header, text section, panel).
//! * `blocks` — what the text section renders: the elements (sentences, annotations, chain
//!   spans) and the blocks (paragraphs and the gaps worth showing).
//! * `sweep` — the boundary sweep that turns those into well-formed nested markup.
//! * `panel` — the side panel: highlight toggles, sentences, who said what, entities, places,
//!   timeline, one section per layer, diagnostics; `chains` draws its source-chain section.
//! * `escape` — [`Esc`].

use std::io::{self, BufWriter, Write};

use claimlens_core::Span;

use crate::view::DocView;

mod blocks;
mod chains;
mod escape;
mod page;
mod panel;
mod sweep;

use escape::Esc;

/// Number of distinct layer colours; layers beyond it reuse them.
const PALETTE: usize = 8;

/// Writes a self-contained HTML page for the documents.
pub fn write_html<W: Write>(out: &mut W, docs: &[DocView<'_>]) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(64 * 1024, out);
    page::write_head(&mut w, docs)?;
    for (i, view) in docs.iter().enumerate() {
        page::write_doc(&mut w, i + 1, view)?;
    }
    page::write_tail(&mut w)?;
    w.flush()
}

/// True for layers whose annotations cover more than half of the text.
fn starts_hidden(layer: &claimlens_core::Layer, text_len: usize) -> bool {
    let covered: usize = layer.annotations.iter().map(|a| a.span.len()).sum();
    text_len > 0 && covered * 2 > text_len
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
