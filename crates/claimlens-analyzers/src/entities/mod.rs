//! Entities: who and what a claim is about. A greedy averaged perceptron trained on
//! CoNLL-2003 tags PER / ORG / LOC / MISC mentions, which are refined into finer types.

mod context;
mod features;
mod model;
mod train;

pub use model::{role_of_type, Model, ModelFormatError, TaggedEntity, CONLL_TYPES, NTAGS};
pub use train::{train, NerDoc, NerSentence, TrainOptions};

use std::sync::LazyLock;

/// The committed model's bytes (`models/entities.bin`), embedded so no file is needed at run
/// time. Trained by `claimlens train ner --conll ../shared/data/conll2003/train.txt`.
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/entities.bin");

static EMBEDDED: LazyLock<Result<Model, ModelFormatError>> =
    LazyLock::new(|| Model::from_bytes(EMBEDDED_MODEL));

/// The embedded model, parsed once.
pub fn embedded_model() -> Result<&'static Model, ModelFormatError> {
    EMBEDDED.as_ref().map_err(Clone::clone)
}
