//! Claims: every checkable unit of a document, scored for check-worthiness, typed and
//! ranked, with who said it and on whose authority. Adds the `claims` layer: one `CLAIM`
//! per attribution content part (the claim X of "Zakharova said that X") and per sentence
//! that no attribution touches (the outlet's own voice), with
//!
//! * `attrs.checkworthy`: the calibrated probability of [`model`] (a logistic regression over
//!   [`features`]: words, word pairs and what the earlier layers found inside the claim);
//! * `attrs.rank`: 1 for the most check-worthy claim of the document;
//! * `attrs.type`: Full Fact's claim type from stated evidence ([`kind`]);
//! * `attrs.speaker`: the speaker's canonical name (`speakers`), the source's words when it
//!   names no one, or `outlet`; `attrs.sourcing`: the sentence's `sourcing` label;
//! * links to the attribution, its content part, the speaker, the sourcing label and every
//!   entity, amount, time and place inside the claim;
//! * a reason naming the model, its strongest features for this claim and the type's
//!   evidence.
//!
//! The model was trained on English; a document that is not English gets a warning and an
//! empty layer rather than scores that mean nothing.

pub mod features;
pub mod kind;
mod lexicon;
pub mod model;

use std::borrow::Cow;

use claimlens_core::{
    tokens_within, Annotation, Diagnostic, Doc, Layer, Reason, Severity, Span, Stage,
};
use claimlens_schema::{label, layer, link, role, Attribution, SpeakerIndex};

use features::{Extracted, FeatureSet, LayerIndex};
use kind::claim_type;

use crate::learn::logistic::Logistic;

/// Stage name.
pub const STAGE: &str = "claims";

/// The claims stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClaimsStage;

impl Stage for ClaimsStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn uses(&self) -> &'static [&'static str] {
        &[
            layer::ATTRIBUTION_PARTS,
            layer::ATTRIBUTIONS,
            layer::SPEAKERS,
            layer::SOURCING,
            layer::ENTITIES,
            layer::TIMES,
            layer::AMOUNTS,
            layer::PLACES,
        ]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[layer::CLAIMS]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let layer = match model::embedded() {
            Err(e) => {
                diagnostics.push(e.diagnostic(STAGE, "no claims layer"));
                return diagnostics;
            }
            Ok(_) if doc.sentences.is_empty() => {
                diagnostics.push(Diagnostic {
                    severity: Severity::Info,
                    stage: STAGE.into(),
                    message: "the text has no sentences, so there are no claims to score".into(),
                    span: None,
                });
                Layer::new(layer::CLAIMS, STAGE)
            }
            Ok(_) if !crate::reads_as_english(doc) => {
                diagnostics.push(Diagnostic::warning(
                    STAGE,
                    "the text does not look like English (almost none of its words are \
                     common English words): the check-worthiness model, trained on English, \
                     does not apply, so no claims were scored",
                ));
                Layer::new(layer::CLAIMS, STAGE)
            }
            Ok(m) => claims_layer(doc, m),
        };
        if let Err(e) = doc.insert_layer(layer) {
            diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
        }
        diagnostics
    }
}

/// One claim before scoring.
struct Unit {
    span: Span,
    /// The relation (index in `attributions`) and content part (in `attribution-parts`).
    attribution: Option<(u32, u32)>,
    /// The `speakers` annotation of the relation's source.
    speaker: Option<u32>,
    speaker_name: String,
}

/// The claim units of a document, in text order.
fn units(doc: &Doc, index: &LayerIndex<'_>) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut touched = vec![false; doc.sentences.len()];
    let sentence_of = |pos: u32| doc.sentences.partition_point(|s| s.span.end <= pos);
    let speakers = SpeakerIndex::new(doc);
    if let Some(read) = Attribution::read_all(doc) {
        for r in &read.all {
            let spans = std::iter::once(r.anchor).chain(read.content_spans(r));
            for span in spans {
                let mut k = sentence_of(span.start);
                while k < doc.sentences.len()
                    && doc.sentences[k].span.start < span.end.max(span.start + 1)
                {
                    touched[k] = true;
                    k += 1;
                }
            }
            let speaker = r.source.and_then(|p| speakers.of_part(p));
            let speaker_name = match (speaker, r.source.and_then(|p| read.part_span(p))) {
                (Some((_, s)), _) if claimlens_schema::is_resolved(&s.label) => s.label.to_string(),
                (_, Some(span)) => doc.slice(span).trim().to_owned(),
                _ => index
                    .sourcing
                    .at(r.anchor.start)
                    .and_then(|&(_, i, _)| sourcing_speaker(doc, i))
                    .unwrap_or("unnamed")
                    .to_owned(),
            };
            for c in &r.content {
                let Some(span) = read.part_span(c.part).filter(|s| !s.is_empty()) else {
                    continue;
                };
                out.push(Unit {
                    span,
                    attribution: Some((r.index, c.part)),
                    speaker: speaker.map(|(i, _)| i),
                    speaker_name: speaker_name.clone(),
                });
            }
        }
    }
    for (s, _) in doc.sentences.iter().zip(&touched).filter(|(_, t)| !**t) {
        if tokens_within(&doc.tokens, s.span).is_empty() {
            continue;
        }
        out.push(Unit {
            span: s.span,
            attribution: None,
            speaker: None,
            speaker_name: "outlet".to_owned(),
        });
    }
    out.sort_by_key(|u| (u.span.start, u.span.end));
    out
}

fn sourcing_speaker(doc: &Doc, i: u32) -> Option<&str> {
    doc.layer(layer::SOURCING)?
        .annotations
        .get(i as usize)?
        .attr_str("speaker")
}

/// The label of `sourcing` annotation `i` (`unsourced` without one), shared with the
/// sourcing layer rather than copied: every claim carries one.
fn sourcing_label(sourcing: Option<&Layer>, i: Option<u32>) -> Cow<'static, str> {
    i.and_then(|i| sourcing?.annotations.get(i as usize))
        .map_or(Cow::Borrowed("unsourced"), |a| a.label.to_cow())
}

/// The `claims` layer of a document.
fn claims_layer(doc: &Doc, model: &Logistic) -> Layer {
    let index = LayerIndex::new(doc);
    let units = units(doc, &index);
    let mut x = Extracted::default();
    // The claims and their probabilities, apart so that the claims become the layer without
    // a second vector of them alive at the stage's (and often the run's) memory peak.
    let mut claims: Vec<Annotation> = Vec::with_capacity(units.len());
    let mut scores: Vec<f32> = Vec::with_capacity(units.len());
    let sourcing_layer = doc.layer(layer::SOURCING);
    for u in &units {
        x.extract(doc, &index, u.span, FeatureSet::Full);
        let p = model.probability(&x.hashes);
        let t = claim_type(doc, &index, u.span);
        let sourcing = index.sourcing.at(u.span.start);
        let mut rule = format!("{}; strongest: {}", model.name, strongest(doc, model, &x));
        if !t.evidence.is_empty() {
            rule.push_str(&format!("; type {}: {}", t.name, t.evidence));
        }
        let mut a = Annotation::new(u.span, label::CLAIM, Reason::scored(STAGE, rule, p))
            .with_attr("checkworthy", (f64::from(p) * 1e4).round() / 1e4)
            .with_attr("rank", 0i64)
            .with_attr("type", t.name)
            .with_attr("speaker", u.speaker_name.clone())
            .with_attr(
                "sourcing",
                sourcing_label(sourcing_layer, sourcing.map(|s| s.1)),
            );
        if let Some((rel, part)) = u.attribution {
            a = a
                .with_link(link(role::ATTRIBUTION, layer::ATTRIBUTIONS, rel))
                .with_link(link(role::CONTENT, layer::ATTRIBUTION_PARTS, part));
        }
        if let Some(s) = u.speaker {
            a = a.with_link(link(role::SPEAKER, layer::SPEAKERS, s));
        }
        if let Some(&(_, i, _)) = sourcing {
            a = a.with_link(link(role::SOURCING, layer::SOURCING, i));
        }
        for (spans, r, l) in [
            (&index.entities, role::ENTITY, layer::ENTITIES),
            (&index.amounts, role::AMOUNT, layer::AMOUNTS),
            (&index.times, role::TIME, layer::TIMES),
            (&index.places, role::PLACE, layer::PLACES),
        ] {
            a = a.with_links(spans.within(u.span).map(|&(_, i, _)| link(r, l, i)));
        }
        claims.push(a);
        scores.push(p);
    }
    // Rank: most check-worthy first, earlier in the text on ties.
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&i, &j| scores[j].total_cmp(&scores[i]).then(i.cmp(&j)));
    for (rank, &i) in order.iter().enumerate() {
        if let Some(v) = claims[i].attrs.iter_mut().find(|(k, _)| k == "rank") {
            v.1 = claimlens_core::AttrValue::Int(rank as i64 + 1);
        }
    }
    let mut layer = Layer::new(layer::CLAIMS, STAGE);
    layer.annotations = claims;
    layer.sort();
    layer
}

/// The three features that pushed this claim's score up the most, with their weights.
fn strongest(doc: &Doc, model: &Logistic, x: &Extracted<'_>) -> String {
    crate::learn::logistic::strongest(model, &x.hashes, None, |i| x.names[i].describe(doc))
}

#[cfg(test)]
mod tests;
