//! The export's long sequences — paragraphs, sentences, tokens, layers and their annotations
//! with attributes and links — serialized straight from the document, one element at a time.
//!
//! Building them as vectors first (with a map per annotation for its attributes) cost about
//! 40 bytes of heap per byte of text, several times the analyzed document itself; written
//! element by element the export holds nothing but the element being written. Each element
//! is still one of the documented types ([`ExportSentence`], [`ExportAnnotation`], …), so the
//! bytes written are the same.

use std::fmt;

use claimlens_core::{AttrValue, Link};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::model::{
    ExportAnnotation, ExportLayer, ExportLink, ExportReason, ExportSentence, ExportSpan,
    ExportToken,
};
use crate::view::DocView;

/// The document's paragraphs as [`ExportSpan`]s.
#[derive(Debug, Clone, Copy)]
pub struct ExportParagraphs<'a>(pub &'a DocView<'a>);

impl Serialize for ExportParagraphs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(view.doc.paragraphs.iter().map(|p| {
            let (start, end) = view.chars(p.span);
            ExportSpan { start, end }
        }))
    }
}

/// The document's sentences as [`ExportSentence`]s.
#[derive(Debug, Clone, Copy)]
pub struct ExportSentences<'a>(pub &'a DocView<'a>);

impl Serialize for ExportSentences<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(view.doc.sentences.iter().map(|sentence| {
            let (start, end) = view.chars(sentence.span);
            ExportSentence {
                start,
                end,
                paragraph: sentence.paragraph,
                rule: sentence.end_rule.as_str(),
                text: view.doc.slice(sentence.span),
            }
        }))
    }
}

/// The document's tokens as [`ExportToken`]s.
#[derive(Debug, Clone, Copy)]
pub struct ExportTokens<'a>(pub &'a DocView<'a>);

impl Serialize for ExportTokens<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(view.doc.tokens.iter().map(|t| {
            let (start, end) = view.chars(t.span);
            ExportToken {
                start,
                end,
                kind: t.kind.as_str(),
            }
        }))
    }
}

/// The document's named layers as [`ExportLayer`]s.
#[derive(Debug, Clone, Copy)]
pub struct ExportLayers<'a>(pub &'a DocView<'a>);

impl Serialize for ExportLayers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(
            view.doc
                .layers()
                .iter()
                .enumerate()
                .map(|(i, l)| ExportLayer {
                    name: &l.name,
                    producer: &l.producer,
                    annotations: ExportAnnotations { view, layer: i },
                }),
        )
    }
}

/// The annotations of one layer (by position in the document) as [`ExportAnnotation`]s.
#[derive(Clone, Copy)]
pub struct ExportAnnotations<'a> {
    view: &'a DocView<'a>,
    layer: usize,
}

impl fmt::Debug for ExportAnnotations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layer = &self.view.doc.layers()[self.layer];
        write!(
            f,
            "{} annotations of {}",
            layer.annotations.len(),
            layer.name
        )
    }
}

impl Serialize for ExportAnnotations<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (view, doc) = (self.view, self.view.doc);
        s.collect_seq(doc.layers()[self.layer].annotations.iter().map(|a| {
            let (start, end) = view.chars(a.span);
            ExportAnnotation {
                label: &a.label,
                start,
                end,
                text: doc.slice(a.span),
                reason: ExportReason {
                    stage: &a.reason.stage,
                    rule: &a.reason.rule,
                    score: a.reason.score,
                },
                attrs: ExportAttrs(&a.attrs),
                links: ExportLinks(&a.links),
            }
        }))
    }
}

/// An annotation's attributes, written as a JSON object with keys in sorted order; when a key
/// repeats, the last value wins (the order and the rule of the map the export was first
/// specified with).
#[derive(Debug, Clone, Copy)]
pub struct ExportAttrs<'a>(pub &'a [(claimlens_core::Name, AttrValue)]);

impl ExportAttrs<'_> {
    /// True when there is no attribute (the field is then left out).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The attributes in key order, the last of each repeated key. An annotation has a
    /// handful of attributes, so a scan per key beats allocating a sorted copy.
    fn sorted(&self) -> impl Iterator<Item = (&str, &AttrValue)> {
        let attrs = self.0;
        let mut previous: Option<&str> = None;
        std::iter::from_fn(move || {
            let mut next: Option<(&str, &AttrValue)> = None;
            for (k, v) in attrs {
                let k = k.as_ref();
                if previous.is_some_and(|p| k <= p) {
                    continue;
                }
                // `<=` keeps the last of equal keys.
                if next.is_none_or(|(n, _)| k <= n) {
                    next = Some((k, v));
                }
            }
            previous = next.map(|(k, _)| k);
            next
        })
    }
}

impl Serialize for ExportAttrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (k, v) in self.sorted() {
            map.serialize_entry(k, &ExportAttrValue(v))?;
        }
        map.end()
    }
}

/// One attribute value as JSON: a string, a number, a boolean, or `null` for a non-finite
/// float (which JSON cannot write).
struct ExportAttrValue<'a>(&'a AttrValue);

impl Serialize for ExportAttrValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            AttrValue::Str(v) => s.serialize_str(v),
            AttrValue::Int(v) => s.serialize_i64(*v),
            AttrValue::Float(v) if v.is_finite() => s.serialize_f64(*v),
            AttrValue::Float(_) => s.serialize_unit(),
            AttrValue::Bool(v) => s.serialize_bool(*v),
        }
    }
}

/// An annotation's links as [`ExportLink`]s.
#[derive(Debug, Clone, Copy)]
pub struct ExportLinks<'a>(pub &'a [Link]);

impl ExportLinks<'_> {
    /// True when there is no link (the field is then left out).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for ExportLinks<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for l in self.0 {
            seq.serialize_element(&ExportLink {
                role: l.role.as_str(),
                layer: l.layer.as_str(),
                index: l.index,
            })?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs_json(attrs: &[(claimlens_core::Name, AttrValue)]) -> String {
        serde_json::to_string(&ExportAttrs(attrs)).unwrap()
    }

    #[test]
    fn attributes_are_written_in_key_order_with_the_last_of_a_repeated_key() {
        let attrs = [
            (
                claimlens_core::Name::from("kind"),
                AttrValue::from("direct"),
            ),
            (claimlens_core::Name::from("chain"), AttrValue::Int(3)),
            (claimlens_core::Name::from("kind"), AttrValue::from("mixed")),
            (claimlens_core::Name::from("b"), AttrValue::Bool(true)),
            (
                claimlens_core::Name::from("score"),
                AttrValue::Float(f64::NAN),
            ),
            (claimlens_core::Name::from("share"), AttrValue::Float(0.25)),
        ];
        assert_eq!(
            attrs_json(&attrs),
            r#"{"b":true,"chain":3,"kind":"mixed","score":null,"share":0.25}"#
        );
        assert_eq!(attrs_json(&[]), "{}");
    }

    #[test]
    fn attributes_match_a_sorted_map_of_them() {
        use std::collections::BTreeMap;
        let keys = ["z", "a", "m", "a", "b", "z", "aa", ""];
        let attrs: Vec<(claimlens_core::Name, AttrValue)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (claimlens_core::Name::from(*k), AttrValue::Int(i as i64)))
            .collect();
        let map: BTreeMap<&str, i64> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as i64))
            .collect();
        assert_eq!(attrs_json(&attrs), serde_json::to_string(&map).unwrap());
    }
}
