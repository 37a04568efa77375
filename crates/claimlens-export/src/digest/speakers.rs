//! "Who said what": attributions grouped by canonical speaker, built from the `speakers`,
//! `attributions` and `attribution-parts` layers.

use std::collections::BTreeMap;

use claimlens_core::{Doc, Span};

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
    let (Some(speakers), Some(relations), Some(parts)) = (
        doc.layer("speakers"),
        doc.layer("attributions"),
        doc.layer("attribution-parts"),
    ) else {
        return Vec::new();
    };
    // Source part index -> canonical speaker.
    let mut speaker_of_part: BTreeMap<u32, &str> = BTreeMap::new();
    for s in &speakers.annotations {
        if matches!(s.label.as_ref(), "anonymous" | "unresolved") {
            continue;
        }
        for l in s.links.iter().filter(|l| l.role == "mention") {
            speaker_of_part.insert(l.index, &s.label);
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut lists: BTreeMap<String, Vec<Said>> = BTreeMap::new();
    for (relation, r) in relations.annotations.iter().enumerate() {
        let Some(name) = r
            .links
            .iter()
            .find(|l| l.role == "source")
            .and_then(|l| speaker_of_part.get(&l.index))
        else {
            continue;
        };
        let content = r
            .links
            .iter()
            .filter(|l| l.role == "content" || l.role == "continuation")
            .filter_map(|l| parts.annotations.get(l.index as usize))
            .map(|a| a.span)
            .collect();
        if !lists.contains_key(*name) {
            order.push(name.to_string());
        }
        lists.entry(name.to_string()).or_default().push(Said {
            relation,
            cue: r.span,
            content,
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
