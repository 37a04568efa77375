//! The entity model: perceptron weights over BIO tags of the four CoNLL-2003 types, and the
//! tagger that runs it over a document's sentences.

use std::ops::Range;

use super::context::DocContext;
use super::features::extract;
use crate::learn::bio::{previous, spans, Tag};
use crate::learn::features::Features;
pub use crate::learn::perceptron::ModelFormatError;
use crate::learn::perceptron::{self, probability};

/// The CoNLL-2003 entity types, in role order (role `r` has tags `1 + 2r`, `2 + 2r`).
pub const CONLL_TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Number of tags: O plus B/I for each CoNLL type.
pub const NTAGS: usize = 1 + 2 * CONLL_TYPES.len();

/// Magic and version of the entity model file.
const MAGIC: &[u8; 8] = b"CLNER001";

/// The role index of a CoNLL type name.
pub fn role_of_type(name: &str) -> Option<u8> {
    CONLL_TYPES.iter().position(|t| *t == name).map(|r| r as u8)
}

/// One entity found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedEntity {
    /// Index into [`CONLL_TYPES`].
    pub role: u8,
    /// Word indexes within the sentence.
    pub words: Range<usize>,
    /// Mean probability of the chosen tags.
    pub score: f32,
}

/// Trained entity weights.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: perceptron::Model<NTAGS>,
}

impl Model {
    /// Wraps trained weights.
    pub fn new(weights: perceptron::Model<NTAGS>) -> Model {
        Model { weights }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.feature_count()
    }

    /// Serializes the model (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.weights.to_bytes(MAGIC)
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        perceptron::Model::from_bytes(bytes, MAGIC).map(Model::new)
    }

    /// Tags every sentence of one document (each a list of words); the document is needed
    /// whole because how a word is written elsewhere in it is a feature.
    pub fn tag_document<'w, S: AsRef<[&'w str]>>(&self, sentences: &[S]) -> Vec<Vec<TaggedEntity>> {
        let ctx = DocContext::new(sentences.iter().map(AsRef::as_ref));
        let mut feats = Features::default();
        let (mut tags, mut scores): (Vec<Tag>, Vec<[f32; NTAGS]>) = (Vec::new(), Vec::new());
        sentences
            .iter()
            .map(|s| {
                let words = s.as_ref();
                feats.values.clear();
                feats.starts.clear();
                extract(words, &ctx, &mut feats);
                self.weights.tag(&feats, &mut tags, &mut scores);
                spans(&tags)
                    .into_iter()
                    .map(|(role, range)| {
                        let score = range
                            .clone()
                            .map(|i| probability(&scores[i], previous(&tags, i), tags[i] as usize))
                            .sum::<f32>()
                            / range.len() as f32;
                        TaggedEntity {
                            role,
                            words: range,
                            score,
                        }
                    })
                    .collect()
            })
            .collect()
    }
}
