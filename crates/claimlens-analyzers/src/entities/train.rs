//! Training the entity tagger on CoNLL-style documents (deterministic).

use super::context::DocContext;
use super::features::extract;
use super::model::{Model, NTAGS};
use crate::learn::bio::Tag;
use crate::learn::features::Features;
use crate::learn::perceptron::{train_epochs, Example};

/// One labelled sentence: words and their BIO tags (see [`super::role_of_type`]).
#[derive(Debug, Clone, Default)]
pub struct NerSentence {
    /// The words.
    pub words: Vec<String>,
    /// One tag per word.
    pub tags: Vec<Tag>,
}

/// One labelled document: its sentences in order.
#[derive(Debug, Clone, Default)]
pub struct NerDoc {
    /// The sentences.
    pub sentences: Vec<NerSentence>,
}

impl NerDoc {
    /// The sentences as word slices, ready for [`Model::tag_document`].
    pub fn word_slices(&self) -> Vec<Vec<&str>> {
        self.sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect()
    }
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Features whose averaged weights are all smaller than this are dropped.
    pub min_weight: f32,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            min_weight: 0.5,
            seed: 2026,
        }
    }
}

/// Trains a model; `progress(epoch, token_errors, tokens)` is called after every epoch.
pub fn train(
    docs: &[NerDoc],
    opts: &TrainOptions,
    progress: impl FnMut(usize, usize, usize),
) -> Model {
    let mut examples = Vec::new();
    for doc in docs {
        let words = doc.word_slices();
        let ctx = DocContext::new(&words);
        for (s, w) in doc.sentences.iter().zip(&words) {
            if w.is_empty() {
                continue;
            }
            let mut features = Features::default();
            extract(w, &ctx, &mut features);
            examples.push(Example {
                features,
                gold: s.tags.clone(),
            });
        }
    }
    let trainer = train_epochs::<NTAGS>(&examples, opts.epochs, opts.seed, progress);
    Model::new(trainer.finish(Vec::new(), opts.min_weight))
}
