//! Part-of-speech tagging into twenty coarse word classes ([`PosClass`]).
//!
//! Not a pipeline stage of its own: no output needs a part of speech per token, but the
//! attribution taggers use it as evidence (a reporting verb is a verb, a content clause
//! starts at "to" + base verb or at a finite verb after "that"). A greedy averaged perceptron
//! (the shared [`crate::learn::perceptron`], tags free to follow each other) trained on the
//! Penn Treebank tags of CoNLL-2003 train, mapped to the coarse classes:
//!
//! ```sh
//! claimlens train pos --conll ../shared/data/conll2003/train.txt \
//!     --out crates/claimlens-analyzers/models/pos.bin
//! ```

mod classes;
mod features;
mod train;

use claimlens_core::Token;

pub use classes::{PosClass, CLASS_COUNT};
pub use train::{train, PosSentence, TrainOptions};

use crate::learn::embedded::{Embedded, LoadError};
use crate::learn::features::Features;
use crate::learn::perceptron::{self, ModelFormatError};

/// Magic bytes of the model file (tagger and version): version 2 holds the weights in the
/// compressed format ([`crate::learn::weights_file`]); version 1 (uncompressed) is still
/// read.
const MAGIC: &[u8; 8] = b"CLPOS002";
const MAGIC_V1: &[u8; 8] = b"CLPOS001";

/// The committed model (see the module docs for the command that trains it).
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/pos.bin");

static EMBEDDED: Embedded<Model> = Embedded::new("pos", EMBEDDED_MODEL, Model::from_bytes);

/// A trained word-class tagger.
#[derive(Debug, Clone, Default)]
pub struct Model {
    inner: perceptron::Model<CLASS_COUNT>,
}

impl Model {
    /// The committed model, decoded on first use.
    pub fn embedded() -> Result<&'static Model, LoadError> {
        EMBEDDED.get()
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        let inner = if bytes.starts_with(MAGIC_V1) {
            perceptron::Model::from_v1_bytes(bytes, MAGIC_V1)?
        } else {
            perceptron::Model::from_bytes(bytes, MAGIC)?
        };
        Ok(Model { inner })
    }

    /// Serializes the model (byte-identical for identical weights).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes(MAGIC)
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.inner.feature_count()
    }

    /// The classes of one sentence's words.
    pub fn tag_words(&self, words: &[&str]) -> Vec<PosClass> {
        let mut out = Vec::with_capacity(words.len());
        let mut buffers = Buffers::default();
        self.tag_into(words, &mut buffers, &mut out);
        out
    }

    /// The classes of a token sequence, tagged sentence by sentence (`sentence_of[i]` is
    /// token `i`'s sentence; a sentence is a run of equal values).
    pub fn tag_tokens(&self, text: &str, tokens: &[Token], sentence_of: &[u32]) -> Vec<PosClass> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut buffers = Buffers::default();
        let mut words: Vec<&str> = Vec::new();
        let mut start = 0;
        for i in 1..=tokens.len() {
            if i == tokens.len() || sentence_of.get(i) != sentence_of.get(i - 1) {
                // An overlong sentence is tagged in parts, so memory stays bounded.
                for part in crate::learn::sequence_parts(i - start) {
                    let part = start + part.start..start + part.end;
                    words.clear();
                    words.extend(tokens[part].iter().map(|t| &text[t.span.range()]));
                    self.tag_into(&words, &mut buffers, &mut out);
                }
                start = i;
            }
        }
        out
    }

    fn tag_into(&self, words: &[&str], b: &mut Buffers, out: &mut Vec<PosClass>) {
        features::extract(words, &mut b.features);
        self.inner
            .tag_classes(&b.features, &mut b.tags, &mut b.scores);
        out.extend(b.tags.iter().map(|&t| PosClass::from_tag(t)));
    }
}

/// Reusable per-sentence buffers.
#[derive(Default)]
struct Buffers {
    features: Features,
    tags: Vec<crate::learn::bio::Tag>,
    scores: Vec<[f32; CLASS_COUNT]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_tags_a_news_sentence() {
        let model = Model::embedded().unwrap();
        assert!(model.feature_count() > 1000);
        let words = [
            "The", "minister", "said", "\u{201c}", "we", "will", "respond", "\u{201d}", ",",
            "adding", "that", "talks", "had", "failed", ".",
        ];
        let tags = model.tag_words(&words);
        use PosClass::*;
        assert_eq!(
            tags,
            vec![
                Det,
                Noun,
                VerbPast,
                Punct,
                Pron,
                Modal,
                VerbBase,
                Punct,
                Punct,
                VerbGerund,
                Adp,
                Noun,
                VerbPast,
                VerbParticiple,
                Punct
            ]
        );
        assert!(model.tag_words(&[]).is_empty());
    }

    #[test]
    fn tokens_are_tagged_per_sentence() {
        let model = Model::embedded().unwrap();
        let mut doc = claimlens_core::Doc::new("d", "Officials denied it. Reports say otherwise.");
        claimlens_core::Stage::run(&crate::Segmenter, &mut doc);
        let sentence_of: Vec<u32> = doc
            .tokens
            .iter()
            .map(|t| {
                doc.sentences
                    .iter()
                    .position(|s| s.span.contains(t.span))
                    .unwrap() as u32
            })
            .collect();
        let tags = model.tag_tokens(doc.text(), &doc.tokens, &sentence_of);
        assert_eq!(tags.len(), doc.tokens.len());
        assert_eq!(tags[1], PosClass::VerbPast);
        assert_eq!(tags[5], PosClass::VerbPresent);
    }
}
