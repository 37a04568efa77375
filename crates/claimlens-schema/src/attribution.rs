//! The attribution layers: `attribution-parts` (labelled spans) and `attributions` (one
//! relation per cue, linking its parts). The attribution stage and the evaluation's gold
//! readers write them through [`Attribution::annotation`]; sourcing and the digests read them
//! through [`Attribution::read_all`].

use claimlens_core::{Annotation, Doc, Layer, Reason, Span};

use crate::{label, layer, link, role};

/// A content fragment of a relation: an index into `attribution-parts`, and whether it lies
/// in a later paragraph than the cue (`continuation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentPart {
    /// Index into `attribution-parts`.
    pub part: u32,
    /// True for a fragment in a later paragraph than the cue.
    pub continuation: bool,
}

/// One relation of the `attributions` layer, its parts named by index into
/// `attribution-parts`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Index of the relation in `attributions` (set by [`Attribution::read_all`]).
    pub index: u32,
    /// The relation's anchor: its cue span (byte offsets).
    pub anchor: Span,
    /// The cue part.
    pub cue: Option<u32>,
    /// The source part, when one was found.
    pub source: Option<u32>,
    /// The content fragments, in link order.
    pub content: Vec<ContentPart>,
}

/// Both attribution layers of a document and the relations read from them.
#[derive(Debug)]
pub struct AttributionLayers<'a> {
    /// `attribution-parts`.
    pub parts: &'a Layer,
    /// `attributions`.
    pub relations: &'a Layer,
    /// One per annotation of `relations`, same order.
    pub all: Vec<Attribution>,
}

impl AttributionLayers<'_> {
    /// The span of part `i`.
    pub fn part_span(&self, i: u32) -> Option<Span> {
        self.parts.annotations.get(i as usize).map(|a| a.span)
    }

    /// The spans of a relation's content fragments, in link order.
    pub fn content_spans(&self, r: &Attribution) -> Vec<Span> {
        r.content
            .iter()
            .filter_map(|c| self.part_span(c.part))
            .collect()
    }
}

impl Attribution {
    /// Reads one relation annotation.
    pub fn read(index: u32, a: &Annotation) -> Attribution {
        let mut r = Attribution {
            index,
            anchor: a.span,
            ..Attribution::default()
        };
        for l in a
            .links
            .iter()
            .filter(|l| l.layer == layer::ATTRIBUTION_PARTS)
        {
            match l.role.as_ref() {
                role::CUE => r.cue = r.cue.or(Some(l.index)),
                role::SOURCE => r.source = r.source.or(Some(l.index)),
                role::CONTENT | role::CONTINUATION => r.content.push(ContentPart {
                    part: l.index,
                    continuation: l.role == role::CONTINUATION,
                }),
                _ => {}
            }
        }
        r
    }

    /// Reads both layers; `None` when either is absent.
    pub fn read_all(doc: &Doc) -> Option<AttributionLayers<'_>> {
        let parts = doc.layer(layer::ATTRIBUTION_PARTS)?;
        let relations = doc.layer(layer::ATTRIBUTIONS)?;
        let all = relations
            .annotations
            .iter()
            .enumerate()
            .map(|(i, a)| Attribution::read(i as u32, a))
            .collect();
        Some(AttributionLayers {
            parts,
            relations,
            all,
        })
    }

    /// The relation as an `ATTRIBUTION` annotation on its anchor: links `cue`, `source`,
    /// then each content fragment (`content` or `continuation`), in that order.
    pub fn annotation(&self, reason: Reason) -> Annotation {
        let mut a = Annotation::new(self.anchor, label::ATTRIBUTION, reason);
        let part = |r: &'static str, i: u32| link(r, layer::ATTRIBUTION_PARTS, i);
        if let Some(c) = self.cue {
            a = a.with_link(part(role::CUE, c));
        }
        if let Some(s) = self.source {
            a = a.with_link(part(role::SOURCE, s));
        }
        for c in &self.content {
            let r = if c.continuation {
                role::CONTINUATION
            } else {
                role::CONTENT
            };
            a = a.with_link(part(r, c.part));
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_relations_read_back() {
        let mut doc = Doc::new("d", "Ana said rain falls, and it does.");
        let mut parts = Layer::new(layer::ATTRIBUTION_PARTS, "test");
        for (s, e, l) in [
            (0, 3, "SOURCE"),
            (4, 8, "CUE"),
            (9, 19, "CONTENT"),
            (25, 32, "CONTENT"),
        ] {
            parts.push(Annotation::new(
                Span::new(s, e),
                l,
                Reason::rule("test", "t"),
            ));
        }
        doc.insert_layer(parts).unwrap();
        let r = Attribution {
            index: 0,
            anchor: Span::new(4, 8),
            cue: Some(1),
            source: Some(0),
            content: vec![
                ContentPart {
                    part: 2,
                    continuation: false,
                },
                ContentPart {
                    part: 3,
                    continuation: true,
                },
            ],
        };
        let mut rels = Layer::new(layer::ATTRIBUTIONS, "test");
        rels.push(
            r.annotation(Reason::rule("test", "t"))
                .with_attr("kind", "indirect"),
        );
        doc.insert_layer(rels).unwrap();
        let read = Attribution::read_all(&doc).unwrap();
        assert_eq!(read.all, [r]);
        let spans = read.content_spans(&read.all[0]);
        assert_eq!(doc.slice(spans[0]), "rain falls");
        assert_eq!(doc.slice(spans[1]), "it does");
    }
}
