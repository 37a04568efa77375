//! Training the attribution taggers from labelled documents (PolNeAR train): the cue tagger
//! on whole documents, the argument tagger on one window per gold cue.

use std::collections::HashMap;
use std::ops::Range;

use claimlens_core::Token;

use super::features::Features;
use super::input::SequenceInput;
use super::lexicon::CueLexicon;
use super::model::{BeamWidths, Model};
use super::sequence::document_sequence;
use super::tags::{ArgumentTags, CueTags, Role, Tag, Tagset, ARGUMENT_TAGS, CUE_TAGS, O};
use crate::learn::beam::train_epochs_beam;
use crate::learn::bio::{begin, inside, role_of};
use crate::learn::perceptron::Example;
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
    /// Identifies the relation (one cue, its source and content) the span belongs to.
    pub relation: u32,
}

/// Training settings. The defaults are the committed model's settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Features whose averaged weights are all below this magnitude are dropped, per tagger.
    pub min_weights: MinWeights,
    /// A word joins the cue lexicon when it is inside a cue at least this often...
    pub lexicon_min_count: u32,
    /// ...and at least this share of its occurrences.
    pub lexicon_min_ratio: f64,
    /// Beam widths both taggers are trained (and will decode) with.
    pub beams: BeamWidths,
}

/// Pruning thresholds of the cue and argument taggers (see [`TrainOptions::min_weights`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinWeights {
    /// Cue tagger.
    pub cues: f32,
    /// Argument tagger.
    pub arguments: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 25,
            seed: 2026,
            min_weights: MinWeights {
                // Chosen on a held-out fifth of train (docs/evaluation.md): 6 instead of 3
                // keeps 37 % of the cue tagger's features and cuts the stage's time by about
                // a tenth at the same F1 (relation 0.4167 → 0.4168); the argument tagger's
                // table is the smaller, and pruning it too bought no measurable time.
                cues: 6.0,
                arguments: 3.0,
            },
            lexicon_min_count: 3,
            lexicon_min_ratio: 0.2,
            beams: BeamWidths {
                cues: 4,
                // A greedy argument tagger was tried on 2026-12-06 (docs/evaluation.md): more
                // contents, fewer sources, relations within seed noise; not kept.
                arguments: 4,
            },
        }
    }
}

/// Gold tags of tag set `T` for tokens from labelled spans (roles `T` does not tag are left
/// out): a token takes the role of the span that covers most of it; B on the first token of
/// each span.
pub fn gold_tags<T: Tagset>(tokens: &[Token], spans: &[&LabelledSpan]) -> Vec<Tag> {
    let mut tags = vec![O; tokens.len()];
    let mut owner: Vec<Option<u32>> = vec![None; tokens.len()];
    let mut sorted: Vec<(&LabelledSpan, u8)> = spans
        .iter()
        .filter_map(|s| Some((*s, T::index(s.role)?)))
        .collect();
    // Cues, then sources, claim their tokens first: a claim quoted inside another keeps its
    // cue and source, and the outer content is tagged around them.
    sorted.sort_by_key(|(s, _)| (s.role != Role::Cue, s.role != Role::Source, s.range.start));
    for (s, role) in sorted {
        let mut t = tokens.partition_point(|t| (t.span.end as usize) <= s.range.start);
        while t < tokens.len() && (tokens[t].span.start as usize) < s.range.end {
            let (a, b) = (tokens[t].span.start as usize, tokens[t].span.end as usize);
            let overlap = b.min(s.range.end).saturating_sub(a.max(s.range.start));
            if overlap * 2 >= b - a && owner[t].is_none() {
                owner[t] = Some(s.span_id);
                tags[t] = inside(role);
            }
            t += 1;
        }
    }
    for i in 0..tokens.len() {
        if let Some(id) = owner[i] {
            if i == 0 || owner[i - 1] != Some(id) {
                tags[i] = begin(role_of(tags[i]).expect("tagged"));
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
            if role_of(tag).and_then(CueTags::role) == Some(Role::Cue) {
                e.0 += 1;
            }
        }
    }
    CueLexicon::new(counts.into_iter().filter_map(|(w, (cue, all))| {
        (cue >= opts.lexicon_min_count && cue as f64 >= opts.lexicon_min_ratio * all as f64)
            .then_some(w)
    }))
}

/// Token range of tokens mostly covered by `fragments` (`None` when none is).
fn covered_tokens(tokens: &[Token], fragments: &[&LabelledSpan]) -> Option<Range<usize>> {
    let mut covered = tokens.iter().enumerate().filter(|(_, t)| {
        fragments.iter().any(|f| {
            let (a, b) = (t.span.start as usize, t.span.end as usize);
            b.min(f.range.end).saturating_sub(a.max(f.range.start)) * 2 >= b - a
        })
    });
    let first = covered.next()?.0;
    let last = covered.next_back().map_or(first, |(i, _)| i);
    Some(first..last + 1)
}

/// Trains a model. `progress(epoch, token_errors, tokens)` is called after each epoch of the
/// cue tagger (one example per paragraph), then after each epoch of the argument tagger (one
/// example per gold cue). Both are beam-trained with early updates ([`crate::learn::beam`]).
pub fn train(
    docs: &[TrainDoc],
    opts: TrainOptions,
    mut progress: impl FnMut(usize, usize, usize),
) -> Model {
    let mut segmented = Vec::with_capacity(docs.len());
    let mut layouts = Vec::with_capacity(docs.len());
    for d in docs {
        let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
        Segmenter::segment_into(&d.text, &mut p, &mut t, &mut s);
        let spans: Vec<&LabelledSpan> = d.spans.iter().collect();
        let tags = gold_tags::<CueTags>(&t, &spans);
        layouts.push(document_sequence(&p, &s, &t));
        segmented.push((d.text.clone(), t, tags));
    }
    let lexicon = learn_lexicon(&segmented, &opts);
    let mut cue_examples = Vec::new();
    let mut argument_examples = Vec::new();
    for (((text, tokens, tags), seq), doc) in segmented.iter().zip(&layouts).zip(docs) {
        let Some(seq) = seq else { continue };
        let input = SequenceInput::new(text, tokens, seq);
        let tokens = input.tokens;
        let mut features = Features::default();
        input.cue_features(&lexicon, &mut features);
        let gold = &tags[seq.tokens.clone()];
        for p in super::sequence::paragraph_ranges(&seq.paragraph_of) {
            cue_examples.push(Example {
                features: features.slice(p.clone()),
                gold: gold[p].to_vec(),
            });
        }
        // One argument example per gold relation, windowed around its cue.
        let mut relations: Vec<u32> = doc.spans.iter().map(|s| s.relation).collect();
        relations.sort_unstable();
        relations.dedup();
        let parts_of = |r: u32, cue: bool| -> Vec<&LabelledSpan> {
            doc.spans
                .iter()
                .filter(|s| s.relation == r && (s.role == Role::Cue) == cue)
                .collect()
        };
        let cues: Vec<(u32, Range<usize>)> = relations
            .iter()
            .filter_map(|&r| Some((r, covered_tokens(tokens, &parts_of(r, true))?)))
            .collect();
        let mut ctx = input.argument_context(&lexicon);
        let mut cue_ranges: Vec<Range<usize>> = cues.iter().map(|(_, c)| c.clone()).collect();
        cue_ranges.sort_by_key(|c| (c.start, c.end));
        ctx.set_cues(&cue_ranges);
        for (r, cue) in &cues {
            let window = ctx.window(cue);
            let mut features = Features::default();
            ctx.extract(cue, &window, &mut features);
            argument_examples.push(Example {
                features,
                gold: gold_tags::<ArgumentTags>(&tokens[window], &parts_of(*r, false)),
            });
        }
    }
    let cues = train_epochs_beam::<CUE_TAGS>(
        &cue_examples,
        opts.epochs,
        opts.seed,
        opts.beams.cues as usize,
        &mut progress,
    );
    drop(cue_examples);
    let arguments = train_epochs_beam::<ARGUMENT_TAGS>(
        &argument_examples,
        opts.epochs,
        opts.seed,
        opts.beams.arguments as usize,
        &mut progress,
    );
    let words = lexicon.sorted().into_iter().map(str::to_owned).collect();
    Model::new(
        cues.finish(words, opts.min_weights.cues),
        arguments.finish(Vec::new(), opts.min_weights.arguments),
        opts.beams,
    )
}
