//! Training the word-class tagger from Penn Treebank-tagged sentences.

use super::features::extract;
use super::{Model, PosClass, CLASS_COUNT};
use crate::learn::features::Features;
use crate::learn::perceptron::{train_epochs_classes, Example};

/// One tagged sentence.
#[derive(Debug, Clone, Default)]
pub struct PosSentence {
    /// The words.
    pub words: Vec<String>,
    /// One class per word.
    pub classes: Vec<PosClass>,
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
            epochs: 8,
            min_weight: 1.0,
            seed: 2026,
        }
    }
}

/// Trains a model; `progress(epoch, token_errors, tokens)` is called after every epoch.
pub fn train(
    sentences: &[PosSentence],
    opts: &TrainOptions,
    progress: impl FnMut(usize, usize, usize),
) -> Model {
    let examples: Vec<Example> = sentences
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let mut features = Features::default();
            extract(&words, &mut features);
            Example {
                features,
                gold: s.classes.iter().map(|c| c.tag()).collect(),
            }
        })
        .collect();
    let trainer = train_epochs_classes::<CLASS_COUNT>(&examples, opts.epochs, opts.seed, progress);
    Model {
        inner: trainer.finish(Vec::new(), opts.min_weight),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_tiny_language_deterministically() {
        use PosClass::*;
        let s = |w: &[&str], c: &[PosClass]| PosSentence {
            words: w.iter().map(|x| x.to_string()).collect(),
            classes: c.to_vec(),
        };
        let data = vec![
            s(&["officials", "said", "it"], &[Noun, VerbPast, Pron]),
            s(&["reports", "say", "it"], &[Noun, VerbPresent, Pron]),
            s(&["she", "said", "that"], &[Pron, VerbPast, Adp]),
        ];
        let opts = TrainOptions {
            min_weight: 0.0,
            ..TrainOptions::default()
        };
        let a = train(&data, &opts, |_, _, _| {});
        let b = train(&data, &opts, |_, _, _| {});
        assert_eq!(a.to_bytes(), b.to_bytes());
        assert_eq!(
            a.tag_words(&["officials", "said", "it"]),
            vec![Noun, VerbPast, Pron]
        );
    }
}
