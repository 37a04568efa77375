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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use claimlens_core::{Annotation, Layer, Reason};
    use claimlens_schema::{link, role, ContentPart};

    use super::*;

    #[test]
    fn the_outlet_step_before_a_voice_is_whom_its_cue_was_said_to() {
        let text = "Ana told the Post that ports close.";
        let span = |s: &str| {
            let at = text.find(s).unwrap();
            Span::new(at, at + s.len())
        };
        let mut doc = Doc::new("d", text);
        let mut parts = Layer::new(layer::ATTRIBUTION_PARTS, "t");
        for (s, l) in [
            ("Ana", "SOURCE"),
            ("told", "CUE"),
            ("that ports close", "CONTENT"),
        ] {
            parts.push(Annotation::new(span(s), l, Reason::rule("t", "t")));
        }
        doc.insert_layer(parts).unwrap();
        let relation = Attribution {
            index: 0,
            anchor: span("told"),
            cue: Some(1),
            source: Some(0),
            content: vec![ContentPart {
                part: 2,
                continuation: false,
            }],
        };
        let mut relations = Layer::new(layer::ATTRIBUTIONS, "t");
        relations.push(relation.annotation(Reason::rule("t", "t")));
        doc.insert_layer(relations).unwrap();
        let mut speakers = Layer::new(layer::SPEAKERS, "t");
        speakers.push(
            Annotation::new(span("Ana"), "Ana", Reason::rule("t", "t")).with_link(link(
                role::MENTION,
                layer::ATTRIBUTION_PARTS,
                0,
            )),
        );
        doc.insert_layer(speakers).unwrap();
        let mut outlets = Layer::new(layer::OUTLETS, "t");
        outlets.push(Annotation::new(
            span("the Post"),
            "OUTLET",
            Reason::rule("t", "t"),
        ));
        doc.insert_layer(outlets).unwrap();
        let mut chains = Layer::new(layer::SOURCE_CHAINS, "t");
        for (n, role, cue, evidence) in [
            (0, StepRole::Outlet, None, (layer::OUTLETS, 0)),
            (1, StepRole::Speaker, Some(0), (layer::SPEAKERS, 0)),
            (2, StepRole::Content, None, (layer::ATTRIBUTION_PARTS, 2)),
        ] {
            let step = ChainStep {
                chain: 0,
                step: n,
                role,
                name: String::new(),
                kind: "".into(),
                claim: 0,
                cue,
                evidence: vec![(Cow::Borrowed(evidence.0), evidence.1)],
                sourcing: None,
            };
            chains.push(step.annotation(span("Ana"), Reason::rule("t", "t")));
        }
        doc.insert_layer(chains).unwrap();
        let said = who_said_what(&doc);
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].0, "Ana");
        assert_eq!(said[0].1[0].addressees, [span("the Post")]);
        assert_eq!(said[0].1[0].content, [span("that ports close")]);
    }
}
