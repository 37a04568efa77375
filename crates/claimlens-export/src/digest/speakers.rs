//! "Who said what": attributions grouped by canonical speaker, built from the `speakers`,
//! `attributions` and `attribution-parts` layers, with the outlet each was told to read from
//! the `source-chains` layer.

use std::collections::{BTreeMap, HashMap};

use claimlens_core::{Doc, Span};
use claimlens_schema::{layer, Attribution, ChainStep, SpeakerIndex, StepRole};

/// One attribution in a speaker's list.
#[derive(Debug, Clone)]
pub struct Said {
    /// Index of the relation in the `attributions` layer.
    pub relation: usize,
    /// The cue ("said", "told").
    pub cue: Span,
    /// The content spans.
    pub content: Vec<Span>,
    /// Whom it was said to: the outlets the sourcing stage found as the addressee of the cue
    /// ("told the Coastal Times"), in text order; empty when there is none.
    pub addressees: Vec<Span>,
}

/// Attributions per canonical speaker, in order of first appearance; empty when the layers
/// are absent.
pub fn who_said_what(doc: &Doc) -> Vec<(String, Vec<Said>)> {
    let Some(read) = Attribution::read_all(doc) else {
        return Vec::new();
    };
    let speakers = SpeakerIndex::new(doc);
    let mut addressees = addressees(doc);
    let mut order: Vec<String> = Vec::new();
    let mut lists: BTreeMap<String, Vec<Said>> = BTreeMap::new();
    for r in &read.all {
        let Some(name) = r.source.and_then(|p| speakers.name_of_part(p)) else {
            continue;
        };
        if !lists.contains_key(name) {
            order.push(name.to_owned());
        }
        lists.entry(name.to_owned()).or_default().push(Said {
            relation: r.index as usize,
            cue: r.anchor,
            content: read.content_spans(r),
            addressees: addressees.remove(&r.index).unwrap_or_default(),
        });
    }
    order
        .into_iter()
        .map(|n| {
            let said = lists.remove(&n).unwrap_or_default();
            (n, said)
        })
        .collect()
}

/// Relation → the spans of the outlets its speaker talked to. The sourcing stage writes a
/// relation's outlet steps right before the step of the voice speaking through it, so an
/// outlet step belongs to the next voice step's cue.
fn addressees(doc: &Doc) -> HashMap<u32, Vec<Span>> {
    let mut out: HashMap<u32, Vec<Span>> = HashMap::new();
    let Some(chains) = doc.layer(layer::SOURCE_CHAINS) else {
        return out;
    };
    let outlet_span = |i: u32| {
        doc.layer(layer::OUTLETS)?
            .annotations
            .get(i as usize)
            .map(|a| a.span)
    };
    let mut pending: Vec<Span> = Vec::new();
    for step in chains.annotations.iter().filter_map(ChainStep::read) {
        match (step.role, step.cue) {
            (StepRole::Outlet, _) => pending.extend(
                step.evidence
                    .iter()
                    .filter(|(l, _)| l == layer::OUTLETS)
                    .filter_map(|&(_, i)| outlet_span(i)),
            ),
            (_, Some(cue)) if !pending.is_empty() => {
                let spans = out.entry(cue).or_default();
                for s in pending.drain(..) {
                    if !spans.contains(&s) {
                        spans.push(s);
                    }
                }
            }
            _ => pending.clear(),
        }
    }
    out
}
