//! The `speakers` layer, read: which speaker annotation resolved each source mention.

use std::collections::HashMap;

use claimlens_core::{Annotation, Doc, Layer};

use crate::{label, layer, linked, role};

/// True when a speaker's label is a canonical name rather than `anonymous` or `unresolved`.
pub fn is_resolved(speaker_label: &str) -> bool {
    !matches!(speaker_label, label::ANONYMOUS | label::UNRESOLVED)
}

/// Source part (index into `attribution-parts`) → the `speakers` annotation linking it as its
/// `mention` (the first, when several do).
#[derive(Debug, Default)]
pub struct SpeakerIndex<'a> {
    layer: Option<&'a Layer>,
    by_part: HashMap<u32, u32>,
}

impl<'a> SpeakerIndex<'a> {
    /// Indexes the document's `speakers` layer; empty when it is absent.
    pub fn new(doc: &'a Doc) -> SpeakerIndex<'a> {
        SpeakerIndex::of_layer(doc.layer(layer::SPEAKERS))
    }

    /// Indexes a `speakers` layer not yet in a document (the sourcing stage's own).
    pub fn of_layer(layer: Option<&'a Layer>) -> SpeakerIndex<'a> {
        let mut by_part = HashMap::new();
        for (i, s) in layer.iter().flat_map(|l| l.annotations.iter().enumerate()) {
            for part in linked(s, role::MENTION, layer::ATTRIBUTION_PARTS) {
                by_part.entry(part).or_insert(i as u32);
            }
        }
        SpeakerIndex { layer, by_part }
    }

    /// The speaker annotation (and its index) of a source part.
    pub fn of_part(&self, part: u32) -> Option<(u32, &'a Annotation)> {
        let i = *self.by_part.get(&part)?;
        Some((i, self.layer?.annotations.get(i as usize)?))
    }

    /// The canonical name of a source part's speaker, when it was resolved to one.
    pub fn name_of_part(&self, part: u32) -> Option<&'a str> {
        self.of_part(part)
            .map(|(_, s)| s.label.as_ref())
            .filter(|l| is_resolved(l))
    }
}
