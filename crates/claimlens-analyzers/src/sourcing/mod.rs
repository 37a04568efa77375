//! Sourcing: who the speakers are, through whose hands each claim came, and how well each
//! sentence is sourced. Reads the attribution layers; adds four layers:
//!
//! * `speakers`: one annotation per attribution source, labelled with the canonical speaker
//!   (`attrs.kind`: named / pronoun / role / anonymous; `attrs.role` when stated), linked to
//!   its `mention` in `attribution-parts` and, for pronouns, roles and surnames, to its
//!   `antecedent` in `speakers`.
//! * `outlets`: an `OUTLET` on the words of each outlet a chain passes through (see
//!   `outlets.rs`): the addressee of "told", a relaying or relayed source naming an outlet.
//! * `sourcing`: one label per sentence — `named`, `anonymous`, `vague` (rests on "there were
//!   reports", "reportedly", …) or `unsourced` — plus a `SUMMARY` over the whole text with the
//!   share of characters in each class.
//! * `source-chains`: every claim's whole chain, step by step — outlet, relaying voice,
//!   speaker, cited source, content — each step linked to the annotations that show it
//!   (`relays.rs` finds who relays whom, `chains.rs` assembles the chains).

mod chains;
mod described;
mod hedges;
mod name_words;
mod names_in_text;
mod outlets;
mod relays;
mod salience;
mod speakers;
mod writer;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Reason, Span, Stage};
use claimlens_schema::{label, layer, link, role, Attribution};

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

/// The sourcing stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct SourcingStage;

/// A content fragment of a relation.
struct Fragment {
    /// Index into `attribution-parts`.
    part: u32,
    /// In a later paragraph than the cue.
    continuation: bool,
    span: Span,
}

/// A relation with its parts' spans.
struct Rel {
    /// Index of the relation in the `attributions` layer.
    index: u32,
    cue: Span,
    source: Option<Span>,
    source_part: Option<u32>,
    /// Spans of all content fragments, in link order.
    content: Vec<Span>,
    parts: Vec<Fragment>,
}

impl Stage for SourcingStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[
            layer::SENTENCES,
            layer::ATTRIBUTION_PARTS,
            layer::ATTRIBUTIONS,
        ]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[
            layer::SPEAKERS,
            layer::OUTLETS,
            layer::SOURCING,
            layer::SOURCE_CHAINS,
        ]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let rels = relations(doc);
        let (speakers, canonical) = resolve_speakers(doc, &rels);
        let who = |i: usize| -> String {
            canonical[i]
                .clone()
                .or_else(|| rels[i].source.map(|s| doc.slice(s).trim().to_owned()))
                .unwrap_or_else(|| "unnamed".to_owned())
        };
        let (relays, outlets) = relays::relays(doc, &rels, &who);
        let sourcing = sentence_labels(doc, &rels, &canonical);
        let built = chains::Built {
            speakers: &speakers,
            outlets: &outlets,
            sourcing: &sourcing,
        };
        let chains = chains::whole_chains(doc, &rels, &relays, built);
        let mut diagnostics = Vec::new();
        // `source-chains` links into the other three, which must be in the document first.
        for layer in [speakers, outlets, sourcing, chains] {
            if let Err(e) = doc.insert_layer(layer) {
                diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diagnostics
    }
}

/// Relations with their parts' spans, in cue order.
fn relations(doc: &Doc) -> Vec<Rel> {
    let Some(read) = Attribution::read_all(doc) else {
        return Vec::new();
    };
    let span = |i: u32| read.part_span(i).unwrap_or_default();
    let mut out: Vec<Rel> = read
        .all
        .iter()
        .map(|r| {
            let parts: Vec<Fragment> = r
                .content
                .iter()
                .map(|c| Fragment {
                    part: c.part,
                    continuation: c.continuation,
                    span: span(c.part),
                })
                .collect();
            Rel {
                index: r.index,
                cue: r.anchor,
                source: r.source.map(span),
                source_part: r.source,
                content: parts.iter().map(|f| f.span).collect(),
                parts,
            }
        })
        .collect();
    out.sort_by_key(|r| r.cue.start);
    out
}

pub(super) fn at_sentence_start(doc: &Doc, span: Span) -> bool {
    doc.sentences
        .binary_search_by_key(&span.start, |s| s.span.start)
        .is_ok()
}

/// Builds the `speakers` layer; returns it and each relation's canonical speaker.
fn resolve_speakers(doc: &Doc, rels: &[Rel]) -> (Layer, Vec<Option<String>>) {
    let mut layer = Layer::new(layer::SPEAKERS, STAGE);
    let mut known: Vec<String> = Vec::new();
    // (canonical name, index of its first speakers annotation)
    // The speakers resolved so far, latest last (name, index of its first annotation): a
    // pronoun or a description refers back to the latest one it can denote.
    let mut recent: Vec<(String, u32)> = Vec::new();
    // Each named speaker's stated roles ("Indiana Gov."), for "the governor" later.
    let mut roles: std::collections::HashMap<String, String> = Default::default();
    let mut first_index: std::collections::HashMap<String, u32> = Default::default();
    let mut canonical: Vec<Option<String>> = Vec::with_capacity(rels.len());
    let mut seen: std::collections::HashMap<Span, Option<String>> = Default::default();
    // Every name the sources give, in order: a headline's or lede's "Trump said" is the
    // "Donald Trump" the body names in full further on, and one speaker counted as two in
    // the document is two in a corpus's speaker table.
    let given_names: Vec<String> = rels
        .iter()
        .filter_map(|r| {
            let span = r.source.filter(|_| r.source_part.is_some())?;
            match classify(doc.slice(span), at_sentence_start(doc, span)) {
                (MentionKind::Named, Some(name), _) => Some(name),
                _ => None,
            }
        })
        .collect();
    let mut text_names = names_in_text::TextNames::default();
    // Built on the first first-person source only: most articles have none.
    let quotations = std::cell::OnceCell::new();
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
        let mention = link(role::MENTION, layer::ATTRIBUTION_PARTS, part);
        // "His campaign said …": the campaign of whoever "his" refers to, a description
        // resolved through its pronoun (classified anonymous: it names no one by itself).
        let possessive = if kind == MentionKind::Anonymous {
            speakers::possessed_organisation(text).and_then(|(pronoun, head)| {
                let role_of = |n: &str| roles.get(n).map(String::as_str);
                let (n, i) = speakers::antecedent(pronoun, MentionKind::Pronoun, &recent, role_of)?;
                Some((speakers::organisation_named_after(n, head)?, *i))
            })
        } else {
            None
        };
        let kind = if possessive.is_some() {
            MentionKind::Role
        } else {
            kind
        };
        // "the fund", "the poll": an institution's or poll's description, by its head word.
        let by_head = matches!(kind, MentionKind::Role | MentionKind::Anonymous)
            .then(|| described::head_of(text))
            .flatten()
            .and_then(|head| described::name_in_text(doc, span, &head))
            .map(|found| {
                // The latest name in the text with the head, or the speaker its capitalised
                // part is ("the alliance" after "the NATO alliance" is the speaker "NATO").
                let speaker = found
                    .run
                    .as_deref()
                    .and_then(|run| recent.iter().rev().find(|(n, _)| n == run));
                match speaker {
                    Some((n, i)) => (n.clone(), "description→speaker-in-name", Some(*i)),
                    None => (found.name, "description→name-in-text", None),
                }
            });
        // Resolved through a possessive or a head word before the kinds are looked at.
        let through = possessive
            .map(|(name, i)| (name, "possessive→previous-speaker", Some(i)))
            .or(by_head);
        let (label, rule, antecedent) = match (kind, name, through) {
            (_, _, Some(found)) => found,
            (MentionKind::Named, Some(name), None) => match expand_name(&name, &known) {
                Some(full) => {
                    let full = full.clone();
                    let ante = first_index.get(&full).copied();
                    (full, "surname→full-name", ante)
                }
                None => {
                    // The full name a later source or the text gives a short name.
                    let mut later_or_in_text = |short: &str| {
                        speakers::later_full_name(short, &given_names)
                            .map(|full| (full.clone(), "surname→later-full-name"))
                            .or_else(|| {
                                text_names
                                    .full_name(doc, short)
                                    .map(|full| (full, "surname→full-name-in-text"))
                            })
                    };
                    let (name, rule) = match later_or_in_text(&name) {
                        Some(found) => found,
                        // Each half of a group the same way, an earlier source's first.
                        None => match names_in_text::full_group_name(&name, |half| {
                            expand_name(half, &known)
                                .cloned()
                                .or_else(|| later_or_in_text(half).map(|(full, _)| full))
                        }) {
                            Some(full) => (full, "group→full-names"),
                            None => (name, "named:last-capitalised-run"),
                        },
                    };
                    if !first_index.contains_key(&name) {
                        known.push(name.clone());
                        first_index.insert(name.clone(), index);
                    }
                    (name, rule, None)
                }
            },
            (MentionKind::Pronoun, _, None) if is_relative_pronoun(text) => {
                match names_in_text::preceding_name(doc, span) {
                    Some(name) => {
                        let full = expand_name(&name, &known).cloned().unwrap_or(name);
                        let ante = first_index.get(&full).copied();
                        (full, "relative→preceding-name", ante)
                    }
                    None => (
                        label::UNRESOLVED.to_owned(),
                        "relative:no-preceding-name",
                        None,
                    ),
                }
            }
            // "I think …" outside any quotation is the writer's own voice (an opinion piece,
            // a first-person report), not the last person quoted.
            (MentionKind::Pronoun, _, None)
                if speakers::is_first_person_singular(text)
                    && !quotations
                        .get_or_init(|| names_in_text::Quotations::new(doc))
                        .inside(span) =>
            {
                match writer::writer(doc, span) {
                    Some((name, rule)) => {
                        let full = expand_name(&name, &known).cloned().unwrap_or(name);
                        let ante = first_index.get(&full).copied();
                        (full, rule, ante)
                    }
                    None => (
                        label::UNRESOLVED.to_owned(),
                        "first-person:the-writer",
                        None,
                    ),
                }
            }
            (MentionKind::Pronoun, _, None) if speakers::is_generic_you(text) => {
                (label::UNRESOLVED.to_owned(), "pronoun:generic-you", None)
            }
            (MentionKind::Pronoun | MentionKind::Role, _, None) => {
                let role_of = |n: &str| roles.get(n).map(String::as_str);
                let subject = (kind == MentionKind::Pronoun)
                    .then(|| salience::subject_speaker(doc, span, &recent))
                    .flatten()
                    .filter(|(n, _)| speakers::can_denote(text, kind, n, role_of));
                match subject {
                    Some((n, i)) => (n.clone(), "pronoun→sentence-subject", Some(*i)),
                    None => match speakers::antecedent(text, kind, &recent, role_of) {
                        Some((n, i)) => (
                            n.clone(),
                            if kind == MentionKind::Pronoun {
                                "pronoun→previous-speaker"
                            } else {
                                "role→previous-speaker"
                            },
                            Some(*i),
                        ),
                        None if recent.is_empty() => {
                            (label::UNRESOLVED.to_owned(), "no-previous-speaker", None)
                        }
                        // "she" after organisations only: left open rather than made an organisation.
                        None => (
                            label::UNRESOLVED.to_owned(),
                            "no-agreeing-previous-speaker",
                            None,
                        ),
                    },
                }
            }
            _ => (label::ANONYMOUS.to_owned(), "anonymous-source", None),
        };
        let resolved = claimlens_schema::is_resolved(&label);
        let mut a = Annotation::new(span, label.clone(), Reason::rule(STAGE, rule))
            .with_attr("kind", kind.as_str())
            .with_link(mention);
        if let Some(role) = role {
            if kind == MentionKind::Named && resolved {
                let held = roles.entry(label.clone()).or_default();
                if held.len() < 512 {
                    held.push(' ');
                    held.push_str(&role);
                }
            }
            a = a.with_attr("role", role);
        }
        if let Some(i) = antecedent {
            a = a.with_link(link(role::ANTECEDENT, layer::SPEAKERS, i));
        }
        if resolved {
            // The writer's own "I" is the frame, not a voice the text reports: later
            // pronouns and descriptions ("the pollsters", "we") do not refer back to it.
            if !writer::is_writer_rule(rule) {
                let entry = (label.clone(), antecedent.unwrap_or(index));
                recent.retain(|(n, _)| *n != entry.0);
                recent.push(entry);
                if recent.len() > 16 {
                    recent.remove(0);
                }
            }
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

/// One sourcing label per sentence and a whole-text summary.
fn sentence_labels(doc: &Doc, rels: &[Rel], canonical: &[Option<String>]) -> Layer {
    let mut layer = Layer::new(layer::SOURCING, STAGE);
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
            Annotation::new(
                whole,
                label::SUMMARY,
                Reason::rule(STAGE, "character-shares"),
            )
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
    use claimlens_core::AttrValue;
    use claimlens_schema::{ChainStep, ContentPart, StepRole};

    use super::*;
    use crate::Segmenter;

    // Written for this test; the attribution layers are built by hand.
    const TEXT: &str = "Valley TV reported: Mayor Ana Sala said the bridge will close.\n\n\
                        Sala later told the Morning Clarion newspaper, that tolls rise.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).expect("in the text");
        Span::new(s, s + needle.len())
    }

    /// The text with parts and relations as the attribution stage documents them, sourced.
    fn sourced() -> Doc {
        let mut doc = Doc::new("t", TEXT);
        Segmenter.run(&mut doc);
        let mut parts = Layer::new(layer::ATTRIBUTION_PARTS, "test");
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
        let mut rels = Layer::new(layer::ATTRIBUTIONS, "test");
        for (cue, source, content) in [(1, 0, None), (3, 2, Some(4)), (6, 5, Some(7))] {
            let anchor =
                doc.layer(layer::ATTRIBUTION_PARTS).unwrap().annotations[cue as usize].span;
            let r = Attribution {
                index: 0,
                anchor,
                cue: Some(cue),
                source: Some(source),
                content: content
                    .map(|part| ContentPart {
                        part,
                        continuation: false,
                    })
                    .into_iter()
                    .collect(),
            };
            rels.push(r.annotation(Reason::rule("test", "t")));
        }
        doc.insert_layer(rels).unwrap();
        let diagnostics = SourcingStage.run(&mut doc);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        doc
    }

    fn steps(doc: &Doc) -> Vec<(ChainStep, String)> {
        doc.layer(layer::SOURCE_CHAINS)
            .unwrap()
            .annotations
            .iter()
            .map(|a| {
                (
                    ChainStep::read(a).expect("a chain step"),
                    a.reason.rule.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn outlets_are_annotated_on_their_own_words() {
        let doc = sourced();
        let outlets = doc.layer(layer::OUTLETS).unwrap();
        let found: Vec<(&str, &str, String)> = outlets
            .annotations
            .iter()
            .map(|a| {
                let role = match a.attr("role") {
                    Some(AttrValue::Str(s)) => s.to_string(),
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
        assert_eq!(outlets.annotations[0].links[0].role, role::MENTION);
        assert_eq!(outlets.annotations[0].links[0].index, 0);
    }

    #[test]
    fn whole_chains_are_decided_step_by_step() {
        let doc = sourced();
        let steps = steps(&doc);
        let shape: Vec<(u32, StepRole, &str, &str)> = steps
            .iter()
            .map(|(s, rule)| (s.chain, s.role, s.name.as_str(), rule.as_str()))
            .collect();
        // "reported:" relays "said", so two claims remain: said (relayed by Valley TV) and
        // told (through the outlet it was told to).
        assert_eq!(
            shape,
            [
                (
                    0,
                    StepRole::Relay,
                    "Valley TV",
                    "named:last-capitalised-run"
                ),
                (0, StepRole::Speaker, "Ana Sala", "relay"),
                (0, StepRole::Content, "", "t"),
                (
                    1,
                    StepRole::Outlet,
                    "the Morning Clarion newspaper",
                    "told:words-after-cue"
                ),
                (1, StepRole::Speaker, "Ana Sala", "surname→full-name"),
                (1, StepRole::Content, "", "t"),
            ]
        );
        let chains = doc.layer(layer::SOURCE_CHAINS).unwrap();
        // Every step lies on its first evidence, and the first step names the sentence label.
        for (a, (s, _)) in chains.annotations.iter().zip(&steps) {
            let (l, i) = &s.evidence[0];
            assert_eq!(Some(a.span), claimlens_schema::span_of(&doc, l, *i));
            assert_eq!(s.sourcing.is_some(), s.step == 0);
        }
        assert_eq!(
            doc.slice(chains.annotations[3].span),
            "the Morning Clarion newspaper"
        );
        assert_eq!(doc.slice(chains.annotations[5].span), "that tolls rise");
        // Both claims and the voices' cues point at the attributions.
        assert_eq!(steps[0].0.claim, 1);
        assert_eq!(steps[0].0.cue, Some(0));
        assert_eq!(steps[1].0.cue, Some(1));
        assert_eq!(steps[4].0.claim, 2);
    }

    #[test]
    fn no_outlets_layer_entries_without_chains() {
        let mut doc = Doc::new("t", "Nobody said anything.");
        Segmenter.run(&mut doc);
        SourcingStage.run(&mut doc);
        assert!(doc.layer(layer::OUTLETS).unwrap().annotations.is_empty());
        assert!(doc
            .layer(layer::SOURCE_CHAINS)
            .unwrap()
            .annotations
            .is_empty());
    }
}
