//! Sourcing: who the speakers are, which claims are relayed through whom, and how well each
//! sentence is sourced. Reads the attribution layers; adds three layers:
//!
//! * `speakers`: one annotation per attribution source, labelled with the canonical speaker
//!   (`attrs.kind`: named / pronoun / role / anonymous; `attrs.role` when stated), linked to
//!   its `mention` in `attribution-parts` and, for pronouns, roles and surnames, to its
//!   `antecedent` in `speakers`.
//! * `source-chains`: for an attribution relayed by another ("Press TV reports: … Zakharova
//!   said …") or told to an outlet ("told Russia's Sputnik news agency"), an annotation on its
//!   cue with `attrs.chain` ("Press TV → Maria Zakharova") and a `relayed-by` link.
//! * `sourcing`: one label per sentence — `named`, `anonymous`, `vague` (rests on "there were
//!   reports", "reportedly", …) or `unsourced` — plus a `SUMMARY` over the whole text with the
//!   share of characters in each class.

mod hedges;
mod speakers;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Link, Reason, Span, Stage};

use crate::attribution::{PARTS_LAYER, RELATIONS_LAYER};
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

/// Words in a cue's neighbourhood that name a news outlet as the addressee.
const OUTLET_WORDS: &[&str] = &[
    "agency",
    "news",
    "newspaper",
    "tv",
    "television",
    "radio",
    "channel",
    "times",
    "post",
    "journal",
    "magazine",
    "outlet",
    "broadcaster",
    "daily",
    "tribune",
    "herald",
];

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
        &["speakers", "source-chains", "sourcing"]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let rels = relations(doc);
        let (speakers, canonical) = resolve_speakers(doc, &rels);
        let chains = chains(doc, &rels, &canonical);
        let sourcing = sentence_labels(doc, &rels, &canonical);
        let mut diagnostics = Vec::new();
        for layer in [speakers, chains, sourcing] {
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
/// "told <outlet>" names the outlet a speaker spoke through.
fn chains(doc: &Doc, rels: &[Rel], canonical: &[Option<String>]) -> Layer {
    let mut layer = Layer::new("source-chains", STAGE);
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
        let outlet = told_outlet(doc, rb);
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
        if let Some(o) = &outlet {
            chain.push(format!("via {o}"));
            ann = ann.with_attr("outlet", o.clone());
        }
        ann = ann.with_attr("chain", chain.join(" → "));
        if let Some((a, _)) = relay {
            ann = ann.with_link(Link {
                role: "relayed-by".into(),
                layer: RELATIONS_LAYER.into(),
                index: rels[a].index,
            });
        }
        layer.push(ann);
    }
    layer
}

/// The outlet named right after a "told" cue: "told Russia’s Sputnik news agency on …".
fn told_outlet(doc: &Doc, r: &Rel) -> Option<String> {
    let cue = doc.slice(r.cue).to_lowercase();
    if !cue.starts_with("told") {
        return None;
    }
    let rest = &doc.text()[r.cue.end as usize..];
    let window: String = rest
        .split_whitespace()
        .take_while(|w| !matches!(*w, "that" | "on" | "in" | "last" | "this" | "about"))
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let lower = window.to_lowercase();
    OUTLET_WORDS
        .iter()
        .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
        .then(|| window.trim_end_matches([',', '.']).to_owned())
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
