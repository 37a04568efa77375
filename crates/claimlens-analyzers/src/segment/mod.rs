//! Segmentation: paragraphs, tokens and sentences. The only stage that creates them; it
//! also decides the text's language when the metadata gives none.

mod language;
mod lexicon;
mod paragraphs;
mod sentences;
mod tokenize;

use claimlens_core::{Diagnostic, Doc, Stage};
use claimlens_schema::layer;

pub use language::reads_as_english;

/// Splits a document into paragraphs, tokens and sentences.
///
/// ```
/// use claimlens_analyzers::Segmenter;
/// use claimlens_core::{Doc, Stage};
///
/// let mut doc = Doc::new("d", "MOSCOW (Reuters) - Gen. Ivanov arrived. “It is over,” he said.\n\nNext paragraph.");
/// Segmenter.run(&mut doc);
/// let sentences: Vec<&str> = doc.sentences.iter().map(|s| doc.slice(s.span)).collect();
/// assert_eq!(sentences, ["MOSCOW (Reuters) -", "Gen. Ivanov arrived.", "“It is over,” he said.", "Next paragraph."]);
/// assert_eq!(doc.paragraphs.len(), 2);
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Segmenter;

/// Layer names the segmenter assigns.
pub const SEGMENT_LAYERS: &[&str] = &[layer::PARAGRAPHS, layer::SENTENCES, layer::TOKENS];

impl Segmenter {
    /// Segments `text` into the given vectors (cleared first). Exposed for benchmarks and
    /// evaluation that do not need a `Doc`.
    pub fn segment_into(
        text: &str,
        paragraphs: &mut Vec<claimlens_core::Paragraph>,
        tokens: &mut Vec<claimlens_core::Token>,
        sentences: &mut Vec<claimlens_core::Sentence>,
    ) {
        paragraphs.clear();
        tokens.clear();
        sentences.clear();
        tokens.reserve(text.len() / 5);
        paragraphs::paragraphs(text, paragraphs);
        tokenize::tokenize(text, tokens);
        sentences::sentences(text, paragraphs, tokens, sentences);
    }
}

impl Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn requires(&self) -> &'static [&'static str] {
        &[]
    }

    fn assigns(&self) -> &'static [&'static str] {
        SEGMENT_LAYERS
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let mut paragraphs = std::mem::take(&mut doc.paragraphs);
        let mut tokens = std::mem::take(&mut doc.tokens);
        let mut sentences = std::mem::take(&mut doc.sentences);
        Segmenter::segment_into(doc.text(), &mut paragraphs, &mut tokens, &mut sentences);
        doc.paragraphs = paragraphs;
        doc.tokens = tokens;
        doc.sentences = sentences;
        if doc.meta.language.is_none() {
            doc.meta.language = language::detect(doc).map(str::to_owned);
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
