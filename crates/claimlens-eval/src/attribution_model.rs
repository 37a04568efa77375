//! Glue between PolNeAR and the attribution tagger: training documents from gold relations,
//! and predictions scored with [`crate::attribution::score_attribution`].

use std::time::Instant;

use claimlens_analyzers::attribution::{LabelledSpan, Model, Role, Tagger, TrainDoc};
use claimlens_analyzers::learn::calibration::Component;
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Stage};

use crate::attribution::{normalize_span, score_attribution, AttributionReport, PredictedRelation};
use crate::calibration::Calibration;
use crate::calibration_fit::{cross_fit, fold_key, BeforeAfter, Outcome};
use crate::polnear::PolnearDoc;

/// PolNeAR documents as tagger training documents (each role of each relation is one span).
pub fn train_docs(docs: &[PolnearDoc]) -> Vec<TrainDoc> {
    docs.iter()
        .map(|d| {
            let mut spans = Vec::new();
            let mut id = 0u32;
            for (ri, r) in d.relations.iter().enumerate() {
                for (role, frags) in [
                    (Role::Source, &r.source),
                    (Role::Cue, &r.cue),
                    (Role::Content, &r.content),
                ] {
                    // Fragments split only by white space are one span (brat splits at line
                    // breaks); other gaps start a new span.
                    let mut prev_end: Option<usize> = None;
                    for f in frags {
                        let joined = prev_end
                            .is_some_and(|e| e <= f.start && d.text[e..f.start].trim().is_empty());
                        if !joined {
                            id += 1;
                        }
                        spans.push(LabelledSpan {
                            role,
                            range: f.clone(),
                            span_id: id,
                            relation: ri as u32,
                        });
                        prev_end = Some(f.end);
                    }
                }
            }
            TrainDoc {
                text: d.text.clone(),
                spans,
            }
        })
        .collect()
}

/// Result of running the tagger over a split.
pub struct AttributionRun {
    /// Documents tagged.
    pub documents: usize,
    /// Scores.
    pub report: AttributionReport,
    /// Seconds spent in segmentation + tagging.
    pub seconds: f64,
    /// Words processed.
    pub words: usize,
    /// How well the reported span scores predict an exact match with a gold span of the
    /// same role (the embedded calibration's probabilities: in-sample on PolNeAR dev, which
    /// the map was fitted on).
    pub calibration: Calibration,
    /// Every predicted span as a calibration outcome, by role (cue, source, content): the
    /// uncalibrated score is the mean tag probability, the raw score the smallest margin.
    pub outcomes: [Vec<Outcome>; 3],
}

impl AttributionRun {
    /// The map's component of each entry of [`AttributionRun::outcomes`].
    pub const COMPONENTS: [Component; 3] = [
        Component::AttributionCue,
        Component::AttributionSource,
        Component::AttributionContent,
    ];

    /// All roles' spans cross-fitted by document ([`cross_fit`]), one map per role.
    pub fn cross_fitted(&self) -> BeforeAfter {
        let mut all = BeforeAfter::default();
        for outcomes in &self.outcomes {
            let r = cross_fit(outcomes);
            all.before.merge(&r.before);
            all.after.merge(&r.after);
        }
        all
    }
}

/// Segments and tags every document, then scores the relations against gold.
pub fn evaluate_attribution_model(docs: &[PolnearDoc], model: &Model) -> AttributionRun {
    let tagger = Tagger::new(model);
    let mut pairs = Vec::with_capacity(docs.len());
    let mut seconds = 0.0;
    let mut words = 0;
    let mut calibration = Calibration::default();
    let mut outcomes: [Vec<Outcome>; 3] = Default::default();
    for d in docs {
        let t = Instant::now();
        let mut doc = Doc::new(d.id.clone(), d.text.clone());
        Segmenter.run(&mut doc);
        let (spans, relations) = tagger.predict(&doc);
        seconds += t.elapsed().as_secs_f64();
        words += doc.word_count();
        for s in &spans {
            let key = normalize_span(&d.text, &[s.span.range()]);
            let right = d.relations.iter().any(|r| {
                let gold = match s.role {
                    Role::Source => &r.source,
                    Role::Cue => &r.cue,
                    Role::Content => &r.content,
                };
                normalize_span(&d.text, gold) == key
            });
            calibration.add(s.score, right);
            let role = match s.role {
                Role::Cue => 0,
                Role::Source => 1,
                Role::Content => 2,
            };
            outcomes[role].push(Outcome {
                fold_key: fold_key(&d.id),
                score: s.evidence.mean_probability,
                raw: s.evidence.raw(),
                right,
            });
        }
        let range = |i: usize| spans[i].span.range();
        let predicted: Vec<PredictedRelation> = relations
            .iter()
            .map(|r| PredictedRelation {
                source: r.source.map(range).into_iter().collect(),
                cue: vec![range(r.cue)],
                content: r.content.iter().map(|&c| range(c)).collect(),
            })
            .collect();
        pairs.push((d, predicted));
    }
    AttributionRun {
        documents: docs.len(),
        report: score_attribution(&pairs),
        seconds,
        words,
        calibration,
        outcomes,
    }
}
