//! The persuasion techniques, from the `techniques` layer: one entry per technique found,
//! with its family and every span of it. The technique, family and score are the
//! `techniques` stage's; this digest only groups the annotations by technique.

use claimlens_core::{Doc, Span};
use claimlens_schema::layer;

use super::attr_text as text;

/// One technique found in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct TechniqueEntry {
    /// The technique's name as SemEval-2023 Task 3 writes it (`Loaded_Language`, …).
    pub technique: String,
    /// Its family (`manipulative wording`, …).
    pub family: String,
    /// Its spans in text order: (index in the `techniques` layer, span, score).
    pub spans: Vec<(usize, Span, f32)>,
}

/// The layer's techniques, most spans first (ties: first found first). Empty when the
/// layer is absent.
pub fn technique_list(doc: &Doc) -> Vec<TechniqueEntry> {
    let Some(l) = doc.layer(layer::TECHNIQUES) else {
        return Vec::new();
    };
    let mut out: Vec<TechniqueEntry> = Vec::new();
    for (i, a) in l.annotations.iter().enumerate() {
        let score = a.reason.score.unwrap_or(0.0);
        match out.iter_mut().find(|e| e.technique == a.label.as_str()) {
            Some(e) => e.spans.push((i, a.span, score)),
            None => out.push(TechniqueEntry {
                technique: a.label.to_string(),
                family: text(a.attr("family")),
                spans: vec![(i, a.span, score)],
            }),
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.spans.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Annotation, Layer, Reason};

    #[test]
    fn groups_spans_by_technique_most_first() {
        let mut doc = Doc::new("t", "The vile, vile traitors doubt it.");
        let mut l = Layer::new(layer::TECHNIQUES, "techniques");
        for (s, e, t) in [
            (4, 8, "Loaded_Language"),
            (10, 14, "Loaded_Language"),
            (15, 23, "Name_Calling-Labeling"),
        ] {
            l.push(
                Annotation::new(Span::new(s, e), t, Reason::scored("techniques", "r", 0.5))
                    .with_attr("family", "manipulative wording"),
            );
        }
        doc.insert_layer(l).unwrap();
        let list = technique_list(&doc);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].technique, "Loaded_Language");
        assert_eq!(list[0].spans.len(), 2);
        assert_eq!(list[0].family, "manipulative wording");
        assert!(technique_list(&Doc::new("e", "x")).is_empty());
    }
}
