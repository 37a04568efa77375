//! The digest sections: the ranked claims, who said what, the source chains, entities, places,
//! the persuasion techniques and the timeline.

use crate::Digests;
use std::io::{self, Write};

use claimlens_core::Span;

use super::{heading, plain, quoted, Style};
use crate::snippet::{cap, rank, score_bar, Snippet, SNIPPET_CHARS};
use crate::terminal::clean;
use crate::view::DocView;
use crate::{CaseMatch, KnownNarratives, StepRole};

/// Most code points of a claim's content shown on a source chain's one-line summary.
const QUOTE_CHARS: usize = 120;

/// The ranked claims, who said what, the source chains, entities, places and the timeline.
pub(super) fn write_digests<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    st: &Style,
) -> io::Result<()> {
    let digests = Digests::of(view.doc);
    let (text, idx) = (view.doc.text(), &view.index);
    let snippet = |span| Snippet::of(text, idx, span, SNIPPET_CHARS);
    let name = |s: &str| cap(s, SNIPPET_CHARS).into_owned();
    section(out, st, "Claims (ranked)", &digests.claims, |out, c| {
        writeln!(
            out,
            "  {} {} {:.2}  {}  {}  {}",
            st.paint("1", &format!("{:<4}", rank(c.rank))),
            st.paint("33", &score_bar(c.checkworthy)),
            c.checkworthy,
            st.paint("36", &clean(&name(&c.kind))),
            st.paint("35", &clean(&name(&c.speaker))),
            st.paint("2", &format!("[{}]", clean(&name(&c.sourcing)))),
        )?;
        writeln!(out, "       {}", plain(snippet(c.span)))?;
        if !c.details.is_empty() {
            let details: Vec<String> = c
                .details
                .iter()
                .map(|d| {
                    format!(
                        "{} {}",
                        clean(&name(d.label)),
                        quoted(snippet(d.target.span))
                    )
                })
                .collect();
            writeln!(
                out,
                "       {} {}",
                st.paint("2", "checkable:"),
                details.join(", ")
            )?;
        }
        Ok(())
    })?;
    if let Some(known) = &digests.narratives {
        write_narratives(out, view, known, st)?;
    }
    write_who_said_what(out, view, &digests, st)?;
    write_chains(out, view, &digests, st)?;
    section(out, st, "Entities", &digests.entities, |out, e| {
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            let aliases: Vec<String> = e.aliases.iter().map(|a| name(a)).collect();
            format!(" aka {}", clean(&aliases.join(", ")))
        };
        writeln!(
            out,
            "  {:<9} {} ({}){}",
            st.paint("36", &e.label),
            clean(&name(&e.canonical)),
            e.mentions,
            aliases
        )?;
        Ok(())
    })?;
    section(out, st, "Places", &digests.places, |out, p| {
        let point = p
            .point
            .map_or(String::new(), |(lat, lon)| format!(" {lat:.4}, {lon:.4}"));
        writeln!(
            out,
            "  {} ({}){} ×{}",
            st.paint("34", &name(&p.name)),
            clean(&name(&p.description())),
            point,
            p.mentions
        )?;
        Ok(())
    })?;
    section(
        out,
        st,
        "Persuasion techniques",
        &digests.techniques,
        |out, t| {
            let spans: Vec<String> = t
                .spans
                .iter()
                .map(|&(_, span, score)| {
                    let (a, b) = view.chars(span);
                    format!("{} {a}..{b} {score:.2}", quoted(snippet(span)))
                })
                .collect();
            writeln!(
                out,
                "  {} ({}) ×{}: {}",
                st.paint("31", &clean(&name(&t.technique))),
                clean(&name(&t.family)),
                t.spans.len(),
                spans.join(", ")
            )?;
            Ok(())
        },
    )?;
    section(out, st, "Timeline", &digests.timeline, |out, t| {
        let value = if t.value.is_empty() {
            "undated"
        } else {
            &t.value
        };
        let context = Snippet::around(text, idx, t.sentence, t.span, SNIPPET_CHARS);
        writeln!(
            out,
            "  {:<12} {} ({}) {}",
            st.paint("32", value),
            quoted(snippet(t.span)),
            clean(&t.anchor),
            plain(context)
        )?;
        Ok(())
    })?;
    Ok(())
}

/// Who said what, one line per attribution under its speaker: the cue as the verb it is,
/// whom it was said to when the sourcing stage found an addressee, then the content in
/// quotes — `said — “…”`, `told the Coastal Times — “…”`. An attribution whose content was
/// not found is left out (there is no "what"), and so is a speaker left with none.
fn write_who_said_what<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    digests: &Digests<'_>,
    st: &Style,
) -> io::Result<()> {
    let (text, idx) = (view.doc.text(), &view.index);
    let said_something = |s: &&crate::Said| {
        s.content
            .iter()
            .any(|&c| !view.doc.slice(c).trim().is_empty())
    };
    let speakers: Vec<(&str, Vec<&crate::Said>)> = digests
        .who_said_what
        .iter()
        .map(|(name, said)| {
            (
                name.as_str(),
                said.iter().filter(said_something).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, said)| !said.is_empty())
        .collect();
    if speakers.is_empty() {
        return Ok(());
    }
    heading(out, st, "Who said what")?;
    let one_line = |span: Span| {
        let s = clean(view.doc.slice(span));
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    for (speaker, said) in speakers {
        writeln!(out, "  {}", st.paint("35", &cap(speaker, SNIPPET_CHARS)))?;
        for s in said {
            let mut verb = cap(&one_line(s.cue), SNIPPET_CHARS).into_owned();
            for &a in &s.addressees {
                verb.push(' ');
                verb.push_str(&cap(&one_line(a), SNIPPET_CHARS));
            }
            let parts: Vec<String> = s
                .content
                .iter()
                .filter(|&&c| !view.doc.slice(c).trim().is_empty())
                .map(|&c| {
                    let shown = Snippet::of(text, idx, c, SNIPPET_CHARS);
                    let (before, after) = shown.marks();
                    format!("{before}{}{after}", clean(shown.text.trim()))
                })
                .collect();
            writeln!(
                out,
                "    {} — {}",
                st.paint("33", &verb),
                quote(&parts.join(" … "))
            )?;
        }
    }
    Ok(())
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
fn write_chains<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    digests: &Digests<'_>,
    st: &Style,
) -> io::Result<()> {
    let (text, idx) = (view.doc.text(), &view.index);
    let chains = &digests.source_chains;
    if chains.is_empty() {
        return Ok(());
    }
    let relayed = chains.iter().filter(|c| c.is_relayed()).count();
    let title = format!(
        "Source chains ({relayed} relayed, {} single voice)",
        chains.len() - relayed
    );
    heading(out, st, &title)?;
    let offsets = |s: Span| {
        let (a, b) = view.chars(s);
        format!("{a}..{b}")
    };
    for chain in chains
        .iter()
        .filter(|c| c.is_relayed())
        .chain(chains.iter().filter(|c| !c.is_relayed()))
    {
        let mut names: Vec<String> = chain
            .names()
            .iter()
            .map(|n| clean(&cap(n, SNIPPET_CHARS)).into_owned())
            .collect();
        if let Some(content) = chain.steps.iter().find(|s| s.role == StepRole::Content) {
            let parts: Vec<String> = content
                .spans
                .iter()
                .map(|s| {
                    let shown = Snippet::of(text, idx, s.span, QUOTE_CHARS);
                    let (before, after) = shown.marks();
                    format!("{before}{}{after}", clean(shown.text.trim()))
                })
                .collect();
            names.push(quote(&parts.join(" … ")));
        }
        let class = chain.sourcing.as_ref().map_or("", |c| c.label);
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
                let shown = Snippet::of(text, idx, c.span, SNIPPET_CHARS);
                format!(" via {} {}", quoted(shown), offsets(c.span))
            });
            let name = if step.name.is_empty() {
                String::new()
            } else {
                format!("{} ", clean(&cap(step.name, SNIPPET_CHARS)))
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

/// Content in curly quotes, unless it starts with a quote of its own.
fn quote(s: &str) -> String {
    if s.starts_with(['“', '"', '«', '‘']) {
        s.to_owned()
    } else {
        format!("“{s}”")
    }
}

/// Known narratives: each matched claim with its cases below it, then the article's best
/// cases; one line saying nothing matched when the layer is there but empty.
fn write_narratives<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    known: &KnownNarratives,
    st: &Style,
) -> io::Result<()> {
    let matcher = known.matcher.as_deref().unwrap_or("");
    if known.claims.is_empty() {
        heading(out, st, "Known narratives")?;
        return writeln!(out, "  no stored case matches this article's claims");
    }
    heading(
        out,
        st,
        &format!("Known narratives (matcher {})", cap(matcher, SNIPPET_CHARS)),
    )?;
    writeln!(out, "  {}", crate::digest::PROBABILITY_NOTE)?;
    let snippet = |span| Snippet::of(view.doc.text(), &view.index, span, SNIPPET_CHARS);
    for claim in &known.claims {
        let (start, end) = view.chars(claim.span);
        writeln!(out, "  {} {start}..{end}", quoted(snippet(claim.span)))?;
        for case in &claim.cases {
            write_case(out, case, st)?;
        }
    }
    if !known.article.is_empty() {
        writeln!(out, "  {}", st.paint("1", "The article's best:"))?;
        for case in &known.article {
            write_case(out, case, st)?;
        }
    }
    Ok(())
}

/// `p 0.64  Headline (date) [verdict]  source  url` (p: the match's calibrated probability),
/// then the summary on its own line.
fn write_case<W: Write>(out: &mut W, case: &CaseMatch, st: &Style) -> io::Result<()> {
    let name = |s: &str| clean(&cap(s, SNIPPET_CHARS)).into_owned();
    let mut line = format!(
        "    p {:.2}  {}",
        case.score,
        st.paint("1", &cap(&case.headline, SNIPPET_CHARS))
    );
    if let Some(date) = &case.date {
        line.push_str(&format!(" ({})", name(date)));
    }
    if let Some(verdict) = &case.verdict {
        line.push_str(&format!(
            " {}",
            st.paint("33", &format!("[{}]", name(verdict)))
        ));
    }
    line.push_str(&format!("  {}", st.paint("2", &name(&case.source))));
    if let Some(url) = &case.url {
        line.push_str(&format!("  {}", name(url)));
    }
    writeln!(out, "{line}")?;
    if let Some(summary) = &case.summary {
        writeln!(out, "            {}", name(summary))?;
    }
    Ok(())
}
