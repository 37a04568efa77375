//! The side panel of one document, in the order a reader wants it: the legend (whose entries
//! are the highlight toggles), the ranked claims, the known narratives they match
//! ([`super::narratives`]), who said what, the source chains
//! ([`super::chains`]), entities, places, the timeline, the diagnostics, one collapsed section
//! per layer (under its title), and last, collapsed, the sentence list. The Places section
//! opens with a map of the places ([`super::map`]). Every entry is a
//! button whose `data-target` is the id of its highlight in the text; its own id
//! (`d{n}-i-…`) is what a click on the highlight finds.

use std::io::{self, Write};

use claimlens_core::{
    Annotation, AttrValue, CharIndex, Diagnostic, Doc, Layer, Link, Severity, Span,
};

use claimlens_schema::{layer, layer_title};

use super::chains::write_chains;
use super::map::write_map;
use super::style::{layer_class, mark_class, shown_by_default, technique_families, PRIMARY};
use super::{fix_span, Esc, Shown};
use crate::snippet::{cap, rank, score_bar, Snippet, SNIPPET_CHARS};
use crate::view::{Digests, DocView};
use crate::Said;

/// Sections with more entries than this start collapsed.
const OPEN_LIMIT: usize = 60;

/// The ` open` attribute for a section of `len` entries.
fn open(len: usize) -> &'static str {
    if len <= OPEN_LIMIT {
        " open"
    } else {
        ""
    }
}

pub(super) fn write_panel<W: Write>(
    w: &mut W,
    n: usize,
    view: &DocView<'_>,
    digests: &Digests<'_>,
    extras: &[Span],
) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    writeln!(
        w,
        "<aside class=\"panel\" aria-label=\"Annotations, document {n}\">"
    )?;
    let mut p = Panel {
        w,
        n,
        doc,
        idx,
        digests,
        families: technique_families(doc),
    };
    p.legend()?;
    // The ranked claims open the panel: they are what a fact-checker triages first.
    p.claims()?;
    // Beside the claims: the known cases they repeat.
    super::narratives::write_narratives(p.w, n, doc, idx, digests.narratives.as_ref())?;
    p.who_said_what()?;
    write_chains(p.w, n, doc, idx, &digests.source_chains, extras)?;
    p.entities()?;
    p.places()?;
    p.timeline()?;
    p.diagnostics(view.diagnostics)?;
    for (k, layer) in doc.layers().iter().enumerate() {
        p.layer(k, layer)?;
    }
    p.sentences()?;
    p.w.write_all(b"</aside>\n")
}

/// The id of annotation `j` of the layer named `layer` in document `n`, or empty when the
/// document has no such layer.
pub(super) fn highlight_id(doc: &Doc, n: usize, layer: &str, j: usize) -> String {
    doc.layers()
        .iter()
        .position(|l| l.name == layer)
        .map_or(String::new(), |k| format!("d{n}-a{k}-{j}"))
}

/// One document's panel being written.
struct Panel<'a, W: Write> {
    w: &'a mut W,
    /// Document number (1-based), used in ids.
    n: usize,
    doc: &'a Doc,
    idx: &'a CharIndex<'a>,
    digests: &'a Digests<'a>,
    /// The document's technique families ([`technique_families`]).
    families: Vec<&'a str>,
}

impl<'a, W: Write> Panel<'a, W> {
    /// A span fixed to the text: code-point start and end (shown), byte start and end (sliced).
    fn offs(&self, span: Span) -> (u32, u32, u32, u32) {
        let (s, e) = fix_span(span, self.doc.text());
        (self.idx.char_offset(s), self.idx.char_offset(e), s, e)
    }

    /// The bounded snippet of a span.
    fn snippet(&self, span: Span) -> Shown<'a> {
        Snippet::of(self.doc.text(), self.idx, span, SNIPPET_CHARS).into()
    }

    /// The id of annotation `j` of the layer named `layer`, or empty when the document has no
    /// such layer (the entry then jumps nowhere).
    fn target(&self, layer: &str, j: usize) -> String {
        highlight_id(self.doc, self.n, layer, j)
    }

    /// An always-open digest section listing `items` in a `list` (`ul` or `ol`), one `entry`
    /// each; nothing when there are no items (the document lacks the layers it needs).
    fn digest<T>(
        &mut self,
        title: &str,
        list: &str,
        items: &[T],
        entry: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        self.digest_with(title, list, items, |_| Ok(()), entry)
    }

    /// [`Self::digest`] with a `preface` written above the list (the places' map).
    fn digest_with<T>(
        &mut self,
        title: &str,
        list: &str,
        items: &[T],
        preface: impl FnOnce(&mut Self) -> io::Result<()>,
        mut entry: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        writeln!(
            self.w,
            "<details class=\"sec\" open><summary>{title} <span class=\"n\">({})</span></summary>",
            items.len()
        )?;
        preface(self)?;
        writeln!(self.w, "<{list} class=\"items\">")?;
        for item in items {
            entry(self, item)?;
        }
        writeln!(self.w, "</{list}>\n</details>")
    }

    /// A digest entry that jumps to `target`: a tag (an entity's type, a date's value), a name
    /// in bold, a note in brackets and a snippet below.
    fn named_entry(
        &mut self,
        target: &str,
        tag: &str,
        name: &Shown<'_>,
        note: &str,
        snippet: &Shown<'_>,
    ) -> io::Result<()> {
        writeln!(
            self.w,
            "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><span class=\"rule\">{}</span> <strong><bdi{}>{}</bdi></strong> <span class=\"n\">({})</span> <bdi class=\"snip\"{}>{}</bdi></button></li>",
            Esc(target),
            Esc(tag),
            name.title(),
            name,
            Esc(note),
            snippet.title(),
            snippet
        )
    }

    /// The legend, which is also the set of highlight toggles: one checkbox per layer under
    /// its title, with a swatch drawn like its highlights (the primary layer's three kinds of
    /// parts each get theirs), then the sentence shading. Only the primary layer starts
    /// checked.
    fn legend(&mut self) -> io::Result<()> {
        let doc = self.doc;
        self.w.write_all(
            b"<fieldset class=\"toggles legend\"><legend>Highlights</legend>\n<p class=\"hint\">Click a highlight for what it is and why; tick a layer to show it.</p>\n",
        )?;
        let shown = shown_by_default(doc);
        for (k, layer) in doc.layers().iter().enumerate() {
            let checked = if shown[k] { " checked" } else { "" };
            let swatches = if layer.name == PRIMARY {
                "<span class=\"kinds\"><span class=\"sw pq\" aria-hidden=\"true\"></span> quotes <span class=\"sw ps\" aria-hidden=\"true\"></span> speakers <span class=\"sw pv\" aria-hidden=\"true\"></span> reporting verbs</span>".to_owned()
            } else {
                format!(
                    "<span class=\"sw {}\" aria-hidden=\"true\"></span>",
                    layer_class(&layer.name)
                )
            };
            writeln!(
                self.w,
                "<label><input type=\"checkbox\"{checked} data-hide=\"hide-l{k}\"> <bdi>{}</bdi> <span class=\"n\">({})</span> {swatches}</label>",
                Esc(layer_title(&layer.name)),
                layer.annotations.len()
            )?;
            if layer.name == layer::TECHNIQUES {
                self.family_toggles(layer)?;
            }
        }
        writeln!(
            self.w,
            "<label><input type=\"checkbox\" data-hide=\"hide-sent\"> Sentences, shaded in turn <span class=\"n\">({})</span> <span class=\"sw sw-sent\" aria-hidden=\"true\"></span></label>",
            doc.sentences.len()
        )?;
        self.w.write_all(b"</fieldset>\n")
    }

    /// Under the techniques layer's toggle, one per technique family: its colour, its name,
    /// how many spans it has, and a checkbox that hides or shows just that family (ticked:
    /// the family shows whenever the layer does).
    fn family_toggles(&mut self, layer: &Layer) -> io::Result<()> {
        if self.families.is_empty() {
            return Ok(());
        }
        self.w.write_all(
            b"<div class=\"families\" role=\"group\" aria-label=\"Technique families\">\n",
        )?;
        for (j, family) in self.families.iter().enumerate() {
            let count = layer
                .annotations
                .iter()
                .filter(|a| a.attr_str("family") == Some(family))
                .count();
            writeln!(
                self.w,
                "<label><input type=\"checkbox\" checked data-hide=\"hide-tf{j}\"> <bdi>{}</bdi> <span class=\"n\">({count})</span> <span class=\"sw {} tf{j}\" aria-hidden=\"true\"></span></label>",
                Esc(family),
                layer_class(layer::TECHNIQUES)
            )?;
        }
        self.w.write_all(b"</div>\n")
    }

    fn sentences(&mut self) -> io::Result<()> {
        let (n, doc) = (self.n, self.doc);
        writeln!(
            self.w,
            "<details class=\"sec\"><summary>Sentences <span class=\"n\">({})</span></summary>",
            doc.sentences.len()
        )?;
        if doc.sentences.is_empty() {
            self.w
                .write_all(b"<p class=\"none\">No sentences (segmentation did not run).</p>\n")?;
        } else {
            self.w.write_all(b"<ol class=\"items\">\n")?;
            for (i, s) in doc.sentences.iter().enumerate() {
                let (cs, ce, _, _) = self.offs(s.span);
                let shown = self.snippet(s.span);
                writeln!(
                    self.w,
                    "<li class=\"item\" id=\"d{n}-i-s{i}\"><button type=\"button\" class=\"jump\" data-target=\"d{n}-s{i}\"><span class=\"off\">{cs}–{ce}</span> <span class=\"rule\">{}</span> <bdi class=\"snip\"{}>{}</bdi></button></li>",
                    s.end_rule.as_str(),
                    shown.title(),
                    shown
                )?;
            }
            self.w.write_all(b"</ol>\n")?;
        }
        self.w.write_all(b"</details>\n")
    }

    /// The claims by rank: a jump to the claim's highlight showing its rank, score bar, type,
    /// speaker, sourcing label and snippet, then its checkable details, each a link to the
    /// highlight of the amount, time, place or entity.
    fn claims(&mut self) -> io::Result<()> {
        let claims = &self.digests.claims;
        self.digest("Claims (ranked)", "ul", claims, |p, c| {
            let shown = p.snippet(c.span);
            writeln!(
                p.w,
                "<li class=\"item claim\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><span class=\"rank\">{}</span> <span class=\"bar\" aria-hidden=\"true\">{}</span> <span class=\"n\">{:.2}</span> <span class=\"rule\">{}</span> <strong><bdi>{}</bdi></strong> <span class=\"cls cls-{}\">{}</span> <bdi class=\"snip\"{}>{}</bdi></button>",
                Esc(&p.target(layer::CLAIMS, c.index)),
                rank(c.rank),
                score_bar(c.checkworthy),
                c.checkworthy,
                Esc(&cap(&c.kind, SNIPPET_CHARS)),
                Esc(&cap(&c.speaker, SNIPPET_CHARS)),
                // The class only from the documented labels: the value comes from the layer.
                match c.sourcing.as_ref() {
                    l @ ("named" | "anonymous" | "vague" | "unsourced") => l,
                    _ => "other",
                },
                Esc(&cap(&c.sourcing, SNIPPET_CHARS)),
                shown.title(),
                shown
            )?;
            if !c.details.is_empty() {
                p.w.write_all(b"<ul class=\"links\">")?;
                for d in &c.details {
                    let target = d
                        .target
                        .target
                        .as_ref()
                        .map_or(String::new(), |(l, i)| p.target(l, *i));
                    let shown = p.snippet(d.target.span);
                    write!(
                        p.w,
                        "<li><span class=\"role\">{}</span> <button type=\"button\" class=\"link\" data-target=\"{}\"><span class=\"rule\">{}</span> <bdi class=\"snip1\"{}>{}</bdi></button></li>",
                        d.role,
                        Esc(&target),
                        Esc(&cap(d.label, SNIPPET_CHARS)),
                        shown.title(),
                        shown
                    )?;
                }
                p.w.write_all(b"</ul>")?;
            }
            p.w.write_all(b"</li>\n")
        })
    }

    /// Each speaker's attributions, linked to their cue in the text: the cue as the verb it
    /// is, whom it was said to when the sourcing stage found an addressee, and the content in
    /// quotes. Attributions without content, and speakers left with none, are left out.
    fn who_said_what(&mut self) -> io::Result<()> {
        let doc = self.doc;
        let has_content = |s: &&Said| s.content.iter().any(|&c| !doc.slice(c).trim().is_empty());
        let digest: Vec<(&str, Vec<&Said>)> = self
            .digests
            .who_said_what
            .iter()
            .map(|(name, said)| (name.as_str(), said.iter().filter(has_content).collect()))
            .filter(|(_, said): &(&str, Vec<&Said>)| !said.is_empty())
            .collect();
        self.digest("Who said what", "ul", &digest, |p, (speaker, said)| {
            writeln!(
                p.w,
                "<li class=\"item\"><strong><bdi>{}</bdi></strong> <span class=\"n\">({})</span><ol>",
                Esc(&cap(speaker, SNIPPET_CHARS)),
                said.len()
            )?;
            for s in said {
                let content: Vec<String> = s
                    .content
                    .iter()
                    .filter(|&&c| !doc.slice(c).trim().is_empty())
                    .map(|&c| p.snippet(c).to_string())
                    .collect();
                let to: String = s
                    .addressees
                    .iter()
                    .map(|&a| format!(" <bdi class=\"to\">{}</bdi>", p.snippet(a)))
                    .collect();
                // Curly quotes around the content, unless it opens with a quote of its own.
                let own = s.content.iter().find(|&&c| !doc.slice(c).trim().is_empty());
                let (open, close) = match own.map(|&c| doc.slice(c).trim_start()) {
                    Some(t) if t.starts_with(['“', '"', '«', '‘', '„']) => ("", ""),
                    _ => ("“", "”"),
                };
                writeln!(
                    p.w,
                    "<li><button type=\"button\" class=\"jump said\" data-target=\"{}\"><span class=\"rule\">{}</span>{to} <span class=\"sep\">—</span> <bdi class=\"snip\">{open}{}{close}</bdi></button></li>",
                    Esc(&p.target(layer::ATTRIBUTIONS, s.relation)),
                    p.snippet(s.cue),
                    content.join(" … ")
                )?;
            }
            p.w.write_all(b"</ol></li>\n")
        })
    }

    /// Canonical names with their type, aliases and mention count.
    fn entities(&mut self) -> io::Result<()> {
        let entities = &self.digests.entities;
        self.digest("Entities", "ul", entities, |p, e| {
            let aliases = if e.aliases.is_empty() {
                String::new()
            } else {
                let aliases: Vec<_> = e.aliases.iter().map(|a| cap(a, SNIPPET_CHARS)).collect();
                format!(" aka {}", aliases.join(", "))
            };
            let target = p.target(layer::ENTITY_GROUPS, e.group);
            let mentions = e.mentions.to_string();
            let aliases = Shown {
                text: aliases.into(),
                ..Shown::text("")
            };
            p.named_entry(
                &target,
                &e.label,
                &Shown::text(&e.canonical),
                &mentions,
                &aliases,
            )
        })
    }

    /// The map of the places with coordinates, then each resolved place once, with
    /// coordinates and a map link.
    fn places(&mut self) -> io::Result<()> {
        let places = &self.digests.places;
        let (doc, n) = (self.doc, self.n);
        let map = |p: &mut Self| write_map(p.w, places, |j| highlight_id(doc, n, layer::PLACES, j));
        self.digest_with("Places", "ul", places, map, |p, place| {
            write!(
                p.w,
                "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><strong><bdi>{}</bdi></strong> <span class=\"n\">({}) ×{}</span></button>",
                Esc(&p.target(layer::PLACES, place.index)),
                Esc(&cap(&place.name, SNIPPET_CHARS)),
                Esc(&cap(&place.description(), SNIPPET_CHARS)),
                place.mentions
            )?;
            if let Some((lat, lon)) = place.point {
                write!(
                    p.w,
                    " <a class=\"off\" href=\"https://www.openstreetmap.org/?mlat={lat:.4}&amp;mlon={lon:.4}#map=9/{lat:.4}/{lon:.4}\" rel=\"noopener noreferrer\" target=\"_blank\">{lat:.4}, {lon:.4}</a>"
                )?;
            }
            p.w.write_all(b"</li>\n")
        })
    }

    /// Dated expressions in calendar order with the sentence each dates.
    fn timeline(&mut self) -> io::Result<()> {
        let timeline = &self.digests.timeline;
        self.digest("Timeline", "ol", timeline, |p, t| {
            let value = if t.value.is_empty() {
                "undated"
            } else {
                &t.value
            };
            let target = p.target(layer::TIMES, t.index);
            let text = p.doc.text();
            let sentence = Snippet::around(text, p.idx, t.sentence, t.span, SNIPPET_CHARS);
            p.named_entry(
                &target,
                value,
                &p.snippet(t.span),
                &t.anchor,
                &sentence.into(),
            )
        })
    }

    /// The section of named layer `k`: every annotation with its reason, attributes and links.
    fn layer(&mut self, k: usize, layer: &Layer) -> io::Result<()> {
        writeln!(
            self.w,
            "<details class=\"sec layer {}\"><summary><span class=\"sw {}\" aria-hidden=\"true\"></span> <bdi>{}</bdi> <span class=\"n\">({})</span> <span class=\"producer\">from <bdi>{}</bdi></span></summary>",
            layer_class(&layer.name),
            layer_class(&layer.name),
            Esc(layer_title(&layer.name)),
            layer.annotations.len(),
            Esc(&layer.producer)
        )?;
        if layer.annotations.is_empty() {
            self.w
                .write_all(b"<p class=\"none\">No annotations.</p>\n")?;
            return self.w.write_all(b"</details>\n");
        }
        self.w.write_all(b"<ol class=\"items\" start=\"0\">\n")?;
        for (j, a) in layer.annotations.iter().enumerate() {
            self.annotation(k, &layer.name, j, a)?;
        }
        self.w.write_all(b"</ol>\n</details>\n")
    }

    fn annotation(&mut self, k: usize, name: &str, j: usize, a: &Annotation) -> io::Result<()> {
        let n = self.n;
        let (cs, ce, _, _) = self.offs(a.span);
        let shown = self.snippet(a.span);
        write!(
            self.w,
            "<li class=\"item\" id=\"d{n}-i-a{k}-{j}\"><button type=\"button\" class=\"jump\" data-target=\"d{n}-a{k}-{j}\"><span class=\"lab {}\">{}</span> <span class=\"off\">{cs}–{ce}</span> <bdi class=\"snip\"{}>{}</bdi></button>",
            mark_class(name, a, &self.families),
            Esc(&a.label),
            shown.title(),
            shown
        )?;
        write!(
            self.w,
            "<div class=\"why\">{}:{}",
            Esc(&a.reason.stage),
            Esc(&a.reason.rule)
        )?;
        if let Some(score) = a.reason.score {
            write!(self.w, " · score {score:.2}")?;
        }
        self.w.write_all(b"</div>")?;
        if !a.attrs.is_empty() {
            self.w.write_all(b"<dl class=\"attrs\">")?;
            for (key, v) in &a.attrs {
                write!(self.w, "<div><dt>{}</dt><dd><bdi>", Esc(key))?;
                match v {
                    AttrValue::Str(s) => write!(self.w, "{}", Esc(&cap(s, SNIPPET_CHARS)))?,
                    AttrValue::Int(i) => write!(self.w, "{i}")?,
                    AttrValue::Float(f) => write!(self.w, "{f}")?,
                    AttrValue::Bool(b) => write!(self.w, "{b}")?,
                }
                self.w.write_all(b"</bdi></dd></div>")?;
            }
            self.w.write_all(b"</dl>")?;
        }
        if !a.links.is_empty() {
            self.w.write_all(b"<ul class=\"links\">")?;
            for l in &a.links {
                self.link(l)?;
            }
            self.w.write_all(b"</ul>")?;
        }
        self.w.write_all(b"</li>\n")
    }

    /// A link to another annotation: a button to it when it exists, else its plain reference.
    fn link(&mut self, l: &Link) -> io::Result<()> {
        let (n, doc) = (self.n, self.doc);
        write!(
            self.w,
            "<li><span class=\"role\">{}</span> → ",
            Esc(&l.role)
        )?;
        let target = doc
            .layers()
            .iter()
            .position(|t| t.name == l.layer.as_str())
            .and_then(|tk| {
                let t = doc.layers()[tk].annotations.get(l.index as usize)?;
                Some((tk, t))
            });
        match target {
            Some((tk, t)) => write!(
                self.w,
                "<button type=\"button\" class=\"link\" data-target=\"d{n}-a{tk}-{}\"><bdi>{}</bdi> <span class=\"lab {}\">{}</span> <bdi class=\"snip1\"{}>{}</bdi></button>",
                l.index,
                Esc(layer_title(&l.layer)),
                mark_class(&l.layer, t, &self.families),
                Esc(&t.label),
                self.snippet(t.span).title(),
                self.snippet(t.span)
            )?,
            None => write!(
                self.w,
                "<bdi>{}</bdi> #{}",
                Esc(layer_title(&l.layer)),
                l.index
            )?,
        }
        self.w.write_all(b"</li>")
    }

    fn diagnostics(&mut self, diags: &[Diagnostic]) -> io::Result<()> {
        writeln!(
            self.w,
            "<details class=\"sec diags\"{}><summary>Diagnostics <span class=\"n\">({})</span></summary>",
            open(diags.len()),
            diags.len()
        )?;
        if diags.is_empty() {
            self.w.write_all(b"<p class=\"none\">None.</p>\n")?;
        } else {
            self.w.write_all(b"<ul class=\"items\">\n")?;
            for d in diags {
                let sev = match d.severity {
                    Severity::Info => "info",
                    Severity::Warning => "warning",
                };
                write!(
                    self.w,
                    "<li class=\"item diag {sev}\"><span class=\"sev\">{sev}</span> <span class=\"stage\">{}</span>: <bdi>{}</bdi>",
                    Esc(&d.stage),
                    Esc(&d.message)
                )?;
                if let Some(span) = d.span {
                    let (cs, ce, _, _) = self.offs(span);
                    write!(self.w, " <span class=\"off\">{cs}–{ce}</span>")?;
                }
                self.w.write_all(b"</li>\n")?;
            }
            self.w.write_all(b"</ul>\n")?;
        }
        self.w.write_all(b"</details>\n")
    }
}
