//! The document: original text, metadata and layers.

use crate::{Layer, ModelError, Paragraph, Sentence, Span, Token};

/// Bibliographic metadata, filled by ingest from the input record or the HTML page.
/// Every field is optional because real inputs omit any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Headline.
    pub title: Option<String>,
    /// Publishing outlet (site name, newspaper).
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// Publication date as found (ISO 8601 when the source gave one).
    pub published: Option<String>,
    /// BCP 47 language tag as found in the source (`lang`, `inLanguage`), or detected.
    pub language: Option<String>,
    /// The address the page was fetched from (a web archive's target URI, a fetched URL
    /// after redirects); `url` is the page's own canonical address when it gives one.
    pub fetched_url: Option<String>,
    /// When the page was fetched or archived (ISO 8601, as the archive or fetch recorded it).
    pub fetched_at: Option<String>,
}

/// Where a document came from, so errors and exports can point back to the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// File path, `-` for stdin, or a caller-chosen name.
    pub source: String,
    /// 1-based line (JSONL) or record (CSV) number inside the source, when it has several.
    pub record: Option<u64>,
    /// Input format that was read (`text`, `html`, `jsonl`, `csv`).
    pub format: &'static str,
    /// Character encoding the bytes were decoded from (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
}

/// An article with its standoff annotations. The text is fixed at creation; stages only add
/// layers.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Document id: from the input record, or derived from its origin.
    pub id: String,
    text: String,
    /// Bibliographic metadata.
    pub meta: Metadata,
    /// Where it came from.
    pub origin: Origin,
    /// Paragraphs, in text order (empty until segmentation ran).
    pub paragraphs: Vec<Paragraph>,
    /// Sentences, in text order (empty until segmentation ran).
    pub sentences: Vec<Sentence>,
    /// Tokens, in text order (empty until segmentation ran).
    pub tokens: Vec<Token>,
    layers: Vec<Layer>,
}

impl Doc {
    /// A document with the given id and text and no annotations.
    ///
    /// Callers must keep texts below 4 GiB (ingest enforces a much lower limit); spans are
    /// `u32` byte offsets.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Doc {
        let text = text.into();
        assert!(
            text.len() <= u32::MAX as usize,
            "document text exceeds the 4 GiB span limit"
        );
        Doc {
            id: id.into(),
            text,
            ..Doc::default()
        }
    }

    /// The original text. It is never modified after creation.
    #[inline]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers.
    ///
    /// Panics if the span does not fit the text; spans produced by stages always do.
    #[inline]
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// All named annotation layers, in the order they were added.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// A layer by name.
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.name == name)
    }

    /// True when a named layer is present. Segmentation's paragraphs, sentences and tokens
    /// are fields of the document, not named layers, so they never count here.
    pub fn has_layer(&self, name: &str) -> bool {
        self.layer(name).is_some()
    }

    /// Adds a layer after checking every span against the text and that the name is new.
    pub fn insert_layer(&mut self, mut layer: Layer) -> Result<(), ModelError> {
        if self.has_layer(&layer.name) {
            return Err(ModelError::DuplicateLayer(layer.name.to_string()));
        }
        for a in &layer.annotations {
            if !a.span.is_valid_for(&self.text) {
                return Err(ModelError::InvalidSpan {
                    layer: layer.name.to_string(),
                    start: a.span.start,
                    end: a.span.end,
                });
            }
        }
        for a in &layer.annotations {
            for link in &a.links {
                let len = if link.layer.as_str() == layer.name {
                    layer.annotations.len()
                } else {
                    self.layer(&link.layer).map_or(0, |l| l.annotations.len())
                };
                if link.index as usize >= len {
                    return Err(ModelError::DanglingLink {
                        layer: layer.name.to_string(),
                        target: link.layer.to_string(),
                        index: link.index,
                    });
                }
            }
        }
        // Stages build layers by pushing, and growth leaves up to half of the annotation
        // vector spare. The layer lives as long as the document, so it is trimmed once here.
        // (An annotation's attributes and links are exactly sized already.)
        layer.annotations.shrink_to_fit();
        self.layers.push(layer);
        Ok(())
    }

    /// Heap bytes the document holds: text, metadata, segmentation and layers (capacities,
    /// without the allocator's own overhead). Memory budgets and tests read it; it does not
    /// count what a stage holds only while it runs.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let meta = &self.meta;
        let strings = [
            &meta.title,
            &meta.outlet,
            &meta.url,
            &meta.author,
            &meta.published,
            &meta.language,
        ]
        .into_iter()
        .flatten()
        .map(String::capacity)
        .sum::<usize>();
        self.id.capacity()
            + self.text.capacity()
            + strings
            + self.origin.source.capacity()
            + self.paragraphs.capacity() * size_of::<Paragraph>()
            + self.sentences.capacity() * size_of::<Sentence>()
            + self.tokens.capacity() * size_of::<Token>()
            + self.layers.capacity() * size_of::<Layer>()
            + self.layers.iter().map(Layer::heap_bytes).sum::<usize>()
    }

    /// Number of whitespace-separated words, used for throughput figures. Counts tokens of
    /// kind word or number when segmentation ran, otherwise falls back to whitespace splitting.
    pub fn word_count(&self) -> usize {
        if self.tokens.is_empty() {
            self.text.split_whitespace().count()
        } else {
            self.tokens
                .iter()
                .filter(|t| {
                    matches!(
                        t.kind,
                        crate::TokenKind::Word | crate::TokenKind::Number | crate::TokenKind::Url
                    )
                })
                .count()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Annotation, AttrValue, Link, Reason};

    /// The per-item sizes a document's memory is made of (docs/evaluation.md, memory
    /// section): a change here changes every document's footprint.
    #[test]
    fn item_sizes_stay_put() {
        use std::mem::size_of;
        assert_eq!(size_of::<Token>(), 12);
        assert_eq!(size_of::<Sentence>(), 16);
        assert!(
            size_of::<Annotation>() <= 136,
            "{}",
            size_of::<Annotation>()
        );
        assert!(size_of::<AttrValue>() <= 32);
        assert!(size_of::<Link>() <= 56);
    }

    #[test]
    fn heap_bytes_counts_text_layers_and_owned_strings() {
        let mut doc = Doc::new("d", "Smith said it rained.");
        let empty = doc.heap_bytes();
        assert!(empty >= doc.text().len());
        let mut layer = Layer::new("x", "t");
        layer.push(
            Annotation::new(Span::new(0, 5), "PERSON", Reason::rule("t", "r"))
                .with_attr("canonical", "John Smith"),
        );
        doc.insert_layer(layer).unwrap();
        let with = doc.heap_bytes() - empty;
        // One annotation, one attribute (trimmed to one slot) and its owned string.
        assert!(with >= size_of_annotation() + "John Smith".len(), "{with}");
    }

    fn size_of_annotation() -> usize {
        std::mem::size_of::<Annotation>()
    }

    #[test]
    fn rejects_spans_outside_text_or_inside_a_character() {
        let mut doc = Doc::new("d", "“Hi”");
        let mut layer = Layer::new("x", "test");
        layer.push(Annotation::new(
            Span::new(0, 1),
            "L",
            Reason::rule("test", "r"),
        ));
        assert!(matches!(
            doc.insert_layer(layer),
            Err(ModelError::InvalidSpan { .. })
        ));
    }

    #[test]
    fn rejects_duplicate_layers_and_dangling_links() {
        let mut doc = Doc::new("d", "abc");
        doc.insert_layer(Layer::new("x", "t")).unwrap();
        assert!(matches!(
            doc.insert_layer(Layer::new("x", "t")),
            Err(ModelError::DuplicateLayer(_))
        ));
        let mut layer = Layer::new("y", "t");
        layer.push(
            Annotation::new(Span::new(0, 1), "L", Reason::rule("t", "r")).with_link(Link {
                role: "source".into(),
                layer: "x".into(),
                index: 0,
            }),
        );
        assert!(matches!(
            doc.insert_layer(layer),
            Err(ModelError::DanglingLink { .. })
        ));
    }
}
