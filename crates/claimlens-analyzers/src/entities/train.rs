//! Training the entity tagger on CoNLL-style documents (deterministic).

use super::context::DocContext;
use super::features::extract;
use super::model::{Model, NTAGS};
use crate::learn::bio::Tag;
use crate::learn::features::Features;
use crate::learn::perceptron::{Example, Trainer};
use crate::learn::shuffle;

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
    mut progress: impl FnMut(usize, usize, usize),
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
    let total: usize = examples.iter().map(|e| e.gold.len()).sum();
    let mut trainer = Trainer::<NTAGS>::default();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = opts.seed;
    for epoch in 0..opts.epochs {
        shuffle(&mut order, &mut rng);
        let errors = trainer.epoch(&examples, &order);
        progress(epoch + 1, errors, total);
    }
    Model::new(trainer.finish(Vec::new(), opts.min_weight))
}
