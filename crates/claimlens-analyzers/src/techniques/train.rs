//! Training the techniques model on labelled articles, deterministically, with every
//! threshold chosen on folds of the training articles only:
//!
//! 1. the articles are split into [`TrainOptions::inner_folds`] folds by their group (a
//!    hash of the article id); each fold is scored by a lexicon and classifiers built from
//!    the other folds;
//! 2. per technique, the lexicon thresholds ([`lexicon::GRID`], or none) that maximise the
//!    span F1 of all techniques together (partial overlap, technique-aware), by coordinate
//!    ascent over the techniques;
//! 3. per technique, a Platt map fitted on the held-out sentence margins, then the
//!    probability threshold that maximises paragraph micro-F1 (a paragraph carries a
//!    technique when the lexicon matches in it or a sentence reaches the threshold);
//! 4. the span calibration maps: the held-out lexicon matches and tagger spans of the
//!    chosen sources (right: a gold span of the same technique overlaps), one map per
//!    source, Platt or isotonic by cross-fitted Brier score ([`map_choice`]);
//! 5. the final lexicon (counts from all articles, minimum counts scaled to the larger
//!    data) and classifiers (trained on all sentences) with those choices.

use std::collections::HashMap;

use claimlens_core::{tokens_within, Doc, Span};

use super::catalogue::TECHNIQUES;
use super::features::Extractor;
use super::lexicon::{self, Counts, Hit, Lexicon, Thresholds};
use super::model::{span_predictions, Classifier, Evidence, Model, SpanCalibration};
use super::overlap::OverlapStats;
use super::tagger::{self, Tagger, TaggerOptions};
use crate::learn::logistic::{self, Example, Logistic, LogisticOptions};
use crate::learn::map_choice::{self, Outcome};

/// One labelled article.
#[derive(Debug)]
pub struct TrainingDoc {
    /// The segmented article.
    pub doc: Doc,
    /// Gold (technique index, byte span) pairs.
    pub spans: Vec<(u8, Span)>,
    /// A hash of the article id: decides the fold.
    pub group: u64,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// The learner's settings.
    pub learner: LogisticOptions,
    /// Folds of the training articles on which thresholds and calibration are chosen.
    pub inner_folds: usize,
    /// A technique needs this many positive sentences for a classifier.
    pub min_positive: usize,
    /// Features seen fewer times in the training sentences are dropped (smaller model).
    pub min_feature_count: u32,
    /// Offer the span tagger as a span source (chosen per technique on the folds).
    pub tagger: bool,
    /// The tagger's settings.
    pub tagger_options: TaggerOptions,
    /// Classifier-only paragraphs of short-span techniques get the words that carried the
    /// score as their span rather than the whole sentence.
    pub evidence_spans: bool,
    /// One decision threshold for all classifiers instead of one per technique.
    pub global_threshold: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            learner: LogisticOptions {
                bits: 16,
                epochs: 10,
                ..LogisticOptions::default()
            },
            inner_folds: 3,
            min_positive: 8,
            min_feature_count: 2,
            tagger: true,
            tagger_options: TaggerOptions::default(),
            evidence_spans: false,
            global_threshold: false,
        }
    }
}

/// A classification unit (a sentence, or a paragraph for a paragraph-level model).
#[derive(Debug, Clone)]
pub struct Unit {
    /// Feature hashes.
    pub features: Vec<u32>,
    /// Bit t: the unit overlaps a gold span of technique t.
    pub labels: u32,
    /// Index of its paragraph among all paragraphs of the data.
    pub paragraph: usize,
    /// Its article's fold group.
    pub group: u64,
}

/// Units of the sentences (or, with `paragraphs`, of the paragraphs) of `docs`, and the
/// gold techniques of every paragraph (bit t: a gold span of t overlaps it).
pub fn units(docs: &[TrainingDoc], paragraphs: bool) -> (Vec<Unit>, Vec<u32>) {
    let mut x = Extractor::default();
    let mut out = Vec::new();
    let mut para_gold = Vec::new();
    for d in docs {
        x.reset();
        let base = para_gold.len();
        let labels_of = |span: Span| -> u32 {
            d.spans
                .iter()
                .filter(|(_, s)| s.start < span.end && span.start < s.end)
                .fold(0, |acc, (t, _)| acc | 1 << t)
        };
        para_gold.extend(d.doc.paragraphs.iter().map(|p| labels_of(p.span)));
        let spans: Vec<(Span, usize)> = if paragraphs {
            d.doc
                .paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.span, i))
                .collect()
        } else {
            d.doc
                .sentences
                .iter()
                .map(|s| (s.span, s.paragraph as usize))
                .collect()
        };
        for (span, p) in spans {
            let r = tokens_within(&d.doc.tokens, span);
            x.extract(&d.doc, r.start, &d.doc.tokens[r]);
            out.push(Unit {
                features: x.hashes.clone(),
                labels: labels_of(span),
                paragraph: base + p,
                group: d.group,
            });
        }
    }
    (out, para_gold)
}

/// The fold of an article's group among `k`: every trainer that folds articles uses this, so
/// inner folds agree whichever model is trained.
pub fn fold(group: u64, k: usize) -> usize {
    (group % k as u64) as usize
}

/// Trains a logistic regression for technique `t` on `units`, dropping rare features.
fn fit(units: &[&Unit], t: usize, opts: &TrainOptions) -> Logistic {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for u in units {
        for &f in &u.features {
            *counts.entry(f).or_default() += 1;
        }
    }
    let examples: Vec<Example> = units
        .iter()
        .map(|u| Example {
            features: u
                .features
                .iter()
                .copied()
                .filter(|f| counts[f] >= opts.min_feature_count)
                .collect(),
            positive: u.labels >> t & 1 == 1,
            weight: 1.0,
        })
        .collect();
    logistic::train(
        &examples,
        &opts.learner,
        "logistic:semeval2023-en-train+platt:inner-folds",
    )
}

/// What the classifiers of [`fit_classifiers`] decided, per technique.
pub struct Fitted {
    /// Classifier per technique (None: too few examples).
    pub classifiers: Vec<Option<Classifier>>,
}

/// Per technique with enough positive units: a classifier trained on all `units`, its Platt
/// map fitted on held-out margins of the inner folds, and the threshold that maximises
/// paragraph micro-F1 given `lexicon_flags` (bit t of paragraph p: the lexicon matched t
/// in it, on held-out folds).
pub fn fit_classifiers(
    units: &[Unit],
    para_gold: &[u32],
    lexicon_flags: &[u32],
    opts: &TrainOptions,
) -> Fitted {
    let k = opts.inner_folds.max(2);
    let n = TECHNIQUES.len();
    let active: Vec<bool> = (0..n)
        .map(|t| units.iter().filter(|u| u.labels >> t & 1 == 1).count() >= opts.min_positive)
        .collect();
    // Held-out margins per technique, unit by unit.
    let mut margins = vec![vec![0f32; units.len()]; n];
    for f in 0..k {
        let train: Vec<&Unit> = units.iter().filter(|u| fold(u.group, k) != f).collect();
        for t in (0..n).filter(|&t| active[t]) {
            let m = fit(&train, t, opts);
            for (i, u) in units
                .iter()
                .enumerate()
                .filter(|(_, u)| fold(u.group, k) == f)
            {
                margins[t][i] = m.margin(&u.features);
            }
        }
    }
    let mut calibrations = vec![None; n];
    // Paragraph score per technique: the highest calibrated probability of its units.
    let mut scores = vec![vec![0f32; para_gold.len()]; n];
    for t in (0..n).filter(|&t| active[t]) {
        let held: Vec<(f32, bool)> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (margins[t][i], u.labels >> t & 1 == 1))
            .collect();
        let c = logistic::fit_platt(&held);
        for (i, u) in units.iter().enumerate() {
            let p = c.apply(margins[t][i]);
            let s = &mut scores[t][u.paragraph];
            *s = s.max(p);
        }
        calibrations[t] = Some(c);
    }
    let thresholds = if opts.global_threshold {
        choose_global_threshold(&scores, para_gold, lexicon_flags, &active)
    } else {
        choose_thresholds(&scores, para_gold, lexicon_flags, &active)
    };
    let all: Vec<&Unit> = units.iter().collect();
    let classifiers = (0..n)
        .map(|t| {
            let calibration = calibrations[t].clone()?;
            let mut logistic = fit(&all, t, opts);
            logistic.calibration = calibration;
            Some(Classifier {
                logistic,
                threshold: thresholds[t],
            })
        })
        .collect();
    Fitted { classifiers }
}

/// One threshold for every active technique: the paragraph score that maximises
/// paragraph micro-F1 of all techniques together.
fn choose_global_threshold(
    scores: &[Vec<f32>],
    gold: &[u32],
    lexicon: &[u32],
    active: &[bool],
) -> Vec<f32> {
    const OFF: f32 = 1.5;
    let n = scores.len();
    let f1_at = |th: f32| -> f64 {
        let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
        for t in 0..n {
            for p in 0..gold.len() {
                let pred = lexicon[p] >> t & 1 == 1 || (active[t] && scores[t][p] >= th);
                match (pred, gold[p] >> t & 1 == 1) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
        }
        2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64
    };
    let mut candidates: Vec<f32> = (0..n)
        .filter(|&t| active[t])
        .flat_map(|t| scores[t].iter().copied())
        .collect();
    candidates.sort_by(f32::total_cmp);
    candidates.dedup();
    let step = (candidates.len() / 200).max(1);
    let mut best = (f1_at(OFF), OFF);
    for &th in candidates.iter().step_by(step) {
        let f = f1_at(th);
        if f > best.0 {
            best = (f, th);
        }
    }
    (0..n)
        .map(|t| if active[t] { best.1 } else { OFF })
        .collect()
}

/// Coordinate ascent on paragraph micro-F1: per technique, the threshold (a paragraph
/// score, or off: above 1) that maximises F1 of all techniques with the others fixed.
/// Also the frame thresholds of the genre model (units: documents, no lexicon).
pub(crate) fn choose_thresholds(
    scores: &[Vec<f32>],
    gold: &[u32],
    lexicon: &[u32],
    active: &[bool],
) -> Vec<f32> {
    const OFF: f32 = 1.5;
    let n = scores.len();
    let mut thresholds = vec![OFF; n];
    let counts = |t: usize, th: f32| -> (u64, u64, u64) {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for p in 0..gold.len() {
            let pred = lexicon[p] >> t & 1 == 1 || scores[t][p] >= th;
            match (pred, gold[p] >> t & 1 == 1) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        (tp, fp, fn_)
    };
    let mut per: Vec<(u64, u64, u64)> = (0..n).map(|t| counts(t, OFF)).collect();
    for _ in 0..2 {
        for t in (0..n).filter(|&t| active[t]) {
            let rest = per
                .iter()
                .enumerate()
                .filter(|(u, _)| *u != t)
                .fold((0, 0, 0), |a, (_, c)| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
            let f1 = |c: (u64, u64, u64)| {
                let (tp, fp, fn_) = (rest.0 + c.0, rest.1 + c.1, rest.2 + c.2);
                2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64
            };
            let mut candidates: Vec<f32> = scores[t].clone();
            candidates.sort_by(f32::total_cmp);
            candidates.dedup();
            let step = (candidates.len() / 200).max(1);
            let mut best = (f1(per[t]), thresholds[t], per[t]);
            for &th in candidates.iter().step_by(step).chain([OFF].iter()) {
                let c = counts(t, th);
                if f1(c) > best.0 {
                    best = (f1(c), th, c);
                }
            }
            thresholds[t] = best.1;
            per[t] = best.2;
        }
    }
    thresholds
}

/// A way of finding one technique's spans, chosen per technique on the inner folds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// Lexicon entries under these thresholds ([`lexicon::GRID`] index).
    Lexicon(usize),
    /// The tagger alone, under this role bias ([`tagger::BIAS_GRID`] index).
    Tagger(usize),
    /// Both: lexicon thresholds, tagger bias.
    Both(usize, usize),
}

impl Source {
    /// Every source: the grid alone, the tagger under each bias, each pair of the two.
    fn all(biases: usize) -> Vec<Source> {
        let g = lexicon::GRID.len();
        let mut v: Vec<Source> = (0..g).map(Source::Lexicon).collect();
        v.extend((0..biases).map(Source::Tagger));
        v.extend((0..g).flat_map(|c| (0..biases).map(move |b| Source::Both(c, b))));
        v
    }

    fn lexicon(self) -> Option<usize> {
        match self {
            Source::Lexicon(c) | Source::Both(c, _) => Some(c),
            Source::Tagger(_) => None,
        }
    }

    /// The tagger's bias index, if the source uses the tagger.
    fn tagger(self) -> Option<usize> {
        match self {
            Source::Tagger(b) | Source::Both(_, b) => Some(b),
            Source::Lexicon(_) => None,
        }
    }
}

/// Per technique, the source (or none) that maximises technique-aware span F1 over
/// `stats[source][technique]`, by coordinate ascent over the techniques.
fn choose_sources(stats: &[Vec<OverlapStats>], gold_spans: usize) -> Vec<Option<usize>> {
    let n = TECHNIQUES.len();
    let mut chosen: Vec<Option<usize>> = vec![None; n];
    let of = |c: Option<usize>, t: usize| c.map_or_else(OverlapStats::default, |c| stats[c][t]);
    for _ in 0..2 {
        for t in 0..n {
            let rest = (0..n)
                .filter(|&u| u != t)
                .fold(OverlapStats::default(), |mut a, u| {
                    a.add(of(chosen[u], u));
                    a
                });
            let f1 = |c: Option<usize>| {
                let mut s = rest;
                s.add(of(c, t));
                s.gold = gold_spans;
                s.f1()
            };
            let mut best = (f1(chosen[t]), chosen[t]);
            for c in std::iter::once(None).chain((0..stats.len()).map(Some)) {
                if f1(c) > best.0 + 1e-12 {
                    best = (f1(c), c);
                }
            }
            chosen[t] = best.1;
        }
    }
    chosen
}

/// Bit t: technique t's training spans are short (median at most five tokens), so a
/// classifier-only paragraph is better served by the words that carried the score than
/// by the whole sentence.
fn short_span_techniques(docs: &[TrainingDoc]) -> u32 {
    let mut lengths: Vec<Vec<usize>> = vec![Vec::new(); TECHNIQUES.len()];
    for d in docs {
        for &(t, span) in &d.spans {
            lengths[usize::from(t)].push(tokens_within(&d.doc.tokens, span).len());
        }
    }
    lengths
        .iter_mut()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .fold(0, |acc, (t, l)| {
            l.sort_unstable();
            if l[l.len() / 2] <= 5 {
                acc | 1 << t
            } else {
                acc
            }
        })
}

fn tagger_input<'a>(docs: &[&'a TrainingDoc]) -> Vec<(&'a Doc, &'a [(u8, Span)])> {
    docs.iter().map(|d| (&d.doc, &d.spans[..])).collect()
}

/// Trains the model (see the module docs).
pub fn train(docs: &[TrainingDoc], opts: &TrainOptions) -> Model {
    train_with_choices(docs, opts).0
}

/// What the span calibration maps measured on the inner folds, per source (`None`: the
/// source gave no held-out spans, so it has no map).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanMapChoices {
    /// The lexicon matches' map.
    pub lexicon: Option<map_choice::Choice>,
    /// The tagger spans' map.
    pub tagger: Option<map_choice::Choice>,
}

/// [`train`], also returning what chose the span calibration maps.
pub fn train_with_choices(docs: &[TrainingDoc], opts: &TrainOptions) -> (Model, SpanMapChoices) {
    let k = opts.inner_folds.max(2);
    let n = TECHNIQUES.len();
    let grid = lexicon::GRID;
    // Every role under the same bias of the grid; each technique then takes its own.
    let biases: Vec<tagger::RoleBias> = if opts.tagger {
        tagger::BIAS_GRID
            .iter()
            .map(|&b| [b; tagger::ROLES.len()])
            .collect()
    } else {
        Vec::new()
    };
    let sources = Source::all(biases.len());
    // Held-out span statistics: per source, per technique.
    let mut stats = vec![vec![OverlapStats::default(); n]; sources.len()];
    let mut gold_spans = 0;
    // Held-out spans, per source, per paragraph (bit t).
    let para_count: usize = docs.iter().map(|d| d.doc.paragraphs.len()).sum();
    let mut flags = vec![vec![0u32; para_count]; sources.len()];
    // Held-out span outcomes, per source, per technique: (from the tagger, outcome).
    let mut outcomes: Vec<Vec<Vec<(bool, Outcome)>>> = vec![vec![Vec::new(); n]; sources.len()];
    let para_base: Vec<usize> = docs
        .iter()
        .scan(0, |acc, d| {
            let b = *acc;
            *acc += d.doc.paragraphs.len();
            Some(b)
        })
        .collect();
    let mut scratch = tagger::Scratch::default();
    for f in 0..k {
        let mut counts = Counts::default();
        let rest: Vec<&TrainingDoc> = docs.iter().filter(|d| fold(d.group, k) != f).collect();
        for d in &rest {
            counts.add(&d.doc, &d.spans);
        }
        let tagger = if opts.tagger {
            tagger::train(tagger_input(&rest), &opts.tagger_options)
        } else {
            Tagger::default()
        };
        let lexicons: Vec<Lexicon> = grid
            .iter()
            .map(|th| counts.select(&vec![Some(*th); n], 1.0))
            .collect();
        for (di, d) in docs
            .iter()
            .enumerate()
            .filter(|(_, d)| fold(d.group, k) == f)
        {
            let tagged = tagger.find_under(&d.doc, &mut scratch, &biases);
            let hits: Vec<Vec<Hit>> = lexicons.iter().map(|l| l.find(&d.doc)).collect();
            let none = Lexicon::default();
            for (c, source) in sources.iter().enumerate() {
                let (lex, h) = match source.lexicon() {
                    Some(g) => (&lexicons[g], &hits[g][..]),
                    None => (&none, &[][..]),
                };
                let (mask, tagged) = match source.tagger() {
                    Some(b) => (u32::MAX, &tagged[b][..]),
                    None => (0, &[][..]),
                };
                let predicted = span_predictions(lex, h, tagged, mask, &SpanCalibration::default());
                for p in &predicted {
                    let Some(margin) = p.span_margin(lex) else {
                        continue;
                    };
                    let right = d.spans.iter().any(|&(t, g)| {
                        t == p.technique && g.start < p.span.end && p.span.start < g.end
                    });
                    outcomes[c][usize::from(p.technique)].push((
                        matches!(p.evidence, Evidence::Tagger { .. }),
                        Outcome {
                            margin,
                            right,
                            group: d.group,
                        },
                    ));
                }
                for (t, stat) in stats[c].iter_mut().enumerate() {
                    let p: Vec<(u32, u32)> = predicted
                        .iter()
                        .filter(|h| usize::from(h.technique) == t)
                        .map(|h| (h.span.start, h.span.end))
                        .collect();
                    let g: Vec<(u32, u32)> = d
                        .spans
                        .iter()
                        .filter(|s| usize::from(s.0) == t)
                        .map(|s| (s.1.start, s.1.end))
                        .collect();
                    let s = OverlapStats::of(&p, &g);
                    if c == 0 {
                        gold_spans += s.gold;
                    }
                    stat.add(s);
                }
                for h in &predicted {
                    if let Some(pi) = d
                        .doc
                        .paragraphs
                        .iter()
                        .position(|q| q.span.contains(h.span))
                    {
                        flags[c][para_base[di] + pi] |= 1 << h.technique;
                    }
                }
            }
        }
    }
    let chosen = choose_sources(&stats, gold_spans);
    let choices = choose_span_maps(&outcomes, &chosen, k);
    let span_calibration = SpanCalibration {
        lexicon: choices.lexicon.as_ref().map(|c| c.map.clone()),
        tagger: choices.tagger.as_ref().map(|c| c.map.clone()),
    };
    // Paragraph flags under the chosen sources, technique by technique.
    let mut lexicon_flags = vec![0u32; para_count];
    for (t, c) in chosen.iter().enumerate() {
        if let Some(c) = *c {
            for (p, f) in lexicon_flags.iter_mut().enumerate() {
                *f |= flags[c][p] & (1 << t);
            }
        }
    }
    let (units, para_gold) = units(docs, false);
    let fitted = fit_classifiers(&units, &para_gold, &lexicon_flags, opts);
    let mut counts = Counts::default();
    for d in docs {
        counts.add(&d.doc, &d.spans);
    }
    let scale = k as f32 / (k - 1) as f32;
    let thresholds: Vec<Option<Thresholds>> = chosen
        .iter()
        .map(|c| c.and_then(|c| sources[c].lexicon()).map(|g| grid[g]))
        .collect();
    let tagger_techniques = chosen
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_some_and(|c| sources[c].tagger().is_some()))
        .fold(0u32, |acc, (t, _)| acc | 1 << t);
    let tagger = if tagger_techniques != 0 {
        let all: Vec<&TrainingDoc> = docs.iter().collect();
        let mut tagger = tagger::train(tagger_input(&all), &opts.tagger_options);
        for (r, &t) in tagger::ROLES.iter().enumerate() {
            if let Some(b) = chosen[usize::from(t)].and_then(|c| sources[c].tagger()) {
                tagger.bias[r] = tagger::BIAS_GRID[b];
            }
        }
        tagger
    } else {
        Tagger::default()
    };
    let model = Model {
        lexicon: counts.select(&thresholds, scale),
        classifiers: fitted.classifiers,
        tagger,
        tagger_techniques,
        evidence_spans: if opts.evidence_spans {
            short_span_techniques(docs)
        } else {
            0
        },
        span_calibration,
    };
    (model, choices)
}

/// The span calibration maps from the held-out outcomes (`outcomes[source][technique]`) of
/// each technique's chosen source: one map over every lexicon match, one over every tagger
/// span (see the module docs).
fn choose_span_maps(
    outcomes: &[Vec<Vec<(bool, Outcome)>>],
    chosen: &[Option<usize>],
    folds: usize,
) -> SpanMapChoices {
    let (mut lexicon, mut tagger) = (Vec::new(), Vec::new());
    for (t, c) in chosen.iter().enumerate() {
        let Some(c) = *c else { continue };
        for &(from_tagger, o) in &outcomes[c][t] {
            if from_tagger {
                tagger.push(o);
            } else {
                lexicon.push(o);
            }
        }
    }
    SpanMapChoices {
        lexicon: map_choice::choose(&lexicon, folds),
        tagger: map_choice::choose(&tagger, folds),
    }
}
