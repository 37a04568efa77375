//! "Who said what": attributions grouped by canonical speaker, built from the `speakers`,
//! `attributions` and `attribution-parts` layers.

use std::collections::BTreeMap;

use claimlens_core::{Doc, Span};
use claimlens_schema::{Attribution, SpeakerIndex};

/// One attribution in a speaker's list.
#[derive(Debug, Clone)]
pub struct Said {
    /// Index of the relation in the `attributions` layer.
    pub relation: usize,
    /// The cue ("said", "told").
    pub cue: Span,
    /// The content spans.
    pub content: Vec<Span>,
}

/// Attributions per canonical speaker, in order of first appearance; empty when the layers
/// are absent.
pub fn who_said_what(doc: &Doc) -> Vec<(String, Vec<Said>)> {
    let Some(read) = Attribution::read_all(doc) else {
        return Vec::new();
    };
    let speakers = SpeakerIndex::new(doc);
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
