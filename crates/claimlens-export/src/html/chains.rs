//! The "Source chains" panel section: each claim's chain drawn as boxes joined by arrows,
//! top to bottom (outlet → relay → speaker → cited source → content), relayed claims first
//! and the claims of a single voice in a collapsed list.
//!
//! Every piece of text a step shows is a `button.step-link` whose `data-target` is the
//! highlight of exactly those characters (an annotation's mark — an outlet's is its `outlets`
//! annotation —, or a `mark.x` the text sweep adds for a step span no annotation covers,
//! which the digest does not produce today) and whose `data-start` / `data-end`
//! are its code-point offsets; the report's script jumps to and flashes it like any panel
//! entry. A `mark.x` clicked in the text flashes the step that points at it (`d{n}-i-x{i}`).

use std::collections::HashMap;
use std::io::{self, Write};

use claimlens_core::{CharIndex, Doc, Span};

use super::{Esc, Shown, PALETTE};
use crate::snippet::{cap, Snippet, SNIPPET_CHARS};
use crate::{ChainStep, SourceChain, SpanRef, StepRole};

/// Ids of highlights and code-point offsets for one document.
struct Targets<'a> {
    n: usize,
    doc: &'a Doc,
    idx: &'a CharIndex<'a>,
    /// Index of each extra highlight by its span.
    extras: HashMap<Span, usize>,
}

impl Targets<'_> {
    /// The id of the highlight of exactly `r`'s characters, when the report has one.
    fn id(&self, r: &SpanRef) -> Option<String> {
        let n = self.n;
        match &r.target {
            Some((layer, j)) => {
                let k = self.doc.layers().iter().position(|l| l.name == *layer)?;
                Some(format!("d{n}-a{k}-{j}"))
            }
            None => {
                let i = self.extras.get(&r.span)?;
                Some(format!("d{n}-x{i}"))
            }
        }
    }

    /// A link to `r`'s highlight showing its text (in bold when it is the step's name); plain
    /// text when there is none.
    fn link<W: Write>(&self, w: &mut W, r: &SpanRef, bold: bool) -> io::Result<()> {
        let snippet = Snippet::of(self.doc.text(), self.idx, r.span, SNIPPET_CHARS);
        let (cs, ce) = fix_chars(self, r.span);
        // A cut text says which characters it shows (the browser test reads them there).
        let (window, title) = if snippet.is_cut() {
            let (a, b) = (snippet.start, snippet.end);
            (
                format!(" data-shown-start=\"{a}\" data-shown-end=\"{b}\""),
                format!(", shown {a}–{b}"),
            )
        } else {
            (String::new(), String::new())
        };
        let shown = Shown::from(snippet);
        match self.id(r) {
            Some(id) => write!(
                w,
                "<button type=\"button\" class=\"link step-link\" data-target=\"{id}\" data-start=\"{cs}\" data-end=\"{ce}\"{window} title=\"{cs}–{ce}{title}\"><bdi class=\"q{}\">{shown}</bdi></button>",
                if bold { " name" } else { "" }
            ),
            None => write!(w, "<bdi class=\"q\"{}>{shown}</bdi>", shown.title()),
        }
    }
}

/// Code-point offsets of a span fixed to the text.
fn fix_chars(t: &Targets<'_>, span: Span) -> (u32, u32) {
    let (s, e) = crate::snippet::fix_span(span, t.doc.text());
    (t.idx.char_offset(s), t.idx.char_offset(e))
}

/// Colour class of a step's box (the layer palette, so dark mode follows).
fn colour(role: StepRole) -> usize {
    match role {
        StepRole::Outlet => 4,
        StepRole::Relay => 0,
        StepRole::Speaker => 1,
        StepRole::CitedSource => 6,
        StepRole::Content => 2,
    }
}

pub(super) fn write_chains<W: Write>(
    w: &mut W,
    n: usize,
    doc: &Doc,
    idx: &CharIndex<'_>,
    chains: &[SourceChain],
    extras: &[Span],
) -> io::Result<()> {
    if chains.is_empty() {
        return Ok(());
    }
    let t = Targets {
        n,
        doc,
        idx,
        extras: extras.iter().enumerate().map(|(i, &s)| (s, i)).collect(),
    };
    let (relayed, single): (Vec<&SourceChain>, Vec<&SourceChain>) =
        chains.iter().partition(|c| c.is_relayed());
    writeln!(
        w,
        "<details class=\"sec chains\" open><summary>Source chains <span class=\"n\">({} relayed · {} single voice)</span></summary>",
        relayed.len(),
        single.len()
    )?;
    // The first step pointing at each extra highlight gets the id its mark's click looks for.
    let mut extra_item = vec![false; extras.len()];
    if relayed.is_empty() {
        w.write_all(b"<p class=\"none\">No relayed claims.</p>\n")?;
    } else {
        w.write_all(b"<ol class=\"items\">\n")?;
        for c in &relayed {
            write_chain(w, &t, c, &mut extra_item)?;
        }
        w.write_all(b"</ol>\n")?;
    }
    if !single.is_empty() {
        writeln!(
            w,
            "<details class=\"single\"><summary>Single voice <span class=\"n\">({})</span></summary>\n<ol class=\"items\">",
            single.len()
        )?;
        for c in &single {
            write_chain(w, &t, c, &mut extra_item)?;
        }
        w.write_all(b"</ol>\n</details>\n")?;
    }
    w.write_all(b"</details>\n")
}

fn write_chain<W: Write>(
    w: &mut W,
    t: &Targets<'_>,
    c: &SourceChain,
    extra_item: &mut [bool],
) -> io::Result<()> {
    let n = t.n;
    w.write_all(b"<li class=\"item chain\">")?;
    if let Some(class) = &c.sourcing {
        let target = t
            .doc
            .layers()
            .iter()
            .position(|l| l.name == claimlens_schema::layer::SOURCING)
            .map_or(String::new(), |k| {
                format!(" data-target=\"d{n}-a{k}-{}\"", class.index)
            });
        write!(
            w,
            "<button type=\"button\" class=\"link cls cls-{0}\"{target} title=\"sentence sourcing: sourcing:{1}\">{0}</button> ",
            Esc(class.label),
            Esc(class.rule)
        )?;
    }
    let names: Vec<_> = c.names().iter().map(|n| cap(n, SNIPPET_CHARS)).collect();
    let names = names.join(" → ");
    write!(
        w,
        "<span class=\"chain-names\"><bdi>{}</bdi></span><ol class=\"steps\">",
        Esc(&names)
    )?;
    for (i, step) in c.steps.iter().enumerate() {
        if i > 0 {
            write_arrow(w, t, &c.steps[i - 1])?;
        }
        write_step(w, t, step, extra_item)?;
    }
    w.write_all(b"</ol></li>\n")
}

/// The arrow into the next step, labelled with the cue the previous voice speaks through.
fn write_arrow<W: Write>(w: &mut W, t: &Targets<'_>, from: &ChainStep) -> io::Result<()> {
    w.write_all(b"<li class=\"arrow\"><span aria-hidden=\"true\">\xe2\x86\x93</span> ")?;
    if let Some(cue) = &from.cue {
        t.link(w, cue, false)?;
    }
    w.write_all(b"</li>")
}

fn write_step<W: Write>(
    w: &mut W,
    t: &Targets<'_>,
    step: &ChainStep,
    extra_item: &mut [bool],
) -> io::Result<()> {
    let n = t.n;
    let role = match step.role {
        StepRole::CitedSource => "cited",
        other => other.as_str(),
    };
    write!(
        w,
        "<li class=\"step r-{role} c{}\"",
        colour(step.role) % PALETTE
    )?;
    for r in step.spans.iter().filter(|r| r.target.is_none()) {
        if let Some(&i) = t.extras.get(&r.span) {
            if !std::mem::replace(&mut extra_item[i], true) {
                write!(w, " id=\"d{n}-i-x{i}\"")?;
                break;
            }
        }
    }
    write!(
        w,
        "><span class=\"role\">{}</span>",
        Esc(step.role.as_str())
    )?;
    // The name, unless the one mention spells it already.
    let spelled = match step.spans.as_slice() {
        [one] => t.doc.text().get(one.span.range()).map(str::trim) == Some(step.name),
        _ => false,
    };
    if !step.name.is_empty() && !spelled {
        write!(w, " <strong><bdi>{}</bdi></strong>", Shown::text(step.name))?;
    }
    for (k, r) in step.spans.iter().enumerate() {
        w.write_all(if k == 0 { b" " } else { b" \xe2\x80\xa6 " })?;
        t.link(w, r, spelled)?;
    }
    if !step.kind.is_empty() && step.kind != "named" {
        write!(w, " <span class=\"n\">({})</span>", Esc(step.kind))?;
    }
    write!(w, "<div class=\"why\">{}", Esc(&step.reason.to_string()))?;
    if let Some(by) = step.resolved_by.as_ref().filter(|by| **by != step.reason) {
        write!(w, " · named by {}", Esc(&by.to_string()))?;
    }
    w.write_all(b"</div></li>")
}
