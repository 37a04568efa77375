//! What is said of the article as a whole: from the `document` layer its genre and the
//! frames it uses, each with the probability the `genre` stage gave it, in the stage's
//! order; from the `techniques` layer how many paragraphs carry each technique (a paragraph
//! carries a technique when a span of it starts there, the stage's own rule). The genre,
//! frames, spans and scores are the stages'; this digest only counts and words the one line
//! both reports show in the document's header.

use claimlens_core::Doc;
use claimlens_schema::{label, layer};

/// The article's genre and frames.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentProfile {
    /// The genre and its probability, when decided.
    pub genre: Option<(String, f32)>,
    /// The frames with their probabilities, most probable first.
    pub frames: Vec<(String, f32)>,
    /// The document's paragraphs.
    pub paragraphs: usize,
    /// Per technique found, the paragraphs that carry it: most paragraphs first (ties: found
    /// first first).
    pub techniques: Vec<(String, usize)>,
}

/// Techniques named in the header line; the rest are counted.
const TECHNIQUES_SHOWN: usize = 3;

impl DocumentProfile {
    /// The header line: `reporting (0.71); 5 of 12 paragraphs carry Loaded_Language, 2
    /// Doubt; frames: Security_and_defense (0.83), Political (0.64)` (`frames: none` when no
    /// frame reached its threshold; no technique part without the `techniques` layer's spans).
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        if let Some((g, p)) = &self.genre {
            parts.push(format!("{g} ({p:.2})"));
        }
        if let Some(((first, n), rest)) = self.techniques.split_first() {
            let mut carry = format!(
                "{n} of {} paragraph{} {} {first}",
                self.paragraphs,
                if self.paragraphs == 1 { "" } else { "s" },
                if *n == 1 { "carries" } else { "carry" }
            );
            for (t, n) in rest.iter().take(TECHNIQUES_SHOWN - 1) {
                carry.push_str(&format!(", {n} {t}"));
            }
            let more = rest.len().saturating_sub(TECHNIQUES_SHOWN - 1);
            if more > 0 {
                carry.push_str(&format!(
                    " and {more} more technique{}",
                    if more == 1 { "" } else { "s" }
                ));
            }
            parts.push(carry);
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

/// Per technique of the `techniques` layer, the paragraphs where a span of it starts, most
/// first (ties: found first first). The paragraphs are in text order, so each span's is found
/// by binary search, and a technique's paragraphs are counted once each after sorting: the
/// cost stays `n log n` however many spans and paragraphs a hostile text has.
fn paragraphs_carrying(doc: &Doc) -> Vec<(String, usize)> {
    let Some(l) = doc.layer(layer::TECHNIQUES) else {
        return Vec::new();
    };
    let paragraph_of = |start: u32| {
        let k = doc.paragraphs.partition_point(|p| p.span.start <= start);
        let p = k.checked_sub(1)?;
        (start < doc.paragraphs[p].span.end).then_some(p)
    };
    // Techniques in order of their first span; (technique's place there, paragraph).
    let mut order: Vec<&str> = Vec::new();
    let mut carried: Vec<(usize, usize)> = Vec::new();
    for a in &l.annotations {
        let Some(p) = paragraph_of(a.span.start) else {
            continue;
        };
        let t = match order.iter().position(|t| *t == a.label.as_str()) {
            Some(t) => t,
            None => {
                order.push(a.label.as_str());
                order.len() - 1
            }
        };
        carried.push((t, p));
    }
    carried.sort_unstable();
    carried.dedup();
    let mut out: Vec<(String, usize)> = order.iter().map(|t| (t.to_string(), 0)).collect();
    for (t, _) in carried {
        out[t].1 += 1;
    }
    out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    out
}

/// The profile of the `document` and `techniques` layers; `None` when neither has an
/// annotation.
pub fn document_profile(doc: &Doc) -> Option<DocumentProfile> {
    let techniques = paragraphs_carrying(doc);
    let said = doc
        .layer(layer::DOCUMENT)
        .map_or(&[][..], |l| &l.annotations[..]);
    if said.is_empty() && techniques.is_empty() {
        return None;
    }
    let named = |a: &claimlens_core::Annotation| {
        (
            a.attr_str("label").unwrap_or_default().to_owned(),
            a.reason.score.unwrap_or(0.0),
        )
    };
    Some(DocumentProfile {
        genre: said.iter().find(|a| a.label == label::GENRE).map(named),
        frames: said
            .iter()
            .filter(|a| a.label == label::FRAME)
            .map(named)
            .collect(),
        paragraphs: doc.paragraphs.len(),
        techniques,
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
            paragraphs: 1,
            techniques: Vec::new(),
        };
        assert_eq!(none.line(), "satire (0.50); frames: none");
    }

    #[test]
    fn counts_the_paragraphs_that_carry_each_technique() {
        let text = "Vile lies again.\n\nMore vile lies, and doubt.\n\nCalm.";
        let mut doc = Doc::new("t", text);
        // Segmentation's paragraphs, as the segmenter would give them.
        let mut start = 0;
        for part in text.split("\n\n") {
            doc.paragraphs.push(claimlens_core::Paragraph {
                span: Span::new(start, start + part.len()),
            });
            start += part.len() + 2;
        }
        let mut l = Layer::new(layer::TECHNIQUES, "techniques");
        let at = |w: &str, from: usize| {
            let s = from + text[from..].find(w).unwrap();
            Span::new(s, s + w.len())
        };
        for (span, t) in [
            (at("Vile", 0), "Loaded_Language"),
            (at("lies", 0), "Loaded_Language"),
            (at("vile", 18), "Loaded_Language"),
            (at("doubt", 0), "Doubt"),
        ] {
            l.push(Annotation::new(
                span,
                t,
                Reason::scored("techniques", "r", 0.5),
            ));
        }
        doc.insert_layer(l).unwrap();
        let p = document_profile(&doc).expect("techniques alone make a profile");
        assert_eq!(p.genre, None);
        assert_eq!(
            p.techniques,
            vec![("Loaded_Language".into(), 2), ("Doubt".into(), 1)]
        );
        assert_eq!(
            p.line(),
            "2 of 3 paragraphs carry Loaded_Language, 1 Doubt; frames: none"
        );
        let many = DocumentProfile {
            genre: Some(("reporting".into(), 0.7)),
            frames: Vec::new(),
            paragraphs: 1,
            techniques: ["A", "B", "C", "D", "E"]
                .iter()
                .map(|t| (t.to_string(), 1))
                .collect(),
        };
        assert_eq!(
            many.line(),
            "reporting (0.70); 1 of 1 paragraph carries A, 1 B, 1 C and 2 more techniques; frames: none"
        );
    }
}
