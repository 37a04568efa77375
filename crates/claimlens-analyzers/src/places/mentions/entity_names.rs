//! Place mentions that come from the optional `entities` layer: which entity spans are
//! places, people or organisations (the filters of the parent module read them), and the
//! `GPE` / `LOC` entities the capitalised-name scan did not match, looked up whole or by
//! another transliteration.

use claimlens_core::{Doc, Span};

use super::{Mention, Scan};
use crate::gazetteer::fold_into;

/// A span of the optional `entities` layer.
#[derive(Debug, Clone, Copy)]
pub(in crate::places) struct Entity {
    pub span: Span,
    pub place_like: bool,
    pub person: bool,
    pub organisation: bool,
}

/// Reads the optional `entities` layer (another stage's named entities).
pub(in crate::places) fn entities(doc: &Doc) -> Vec<Entity> {
    let Some(layer) = doc.layer(claimlens_schema::layer::ENTITIES) else {
        return Vec::new();
    };
    let mut out: Vec<Entity> = layer
        .annotations
        .iter()
        .filter_map(|a| {
            let place_like = matches!(a.label.as_ref(), "GPE" | "LOC");
            let person = a.label == "PERSON";
            let organisation = a.label == "ORG";
            (place_like || person || organisation).then_some(Entity {
                span: a.span,
                place_like,
                person,
                organisation,
            })
        })
        .collect();
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out
}

impl Scan<'_> {
    /// `GPE` / `LOC` entities with no gazetteer match inside: looked up whole (without a
    /// leading "the"), so a lower-case or unusual spelling the NER caught still resolves.
    pub(super) fn add_unmatched_entities(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let mut key = String::new();
        // `out` is in text order and its spans do not overlap, so the mentions that could
        // overlap an entity are found by binary search: linear overall, not entities × names.
        let found: Vec<Span> = out.iter().map(|m| m.span).collect();
        for e in self.entities.iter().filter(|e| e.place_like) {
            let k = found.partition_point(|s| s.end <= e.span.start);
            let overlapping = found[k..].iter().take_while(|s| s.start < e.span.end);
            // A gazetteer name inside the entity ("Jisr", a town in Israel, inside "Jisr
            // al-Shugur") yields to the whole name when that is another spelling of a place
            // (the longer mention wins when mentions are made disjoint below).
            let mut inside_only = true;
            let mut overlaps = false;
            for s in overlapping {
                overlaps = true;
                inside_only &= e.span.start <= s.start && s.end <= e.span.end && *s != e.span;
            }
            if overlaps && !inside_only {
                continue;
            }
            let span = trimmed_the(doc, e.span);
            fold_into(doc.slice(span), &mut key);
            let mut candidates = if overlaps {
                Vec::new()
            } else {
                self.g.lookup(&key)
            };
            let mut found_by = "entity";
            if candidates.is_empty() {
                // Another transliteration of a name the gazetteer holds ("Jisr al-Shugur",
                // "Kazakstan").
                candidates = self.g.lookup_by_spelling(&key);
                if !candidates.is_empty() {
                    found_by = "entity-spelling";
                }
            }
            if overlaps && candidates.is_empty() {
                continue;
            }
            out.push(Mention {
                span,
                candidates,
                cue: None,
                found_by,
                qualifier: None,
                list_mates: Vec::new(),
                key: key.clone(),
            });
        }
    }
}

/// The span without a leading "the " (entity spans sometimes include it).
pub(super) fn trimmed_the(doc: &Doc, span: Span) -> Span {
    let s = doc.slice(span);
    for prefix in ["the ", "The "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return Span::new(span.end as usize - rest.len(), span.end as usize);
        }
    }
    span
}
