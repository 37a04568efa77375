//! Sourcing: who the speakers are, which claims are relayed through whom, and how well each
//! sentence is sourced. Reads the attribution layers; adds four layers:
//!
//! * `speakers`: one annotation per attribution source, labelled with the canonical speaker
//!   (`attrs.kind`: named / pronoun / role / anonymous; `attrs.role` when stated), linked to
//!   its `mention` in `attribution-parts` and, for pronouns, roles and surnames, to its
//!   `antecedent` in `speakers`.
//! * `source-chains`: for an attribution relayed by another ("Press TV reports: … Zakharova
//!   said …") or told to an outlet ("told Russia's Sputnik news agency"), an annotation on its
//!   cue with `attrs.chain` ("Press TV → Maria Zakharova"), a `relayed-by` link and an
//!   `outlet` link to each outlet the chain passes through.
//! * `outlets`: an `OUTLET` on the words of each of those outlets (see `outlets.rs`).
//! * `sourcing`: one label per sentence — `named`, `anonymous`, `vague` (rests on "there were
//!   reports", "reportedly", …) or `unsourced` — plus a `SUMMARY` over the whole text with the
//!   share of characters in each class.

mod hedges;
mod outlets;
mod speakers;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Link, Reason, Span, Stage};

use crate::attribution::{PARTS_LAYER, RELATIONS_LAYER};
pub use outlets::LAYER as OUTLETS_LAYER;
pub use speakers::{classify, expand_name, is_relative_pronoun, MentionKind};

/// Stage name.
pub const STAGE: &str = "sourcing";

static HEDGES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(hedges::VAGUE_PHRASES.iter().map(|(p, _)| p))
        .expect("valid phrases")
});

/// How many earlier attributions may relay a later one.
const RELAY_WINDOW: usize = 64;

/// The sourcing stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct SourcingStage;

struct Rel {
    /// Index of the relation in the `attributions` layer.
    index: u32,
    cue: Span,
    source: Option<Span>,
    source_part: Option<u32>,
    content: Vec<Span>,
}

impl Stage for SourcingStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &["sentences", PARTS_LAYER, RELATIONS_LAYER]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &["speakers", OUTLETS_LAYER, "source-chains", "sourcing"]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let rels = relations(doc);
        let (speakers, canonical) = resolve_speakers(doc, &rels);
        let (chains, outlets) = chains(doc, &rels, &canonical);
        let sourcing = sentence_labels(doc, &rels, &canonical);
        let mut diagnostics = Vec::new();
        // `source-chains` links into `outlets`, which must be in the document first.
        for layer in [speakers, outlets, chains, sourcing] {
            if let Err(e) = doc.insert_layer(layer) {
                diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diagnostics
    }
}

/// Relations with their parts' spans, in cue order.
fn relations(doc: &Doc) -> Vec<Rel> {
    let (Some(parts), Some(rels)) = (doc.layer(PARTS_LAYER), doc.layer(RELATIONS_LAYER)) else {
        return Vec::new();
    };
    let part = |i: u32| parts.annotations[i as usize].span;
    let mut out: Vec<Rel> = rels
        .annotations
        .iter()
        .enumerate()
        .map(|(index, a)| {
            let mut r = Rel {
                index: index as u32,
                cue: a.span,
                source: None,
                source_part: None,
                content: Vec::new(),
            };
            for l in &a.links {
                match l.role.as_ref() {
                    "source" => {
                        r.source = Some(part(l.index));
                        r.source_part = Some(l.index);
                    }
                    "content" | "continuation" => r.content.push(part(l.index)),
                    _ => {}
                }
            }
            r
        })
        .collect();
    out.sort_by_key(|r| r.cue.start);
    out
}

/// The capitalised run just before a relative pronoun: "Donald Trump, who said" → "Donald
/// Trump". Looks back at most a few words within the sentence.
fn preceding_name(doc: &Doc, span: Span) -> Option<String> {
    let start = span.start as usize;
    let mut from = start.saturating_sub(120);
    while !doc.text().is_char_boundary(from) {
        from += 1;
    }
    let before = &doc.text()[from..start];
    let trimmed = before.trim_end().trim_end_matches(',').trim_end();
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let mut run = Vec::new();
    for w in words.iter().rev() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(w);
        if w.chars().next().is_some_and(char::is_uppercase) && run.len() < 4 {
            run.push(w);
        } else {
            break;
        }
    }
    run.reverse();
    (!run.is_empty()).then(|| run.join(" "))
}

fn at_sentence_start(doc: &Doc, span: Span) -> bool {
    doc.sentences
        .binary_search_by_key(&span.start, |s| s.span.start)
        .is_ok()
}

/// Builds the `speakers` layer; returns it and each relation's canonical speaker.
fn resolve_speakers(doc: &Doc, rels: &[Rel]) -> (Layer, Vec<Option<String>>) {
    let mut layer = Layer::new("speakers", STAGE);
    let mut known: Vec<String> = Vec::new();
    // (canonical name, index of its first speakers annotation)
    let mut last_named: Option<(String, u32)> = None;
    let mut first_index: std::collections::HashMap<String, u32> = Default::default();
    let mut canonical: Vec<Option<String>> = Vec::with_capacity(rels.len());
    let mut seen: std::collections::HashMap<Span, Option<String>> = Default::default();
    for r in rels {
        let (Some(span), Some(part)) = (r.source, r.source_part) else {
            canonical.push(None);
            continue;
        };
        // A source shared by several relations ("X said …, adding …") is one mention.
        if let Some(c) = seen.get(&span) {
            canonical.push(c.clone());
            continue;
        }
        let text = doc.slice(span);
        let (kind, name, role) = classify(text, at_sentence_start(doc, span));
        let index = layer.annotations.len() as u32;
        let mention = Link {
            role: "mention".into(),
            layer: PARTS_LAYER.into(),
            index: part,
        };
        let (label, rule, antecedent) = match (kind, name) {
            (MentionKind::Named, Some(name)) => match expand_name(&name, &known) {
                Some(full) => {
                    let full = full.clone();
                    let ante = first_index.get(&full).copied();
                    (full, "surname→full-name", ante)
                }
                None => {
                    if !first_index.contains_key(&name) {
                        known.push(name.clone());
                        first_index.insert(name.clone(), index);
                    }
                    (name, "named:last-capitalised-run", None)
                }
            },
            (MentionKind::Pronoun, _) if is_relative_pronoun(text) => {
                match preceding_name(doc, span) {
                    Some(name) => {
                        let full = expand_name(&name, &known).cloned().unwrap_or(name);
                        let ante = first_index.get(&full).copied();
                        (full, "relative→preceding-name", ante)
                    }
                    None => ("unresolved".to_owned(), "relative:no-preceding-name", None),
                }
            }
            (MentionKind::Pronoun | MentionKind::Role, _) => match &last_named {
                Some((n, i)) => (
                    n.clone(),
                    if kind == MentionKind::Pronoun {
                        "pronoun→previous-speaker"
                    } else {
                        "role→previous-speaker"
                    },
                    Some(*i),
                ),
                None => ("unresolved".to_owned(), "no-previous-speaker", None),
            },
            _ => ("anonymous".to_owned(), "anonymous-source", None),
        };
        let resolved = !matches!(label.as_str(), "anonymous" | "unresolved");
        let mut a = Annotation::new(span, label.clone(), Reason::rule(STAGE, rule))
            .with_attr("kind", kind.as_str())
            .with_link(mention);
        if let Some(role) = role {
            a = a.with_attr("role", role);
        }
        if let Some(i) = antecedent {
            a = a.with_link(Link {
                role: "antecedent".into(),
                layer: "speakers".into(),
                index: i,
            });
        }
        if resolved {
            last_named = Some((label.clone(), antecedent.unwrap_or(index)));
            canonical.push(Some(label.clone()));
            seen.insert(span, Some(label));
        } else {
            canonical.push(None);
            seen.insert(span, None);
        }
        layer.push(a);
    }
    (layer, canonical)
}

/// Relays: a cue ending in a colon ("Press TV reports:") relays the attributions after it in
/// its paragraph; an attribution whose cue lies inside another's content is relayed by it;
/// "told <outlet>" names the outlet a speaker spoke through. Returns the `source-chains` layer
/// and the `outlets` its annotations link to: the addressee of "told" and any relaying or
/// relayed source that names an outlet.
fn chains(doc: &Doc, rels: &[Rel], canonical: &[Option<String>]) -> (Layer, Layer) {
    let mut layer = Layer::new("source-chains", STAGE);
    let mut outlets = outlets::Outlets::default();
    // Paragraphs are sorted: the one holding a span is found by binary search.
    let paragraph_of = |s: Span| {
        let k = doc.paragraphs.partition_point(|p| p.span.end < s.end);
        doc.paragraphs
            .get(k)
            .filter(|p| p.span.contains(s))
            .map(|_| k)
    };
    let who = |i: usize| -> String {
        canonical[i]
            .clone()
            .or_else(|| rels[i].source.map(|s| doc.slice(s).trim().to_owned()))
            .unwrap_or_else(|| "unnamed".to_owned())
    };
    for (b, rb) in rels.iter().enumerate() {
        // Relays are local: look back over the previous RELAY_WINDOW relations only, which
        // keeps a document with thousands of attributions linear.
        let window = b.saturating_sub(RELAY_WINDOW)..b;
        let relay = rels[window.clone()]
            .iter()
            .zip(window)
            .rev()
            .map(|(ra, a)| (a, ra))
            .find(|(a, ra)| {
                *a != b
                    && ra.cue.start < rb.cue.start
                    && ((doc.slice(ra.cue).trim_end().ends_with(':')
                        && paragraph_of(ra.cue) == paragraph_of(rb.cue))
                        || ra.content.iter().any(|c| c.contains(rb.cue)))
            });
        let outlet = outlets::told_outlet(doc.text(), rb.cue);
        if relay.is_none() && outlet.is_none() {
            continue;
        }
        let mut chain = Vec::new();
        if let Some((a, _)) = relay {
            chain.push(who(a));
        }
        chain.push(who(b));
        let mut ann = Annotation::new(
            rb.cue,
            "RELAYED",
            Reason::rule(
                STAGE,
                match (relay.is_some(), outlet.is_some()) {
                    (true, true) => "relay+told-outlet",
                    (true, false) => "relay",
                    _ => "told-outlet",
                },
            ),
        );
        if let Some(span) = outlet {
            // The name as one line: the span may hold a line break.
            let name = doc
                .slice(span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            chain.push(format!("via {name}"));
            ann = ann
                .with_attr("outlet", name)
                .with_link(outlets.addressee(span));
        }
        ann = ann.with_attr("chain", chain.join(" → "));
        if let Some((a, _)) = relay {
            ann = ann.with_link(Link {
                role: "relayed-by".into(),
                layer: RELATIONS_LAYER.into(),
                index: rels[a].index,
            });
        }
        // Voices that are outlets: the relaying one ("Press TV reports:"), then the relayed
        // one ("…, according to the Daily Post, …"). The speaker must name the outlet too,
        // so "the Daily Post's Ines Vidal" is a person, not an outlet.
        for i in relay.map(|(a, _)| a).into_iter().chain([b]) {
            if let (Some(span), Some(part)) = (rels[i].source, rels[i].source_part) {
                if let Some(link) = outlets.source(doc.text(), span, &who(i), part) {
                    ann = ann.with_link(link);
                }
            }
        }
        layer.push(ann);
    }
    (layer, outlets.into_layer())
}

/// One sourcing label per sentence and a whole-text summary.
fn sentence_labels(doc: &Doc, rels: &[Rel], canonical: &[Option<String>]) -> Layer {
    let mut layer = Layer::new("sourcing", STAGE);
    let mut chars = [0usize; 4]; // named, anonymous, vague, unsourced
                                 // Relations touching each sentence, found by binary search over sentence starts so the
                                 // cost is linear in the number of (relation, sentence) contacts, not their product.
    let sentences = &doc.sentences;
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    let first_ending_after = |pos: u32| sentences.partition_point(|s| s.span.end <= pos);
    for (i, r) in rels.iter().enumerate() {
        for span in std::iter::once(r.cue).chain(r.content.iter().copied()) {
            let mut k = first_ending_after(span.start);
            while k < sentences.len() && sentences[k].span.start < span.end.max(span.start + 1) {
                if touching[k].last() != Some(&i) {
                    touching[k].push(i);
                }
                k += 1;
            }
        }
    }
    for (s, touching) in sentences.iter().zip(&touching) {
        let text = doc.slice(s.span);
        let hedge = HEDGES
            .find(text)
            .map(|m| hedges::VAGUE_PHRASES[m.pattern().as_usize()].1);
        let speaker = touching.iter().find_map(|&i| canonical[i].clone());
        let (label, rule, class) = if let Some(h) = hedge {
            ("vague", h, 2)
        } else if speaker.is_some() {
            ("named", "attributed:named-speaker", 0)
        } else if !touching.is_empty() {
            ("anonymous", "attributed:no-named-speaker", 1)
        } else {
            ("unsourced", "no-attribution", 3)
        };
        chars[class] += text.chars().count();
        let mut a = Annotation::new(s.span, label, Reason::rule(STAGE, rule));
        if let Some(sp) = speaker {
            a = a.with_attr("speaker", sp);
        }
        layer.push(a);
    }
    let total: usize = chars.iter().sum();
    if total > 0 {
        let share = |k: usize| (chars[k] as f64 / total as f64 * 1000.0).round() / 1000.0;
        let speakers: std::collections::BTreeSet<&String> = canonical.iter().flatten().collect();
        let whole = Span::new(0, doc.text().len());
        layer.push(
            Annotation::new(whole, "SUMMARY", Reason::rule(STAGE, "character-shares"))
                .with_attr("named", share(0))
                .with_attr("anonymous", share(1))
                .with_attr("vague", share(2))
                .with_attr("unsourced", share(3))
                .with_attr("speakers", speakers.len() as i64),
        );
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;

    // Written for this test; the attribution layers are built by hand.
    const TEXT: &str = "Valley TV reported: Mayor Ana Sala said the bridge will close.\n\n\
                        Sala later told the Morning Clarion newspaper, that tolls rise.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).expect("in the text");
        Span::new(s, s + needle.len())
    }

    fn link(role: &'static str, layer: &'static str, index: u32) -> Link {
        Link {
            role: role.into(),
            layer: layer.into(),
            index,
        }
    }

    /// The text with parts and relations as the attribution stage documents them, sourced.
    fn sourced() -> Doc {
        let mut doc = Doc::new("t", TEXT);
        Segmenter.run(&mut doc);
        let mut parts = Layer::new(PARTS_LAYER, "test");
        for (label, span) in [
            ("SOURCE", at("Valley TV")),              // 0
            ("CUE", at("reported:")),                 // 1
            ("SOURCE", at("Mayor Ana Sala")),         // 2
            ("CUE", at("said")),                      // 3
            ("CONTENT", at("the bridge will close")), // 4
            ("SOURCE", at("Sala later")),             // 5 (narrowed below)
            ("CUE", at("told")),                      // 6
            ("CONTENT", at("that tolls rise")),       // 7
        ] {
            let span = if label == "SOURCE" && span == at("Sala later") {
                Span::new(span.start as usize, span.start as usize + 4)
            } else {
                span
            };
            parts.push(Annotation::new(span, label, Reason::rule("test", "t")));
        }
        doc.insert_layer(parts).unwrap();
        let mut rels = Layer::new(RELATIONS_LAYER, "test");
        for (cue, source, content) in [(1, 0, None), (3, 2, Some(4)), (6, 5, Some(7))] {
            let span = doc.layer(PARTS_LAYER).unwrap().annotations[cue as usize].span;
            let mut a = Annotation::new(span, "ATTRIBUTION", Reason::rule("test", "t"))
                .with_link(link("cue", PARTS_LAYER, cue))
                .with_link(link("source", PARTS_LAYER, source));
            if let Some(c) = content {
                a = a.with_link(link("content", PARTS_LAYER, c));
            }
            rels.push(a);
        }
        doc.insert_layer(rels).unwrap();
        let diagnostics = SourcingStage.run(&mut doc);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        doc
    }

    /// The text of the outlets a `source-chains` annotation links to.
    fn outlets_of<'d>(doc: &'d Doc, chain: &Annotation) -> Vec<&'d str> {
        let outlets = doc.layer(OUTLETS_LAYER).unwrap();
        chain
            .links
            .iter()
            .filter(|l| l.role == "outlet" && l.layer == OUTLETS_LAYER)
            .map(|l| doc.slice(outlets.annotations[l.index as usize].span))
            .collect()
    }

    #[test]
    fn outlets_are_annotated_on_their_own_words() {
        let doc = sourced();
        let outlets = doc.layer(OUTLETS_LAYER).unwrap();
        let found: Vec<(&str, &str, String)> = outlets
            .annotations
            .iter()
            .map(|a| {
                let role = match a.attr("role") {
                    Some(claimlens_core::AttrValue::Str(s)) => s.clone(),
                    _ => String::new(),
                };
                (doc.slice(a.span), a.reason.rule.as_ref(), role)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("Valley TV", "source-names-outlet", "source".to_owned()),
                (
                    "the Morning Clarion newspaper",
                    "told:words-after-cue",
                    "addressee".to_owned()
                ),
            ]
        );
        // The relayer's outlet points back at the source part it was read from.
        assert_eq!(outlets.annotations[0].links[0].role, "mention");
        assert_eq!(outlets.annotations[0].links[0].index, 0);
    }

    #[test]
    fn chains_link_to_the_outlets_they_pass_through() {
        let doc = sourced();
        let chains = doc.layer("source-chains").unwrap();
        let by_cue = |cue: &str| {
            chains
                .annotations
                .iter()
                .find(|a| doc.slice(a.span) == cue)
                .unwrap_or_else(|| panic!("no chain on {cue:?}"))
        };
        let said = by_cue("said");
        assert_eq!(said.reason.rule, "relay");
        assert_eq!(outlets_of(&doc, said), ["Valley TV"]);
        let told = by_cue("told");
        assert_eq!(told.reason.rule, "told-outlet");
        assert_eq!(outlets_of(&doc, told), ["the Morning Clarion newspaper"]);
        assert_eq!(
            told.attr("outlet"),
            Some(&claimlens_core::AttrValue::Str(
                "the Morning Clarion newspaper".into()
            ))
        );
    }

    #[test]
    fn no_outlets_layer_entries_without_chains() {
        let mut doc = Doc::new("t", "Nobody said anything.");
        Segmenter.run(&mut doc);
        SourcingStage.run(&mut doc);
        assert!(doc.layer(OUTLETS_LAYER).unwrap().annotations.is_empty());
    }
}
