//! A document's layers as flat rows: what the `annotations` and `links` tables hold.
//!
//! Generic on purpose: every layer of the `Doc` becomes rows the same way, so a layer a new
//! stage adds is stored with no change here. Paragraphs and sentences, which the core keeps
//! in compact arrays rather than layers, become the `paragraphs` and `sentences` layers;
//! tokens are packed into one BLOB per document instead (`tokens.rs`: a dozen rows per
//! sentence that no corpus query needs, but reading a document back does).

use claimlens_core::{AttrValue, CharIndex, Doc, Span};
use claimlens_schema::layer;

/// One annotation row.
pub(crate) struct AnnotationRow<'a> {
    pub(crate) idx: u32,
    pub(crate) label: &'a str,
    pub(crate) span: Span,
    pub(crate) stage: &'a str,
    pub(crate) rule: Option<&'a str>,
    pub(crate) score: Option<f32>,
    /// A JSON object.
    pub(crate) attrs: String,
    pub(crate) links: Vec<LinkRow<'a>>,
}

/// One link row (its source is the annotation holding it).
pub(crate) struct LinkRow<'a> {
    pub(crate) role: &'a str,
    pub(crate) layer: &'a str,
    pub(crate) idx: u32,
}

/// One layer and its rows.
pub(crate) struct LayerRows<'a> {
    pub(crate) name: &'a str,
    pub(crate) stage: &'a str,
    pub(crate) annotations: Vec<AnnotationRow<'a>>,
}

impl LayerRows<'_> {
    /// The layer's `layer_types` rows: each annotation type and how many annotations have
    /// it, by type. Counted here from the rows being written rather than read back from
    /// `annotations` (`derived::layer_types_from_annotations`, which the migration uses):
    /// the same counts (`Store::check_integrity` compares them) at a fraction of the cost.
    pub(crate) fn type_counts(&self) -> Vec<(&str, u32)> {
        let mut types: Vec<&str> = self.annotations.iter().map(|a| a.label).collect();
        types.sort_unstable();
        let mut counts: Vec<(&str, u32)> = Vec::new();
        for t in types {
            match counts.last_mut() {
                Some((last, n)) if *last == t => *n += 1,
                _ => counts.push((t, 1)),
            }
        }
        counts
    }
}

/// Every stored layer of `doc`: paragraphs, sentences, then the annotation layers in
/// pipeline order.
pub(crate) fn layer_rows(doc: &Doc) -> Vec<LayerRows<'_>> {
    let mut layers = Vec::with_capacity(doc.layers().len() + 2);
    layers.push(LayerRows {
        name: layer::PARAGRAPHS,
        stage: "segment",
        annotations: doc
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| AnnotationRow {
                idx: i as u32,
                label: "PARAGRAPH",
                span: p.span,
                stage: "segment",
                rule: None,
                score: None,
                attrs: "{}".to_owned(),
                links: Vec::new(),
            })
            .collect(),
    });
    layers.push(LayerRows {
        name: layer::SENTENCES,
        stage: "segment",
        annotations: doc
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| AnnotationRow {
                idx: i as u32,
                label: "SENTENCE",
                span: s.span,
                stage: "segment",
                rule: Some(s.end_rule.as_str()),
                score: None,
                attrs: serde_json::json!({ "paragraph": s.paragraph }).to_string(),
                links: Vec::new(),
            })
            .collect(),
    });
    for l in doc.layers() {
        layers.push(LayerRows {
            name: &l.name,
            stage: &l.producer,
            annotations: l
                .annotations
                .iter()
                .enumerate()
                .map(|(i, a)| AnnotationRow {
                    idx: i as u32,
                    label: &a.label,
                    span: a.span,
                    stage: a.reason.stage.as_str(),
                    rule: Some(&a.reason.rule),
                    score: a.reason.score,
                    attrs: attrs_json(&a.attrs),
                    links: a
                        .links
                        .iter()
                        .map(|k| LinkRow {
                            role: k.role.as_str(),
                            layer: k.layer.as_str(),
                            idx: k.index,
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    layers
}

/// Attributes as a JSON object, as the export writes them (a non-finite float, which JSON
/// cannot hold, becomes `null`; a repeated key keeps its last value).
fn attrs_json(attrs: &[(claimlens_core::Name, AttrValue)]) -> String {
    let mut object = serde_json::Map::with_capacity(attrs.len());
    for (key, value) in attrs {
        let value = match value {
            AttrValue::Str(s) => serde_json::Value::from(s.as_ref()),
            AttrValue::Int(v) => serde_json::Value::from(*v),
            AttrValue::Float(v) => serde_json::Number::from_f64(*v)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            AttrValue::Bool(v) => serde_json::Value::from(*v),
        };
        object.insert(key.to_string(), value);
    }
    serde_json::Value::Object(object).to_string()
}

/// Byte and code-point offsets of a span.
pub(crate) struct Offsets {
    pub(crate) start_char: u32,
    pub(crate) end_char: u32,
}

/// Converts byte spans to code-point offsets for one document.
pub(crate) struct CharOffsets<'a>(CharIndex<'a>);

impl<'a> CharOffsets<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CharOffsets(CharIndex::new(text))
    }

    pub(crate) fn of(&self, span: Span) -> Offsets {
        Offsets {
            start_char: self.0.char_offset(span.start),
            end_char: self.0.char_offset(span.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Annotation, Layer, Link, Reason};

    #[test]
    fn every_layer_is_turned_into_rows_whatever_its_name() {
        let mut doc = Doc::new("d", "Ann said “yes”.");
        let mut novel = Layer::new("techniques", "future-stage");
        novel.push(
            Annotation::new(
                Span::new(0, 3),
                "Loaded_Language",
                Reason::scored("x", "r", 0.5),
            )
            .with_attr("n", 2i64)
            .with_attr("odd", f64::NAN),
        );
        novel.push(
            Annotation::new(Span::new(4, 8), "CUE", Reason::rule("x", "r")).with_link(Link {
                role: "speaker".into(),
                layer: "techniques".into(),
                index: 0,
            }),
        );
        doc.insert_layer(novel).unwrap();
        let rows = layer_rows(&doc);
        let names: Vec<&str> = rows.iter().map(|l| l.name).collect();
        assert_eq!(names, ["paragraphs", "sentences", "techniques"]);
        let t = &rows[2];
        assert_eq!(t.stage, "future-stage");
        assert_eq!(t.annotations[0].attrs, r#"{"n":2,"odd":null}"#);
        assert_eq!(t.annotations[1].links[0].role, "speaker");
        assert_eq!(t.annotations[1].idx, 1);
        assert_eq!(t.type_counts(), [("CUE", 1), ("Loaded_Language", 1)]);
    }

    #[test]
    fn char_offsets_count_code_points() {
        let text = "“yes” she said";
        let offsets = CharOffsets::new(text);
        let said = text.find("said").unwrap();
        let o = offsets.of(Span::new(said, said + 4));
        assert_eq!((o.start_char, o.end_char), (10, 14));
    }
}
