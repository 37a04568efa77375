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
//!   of every named layer is a `<mark class="m l{layer} {style}" data-layer data-label
//!   data-start data-end data-a title>`, `{style}` being `pq` / `ps` / `pv` for a quote, its
//!   speaker and its reporting verb (the primary highlights, shown when the page opens) and
//!   `k{i}` (the layer's place in the catalogue) for the other layers, which start hidden
//!   ([`style`]). An annotation's first fragment also carries what its info card shows:
//!   `data-title` (the layer's title), `data-stage`, `data-rule`, `data-score` (a percentage)
//!   and `data-links="id|role;…"`, the highlights it is linked to ([`links`]); the script
//!   (`report.js`) opens the card on a click and marks those highlights `linked`. Offsets in `data-start` / `data-end` are code points,
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
//! highlights included; see `escape`). Element ids and class names are built only from
//! indices, never from input text.
//!
//! # Snippets
//!
//! The panel shows each span through a bounded [`crate::snippet::Snippet`]: at most 200 code
//! points, "…" where it was cut, and then a `title` giving the shown window's code-point
//! offsets (chain step links also carry them as `data-shown-start` / `data-shown-end`). Only
//! the text section shows the article whole, so the page grows linearly with the article.
//!
//! # Modules
//!
//! * `page` — the document skeleton: page head (with `report.css`) and tail (with
//!   `report.js`), and each document's frame (metadata header, text section, panel).
//! * `blocks` — what the text section renders: the elements (sentences, annotations, chain
//!   spans) and the blocks (paragraphs and the gaps worth showing).
//! * `sweep` — the boundary sweep that turns those into well-formed nested markup.
//! * `panel` — the side panel: the legend (which is also the set of highlight toggles),
//!   ranked claims, who said what, source chains, entities, places, timeline, diagnostics,
//!   one section per layer and, last and collapsed, the sentences; `chains` draws its
//!   source-chain section.
//! * `map` — the Places section's map: an embedded Natural Earth land outline (inline SVG,
//!   written once per page after the documents) with a dot per place with coordinates,
//!   zoomed to where the places are.
//! * `links` — what each highlight links to: its info card's list and the `linked` marks.
//! * `style` — each layer's highlight style and which layers are shown when the page opens.
//! * `escape` — [`Esc`].

use std::io::{self, BufWriter, Write};

use crate::view::DocView;

mod blocks;
mod chains;
mod escape;
mod links;
mod map;
mod narratives;
mod page;
mod panel;
mod style;
mod sweep;

use crate::snippet::fix_span;
pub use escape::Esc;

/// Number of distinct colours of source-chain steps.
const PALETTE: usize = 8;

/// What an application that shows the report inside its own pages adds to it.
#[derive(Debug, Default, Clone, Copy)]
pub struct HtmlOptions<'a> {
    /// Markup written first in the page's body, with any style it needs inline (the page
    /// loads nothing): a host's navigation bar. Written as given, so it must be trusted
    /// markup, never text from a document.
    pub banner: Option<&'a str>,
}

/// Writes a self-contained HTML page for the documents.
pub fn write_html<W: Write>(out: &mut W, docs: &[DocView<'_>]) -> io::Result<()> {
    write_html_with(out, docs, HtmlOptions::default())
}

/// [`write_html`] with a host application's additions.
pub fn write_html_with<W: Write>(
    out: &mut W,
    docs: &[DocView<'_>],
    options: HtmlOptions<'_>,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(64 * 1024, out);
    page::write_head(&mut w, docs, options.banner)?;
    for (i, view) in docs.iter().enumerate() {
        page::write_doc(&mut w, i + 1, view)?;
    }
    // The place maps of all documents draw one copy of the world outline.
    if docs
        .iter()
        .any(|view| map::has_dots(&crate::digest::place_list(view.doc)))
    {
        map::write_outline(&mut w)?;
    }
    page::write_tail(&mut w)?;
    w.flush()
}

/// A snippet ready for the page: its text (escaped when displayed) between its cut marks, and
/// the `title` attribute that gives the shown window's offsets when it was cut.
struct Shown<'a> {
    before: &'static str,
    text: std::borrow::Cow<'a, str>,
    after: &'static str,
    window: Option<(u32, u32)>,
}

impl<'a> Shown<'a> {
    /// Free text (a name, a list of aliases), cut to the snippet length.
    fn text(s: &'a str) -> Self {
        Shown {
            before: "",
            text: crate::snippet::cap(s, crate::snippet::SNIPPET_CHARS),
            after: "",
            window: None,
        }
    }

    /// ` title="shown: characters a–b"` when the snippet was cut, else nothing.
    fn title(&self) -> String {
        self.window.map_or(String::new(), |(a, b)| {
            format!(" title=\"shown: characters {a}–{b}\"")
        })
    }
}

impl<'a> From<crate::snippet::Snippet<'a>> for Shown<'a> {
    fn from(s: crate::snippet::Snippet<'a>) -> Self {
        let (before, after) = s.marks();
        Shown {
            before,
            text: s.text.into(),
            after,
            window: s.is_cut().then_some((s.start, s.end)),
        }
    }
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.before, Esc(&self.text), self.after)
    }
}
