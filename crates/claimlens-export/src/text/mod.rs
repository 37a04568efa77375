//! The terminal report: what a reader wants first — the ranked claims, who said what, the
//! source chains, entities, places and the timeline — then, only when asked for
//! ([`TextOptions::layers`]), every sentence with its offsets and rule and each selected
//! layer's annotations with their reasons. Colours are ANSI escapes, used only when the caller
//! says the output is a terminal.
//!
//! Everything taken from the input (id, metadata, file name, text, names, attribute values)
//! goes through [`crate::terminal::clean`] before it is printed, so an article cannot drive
//! the terminal; [`Style::paint`] cleans what it paints. Only the sentence list prints the
//! article whole; every other piece of text is a bounded [`Snippet`] (at most 200 code points,
//! "…" where cut, and then `(shown a..b)`, the code-point offsets of the shown window), so the
//! report grows linearly with the article.
//!
//! # Modules
//!
//! * `digests` — ranked claims, known narratives, who said what, source chains, entities,
//!   places, timeline.
//! * `layers` — each layer's annotations with reasons, attributes and links.
//! * `selection` — which layers the listing shows ([`LayerDump`]).

use std::io::{self, Write};

use claimlens_schema::layer;

use crate::model::stats;
use crate::snippet::Snippet;
use crate::terminal::clean;
use crate::view::DocView;

mod digests;
mod layers;
mod selection;

pub use selection::{LayerDump, LayerSet, UnknownLayer};

/// Report options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// The layers listed annotation by annotation after the summaries (none by default).
    pub layers: LayerDump,
}

struct Style {
    on: bool,
}

impl Style {
    /// The cleaned text, in colour `code` when colours are on.
    fn paint(&self, code: &str, s: &str) -> String {
        let s = clean(s);
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.into_owned()
        }
    }
}

/// Writes the report for one document: its header, the digests, the diagnostics, then the
/// sentences, tokens and layers `opts.layers` selects.
pub fn write_text<W: Write>(out: &mut W, view: &DocView<'_>, opts: TextOptions) -> io::Result<()> {
    let st = Style { on: opts.color };
    write_header(out, view, &st)?;
    digests::write_digests(out, view, &st)?;
    write_diagnostics(out, view, &st)?;
    let selected = opts.layers;
    if selected.includes(layer::SENTENCES) || selected.includes(layer::PARAGRAPHS) {
        let n = view.doc.sentences.len();
        heading(out, &st, &title_of(layer::SENTENCES, &n.to_string()))?;
        write_sentences(out, view, &st)?;
    }
    if selected.includes(layer::TOKENS) {
        let n = view.doc.tokens.len();
        heading(out, &st, &title_of(layer::TOKENS, &n.to_string()))?;
        write_tokens(out, view, &st)?;
    }
    layers::write_layers(out, view, &st, selected)?;
    Ok(())
}

/// The heading of a layer's listing: its title, then the name `--layers` takes and `what`
/// (a count) in brackets — `Dates and times (times: 4 from temporal)`.
fn title_of(name: &str, what: &str) -> String {
    format!(
        "{} ({}: {what})",
        claimlens_schema::layer_title(name),
        clean(name)
    )
}

/// What the stages reported while analyzing the document.
fn write_diagnostics<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let diagnostics = view.diagnostics;
    if !diagnostics.is_empty() {
        writeln!(out)?;
        for d in diagnostics {
            writeln!(
                out,
                "{} {}: {}",
                st.paint("31", "warning"),
                clean(&d.stage),
                clean(&d.message)
            )?;
        }
    }
    Ok(())
}

/// Id, metadata, origin, counts, and the genre and frames (`document` layer).
fn write_header<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    let s = stats(doc, idx);
    writeln!(out, "{}", st.paint("1", &format!("== {} ==", doc.id)))?;
    let m = &doc.meta;
    for (label, value) in [
        ("title", &m.title),
        ("outlet", &m.outlet),
        ("author", &m.author),
        ("published", &m.published),
        ("url", &m.url),
        ("language", &m.language),
        ("fetched", &m.fetched_url),
        ("fetched at", &m.fetched_at),
    ] {
        if let Some(v) = value {
            writeln!(out, "{:<10} {}", st.paint("2", label), clean(v))?;
        }
    }
    writeln!(
        out,
        "{:<10} {} ({}, {})",
        st.paint("2", "source"),
        clean(&doc.origin.source),
        clean(doc.origin.format),
        clean(doc.origin.encoding)
    )?;
    writeln!(
        out,
        "{:<10} paragraphs {}, sentences {}, tokens {}, words {}, characters {}",
        st.paint("2", "stats"),
        s.paragraphs,
        s.sentences,
        s.tokens,
        s.words,
        s.chars
    )?;
    if let Some(p) = crate::digest::document_profile(doc) {
        writeln!(
            out,
            "{:<10} {}",
            st.paint("2", "document"),
            clean(&p.line())
        )?;
    }
    Ok(())
}

/// Each sentence's tokens on one line, separated by a middle dot.
fn write_tokens<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let doc = view.doc;
    let mut tokens = doc.tokens.iter().peekable();
    for (i, sent) in doc.sentences.iter().enumerate() {
        let mut words = Vec::new();
        while let Some(t) = tokens.next_if(|t| t.span.start < sent.span.end) {
            words.push(clean(doc.slice(t.span)).into_owned());
        }
        writeln!(
            out,
            "  {} {}",
            st.paint("33", &format!("[{:>3}]", i + 1)),
            words.join(" · ")
        )?;
    }
    Ok(())
}

/// Every sentence, whole, with its offsets and the rule that ended it, by paragraph.
fn write_sentences<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    let mut paragraph = u32::MAX;
    for (i, sent) in doc.sentences.iter().enumerate() {
        if sent.paragraph != paragraph {
            if paragraph != u32::MAX {
                writeln!(out)?;
            }
            paragraph = sent.paragraph;
            writeln!(out, "{}", st.paint("36", &format!("¶{}", paragraph + 1)))?;
        }
        let (a, b) = (
            idx.char_offset(sent.span.start),
            idx.char_offset(sent.span.end),
        );
        writeln!(
            out,
            "  {} {} {}",
            st.paint("33", &format!("[{:>3}] {a}..{b}", i + 1)),
            clean(doc.slice(sent.span)),
            st.paint("2", &format!("({})", sent.end_rule.as_str()))
        )?;
    }
    Ok(())
}

/// A blank line, then a section's title in bold.
fn heading<W: Write>(out: &mut W, st: &Style, title: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", st.paint("1", title))
}

/// A snippet as a quoted string (`"…text…"`), followed by ` (shown a..b)` when it was cut.
fn quoted(s: Snippet<'_>) -> String {
    let (before, after) = s.marks();
    let body = format!("{before}{}{after}", clean(s.text));
    format!("{body:?}{}", shown(s))
}

/// A snippet as plain text (`…text…`), followed by ` (shown a..b)` when it was cut.
fn plain(s: Snippet<'_>) -> String {
    let (before, after) = s.marks();
    format!("{before}{}{after}{}", clean(s.text), shown(s))
}

/// ` (shown a..b)` for a cut snippet: the code-point offsets of what is shown.
fn shown(s: Snippet<'_>) -> String {
    if s.is_cut() {
        format!(" (shown {}..{})", s.start, s.end)
    } else {
        String::new()
    }
}
