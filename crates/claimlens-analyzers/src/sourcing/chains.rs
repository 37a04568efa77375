//! Whole source chains: for every claim — an attribution that relays no other — the hands it
//! passed through on its way into the article, outermost first: the outlet a speaker talked
//! to, a relaying voice, the speaker, the speaker's own cited source, then the content.
//!
//! A claim's chain follows the relays outwards from its attribution; a relay whose content
//! holds the relayed cue is the speaker citing a source ("X said that, according to Y, …"),
//! any other relay is a relaying voice ("Radio Z reported: X said …"). Attributions that relay
//! another are not claims of their own (their chain is the start of the relayed one's) unless
//! what they relay covers less than half of their content (`says_more`). The
//! result is the `source-chains` layer (schema: [`claimlens_schema::ChainStep`]), so the
//! reports, the JSON digests and any other reader take the chains as decided here.

use std::borrow::Cow;
use std::collections::HashSet;

use claimlens_core::{Doc, Layer, Reason, Span};
use claimlens_schema::{is_resolved, label, layer, ChainStep, SpeakerIndex, StepRole};

use super::relays::Relay;
use super::{hedges, Rel, HEDGES, STAGE};

/// How many relays a chain follows outwards; real chains have two or three.
const MAX_DEPTH: usize = 8;

/// The layers a chain step can point at, as built by this stage.
pub(super) struct Built<'a> {
    pub speakers: &'a Layer,
    pub outlets: &'a Layer,
    pub sourcing: &'a Layer,
}

/// A step before it is numbered.
struct Step {
    role: StepRole,
    name: String,
    kind: Cow<'static, str>,
    /// Position in `rels` of the relation a voice speaks through.
    cue: Option<usize>,
    /// (layer, index, span) of each annotation showing the step.
    evidence: Vec<(&'static str, u32, Span)>,
    /// The step's own words when no other annotation shows them (an unnamed voice: "there
    /// were reports"); the step's annotation, on exactly these characters, is its evidence.
    words: Option<Span>,
    reason: Reason,
}

struct Chains<'a> {
    doc: &'a Doc,
    rels: &'a [Rel],
    relays: &'a [Option<Relay>],
    built: Built<'a>,
    /// Source part → its annotation in `speakers`.
    speakers: SpeakerIndex<'a>,
    /// The relations' own reasons, by position in `rels`.
    reasons: Vec<Reason>,
}

impl Chains<'_> {
    /// True when `inner` is a source cited by its relayer's speaker rather than a voice the
    /// relayer passes on, as the relays decided it ([`Relay::cited`]).
    fn is_cited(&self, inner: usize) -> bool {
        self.relays[inner].as_ref().is_some_and(|x| x.cited)
    }

    /// The voice of relation `r`: name, kind, source mention and how it was resolved.
    fn voice(&self, r: usize, role: StepRole) -> Step {
        let rel = &self.rels[r];
        let (Some(part), Some(mention)) = (rel.source_part, rel.source) else {
            return Step {
                role,
                name: "no source found".to_owned(),
                kind: Cow::Borrowed(""),
                cue: Some(r),
                evidence: Vec::new(),
                words: None,
                reason: self.reasons[r].clone(),
            };
        };
        let own_words = self.doc.slice(mention).trim().to_owned();
        match self.speakers.of_part(part) {
            // The speakers annotation lies on the mention; its entry shows how the name was
            // resolved.
            Some((i, s)) => Step {
                role,
                name: if is_resolved(&s.label) {
                    s.label.to_string()
                } else {
                    own_words
                },
                kind: s.attr_cow("kind").unwrap_or_default(),
                cue: Some(r),
                evidence: vec![(layer::SPEAKERS, i, s.span)],
                words: None,
                reason: s.reason.clone(),
            },
            None => Step {
                role,
                name: own_words,
                kind: Cow::Borrowed(""),
                cue: Some(r),
                evidence: vec![(layer::ATTRIBUTION_PARTS, part, mention)],
                words: None,
                reason: self.reasons[r].clone(),
            },
        }
    }

    /// The outlets relation `r`'s speaker talked to ("told the Coastal Times"). An outlet
    /// that is itself a voice ("Radio Z reported:") is that voice's step.
    fn outlets(&self, r: usize) -> Vec<Step> {
        let Some(relay) = &self.relays[r] else {
            return Vec::new();
        };
        relay
            .outlets
            .iter()
            .filter_map(|&i| {
                let o = self.built.outlets.annotations.get(i as usize)?;
                (o.attr_str("role") == Some("addressee")).then(|| Step {
                    role: StepRole::Outlet,
                    // One line, as the name is shown apart from the text.
                    name: self
                        .doc
                        .slice(o.span)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    kind: Cow::Borrowed(""),
                    cue: None,
                    evidence: vec![(layer::OUTLETS, i, o.span)],
                    words: None,
                    reason: o.reason.clone(),
                })
            })
            .collect()
    }

    /// The content of relation `r`: its fragments in the cue's paragraph, then those after.
    fn content(&self, r: usize) -> Option<Step> {
        let rel = &self.rels[r];
        let parts = rel.parts.iter().filter(|c| !c.continuation);
        let later = rel.parts.iter().filter(|c| c.continuation);
        let evidence: Vec<(&'static str, u32, Span)> = parts
            .chain(later)
            .map(|c| (layer::ATTRIBUTION_PARTS, c.part, c.span))
            .collect();
        (!evidence.is_empty()).then(|| Step {
            role: StepRole::Content,
            name: String::new(),
            kind: Cow::Borrowed(""),
            cue: None,
            evidence,
            words: None,
            reason: self.reasons[r].clone(),
        })
    }

    /// An unnamed voice the claim's speaker cites inside the content ("Zakharova said there
    /// were reports that …", "concerned by new reports that …"): the first vague-sourcing
    /// phrase of the content that names a voice ([`hedges::names_a_voice`]), as whole words.
    fn unnamed_voice(&self, r: usize) -> Option<Step> {
        let text = self.doc.text();
        let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        for &span in &self.rels[r].content {
            for m in HEDGES.find_iter(self.doc.slice(span)) {
                let (start, end) = (
                    span.start as usize + m.start(),
                    span.start as usize + m.end(),
                );
                let (_, rule) = hedges::VAGUE_PHRASES[m.pattern().as_usize()];
                if !hedges::names_a_voice(rule)
                    || word_char(text[..start].chars().next_back())
                    || word_char(text[end..].chars().next())
                {
                    continue;
                }
                let words = Span::new(start, end);
                return Some(Step {
                    role: StepRole::CitedSource,
                    name: self.doc.slice(words).to_owned(),
                    kind: Cow::Borrowed("vague"),
                    cue: None,
                    evidence: Vec::new(),
                    words: Some(words),
                    reason: Reason::rule(STAGE, rule),
                });
            }
        }
        None
    }

    /// Relation `r` and the relations relaying it, outermost first.
    fn path(&self, r: usize) -> Vec<usize> {
        let mut path = vec![r];
        let mut seen = HashSet::from([r]);
        let mut cur = r;
        while path.len() < MAX_DEPTH {
            match self.relays[cur].as_ref().and_then(|x| x.relayer) {
                Some(next) if seen.insert(next) => {
                    path.push(next);
                    cur = next;
                }
                _ => break,
            }
        }
        path.reverse();
        path
    }

    fn chain(&self, claim: usize) -> Vec<Step> {
        let path = self.path(claim);
        let mut steps: Vec<Step> = Vec::new();
        for (k, &r) in path.iter().enumerate() {
            // `path[k - 1]` relays `r`, `r` relays `path[k + 1]`.
            let nested_in_previous = k > 0 && self.is_cited(r);
            let relays_next = path.get(k + 1).is_some_and(|&next| !self.is_cited(next));
            let role = if nested_in_previous {
                StepRole::CitedSource
            } else if relays_next {
                StepRole::Relay
            } else {
                StepRole::Speaker
            };
            steps.extend(self.outlets(r));
            let mut voice = self.voice(r, role);
            if k > 0 {
                // A relayed voice is in the chain by the relay rule; its evidence keeps how
                // it was named.
                if let Some(relay) = &self.relays[r] {
                    voice.reason = Reason::rule(STAGE, relay.rule);
                }
                // The same mention relaying itself ("X said: … X said …") is one voice.
                let source = self.rels[r].source_part;
                if source.is_some() && source == self.rels[path[k - 1]].source_part {
                    if let Some(prev) = steps.iter().rposition(|s| s.role != StepRole::Outlet) {
                        steps.remove(prev);
                    }
                }
            }
            steps.push(voice);
        }
        steps.extend(self.unnamed_voice(claim));
        steps.extend(self.content(claim));
        steps
    }
}

/// The index in `sourcing` of the label of the sentence holding `pos`.
fn sourcing_at(labels: &[(Span, u32)], pos: u32) -> Option<u32> {
    let k = labels.partition_point(|(s, _)| s.start <= pos);
    let &(span, index) = labels[..k].last()?;
    (pos < span.end).then_some(index)
}

/// Per relation, how many characters of its content the relations it relays take up (each
/// relayed relation's whole extent, source to content). One pass over the relays, so a
/// document with thousands of attributions stays linear.
fn relayed_extent(rels: &[Rel], relays: &[Option<Relay>]) -> Vec<u32> {
    let mut covered = vec![0u32; rels.len()];
    for (b, relay) in relays.iter().enumerate() {
        let Some(r) = relay.as_ref().and_then(|x| x.relayer) else {
            continue;
        };
        let inner = &rels[b];
        let spans = || {
            inner
                .content
                .iter()
                .chain(inner.source.iter())
                .chain([&inner.cue])
        };
        let start = spans().map(|s| s.start).min().unwrap_or(inner.cue.start);
        let end = spans().map(|s| s.end).max().unwrap_or(inner.cue.end);
        let overlap: u32 = rels[r]
            .content
            .iter()
            .map(|c| end.min(c.end).saturating_sub(start.max(c.start)))
            .sum();
        covered[r] = covered[r].saturating_add(overlap);
    }
    covered
}

/// Whether relayer `r` says something of its own beside what it relays: the relations it
/// relays cover less than half of its content (`covered`, from [`relayed_extent`]). "X said
/// that, according to Y, Z" is only a relay of Y's claim; "Zakharova said the group, which
/// has been accused of X, is arming" relays an accusation in a relative clause and still makes
/// her own claim.
fn says_more(rels: &[Rel], covered: &[u32], r: usize) -> bool {
    let content: u32 = rels[r].content.iter().map(|c| c.end - c.start).sum();
    content > 0 && covered[r].saturating_mul(2) < content
}

/// The `source-chains` layer: every claim's steps, claims in text order of their cues.
pub(super) fn whole_chains(
    doc: &Doc,
    rels: &[Rel],
    relays: &[Option<Relay>],
    built: Built<'_>,
) -> Layer {
    let mut out = Layer::new(layer::SOURCE_CHAINS, STAGE);
    let relations = doc.layer(layer::ATTRIBUTIONS);
    let reasons = rels
        .iter()
        .map(|r| {
            relations
                .and_then(|l| l.annotations.get(r.index as usize))
                .map_or_else(|| Reason::rule(STAGE, "attribution"), |a| a.reason.clone())
        })
        .collect();
    let speakers = SpeakerIndex::of_layer(Some(built.speakers));
    let mut labels: Vec<(Span, u32)> = built
        .sourcing
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| a.label != label::SUMMARY)
        .map(|(i, a)| (a.span, i as u32))
        .collect();
    labels.sort_by_key(|&(s, i)| (s.start, i));
    let chains = Chains {
        doc,
        rels,
        relays,
        built,
        speakers,
        reasons,
    };
    let relayers: HashSet<usize> = relays.iter().flatten().filter_map(|r| r.relayer).collect();
    // `rels` is in cue order, so the claims are too.
    let covered = relayed_extent(rels, relays);
    let claims =
        (0..rels.len()).filter(|&r| !relayers.contains(&r) || says_more(rels, &covered, r));
    for (number, claim) in claims.enumerate() {
        for (k, step) in chains.chain(claim).into_iter().enumerate() {
            let span = step
                .evidence
                .first()
                .map(|e| e.2)
                .or(step.words)
                .unwrap_or(rels[step.cue.unwrap_or(claim)].cue);
            // A step shown by no other annotation is shown by its own.
            let own = step
                .words
                .map(|_| (layer::SOURCE_CHAINS, out.annotations.len() as u32));
            let record = ChainStep {
                chain: number as u32,
                step: k as u32,
                role: step.role,
                name: step.name,
                kind: step.kind,
                claim: rels[claim].index,
                cue: step.cue.map(|r| rels[r].index),
                evidence: step
                    .evidence
                    .iter()
                    .map(|&(l, i, _)| (l, i))
                    .chain(own)
                    .map(|(l, i)| (l.into(), i))
                    .collect(),
                sourcing: (k == 0)
                    .then(|| sourcing_at(&labels, rels[claim].cue.start))
                    .flatten(),
            };
            out.push(record.annotation(span, step.reason));
        }
    }
    out
}
