//! Entities: who and what a claim is about.
//!
//! An averaged perceptron trained on CoNLL-2003 tags PER / ORG / LOC / MISC mentions
//! sentence by sentence (with document-wide case evidence), decoded with a beam and trained
//! for it ([`crate::learn::beam`]; the width is stored in the model); a second pass tags the document
//! again with what the first found elsewhere in it as features ([`nonlocal`]: the labels
//! of the same word and name, the longest name containing the word), trained on first-pass
//! predictions cross-fitted over folds of the training documents; [`types`] refines them into
//! PERSON, ORG, GPE, LOC, NORP, FACILITY, EVENT and MISC; [`aliases`] adds the acronyms and
//! former names the tagger missed and groups mentions into entities with canonical names.
//!
//! Layers:
//! * `entities`: one annotation per mention, labelled with the refined type; attrs `conll`,
//!   `entity` (entity number), `canonical`, and `type_rule` / `alias_rule` when a rule
//!   decided the type or the grouping. The reason is the tagger's, with the probability
//!   that the CoNLL span and type are exactly right (its smallest tag margin mapped by a
//!   calibration fitted on CoNLL-2003 valid, [`crate::learn::calibration`]), or the rule
//!   that found the mention (`acronym-definition`, `acronym-use`, `alias-phrase`).
//! * `entity-groups`: one annotation per entity on its canonical mention, with attrs
//!   `canonical`, `mentions`, `aliases` (distinct other names, ` | `-separated) and a
//!   `mention` link to each of its mentions.
//!
//! The weights are `models/entities.bin`, trained by
//! `claimlens train ner --conll ../shared/data/conll2003/train.txt` (deterministic).

mod aliases;
mod context;
mod features;
mod model;
mod nonlocal;
mod train;
mod types;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Link, Reason, Span, Stage};
use claimlens_schema::layer;

use crate::gazetteer::Gazetteer;
use crate::learn::calibration::{reported_score, CalibrationTable, Component};
use crate::learn::clusters::Clusters;
use crate::learn::embedded::{Embedded, LoadError};

pub use aliases::{Entity, Mention};
pub use model::{
    role_of_type, Model, ModelFormatError, SecondPass, TaggedEntity, CONLL_TYPES, NTAGS,
};
pub use nonlocal::groups as nonlocal_groups;
pub use train::{
    cross_fit, fold_of, train, train_first_pass, train_second_pass, NerDoc, NerSentence,
    SecondPassOptions, TrainOptions,
};
pub use types::refine;

/// Name of the stage.
pub const STAGE: &str = "entities";
/// Layer of mentions.
pub const MENTIONS_LAYER: &str = layer::ENTITIES;
/// Layer of entities (mention groups).
pub const GROUPS_LAYER: &str = layer::ENTITY_GROUPS;
/// Rule id recorded in reasons of tagged mentions.
const MODEL_RULE: &str = "perceptron:conll2003-train";
/// Reason of a tagged mention whose score is the calibrated probability.
const CALIBRATED_RULE: &str = "perceptron:conll2003-train+platt:conll2003-valid";

/// The committed model's bytes (`models/entities.bin`), embedded so no file is needed at run
/// time.
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/entities.bin");

static EMBEDDED: Embedded<Model> = Embedded::new("entities", EMBEDDED_MODEL, Model::from_bytes);

impl Model {
    /// The committed model, decoded on first use.
    pub fn embedded() -> Result<&'static Model, LoadError> {
        EMBEDDED.get()
    }
}

/// Loads the embedded resources the features consult (word clusters, gazetteer), which
/// otherwise happens on the first tagged sentence; for timing the tagger alone.
pub fn warm_up() {
    let _ = Clusters::embedded();
    let _ = Gazetteer::try_embedded();
}

/// Tags a segmented document and groups the mentions: the stage without the layers.
pub fn find_entities(model: &Model, doc: &Doc) -> (Vec<Mention>, Vec<Entity>) {
    let text = doc.text();
    let tokens = &doc.tokens;
    let ranges: Vec<std::ops::Range<usize>> = doc
        .sentences
        .iter()
        .map(|s| claimlens_core::tokens_within(tokens, s.span))
        .collect();
    let sentences: Vec<Vec<&str>> = ranges
        .iter()
        .map(|r| {
            tokens[r.clone()]
                .iter()
                .map(|t| &text[t.span.range()])
                .collect()
        })
        .collect();
    let mut mentions = Vec::new();
    for (r, found) in ranges.iter().zip(model.tag_document(&sentences)) {
        let first = r.start;
        for e in found {
            let range = first + e.words.start..first + e.words.end;
            let span = Span::new(
                tokens[range.start].span.start as usize,
                tokens[range.end - 1].span.end as usize,
            );
            let conll = CONLL_TYPES[e.role as usize];
            let (label, type_rule) = match refine(conll, &text[span.range()]) {
                ("GPE" | "LOC", _) if names_a_news_agency(text, &tokens[range.end..]) => {
                    ("ORG", Some("news-agency"))
                }
                refined => refined,
            };
            mentions.push(Mention {
                span,
                tokens: range,
                label,
                conll,
                found_by: MODEL_RULE,
                type_rule,
                score: e.score,
                evidence: Some(e.evidence),
                alias_rule: None,
                entity: 0,
                secondary: false,
            });
        }
    }
    split_group_modifiers(text, tokens, &mut mentions);
    let entities = aliases::group(text, tokens, &mut mentions);
    (mentions, entities)
}

/// True when the words after a name are "news agency": "Sputnik news agency", "Antara news
/// agency" name the agency, whatever the tagger made of the name (a place, often: many
/// agencies are named after one, and "Sputnik" is a village too). "Iranian news agency" is
/// a nationality and keeps its type; "U.S. agency" is not matched.
fn names_a_news_agency(text: &str, after: &[claimlens_core::Token]) -> bool {
    let mut words = after.iter().map(|t| &text[t.span.range()]);
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("news"))
        && words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("agency") || w.eq_ignore_ascii_case("agency's"))
}

/// "Takfiri Hayat Tahrir al-Sham": the tagger often swallows a religious or political label
/// standing next to a name. When the rest of the mention is used on its own elsewhere in
/// the document, the label becomes its own `NORP` mention (rule `group-modifier`).
fn split_group_modifiers(
    text: &str,
    tokens: &[claimlens_core::Token],
    mentions: &mut Vec<Mention>,
) {
    let words = |r: std::ops::Range<usize>| -> Vec<&str> {
        tokens[r].iter().map(|t| &text[t.span.range()]).collect()
    };
    let names: std::collections::HashSet<Vec<&str>> =
        mentions.iter().map(|m| words(m.tokens.clone())).collect();
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions.drain(..) {
        let r = m.tokens.clone();
        let first = &text[tokens[r.start].span.range()];
        let last = &text[tokens[r.end - 1].span.range()];
        let split = if r.len() >= 3
            && types::is_group_word(first)
            && names.contains(&words(r.start + 1..r.end))
        {
            Some((r.start..r.start + 1, r.start + 1..r.end))
        } else if r.len() >= 3
            && types::is_group_word(last)
            && names.contains(&words(r.start..r.end - 1))
        {
            Some((r.end - 1..r.end, r.start..r.end - 1))
        } else {
            None
        };
        let Some((label_r, name_r)) = split else {
            out.push(m);
            continue;
        };
        let span_of = |r: &std::ops::Range<usize>| {
            Span::new(
                tokens[r.start].span.start as usize,
                tokens[r.end - 1].span.end as usize,
            )
        };
        let modifier = Mention {
            span: span_of(&label_r),
            tokens: label_r,
            label: "NORP",
            conll: "MISC",
            found_by: "group-modifier",
            type_rule: Some("group-word"),
            score: m.score,
            // Found by a rule: its reason is the rule, not a tagger probability.
            evidence: None,
            ..m.clone()
        };
        let name = Mention {
            span: span_of(&name_r),
            tokens: name_r,
            ..m
        };
        if modifier.span.start < name.span.start {
            out.extend([modifier, name]);
        } else {
            out.extend([name, modifier]);
        }
    }
    *mentions = out;
}

/// The entity stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct EntityStage;

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::SENTENCES, layer::TOKENS]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[MENTIONS_LAYER, GROUPS_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let model = match Model::embedded() {
            Ok(m) => m,
            Err(e) => return vec![e.diagnostic(STAGE, "no entity layers")],
        };
        let mut diags = Vec::new();
        // The features consult both; without them tagging still runs, less accurately.
        if let Err(e) = Clusters::embedded() {
            diags.push(e.diagnostic(STAGE, "no word-cluster features, entities degraded"));
        }
        if let Err(e) = crate::learn::vector_clusters::VectorClusters::embedded() {
            diags.push(e.diagnostic(STAGE, "no GloVe-cluster features, entities degraded"));
        }
        if let Err(e) = Gazetteer::try_embedded() {
            diags.push(e.diagnostic(STAGE, "no gazetteer features, entities degraded"));
        }
        if let Err(e) = CalibrationTable::embedded() {
            diags.push(e.diagnostic(STAGE, "mention scores are uncalibrated mean probabilities"));
        }
        let (mentions, entities) = find_entities(model, doc);
        let text = doc.text();
        let canonical = |e: usize| text[mentions[entities[e].canonical].span.range()].to_owned();
        let mut layer = Layer::new(MENTIONS_LAYER, STAGE);
        for m in &mentions {
            let reason = if let Some(evidence) = &m.evidence {
                match reported_score(Component::Entities, evidence) {
                    (p, true) => Reason::scored(STAGE, CALIBRATED_RULE, p),
                    (p, false) => Reason::scored(STAGE, MODEL_RULE, p),
                }
            } else {
                Reason::rule(STAGE, m.found_by)
            };
            let mut a = Annotation::new(m.span, m.label, reason)
                .with_attr("conll", m.conll)
                .with_attr("entity", m.entity as i64)
                .with_attr("canonical", canonical(m.entity));
            if let Some(r) = m.type_rule {
                a = a.with_attr("type_rule", r);
            }
            if let Some(r) = m.alias_rule {
                a = a.with_attr("alias_rule", r);
            }
            layer.push(a);
        }
        let mut groups = Layer::new(GROUPS_LAYER, STAGE);
        for (e, entity) in entities.iter().enumerate() {
            let c = &mentions[entity.canonical];
            let name = canonical(e);
            let mut aliases: Vec<&str> = Vec::new();
            for &k in &entity.mentions {
                let s = &text[mentions[k].span.range()];
                if s != name && !aliases.contains(&s) {
                    aliases.push(s);
                }
            }
            let mut a = Annotation::new(c.span, c.label, Reason::rule(STAGE, "alias-groups"))
                .with_attr("canonical", name)
                .with_attr("mentions", entity.mentions.len() as i64);
            if !aliases.is_empty() {
                a = a.with_attr("aliases", aliases.join(" | "));
            }
            let a = a.with_links(entity.mentions.iter().map(|&k| Link {
                role: claimlens_schema::role::MENTION.into(),
                layer: MENTIONS_LAYER.into(),
                index: k as u32,
            }));
            groups.push(a);
        }
        // Mentions are in text order already; nothing links into groups, so they may move.
        groups.sort();
        for l in [layer, groups] {
            if let Err(e) = doc.insert_layer(l) {
                diags.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diags
    }
}

#[cfg(test)]
mod tests;
