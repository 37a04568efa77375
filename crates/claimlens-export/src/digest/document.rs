//! What the `document` layer says of the article as a whole: its genre and the frames it
//! uses, each with the probability the `genre` stage gave it, in the stage's order. The
//! genre, frames and scores are the stage's; this digest only reads them and words the one
//! line both reports show in the document's header.

use claimlens_core::Doc;
use claimlens_schema::{label, layer};

/// The article's genre and frames.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentProfile {
    /// The genre and its probability, when decided.
    pub genre: Option<(String, f32)>,
    /// The frames with their probabilities, most probable first.
    pub frames: Vec<(String, f32)>,
}

impl DocumentProfile {
    /// The header line: `reporting (0.71); frames: Security_and_defense (0.83), Political
    /// (0.64)` (`frames: none` when no frame reached its threshold).
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        if let Some((g, p)) = &self.genre {
            parts.push(format!("{g} ({p:.2})"));
        }
        let frames: Vec<String> = self
            .frames
            .iter()
            .map(|(f, p)| format!("{f} ({p:.2})"))
            .collect();
        parts.push(format!(
            "frames: {}",
            if frames.is_empty() {
                "none".to_owned()
            } else {
                frames.join(", ")
            }
        ));
        parts.join("; ")
    }
}

/// The profile of the `document` layer; `None` when the layer is absent or empty.
pub fn document_profile(doc: &Doc) -> Option<DocumentProfile> {
    let l = doc.layer(layer::DOCUMENT)?;
    if l.annotations.is_empty() {
        return None;
    }
    let named = |a: &claimlens_core::Annotation| {
        (
            a.attr_str("label").unwrap_or_default().to_owned(),
            a.reason.score.unwrap_or(0.0),
        )
    };
    Some(DocumentProfile {
        genre: l
            .annotations
            .iter()
            .find(|a| a.label == label::GENRE)
            .map(named),
        frames: l
            .annotations
            .iter()
            .filter(|a| a.label == label::FRAME)
            .map(named)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Annotation, Layer, Reason, Span};

    #[test]
    fn reads_genre_and_frames_in_layer_order() {
        let mut doc = Doc::new("t", "Troops moved.");
        assert_eq!(document_profile(&doc), None);
        let whole = Span::new(0, doc.text().len());
        let mut l = Layer::new(layer::DOCUMENT, "genre");
        let a = |t: &'static str, l: &'static str, p: f32| {
            Annotation::new(whole, t, Reason::scored("genre", "m", p)).with_attr("label", l)
        };
        l.push(a(label::GENRE, "reporting", 0.714));
        l.push(a(label::FRAME, "Security_and_defense", 0.83));
        l.push(a(label::FRAME, "Political", 0.642));
        doc.insert_layer(l).unwrap();
        let p = document_profile(&doc).unwrap();
        assert_eq!(
            p.line(),
            "reporting (0.71); frames: Security_and_defense (0.83), Political (0.64)"
        );
        let none = DocumentProfile {
            genre: Some(("satire".into(), 0.5)),
            frames: Vec::new(),
        };
        assert_eq!(none.line(), "satire (0.50); frames: none");
    }
}
