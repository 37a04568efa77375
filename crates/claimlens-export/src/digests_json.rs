//! The digests in the JSON export (`claimlens.doc/2`): the same ranked claims, who-said-what, source chains,
//! entity list, place list and timeline the text and HTML reports show, with code-point
//! offsets, so an API client or a web page renders them without re-deriving anything.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use claimlens_core::Span;

use crate::digest::{
    chains_of, entity_list, place_list, ranked_claims_iter, technique_list, timeline,
    who_said_what, ChainStep, ClaimEntry, Said, SourceChain, SpanRef, StepReason,
};
use crate::view::DocView;

/// All digests of one document: ranked claims, who-said-what, source chains, entities,
/// places, timeline and persuasion techniques, in that order.
///
/// Serialized one digest at a time: each is read from the document's layers just before it is
/// written and dropped after (the ranked claims and source chains an entry at a time), so
/// the export never holds more than the largest of the others (the
/// report view's [`crate::Digests`], which the text and HTML reports use, is not built).
#[derive(Debug, Clone, Copy)]
pub struct ExportDigests<'a>(&'a DocView<'a>);

/// One persuasion technique and its spans.
#[derive(Debug, Serialize)]
pub struct ExportTechnique<'a> {
    /// The SemEval-2023 Task 3 name (`Loaded_Language`, …).
    pub technique: &'a str,
    /// Its family.
    pub family: &'a str,
    /// Its spans, in text order.
    pub spans: Vec<ExportTechniqueSpan<'a>>,
}

/// One span of a technique.
#[derive(Debug, Serialize)]
pub struct ExportTechniqueSpan<'a> {
    /// Index in the `techniques` layer.
    pub index: usize,
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// `text[start..end]`.
    pub text: &'a str,
    /// The annotation's `reason.score`.
    pub score: f32,
}

/// One claim of the ranked list; also the object of a `--claims-only` JSON line.
#[derive(Debug, Serialize)]
pub struct ExportClaim<'a> {
    /// Index in the `claims` layer.
    pub index: usize,
    /// 1 for the most check-worthy claim of the document; absent when the layer has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Probability that a fact-checker would deem it worth checking.
    pub checkworthy: f64,
    /// Full Fact's claim type.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Canonical speaker, the source's own words, or `outlet`.
    pub speaker: &'a str,
    /// `named`, `anonymous`, `vague` or `unsourced`.
    pub sourcing: &'a str,
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// The claim's text.
    pub text: &'a str,
    /// The amounts, times, places and entities inside it.
    pub details: Vec<ExportDetail<'a>>,
}

/// One checkable detail of a claim: the annotation a claim's link names.
#[derive(Debug, Serialize)]
pub struct ExportDetail<'a> {
    /// `amount`, `time`, `place` or `entity`.
    pub role: &'static str,
    /// The annotation's label (`MONEY`, `DATE`, `PLACE`, `PERSON`, ...).
    #[serde(rename = "type")]
    pub label: &'a str,
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// `text[start..end]`.
    pub text: &'a str,
    /// The annotation's layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<&'a str>,
    /// Its index in that layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

impl<'a> ExportClaim<'a> {
    /// Converts one digest entry, offsets to code points.
    pub fn new(view: &'a DocView<'a>, c: &'a ClaimEntry) -> ExportClaim<'a> {
        let (start, end) = view.chars(c.span);
        ExportClaim {
            index: c.index,
            rank: c.rank,
            checkworthy: c.checkworthy,
            kind: &c.kind,
            speaker: &c.speaker,
            sourcing: &c.sourcing,
            start,
            end,
            text: view.doc.slice(c.span),
            details: c
                .details
                .iter()
                .map(|d| {
                    let r = reference(view, &d.target);
                    ExportDetail {
                        role: d.role,
                        label: d.label,
                        start: r.start,
                        end: r.end,
                        text: view.doc.slice(d.target.span),
                        layer: r.layer,
                        index: r.index,
                    }
                })
                .collect(),
        }
    }
}

/// A span with its text.
#[derive(Debug, Serialize)]
pub struct ExportText<'a> {
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// `text[start..end]`.
    pub text: &'a str,
}

/// One speaker and what they said.
#[derive(Debug, Serialize)]
pub struct ExportSpeaker<'a> {
    /// Canonical name.
    pub speaker: &'a str,
    /// Their attributions in text order.
    pub attributions: Vec<ExportSaid<'a>>,
}

/// One attribution of a speaker.
#[derive(Debug, Serialize)]
pub struct ExportSaid<'a> {
    /// Index in the `attributions` layer.
    pub relation: usize,
    /// The cue.
    pub cue: ExportText<'a>,
    /// The content fragments.
    pub content: Vec<ExportText<'a>>,
}

/// A span that an annotation highlights. It carries no text of its own: the annotation it
/// names has it, and a chain repeating every content it leads to would double the export.
#[derive(Debug, Serialize)]
pub struct ExportRef<'a> {
    /// Start, code points.
    pub start: u32,
    /// End (exclusive), code points.
    pub end: u32,
    /// The layer of the annotation on exactly these characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<&'a str>,
    /// Its index in that layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

/// Stage and rule.
#[derive(Debug, Serialize)]
pub struct ExportStepReason<'a> {
    /// Stage.
    pub stage: &'a str,
    /// Rule.
    pub rule: &'a str,
}

/// One step of a chain.
#[derive(Debug, Serialize)]
pub struct ExportStep<'a> {
    /// `outlet`, `relay`, `speaker`, `cited-source` or `content`.
    pub role: &'static str,
    /// Who (absent for the content).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub name: &'a str,
    /// The speaker's kind, when known.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub kind: &'a str,
    /// The evidence spans.
    pub spans: Vec<ExportRef<'a>>,
    /// For a voice, the cue it speaks through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<ExportRef<'a>>,
    /// Why the step is in the chain.
    pub reason: ExportStepReason<'a>,
    /// How a voice's mention was resolved to its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ExportStepReason<'a>>,
}

/// The sourcing class of a claim's sentence.
#[derive(Debug, Serialize)]
pub struct ExportSourcing<'a> {
    /// `named`, `anonymous`, `vague` or `unsourced`.
    pub label: &'a str,
    /// The rule.
    pub rule: &'a str,
    /// Index in the `sourcing` layer.
    pub index: usize,
}

/// The chain of one claim.
#[derive(Debug, Serialize)]
pub struct ExportChain<'a> {
    /// Index of the claim's attribution in `attributions`.
    pub claim: usize,
    /// True when it passed through more than one voice or an outlet.
    pub relayed: bool,
    /// The voices' names, outermost first.
    pub names: Vec<&'a str>,
    /// The sourcing class of the sentence holding its cue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<ExportSourcing<'a>>,
    /// Outermost first; the content last.
    pub steps: Vec<ExportStep<'a>>,
}

/// One entity.
#[derive(Debug, Serialize)]
pub struct ExportEntity<'a> {
    /// Index in `entity-groups`.
    pub group: usize,
    /// Type label.
    #[serde(rename = "type")]
    pub label: &'a str,
    /// Canonical name.
    pub canonical: &'a str,
    /// The canonical mention.
    pub mention: ExportText<'a>,
    /// Number of mentions.
    pub mentions: usize,
    /// Other names used for it.
    pub aliases: &'a [String],
}

/// One place or relative location.
#[derive(Debug, Serialize)]
pub struct ExportPlace<'a> {
    /// Index of its first annotation in `places`.
    pub index: usize,
    /// `PLACE` or `RELATIVE`.
    #[serde(rename = "type")]
    pub label: &'a str,
    /// Canonical name, or the relative expression.
    pub name: &'a str,
    /// `country`, `admin1`, `city`; for a relative location, bearing and distance.
    pub kind: &'a str,
    /// ISO country code.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub country: &'a str,
    /// First-level division.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub admin1: &'a str,
    /// Latitude, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// First mention.
    pub mention: ExportText<'a>,
    /// Number of mentions resolved to it.
    pub mentions: usize,
}

/// One dated expression.
#[derive(Debug, Serialize)]
pub struct ExportTime<'a> {
    /// Index in `times`.
    pub index: usize,
    /// `DATE`, `TIME` or `RANGE`.
    #[serde(rename = "type")]
    pub label: &'a str,
    /// Normalised value; empty when unresolved.
    pub value: &'a str,
    /// `absolute`, `publication` or `unresolved`.
    pub anchor: &'a str,
    /// The expression.
    pub expression: ExportText<'a>,
    /// The sentence it dates (offsets only: several expressions of one long sentence would
    /// otherwise repeat its text).
    pub sentence: crate::ExportSpan,
}

/// The who-said-what digest, converted a speaker at a time as it is written.
#[derive(Debug, Clone, Copy)]
pub struct ExportSpeakers<'a>(&'a DocView<'a>, &'a [(String, Vec<Said>)]);

impl Serialize for ExportSpeakers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(self.1.iter().map(|(speaker, said)| {
            ExportSpeaker {
                speaker,
                attributions: said
                    .iter()
                    .map(|s| ExportSaid {
                        relation: s.relation,
                        cue: text(view, s.cue),
                        content: s.content.iter().map(|&c| text(view, c)).collect(),
                    })
                    .collect(),
            }
        }))
    }
}

/// The ranked claims, each built from the `claims` layer just before it is written (see
/// [`ranked_claims_iter`]).
struct ExportRankedClaims<'a>(&'a DocView<'a>);

impl Serialize for ExportRankedClaims<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(ranked_claims_iter(view.doc).map(|c| ClaimOf(view, c)))
    }
}

/// One claim, owned while it is written, in its export form.
struct ClaimOf<'a>(&'a DocView<'a>, ClaimEntry<'a>);

impl Serialize for ClaimOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ExportClaim::new(self.0, &self.1).serialize(s)
    }
}

/// The source-chain digest, read from the `source-chains` layer and converted a chain at a
/// time as it is written: the chains are the largest digest, and reading them all first held
/// every chain at the moment the export's memory peaks.
#[derive(Debug, Clone, Copy)]
pub struct ExportChains<'a>(&'a DocView<'a>);

impl Serialize for ExportChains<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(chains_of(view.doc).map(|c| ChainOf(view, c)))
    }
}

/// One chain, owned while it is written, in its export form.
struct ChainOf<'a>(&'a DocView<'a>, SourceChain<'a>);

impl Serialize for ChainOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (view, c) = (self.0, &self.1);
        ExportChain {
            claim: c.relation,
            relayed: c.is_relayed(),
            names: c.names(),
            sourcing: c.sourcing.as_ref().map(|s| ExportSourcing {
                label: s.label,
                rule: s.rule,
                index: s.index,
            }),
            steps: c.steps.iter().map(|s| step(view, s)).collect(),
        }
        .serialize(s)
    }
}

/// A digest converted an entry at a time as it is written.
struct Converted<'a, T, F>(&'a [T], F);

/// Wraps `items` with the conversion of one entry (a function, so that the closure's
/// argument type comes from the bound).
fn converted<'a, T, E: Serialize, F: Fn(&'a T) -> E>(items: &'a [T], f: F) -> Converted<'a, T, F> {
    Converted(items, f)
}

impl<'a, T, E: Serialize, F: Fn(&'a T) -> E> Serialize for Converted<'a, T, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

fn text<'a>(view: &'a DocView<'a>, s: Span) -> ExportText<'a> {
    let (start, end) = view.chars(s);
    ExportText {
        start,
        end,
        text: view.doc.slice(s),
    }
}

fn reference<'a>(view: &DocView<'_>, r: &'a SpanRef) -> ExportRef<'a> {
    let (start, end) = view.chars(r.span);
    ExportRef {
        start,
        end,
        layer: r.target.map(|(l, _)| l),
        index: r.target.as_ref().map(|(_, i)| *i),
    }
}

fn step_reason<'a>(r: &StepReason<'a>) -> ExportStepReason<'a> {
    ExportStepReason {
        stage: r.stage,
        rule: r.rule,
    }
}

fn step<'a>(view: &DocView<'_>, s: &'a ChainStep) -> ExportStep<'a> {
    ExportStep {
        role: s.role.label(),
        name: s.name,
        kind: s.kind,
        spans: s.spans.iter().map(|r| reference(view, r)).collect(),
        cue: s.cue.as_ref().map(|r| reference(view, r)),
        reason: step_reason(&s.reason),
        resolved_by: s.resolved_by.as_ref().map(step_reason),
    }
}

impl<'a> ExportDigests<'a> {
    /// The digests of the view's document, read as they are written.
    pub fn new(view: &'a DocView<'a>) -> ExportDigests<'a> {
        ExportDigests(view)
    }
}

impl Serialize for ExportDigests<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let doc = view.doc;
        let text = |s: Span| text(view, s);
        let mut out = s.serialize_struct("ExportDigests", 7)?;
        out.serialize_field("claims", &ExportRankedClaims(view))?;
        let speakers = who_said_what(doc);
        out.serialize_field("who_said_what", &ExportSpeakers(view, &speakers))?;
        drop(speakers);
        out.serialize_field("source_chains", &ExportChains(view))?;
        let entities = entity_list(doc);
        out.serialize_field(
            "entities",
            &converted(&entities, |e| ExportEntity {
                group: e.group,
                label: &e.label,
                canonical: &e.canonical,
                mention: text(e.span),
                mentions: e.mentions,
                aliases: &e.aliases,
            }),
        )?;
        drop(entities);
        let places = place_list(doc);
        out.serialize_field(
            "places",
            &converted(&places, |p| ExportPlace {
                index: p.index,
                label: &p.label,
                name: &p.name,
                kind: &p.kind,
                country: &p.country,
                admin1: &p.admin1,
                lat: p.point.map(|x| x.0),
                lon: p.point.map(|x| x.1),
                mention: text(p.span),
                mentions: p.mentions,
            }),
        )?;
        drop(places);
        let times = timeline(doc);
        out.serialize_field(
            "timeline",
            &converted(&times, |t| ExportTime {
                index: t.index,
                label: &t.label,
                value: &t.value,
                anchor: &t.anchor,
                expression: text(t.span),
                sentence: {
                    let (start, end) = view.chars(t.sentence);
                    crate::ExportSpan { start, end }
                },
            }),
        )?;
        drop(times);
        let techniques = technique_list(doc);
        out.serialize_field(
            "techniques",
            &converted(&techniques, |t| ExportTechnique {
                technique: &t.technique,
                family: &t.family,
                spans: t
                    .spans
                    .iter()
                    .map(|&(index, span, score)| {
                        let (start, end) = view.chars(span);
                        ExportTechniqueSpan {
                            index,
                            start,
                            end,
                            text: view.doc.slice(span),
                            score,
                        }
                    })
                    .collect(),
            }),
        )?;
        out.end()
    }
}
