//! Training the attribution tagger from labelled documents (PolNeAR train).

use std::collections::HashMap;
use std::ops::Range;

use claimlens_core::Token;

use super::features::{extract, Features};
use super::lexicon::CueLexicon;
use super::model::Model;
use super::sequence::document_sequence;
use super::tags::NTAGS;
use super::tags::{begin, inside, Role, Tag, O};
use crate::learn::perceptron::{train_epochs, Example};
use crate::Segmenter;

/// A labelled document: text and role spans (UTF-8 byte ranges).
pub struct TrainDoc {
    /// The text.
    pub text: String,
    /// Role fragments. Fragments of one span must be listed with the same `span_id`.
    pub spans: Vec<LabelledSpan>,
}

/// One labelled fragment.
#[derive(Debug, Clone)]
pub struct LabelledSpan {
    /// Its role.
    pub role: Role,
    /// Byte range.
    pub range: Range<usize>,
    /// Identifies the span the fragment belongs to (B/I boundaries follow span ids).
    pub span_id: u32,
}

/// Training settings. The defaults are the committed model's settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Averaged weights below this magnitude are dropped.
    pub min_weight: f32,
    /// A word joins the cue lexicon when it is inside a cue at least this often...
    pub lexicon_min_count: u32,
    /// ...and at least this share of its occurrences.
    pub lexicon_min_ratio: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 15,
            seed: 2026,
            min_weight: 2.0,
            lexicon_min_count: 3,
            lexicon_min_ratio: 0.2,
        }
    }
}

/// Gold tags for tokens from labelled spans: a token takes the role of the span that covers
/// most of it; B on the first token of each span.
pub fn gold_tags(tokens: &[Token], spans: &[LabelledSpan]) -> Vec<Tag> {
    let mut tags = vec![O; tokens.len()];
    let mut owner: Vec<Option<u32>> = vec![None; tokens.len()];
    let mut sorted: Vec<&LabelledSpan> = spans.iter().collect();
    sorted.sort_by_key(|s| s.range.start);
    let mut t0 = 0;
    for s in sorted {
        while t0 < tokens.len() && (tokens[t0].span.end as usize) <= s.range.start {
            t0 += 1;
        }
        let mut t = t0;
        while t < tokens.len() && (tokens[t].span.start as usize) < s.range.end {
            let (a, b) = (tokens[t].span.start as usize, tokens[t].span.end as usize);
            let overlap = b.min(s.range.end).saturating_sub(a.max(s.range.start));
            if overlap * 2 >= b - a && owner[t].is_none() {
                owner[t] = Some(s.span_id);
                tags[t] = inside(s.role);
            }
            t += 1;
        }
    }
    for i in 0..tokens.len() {
        if let Some(id) = owner[i] {
            if i == 0 || owner[i - 1] != Some(id) {
                tags[i] = begin(super::tags::role_of(tags[i]).expect("tagged"));
            }
        }
    }
    tags
}

/// Learns the cue lexicon from training documents.
fn learn_lexicon(docs: &[(String, Vec<Token>, Vec<Tag>)], opts: &TrainOptions) -> CueLexicon {
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for (text, tokens, tags) in docs {
        for (tok, &tag) in tokens.iter().zip(tags) {
            let w = text[tok.span.range()].to_lowercase();
            if !w.chars().any(char::is_alphabetic) {
                continue;
            }
            let e = counts.entry(w).or_default();
            e.1 += 1;
            if super::tags::role_of(tag) == Some(Role::Cue) {
                e.0 += 1;
            }
        }
    }
    CueLexicon::new(counts.into_iter().filter_map(|(w, (cue, all))| {
        (cue >= opts.lexicon_min_count && cue as f64 >= opts.lexicon_min_ratio * all as f64)
            .then_some(w)
    }))
}

/// Trains a model. `progress(epoch, token_errors, tokens)` is called after each epoch.
pub fn train(
    docs: &[TrainDoc],
    opts: TrainOptions,
    progress: impl FnMut(usize, usize, usize),
) -> Model {
    let mut segmented = Vec::with_capacity(docs.len());
    let mut layouts = Vec::with_capacity(docs.len());
    for d in docs {
        let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
        Segmenter::segment_into(&d.text, &mut p, &mut t, &mut s);
        let tags = gold_tags(&t, &d.spans);
        layouts.push(document_sequence(&p, &s, &t));
        segmented.push((d.text.clone(), t, tags));
    }
    let lexicon = learn_lexicon(&segmented, &opts);
    let mut examples = Vec::new();
    for ((text, tokens, tags), seqs) in segmented.iter().zip(&layouts) {
        if let Some(seq) = seqs {
            let mut features = Features::default();
            extract(
                text,
                &tokens[seq.tokens.clone()],
                &seq.sentence_of,
                &seq.paragraph_of,
                &lexicon,
                &mut features,
            );
            examples.push(Example {
                features,
                gold: tags[seq.tokens.clone()].to_vec(),
            });
        }
    }
    let trainer = train_epochs::<NTAGS>(&examples, opts.epochs, opts.seed, progress);
    let words = lexicon.sorted().into_iter().map(str::to_owned).collect();
    Model::new(trainer.finish(words, opts.min_weight))
}
