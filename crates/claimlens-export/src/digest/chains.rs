//! Source chains: for every claim, the hands it passed through on its way into the article —
//! outlet or relaying voice → speaker → the speaker's own cited source → the content.
//!
//! Read from the `source-chains` layer, where the sourcing stage decided each chain step by
//! step (schema: [`claimlens_schema::ChainStep`]); this module only gathers the steps and
//! resolves their links to spans and reasons for the reports.

use claimlens_core::{Annotation, Doc, Span};
pub use claimlens_schema::StepRole;
use claimlens_schema::{layer, ChainStep as StoredStep};

/// A span of the text and the annotation that highlights exactly it, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRef<'a> {
    /// Byte span.
    pub span: Span,
    /// Layer name and annotation index whose span is `span`; `None` when no annotation
    /// covers exactly these characters (the digest itself always names one).
    pub target: Option<(&'a str, usize)>,
}

/// Stage and rule of the annotation that justifies a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReason<'a> {
    /// Producing stage.
    pub stage: &'a str,
    /// Rule name.
    pub rule: &'a str,
}

impl StepReason<'_> {
    fn of(a: &Annotation) -> StepReason<'_> {
        StepReason {
            stage: &a.reason.stage,
            rule: &a.reason.rule,
        }
    }
}

impl std::fmt::Display for StepReason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.stage, self.rule)
    }
}

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStep<'a> {
    /// What the step is.
    pub role: StepRole,
    /// Who: the canonical speaker, the source's own words when it was not resolved to a
    /// name, the outlet's name; empty for the content.
    pub name: &'a str,
    /// `attrs.kind` of the speaker (`named`, `pronoun`, `role`, `anonymous`), when known.
    pub kind: &'a str,
    /// The evidence: the source mention, the outlet's words, or the content spans (several
    /// when a quote continues). Empty when the attribution has no source.
    pub spans: Vec<SpanRef<'a>>,
    /// For a voice, the cue through which it passes the claim on ("said", "reported:").
    pub cue: Option<SpanRef<'a>>,
    /// Why the step is in the chain: for the outermost voice, how its mention was resolved
    /// (`speakers`); for a relayed voice, the relay rule that linked it; for an outlet, the
    /// `outlets` rule that found its words; for the content, the attribution's rule.
    pub reason: StepReason<'a>,
    /// For a voice resolved by `speakers`, how its mention was resolved to `name`.
    pub resolved_by: Option<StepReason<'a>>,
}

/// The sourcing class of the sentence a claim's cue lies in (`sourcing` layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcingClass<'a> {
    /// `named`, `anonymous`, `vague` or `unsourced`.
    pub label: &'a str,
    /// The rule, e.g. `vague:reportedly`.
    pub rule: &'a str,
    /// Index of the annotation in the `sourcing` layer.
    pub index: usize,
}

/// The chain of one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceChain<'a> {
    /// Index of the claim's (innermost) attribution in the `attributions` layer.
    pub relation: usize,
    /// Outermost first; the content, when found, last.
    pub steps: Vec<ChainStep<'a>>,
    /// The sourcing class of the sentence the claim's cue lies in, when labelled.
    pub sourcing: Option<SourcingClass<'a>>,
}

impl SourceChain<'_> {
    /// True when the claim passed through more than one voice or through an outlet.
    pub fn is_relayed(&self) -> bool {
        self.steps
            .iter()
            .filter(|s| s.role != StepRole::Content)
            .count()
            > 1
    }

    /// "Radio Z → Núria Ferrer": the names of the voices, outermost first.
    pub fn names(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| s.role != StepRole::Content)
            .map(|s| s.name)
            .collect()
    }
}

/// The annotation `index` of `layer`, as a reference to its span.
fn span_ref<'d>(doc: &'d Doc, layer: &str, index: u32) -> Option<(SpanRef<'d>, &'d Annotation)> {
    let layer = doc.layer(layer)?;
    let a = layer.annotations.get(index as usize)?;
    Some((
        SpanRef {
            span: a.span,
            target: Some((&layer.name, index as usize)),
        },
        a,
    ))
}

/// One step as the reports show it.
fn step<'d>(doc: &'d Doc, stored: &StoredStep, a: &'d Annotation) -> ChainStep<'d> {
    let mut resolved_by = None;
    let spans = stored
        .evidence
        .iter()
        .filter_map(|(l, i)| {
            let (r, target) = span_ref(doc, l, *i)?;
            if l == layer::SPEAKERS {
                resolved_by = Some(StepReason::of(target));
            }
            Some(r)
        })
        .collect();
    ChainStep {
        role: stored.role,
        // Borrowed from the step's annotation, where `stored` read them.
        name: a.attr_str("name").unwrap_or_default(),
        kind: a.attr_str("kind").unwrap_or_default(),
        spans,
        cue: stored
            .cue
            .and_then(|c| span_ref(doc, layer::ATTRIBUTIONS, c))
            .map(|(r, _)| r),
        reason: StepReason::of(a),
        resolved_by,
    }
}

/// One chain per claim, in the order the sourcing stage wrote them (text order of the
/// claims' cues). Empty when the `source-chains` layer is absent.
pub fn source_chains(doc: &Doc) -> Vec<SourceChain<'_>> {
    chains_of(doc).collect()
}

/// The chains of [`source_chains`], read one at a time: the JSON export writes each as it is
/// read, because all of them at once are the largest digest (about 5 bytes per byte of news
/// text, held at the moment the export's memory peaks).
pub fn chains_of(doc: &Doc) -> Chains<'_> {
    Chains {
        doc,
        steps: doc
            .layer(layer::SOURCE_CHAINS)
            .map_or(&[][..], |l| &l.annotations[..]),
    }
}

/// Iterator over a document's source chains; see [`chains_of`].
#[derive(Debug, Clone)]
pub struct Chains<'d> {
    doc: &'d Doc,
    /// The `source-chains` annotations not yet read.
    steps: &'d [Annotation],
}

impl<'d> Iterator for Chains<'d> {
    type Item = SourceChain<'d>;

    fn next(&mut self) -> Option<SourceChain<'d>> {
        let doc = self.doc;
        let mut chain: Option<(u32, SourceChain<'d>)> = None;
        while let Some((a, rest)) = self.steps.split_first() {
            let Some(stored) = StoredStep::read(a) else {
                self.steps = rest;
                continue;
            };
            match &mut chain {
                // The next chain starts here: leave its first step for the next call.
                Some((n, _)) if *n != stored.chain => break,
                Some(_) => {}
                None => {
                    chain = Some((
                        stored.chain,
                        SourceChain {
                            relation: stored.claim as usize,
                            steps: Vec::new(),
                            sourcing: None,
                        },
                    ))
                }
            }
            self.steps = rest;
            let (_, chain) = chain.as_mut().expect("set above");
            let class = stored.sourcing.and_then(|i| {
                let s = doc.layer(layer::SOURCING)?.annotations.get(i as usize)?;
                Some(SourcingClass {
                    label: &s.label,
                    rule: &s.reason.rule,
                    index: i as usize,
                })
            });
            if class.is_some() {
                chain.sourcing = class;
            }
            chain.steps.push(step(doc, &stored, a));
        }
        chain.map(|(_, c)| c)
    }
}

#[cfg(test)]
mod tests {
    use claimlens_core::{Layer, Reason};
    use claimlens_schema::{link, role};

    use super::*;

    // Written for this test; the layers are what the attribution and sourcing stages write.
    const TEXT: &str = "Radio Lumen reported: Mayor Ines Vidal said that, according to the \
                        port office, ferries stop in May.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).expect("in the text");
        Span::new(s, s + needle.len())
    }

    fn rule(rule: &'static str) -> Reason {
        Reason::rule("test", rule)
    }

    fn layer_of(name: &'static str, items: Vec<Annotation>) -> Layer {
        let mut l = Layer::new(name, "test");
        l.annotations = items;
        l
    }

    /// Parts, relations (0 reported:, 1 said, 2 according to), speakers, sourcing, and the
    /// chain of the innermost claim as the sourcing stage would store it.
    fn doc() -> Doc {
        let mut doc = Doc::new("d", TEXT);
        let parts = [
            ("SOURCE", "Radio Lumen"),
            ("CUE", "reported:"),
            ("SOURCE", "Mayor Ines Vidal"),
            ("CUE", "said"),
            (
                "CONTENT",
                "that, according to the port office, ferries stop in May",
            ),
            ("CUE", "according to"),
            ("SOURCE", "the port office"),
            ("CONTENT", "ferries stop in May"),
        ];
        let parts = parts
            .iter()
            .map(|(l, n)| Annotation::new(at(n), *l, rule("tagger")))
            .collect();
        doc.insert_layer(layer_of(layer::ATTRIBUTION_PARTS, parts))
            .unwrap();
        let rels = [(1, 0, 4), (3, 2, 4), (5, 6, 7)]
            .iter()
            .map(|&(cue, source, content)| {
                let span = doc.layer(layer::ATTRIBUTION_PARTS).unwrap().annotations[cue].span;
                Annotation::new(span, "ATTRIBUTION", rule("cue+arguments"))
                    .with_link(link(role::CUE, layer::ATTRIBUTION_PARTS, cue as u32))
                    .with_link(link(role::SOURCE, layer::ATTRIBUTION_PARTS, source as u32))
                    .with_link(link(
                        role::CONTENT,
                        layer::ATTRIBUTION_PARTS,
                        content as u32,
                    ))
            })
            .collect();
        doc.insert_layer(layer_of(layer::ATTRIBUTIONS, rels))
            .unwrap();
        let speakers = [
            ("Radio Lumen", "named", 0),
            ("Ines Vidal", "named", 2),
            ("anonymous", "anonymous", 6),
        ]
        .iter()
        .map(|&(name, how, part)| {
            Annotation::new(
                at(if part == 6 { "the port office" } else { name }),
                name,
                rule(how),
            )
            .with_attr("kind", how)
            .with_link(link(role::MENTION, layer::ATTRIBUTION_PARTS, part))
        })
        .collect();
        doc.insert_layer(layer_of(layer::SPEAKERS, speakers))
            .unwrap();
        let sourcing = vec![Annotation::new(
            Span::new(0, TEXT.len()),
            "named",
            rule("attributed:named-speaker"),
        )];
        doc.insert_layer(layer_of(layer::SOURCING, sourcing))
            .unwrap();
        let step = |k: u32,
                    role: StepRole,
                    name: &str,
                    cue: Option<u32>,
                    evidence: (&'static str, u32)| StoredStep {
            chain: 0,
            step: k,
            role,
            name: name.to_owned(),
            kind: "".into(),
            claim: 2,
            cue,
            evidence: vec![(evidence.0.into(), evidence.1)],
            sourcing: (k == 0).then_some(0),
        };
        let stored = [
            (
                step(
                    0,
                    StepRole::Relay,
                    "Radio Lumen",
                    Some(0),
                    (layer::SPEAKERS, 0),
                ),
                "named",
            ),
            (
                step(
                    1,
                    StepRole::Speaker,
                    "Ines Vidal",
                    Some(1),
                    (layer::SPEAKERS, 1),
                ),
                "relay",
            ),
            (
                step(
                    2,
                    StepRole::CitedSource,
                    "the port office",
                    Some(2),
                    (layer::SPEAKERS, 2),
                ),
                "relay",
            ),
            (
                step(
                    3,
                    StepRole::Content,
                    "",
                    None,
                    (layer::ATTRIBUTION_PARTS, 7),
                ),
                "cue+arguments",
            ),
        ];
        let steps = stored
            .iter()
            .map(|(s, r)| {
                let span =
                    claimlens_schema::span_of(&doc, &s.evidence[0].0, s.evidence[0].1).unwrap();
                s.annotation(span, rule(r))
            })
            .collect();
        doc.insert_layer(layer_of(layer::SOURCE_CHAINS, steps))
            .unwrap();
        doc
    }

    fn spelled(doc: &Doc, step: &ChainStep) -> Vec<String> {
        step.spans
            .iter()
            .map(|s| doc.slice(s.span).to_owned())
            .collect()
    }

    #[test]
    fn stored_steps_read_back_with_spans_targets_and_reasons() {
        let doc = doc();
        let chains = source_chains(&doc);
        assert_eq!(chains.len(), 1);
        let c = &chains[0];
        assert_eq!(c.relation, 2);
        let roles: Vec<StepRole> = c.steps.iter().map(|s| s.role).collect();
        assert_eq!(
            roles,
            [
                StepRole::Relay,
                StepRole::Speaker,
                StepRole::CitedSource,
                StepRole::Content
            ]
        );
        assert_eq!(c.names(), ["Radio Lumen", "Ines Vidal", "the port office"]);
        assert_eq!(spelled(&doc, &c.steps[0]), ["Radio Lumen"]);
        assert_eq!(spelled(&doc, &c.steps[3]), ["ferries stop in May"]);
        assert_eq!(c.steps[0].reason.rule, "named");
        assert_eq!(c.steps[1].reason.rule, "relay");
        // A voice resolved by `speakers` keeps how it was named.
        assert_eq!(c.steps[1].resolved_by.as_ref().unwrap().rule, "named");
        assert_eq!(c.steps[2].resolved_by.as_ref().unwrap().rule, "anonymous");
        assert!(c.steps[3].resolved_by.is_none());
        let cue = c.steps[0].cue.as_ref().unwrap();
        assert_eq!(doc.slice(cue.span), "reported:");
        assert_eq!(cue.target, Some((layer::ATTRIBUTIONS, 0)));
        assert_eq!(c.steps[2].spans[0].target, Some((layer::SPEAKERS, 2)));
        assert!(c.is_relayed());
        assert_eq!(c.sourcing.as_ref().unwrap().label, "named");
    }

    /// The iterator the JSON export writes from splits chains where their number changes
    /// and skips annotations that are not steps, exactly as the collected digest does.
    #[test]
    fn chains_are_read_one_at_a_time_as_the_collected_digest_reads_them() {
        let one = self::doc();
        let steps = &one.layer(layer::SOURCE_CHAINS).unwrap().annotations;
        let mut second = steps.clone();
        for a in &mut second {
            if let Some((_, v)) = a.attrs.iter_mut().find(|(k, _)| k == "chain") {
                *v = claimlens_core::AttrValue::Int(1);
            }
        }
        second.truncate(2);
        let not_a_step = Annotation::new(steps[0].span, "NOT_A_STEP", rule("other"));
        let mut all = steps.clone();
        all.push(not_a_step.clone());
        all.extend(second);
        all.push(not_a_step);
        let mut doc = Doc::new("d", TEXT);
        for l in one
            .layers()
            .iter()
            .filter(|l| l.name != layer::SOURCE_CHAINS)
        {
            doc.insert_layer(l.clone()).unwrap();
        }
        doc.insert_layer(layer_of(layer::SOURCE_CHAINS, all))
            .unwrap();
        let read: Vec<SourceChain> = chains_of(&doc).collect();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], source_chains(&one)[0]);
        assert_eq!(read[1].steps.len(), 2);
        assert_eq!(read[1].names(), ["Radio Lumen", "Ines Vidal"]);
        assert_eq!(read, source_chains(&doc));
        assert_eq!(chains_of(&Doc::new("d", "")).count(), 0);
    }

    #[test]
    fn without_the_chains_layer_there_are_no_chains() {
        let mut doc = Doc::new("d", TEXT);
        let full = self::doc();
        for name in [layer::ATTRIBUTION_PARTS, layer::ATTRIBUTIONS] {
            doc.insert_layer(full.layer(name).unwrap().clone()).unwrap();
        }
        assert!(source_chains(&doc).is_empty());
        assert!(source_chains(&Doc::new("d", "")).is_empty());
    }
}
