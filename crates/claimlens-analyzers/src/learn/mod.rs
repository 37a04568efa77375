//! Learning machinery shared by the statistical taggers (attribution, entities).
//!
//! * [`features`]: hashed, allocation-free token features in one flat vector per sequence.
//! * [`bio`]: the BIO encoding of typed spans over token sequences.
//! * [`perceptron`]: a greedy averaged perceptron over BIO tags and its trainer;
//!   [`weights_file`]: its compressed binary model format.
//! * [`embedded`]: the one loading pattern of everything compiled into the binary (models,
//!   clusters, gazetteer) and its typed [`embedded::LoadError`].
//! * [`beam`]: beam-search decoding of the same weights, and beam training with early
//!   updates (Collins & Roark 2004) so the weights are learnt for that decoder.
//! * [`calibration`]: raw span scores ([`calibration::SpanEvidence`]) and the fitted maps
//!   that turn them into probabilities (`models/calibration.tsv`).
//! * [`logistic`]: sparse binary logistic regression (AdaGrad, L2) with a Platt or isotonic
//!   calibration map ([`probability_map`]), for scores read as probabilities
//!   (check-worthiness);
//!   [`map_choice`]: Platt or isotonic, chosen by cross-fitted Brier score on held-out
//!   outcomes (the techniques model's span scores).
//! * [`clusters`]: distributional word clusters from unlabelled text (spherical
//!   [`kmeans`] over neighbour vectors), a feature source for unseen words;
//!   [`vector_clusters`]: clusters of GloVe's 400,000-word vocabulary, for words that text
//!   never shows.
//!
//! A tagger supplies its feature templates and tag roles; everything else is here, so a
//! fix to decoding or training reaches every model.

pub mod beam;
pub mod bio;
pub mod calibration;
pub mod clusters;
mod clusters_file;
pub mod embedded;
pub mod features;
pub mod kmeans;
pub mod logistic;
pub mod map_choice;
pub mod perceptron;
pub mod probability_map;
pub mod vector_clusters;
pub mod weights_file;

/// Most tokens a tagger decodes as one sequence. A sequence's features, scores and beam grow
/// with its length (a few hundred bytes a token), so a longer sentence or paragraph is
/// decoded in parts of at most this many tokens: one unpunctuated line of hundreds of
/// megabytes then costs what 16,384 tokens (about 80 KB of text) do. Real sentences and
/// paragraphs are far shorter (the longest paragraph in the evaluation corpora is under
/// 10,000 tokens), so their tagging is unchanged.
pub const MAX_SEQUENCE_TOKENS: usize = 16_384;

/// `0..len` in consecutive parts of at most [`MAX_SEQUENCE_TOKENS`].
pub fn sequence_parts(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    parts(len, MAX_SEQUENCE_TOKENS)
}

/// `0..len` in consecutive parts of at most `max` (at least 1): how a unit longer than a
/// model ever saw in training is read without holding all of it at once.
pub fn parts(len: usize, max: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let max = max.max(1);
    (0..len)
        .step_by(max)
        .map(move |start| start..(start + max).min(len))
}

/// Fisher–Yates with a 64-bit LCG: deterministic across platforms, so training is too.
pub fn shuffle(v: &mut [usize], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((*state >> 33) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
