//! Named-entity evaluation on CoNLL-2003 with conlleval semantics: an entity is a maximal
//! span of one type in IOB2 tags; it counts as correct only with exact boundaries and type.
//! Scores are micro-averaged over all entities, overall and per type.

use std::collections::HashSet;
use std::ops::Range;
use std::time::{Duration, Instant};

use claimlens_analyzers::entities::{Model, NerDoc, CONLL_TYPES};
use claimlens_analyzers::learn::bio::spans;
use serde::Serialize;

use crate::calibration_fit::{fold_key, Outcome};
use crate::Counts;

/// Scores of one run.
#[derive(Debug, Clone, Serialize)]
pub struct NerReport {
    /// Documents scored.
    pub documents: usize,
    /// Words tagged.
    pub words: usize,
    /// All types together.
    pub overall: Counts,
    /// Per CoNLL type, in [`CONLL_TYPES`] order.
    pub per_type: Vec<(String, Counts)>,
    /// Time spent tagging (features + decoding), excluding reading the file and the one-off
    /// loading of the embedded clusters and gazetteer.
    #[serde(skip)]
    pub elapsed: Duration,
    /// Every predicted entity as a calibration outcome (right: exact span and type); the
    /// uncalibrated score is the mean tag probability, the raw score the smallest margin.
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

impl NerReport {
    /// Words tagged per second on one core.
    pub fn words_per_sec(&self) -> f64 {
        self.words as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

type Entity = (usize, usize, Range<usize>, u8);

/// A CoNLL file's documents have no ids: the document's position stands in for one.
fn document_key(d: usize) -> u64 {
    fold_key(&format!("conll-document-{d}"))
}

/// Tags every document with `model` and scores it against the gold tags.
pub fn evaluate_ner(model: &Model, docs: &[NerDoc]) -> NerReport {
    let mut predicted: Vec<Entity> = Vec::new();
    let mut evidence: Vec<(f32, f32)> = Vec::new();
    let mut words = 0;
    claimlens_analyzers::entities::warm_up();
    let start = Instant::now();
    for (d, doc) in docs.iter().enumerate() {
        let slices = doc.word_slices();
        words += slices.iter().map(Vec::len).sum::<usize>();
        for (s, ents) in model.tag_document(&slices).into_iter().enumerate() {
            for e in ents {
                evidence.push((e.score, e.evidence.raw()));
                predicted.push((d, s, e.words, e.role));
            }
        }
    }
    let elapsed = start.elapsed();
    let gold: Vec<Entity> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.sentences.iter().enumerate().flat_map(move |(s, sent)| {
                spans(&sent.tags)
                    .into_iter()
                    .map(move |(role, r)| (d, s, r, role))
            })
        })
        .collect();
    let key = |e: &Entity| (e.0, e.1, e.2.start, e.2.end, e.3);
    let gold_keys: HashSet<_> = gold.iter().map(key).collect();
    let outcomes = predicted
        .iter()
        .zip(&evidence)
        .map(|(e, &(score, raw))| Outcome {
            fold_key: document_key(e.0),
            score,
            raw,
            right: gold_keys.contains(&key(e)),
        })
        .collect();
    let score = |role: Option<u8>| {
        let mut p: Vec<_> = predicted
            .iter()
            .filter(|e| role.is_none_or(|r| e.3 == r))
            .map(key)
            .collect();
        let mut g: Vec<_> = gold
            .iter()
            .filter(|e| role.is_none_or(|r| e.3 == r))
            .map(key)
            .collect();
        p.sort_unstable();
        g.sort_unstable();
        Counts::from_sorted_sets(&p, &g)
    };
    NerReport {
        documents: docs.len(),
        words,
        overall: score(None),
        per_type: CONLL_TYPES
            .iter()
            .enumerate()
            .map(|(r, t)| (t.to_string(), score(Some(r as u8))))
            .collect(),
        elapsed,
        outcomes,
    }
}
