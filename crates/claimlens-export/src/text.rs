//! The terminal report: a readable summary and every sentence with its offsets and rule.
//! Colours are ANSI escapes, used only when the caller says the output is a terminal.

use std::io::{self, Write};

use claimlens_core::Span;

use crate::model::stats;
use crate::terminal::clean;
use crate::view::DocView;
use crate::StepRole;

/// Report options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

/// Writes the report for one document: its header, sentences, layers, digests and
/// diagnostics.
pub fn write_text<W: Write>(out: &mut W, view: &DocView<'_>, opts: TextOptions) -> io::Result<()> {
    let st = Style { on: opts.color };
    write_header(out, view, &st)?;
    write_sentences(out, view, &st)?;
    write_layers(out, view, &st)?;
    write_digests(out, view, &st)?;
    let diagnostics = view.diagnostics;
    if !diagnostics.is_empty() {
        writeln!(out)?;
        for d in diagnostics {
            writeln!(
                out,
                "{} {}: {}",
                st.paint("31", "warning"),
                d.stage,
                clean(&d.message)
            )?;
        }
    }
    Ok(())
}

/// Id, metadata, origin and counts.
fn write_header<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    let s = stats(doc, idx);
    writeln!(
        out,
        "{}",
        st.paint("1", &format!("== {} ==", clean(&doc.id)))
    )?;
    let m = &doc.meta;
    for (label, value) in [
        ("title", &m.title),
        ("outlet", &m.outlet),
        ("author", &m.author),
        ("published", &m.published),
        ("url", &m.url),
        ("language", &m.language),
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
        doc.origin.format,
        doc.origin.encoding
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
    writeln!(out)?;
    Ok(())
}

/// Every sentence with its offsets and the rule that ended it, by paragraph.
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

/// Each layer's annotations with their attributes, reasons and links.
fn write_layers<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    for layer in doc.layers() {
        let title = format!(
            "{} ({} from {})",
            layer.name,
            layer.annotations.len(),
            layer.producer
        );
        heading(out, st, &title)?;
        for a in &layer.annotations {
            let (x, y) = (idx.char_offset(a.span.start), idx.char_offset(a.span.end));
            let attrs: Vec<String> = a
                .attrs
                .iter()
                .map(|(k, v)| format!("{k}={}", attr_text(v)))
                .collect();
            writeln!(
                out,
                "  {} {} {:?} {}{}",
                st.paint("35", &a.label),
                st.paint("33", &format!("{x}..{y}")),
                shorten(&clean(doc.slice(a.span))),
                if attrs.is_empty() {
                    String::new()
                } else {
                    format!("{{{}}} ", clean(&attrs.join(", ")))
                },
                st.paint(
                    "2",
                    &format!(
                        "[{}:{}{}]",
                        a.reason.stage,
                        a.reason.rule,
                        score(a.reason.score)
                    )
                )
            )?;
            for link in &a.links {
                let target = doc
                    .layer(&link.layer)
                    .and_then(|l| l.annotations.get(link.index as usize));
                if let Some(t) = target {
                    writeln!(
                        out,
                        "      {} {:?}",
                        st.paint("2", &format!("{}:", link.role)),
                        shorten(&clean(doc.slice(t.span)))
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Who said what, the source chains, entities, places and the timeline.
fn write_digests<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let doc = view.doc;
    section(
        out,
        st,
        "who said what",
        &view.digests.who_said_what,
        |out, (speaker, said)| {
            writeln!(
                out,
                "  {} ({})",
                st.paint("35", &clean(speaker)),
                said.len()
            )?;
            for s in said {
                let content: Vec<String> = s
                    .content
                    .iter()
                    .map(|c| shorten(&clean(doc.slice(*c))))
                    .collect();
                writeln!(
                    out,
                    "    {} {}",
                    st.paint("33", &clean(doc.slice(s.cue))),
                    content.join(" … ")
                )?;
            }
            Ok(())
        },
    )?;
    write_chains(out, view, st)?;
    section(out, st, "entities", &view.digests.entities, |out, e| {
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!(" aka {}", clean(&e.aliases.join(", ")))
        };
        writeln!(
            out,
            "  {:<9} {} ({}){}",
            st.paint("36", &e.label),
            clean(&e.canonical),
            e.mentions,
            aliases
        )?;
        Ok(())
    })?;
    section(out, st, "places", &view.digests.places, |out, p| {
        let point = p
            .point
            .map_or(String::new(), |(lat, lon)| format!(" {lat:.4}, {lon:.4}"));
        let place = p.description();
        writeln!(
            out,
            "  {} ({}){} ×{}",
            st.paint("34", &clean(&p.name)),
            clean(&place),
            point,
            p.mentions
        )?;
        Ok(())
    })?;
    section(out, st, "timeline", &view.digests.timeline, |out, t| {
        let value = if t.value.is_empty() { "?" } else { &t.value };
        writeln!(
            out,
            "  {:<12} {:?} ({}) {}",
            st.paint("32", value),
            clean(doc.slice(t.span)),
            t.anchor,
            shorten(&clean(doc.slice(t.sentence)))
        )?;
        Ok(())
    })?;
    Ok(())
}

/// A blank line, then a section's title in bold.
fn heading<W: Write>(out: &mut W, st: &Style, title: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", st.paint("1", title))
}

/// A digest section: a blank line, its title, then one entry per item; nothing when empty.
fn section<W: Write, T>(
    out: &mut W,
    st: &Style,
    title: &str,
    items: &[T],
    mut entry: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    heading(out, st, title)?;
    for item in items {
        entry(out, item)?;
    }
    Ok(())
}

/// Source chains: relayed claims first, each as "outlet → relay → speaker → “content”" with
/// one line per step giving its offsets, rule and cue; then the claims of a single voice, one
/// line each.
fn write_chains<W: Write>(out: &mut W, view: &DocView<'_>, st: &Style) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    let chains = &view.digests.source_chains;
    if chains.is_empty() {
        return Ok(());
    }
    let relayed = chains.iter().filter(|c| c.is_relayed()).count();
    let title = format!(
        "source chains ({relayed} relayed, {} single voice)",
        chains.len() - relayed
    );
    heading(out, st, &title)?;
    let offsets = |s: Span| format!("{}..{}", idx.char_offset(s.start), idx.char_offset(s.end));
    for chain in chains
        .iter()
        .filter(|c| c.is_relayed())
        .chain(chains.iter().filter(|c| !c.is_relayed()))
    {
        let mut names: Vec<String> = chain
            .names()
            .iter()
            .map(|n| clean(n).into_owned())
            .collect();
        if let Some(content) = chain.steps.iter().find(|s| s.role == StepRole::Content) {
            let parts: Vec<&str> = content.spans.iter().map(|s| doc.slice(s.span)).collect();
            names.push(quote(&parts.join(" … ")));
        }
        let class = chain.sourcing.as_ref().map_or("", |c| c.label.as_str());
        writeln!(
            out,
            "  {} {}",
            st.paint("36", &format!("{:<12}", format!("[{class}]"))),
            names.join(" → ")
        )?;
        if !chain.is_relayed() {
            continue;
        }
        for step in &chain.steps {
            let spans: Vec<String> = step.spans.iter().map(|s| offsets(s.span)).collect();
            let cue = step.cue.as_ref().map_or(String::new(), |c| {
                format!(" via {:?} {}", clean(doc.slice(c.span)), offsets(c.span))
            });
            let name = if step.name.is_empty() {
                String::new()
            } else {
                format!("{} ", clean(&step.name))
            };
            writeln!(
                out,
                "      {} {name}{} {}{}",
                st.paint("35", step.role.as_str()),
                if spans.is_empty() {
                    "(no span)".to_owned()
                } else {
                    spans.join(", ")
                },
                st.paint("2", &format!("[{}]", step.reason)),
                cue
            )?;
        }
    }
    Ok(())
}

/// Content in curly quotes (unless it starts with a quote of its own), cut to one line.
fn quote(s: &str) -> String {
    const MAX: usize = 120;
    let s = clean(s.trim()).into_owned();
    let s = match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    };
    if s.starts_with(['“', '"', '«', '‘']) {
        s
    } else {
        format!("“{s}”")
    }
}

/// Long annotation texts (a whole-document summary) are cut to keep the report readable;
/// the JSON export always has the full text.
fn shorten(s: &str) -> String {
    const MAX: usize = 200;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn attr_text(v: &claimlens_core::AttrValue) -> String {
    match v {
        claimlens_core::AttrValue::Str(s) => s.clone(),
        claimlens_core::AttrValue::Int(i) => i.to_string(),
        claimlens_core::AttrValue::Float(f) => format!("{f}"),
        claimlens_core::AttrValue::Bool(b) => b.to_string(),
    }
}

fn score(s: Option<f32>) -> String {
    s.map_or(String::new(), |s| format!(" {s:.2}"))
}
