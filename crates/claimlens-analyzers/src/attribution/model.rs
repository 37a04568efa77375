//! The attribution model: perceptron weights over the 7 attribution tags plus the cue
//! lexicon its features consult, stored together in one `CLATTR02` file.

use super::features::Features;
use super::lexicon::CueLexicon;
use super::tags::{Tag, NTAGS};
use crate::learn::perceptron;
pub use crate::learn::perceptron::ModelFormatError;

/// Magic and version of the attribution model file.
const MAGIC: &[u8; 8] = b"CLATTR02";

/// Trained attribution weights and the cue lexicon they were trained with.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: perceptron::Model<NTAGS>,
    /// The cue lexicon the features were computed with.
    pub lexicon: CueLexicon,
}

impl Model {
    /// Wraps trained weights; their word list is the cue lexicon.
    pub fn new(weights: perceptron::Model<NTAGS>) -> Model {
        let lexicon = CueLexicon::new(weights.words.iter().cloned());
        Model { weights, lexicon }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.feature_count()
    }

    /// Tags a sequence greedily; `scores` receives each token's tag scores.
    pub fn tag(&self, feats: &Features, tags: &mut Vec<Tag>, scores: &mut Vec<[f32; NTAGS]>) {
        self.weights.tag(feats, tags, scores)
    }

    /// Serializes the model (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.weights.to_bytes(MAGIC)
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        perceptron::Model::from_bytes(bytes, MAGIC).map(Model::new)
    }
}
