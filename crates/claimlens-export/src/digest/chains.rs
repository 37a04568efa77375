//! Source chains: for every claim, the hands it passed through on its way into the article —
//! outlet or relaying attribution → speaker → the speaker's own cited source → the content.
//!
//! Built from the `attributions`, `attribution-parts`, `speakers`, `source-chains`, `outlets`
//! and `sourcing` layers only. A claim's chain follows the `relayed-by` links of `source-chains`
//! outwards from its attribution; a relay whose content holds the relayed cue is the speaker
//! citing a source ("X said that, according to Y, …"), any other relay is a relaying voice
//! ("Radio Z reported: X said …"). Attributions that relay another are not claims of their
//! own: their chain is the start of the relayed one's.

use std::collections::{HashMap, HashSet};

use claimlens_core::{Annotation, Doc, Layer, Link, Span};

use super::attr_text as text;

const PARTS: &str = "attribution-parts";
const RELATIONS: &str = "attributions";
const SPEAKERS: &str = "speakers";
const CHAINS: &str = "source-chains";
const OUTLETS: &str = "outlets";
const SOURCING: &str = "sourcing";

/// How many relays a chain follows outwards; real chains have two or three.
const MAX_DEPTH: usize = 8;

/// What a step of a chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRole {
    /// An outlet a speaker talked to ("told the Coastal Times").
    Outlet,
    /// A voice relaying the next speaker ("Radio Z reported: …").
    Relay,
    /// The speaker of an attribution.
    Speaker,
    /// A source the previous speaker cites inside their own words ("according to Y").
    CitedSource,
    /// What was claimed.
    Content,
}

impl StepRole {
    /// Lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            StepRole::Outlet => "outlet",
            StepRole::Relay => "relay",
            StepRole::Speaker => "speaker",
            StepRole::CitedSource => "cited source",
            StepRole::Content => "content",
        }
    }
}

/// A span of the text and the annotation that highlights exactly it, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRef {
    /// Byte span.
    pub span: Span,
    /// Layer name and annotation index whose span is `span`; `None` when no annotation
    /// covers exactly these characters (the digest itself always names one).
    pub target: Option<(String, usize)>,
}

/// Stage and rule of the annotation that justifies a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReason {
    /// Producing stage.
    pub stage: String,
    /// Rule name.
    pub rule: String,
}

impl StepReason {
    fn of(a: &Annotation) -> StepReason {
        StepReason {
            stage: a.reason.stage.to_string(),
            rule: a.reason.rule.to_string(),
        }
    }
}

impl std::fmt::Display for StepReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.stage, self.rule)
    }
}

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStep {
    /// What the step is.
    pub role: StepRole,
    /// Who: the canonical speaker, the source's own words when it was not resolved to a
    /// name, the outlet's name; empty for the content.
    pub name: String,
    /// `attrs.kind` of the speaker (`named`, `pronoun`, `role`, `anonymous`), when known.
    pub kind: String,
    /// The evidence: the source mention, the outlet's words, or the content spans (several
    /// when a quote continues). Empty when the attribution has no source.
    pub spans: Vec<SpanRef>,
    /// For a voice, the cue through which it passes the claim on ("said", "reported:").
    pub cue: Option<SpanRef>,
    /// Why the step is in the chain: for the outermost voice, how its mention was resolved
    /// (`speakers`); for a relayed voice, the `source-chains` rule that linked it; for an
    /// outlet, the `outlets` rule that found its words; for the content, the attribution's
    /// rule.
    pub reason: StepReason,
    /// For a relayed voice, how its mention was resolved to `name` (`speakers`).
    pub resolved_by: Option<StepReason>,
}

/// The sourcing class of the sentence a claim's cue lies in (`sourcing` layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcingClass {
    /// `named`, `anonymous`, `vague` or `unsourced`.
    pub label: String,
    /// The rule, e.g. `vague:reportedly`.
    pub rule: String,
    /// Index of the annotation in the `sourcing` layer.
    pub index: usize,
}

/// The chain of one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceChain {
    /// Index of the claim's (innermost) attribution in the `attributions` layer.
    pub relation: usize,
    /// Outermost first; the content, when found, last.
    pub steps: Vec<ChainStep>,
    /// The sourcing class of the sentence the claim's cue lies in, when labelled.
    pub sourcing: Option<SourcingClass>,
}

impl SourceChain {
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
            .map(|s| s.name.as_str())
            .collect()
    }
}

/// The layers the chains are read from.
struct Layers<'a> {
    doc: &'a Doc,
    parts: &'a Layer,
    relations: &'a Layer,
    /// Part index → speakers annotation index.
    speaker_of_part: HashMap<u32, usize>,
    speakers: Option<&'a Layer>,
    /// Cue span → source-chains annotation index.
    chain_of_cue: HashMap<Span, usize>,
    chains: Option<&'a Layer>,
    outlets: Option<&'a Layer>,
}

/// A relation's link of `role` into `attribution-parts`.
fn part_links<'a>(r: &'a Annotation, role: &'a str) -> impl Iterator<Item = u32> + 'a {
    r.links
        .iter()
        .filter(move |l| l.role == role && l.layer == PARTS)
        .map(|l| l.index)
}

fn find_link<'a>(a: &'a Annotation, role: &str, layer: &str) -> Option<&'a Link> {
    a.links.iter().find(|l| l.role == role && l.layer == layer)
}

impl Layers<'_> {
    fn part(&self, i: u32) -> Option<(usize, &Annotation)> {
        let i = i as usize;
        self.parts.annotations.get(i).map(|a| (i, a))
    }

    fn part_ref(&self, i: u32) -> Option<SpanRef> {
        self.part(i).map(|(i, a)| SpanRef {
            span: a.span,
            target: Some((PARTS.to_owned(), i)),
        })
    }

    fn source_part(&self, relation: usize) -> Option<u32> {
        part_links(&self.relations.annotations[relation], "source").next()
    }

    fn chain_annotation(&self, relation: usize) -> Option<&Annotation> {
        let cue = self.relations.annotations[relation].span;
        let i = *self.chain_of_cue.get(&cue)?;
        self.chains?.annotations.get(i)
    }

    /// The relation that relays `relation`, by its `source-chains` `relayed-by` link.
    fn relayer(&self, relation: usize) -> Option<usize> {
        let link = find_link(self.chain_annotation(relation)?, "relayed-by", RELATIONS)?;
        let i = link.index as usize;
        (i < self.relations.annotations.len()).then_some(i)
    }

    /// True when `outer`'s content holds `inner`'s cue: `inner` is a source cited by
    /// `outer`'s speaker rather than a voice `outer` relays.
    fn is_nested(&self, outer: usize, inner: usize) -> bool {
        let cue = self.relations.annotations[inner].span;
        let r = &self.relations.annotations[outer];
        part_links(r, "content")
            .chain(part_links(r, "continuation"))
            .filter_map(|i| self.part(i))
            .any(|(_, a)| a.span.contains(cue))
    }

    /// The voice of `relation`: name, kind, source mention, its cue and how the mention was
    /// resolved.
    fn voice(&self, relation: usize, role: StepRole) -> ChainStep {
        let r = &self.relations.annotations[relation];
        let cue = Some(SpanRef {
            span: r.span,
            target: Some((RELATIONS.to_owned(), relation)),
        });
        let Some(part) = self.source_part(relation) else {
            return ChainStep {
                role,
                name: "no source found".to_owned(),
                kind: String::new(),
                spans: Vec::new(),
                cue,
                reason: StepReason::of(r),
                resolved_by: None,
            };
        };
        let mention = self.part_ref(part);
        let own_words = mention
            .as_ref()
            .map(|m| self.doc.slice(m.span).trim().to_owned())
            .unwrap_or_default();
        let speaker = self
            .speaker_of_part
            .get(&part)
            .and_then(|&i| Some((i, self.speakers?.annotations.get(i)?)));
        match speaker {
            Some((i, s)) => {
                let resolved = !matches!(s.label.as_ref(), "anonymous" | "unresolved");
                ChainStep {
                    role,
                    name: if resolved {
                        s.label.to_string()
                    } else {
                        own_words
                    },
                    kind: text(s.attr("kind")),
                    // The speakers annotation lies on the mention; its entry shows how the
                    // name was resolved.
                    spans: vec![SpanRef {
                        span: s.span,
                        target: Some((SPEAKERS.to_owned(), i)),
                    }],
                    cue,
                    reason: StepReason::of(s),
                    resolved_by: Some(StepReason::of(s)),
                }
            }
            None => ChainStep {
                role,
                name: own_words,
                kind: String::new(),
                spans: mention.into_iter().collect(),
                cue,
                reason: StepReason::of(r),
                resolved_by: None,
            },
        }
    }

    /// The outlet steps of `relation`: the outlets its speaker talked to ("told the Coastal
    /// Times"), by the `outlet` links of its `source-chains` annotation into `outlets` whose
    /// `attrs.role` is `addressee`. (An outlet that is itself a voice, "Radio Z reported:",
    /// is that voice's step.)
    fn outlets(&self, relation: usize) -> Vec<ChainStep> {
        let (Some(chain), Some(outlets)) = (self.chain_annotation(relation), self.outlets) else {
            return Vec::new();
        };
        chain
            .links
            .iter()
            .filter(|l| l.role == "outlet" && l.layer == OUTLETS)
            .filter_map(|l| {
                let i = l.index as usize;
                let o = outlets.annotations.get(i)?;
                (text(o.attr("role")) == "addressee").then(|| ChainStep {
                    role: StepRole::Outlet,
                    // One line, as the name is shown apart from the text.
                    name: self
                        .doc
                        .slice(o.span)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    kind: String::new(),
                    spans: vec![SpanRef {
                        span: o.span,
                        target: Some((OUTLETS.to_owned(), i)),
                    }],
                    cue: None,
                    reason: StepReason::of(o),
                    resolved_by: None,
                })
            })
            .collect()
    }

    fn content(&self, relation: usize) -> Option<ChainStep> {
        let r = &self.relations.annotations[relation];
        let spans: Vec<SpanRef> = part_links(r, "content")
            .chain(part_links(r, "continuation"))
            .filter_map(|i| self.part_ref(i))
            .collect();
        (!spans.is_empty()).then(|| ChainStep {
            role: StepRole::Content,
            name: String::new(),
            kind: String::new(),
            spans,
            cue: None,
            reason: StepReason::of(r),
            resolved_by: None,
        })
    }

    /// `relation` and the relations relaying it, outermost first.
    fn path(&self, relation: usize) -> Vec<usize> {
        let mut path = vec![relation];
        let mut seen = HashSet::from([relation]);
        let mut cur = relation;
        while path.len() < MAX_DEPTH {
            match self.relayer(cur) {
                Some(r) if seen.insert(r) => {
                    path.push(r);
                    cur = r;
                }
                _ => break,
            }
        }
        path.reverse();
        path
    }

    fn chain(&self, relation: usize) -> Vec<ChainStep> {
        let path = self.path(relation);
        let mut steps = Vec::new();
        for (k, &r) in path.iter().enumerate() {
            let nested_in_previous = k > 0 && self.is_nested(path[k - 1], r);
            let relays_next = path
                .get(k + 1)
                .is_some_and(|&next| !self.is_nested(r, next));
            let role = if nested_in_previous {
                StepRole::CitedSource
            } else if relays_next {
                StepRole::Relay
            } else {
                StepRole::Speaker
            };
            steps.extend(self.outlets(r));
            let mut voice = self.voice(r, role);
            if k > 0 {
                // A relayed voice is in the chain by the relay rule; keep how it was named.
                if let Some(link) = self.chain_annotation(r) {
                    voice.reason = StepReason::of(link);
                }
                // The same mention relaying itself ("X said: … X said …") is one voice.
                let same_mention = self.source_part(r).is_some()
                    && self.source_part(r) == self.source_part(path[k - 1]);
                if same_mention {
                    if let Some(prev) = steps
                        .iter()
                        .rposition(|s: &ChainStep| s.role != StepRole::Outlet)
                    {
                        steps.remove(prev);
                    }
                }
            }
            steps.push(voice);
        }
        steps.extend(self.content(relation));
        steps
    }
}

/// The sourcing class of the sentence holding `pos`.
fn sourcing_at(labels: &[(Span, usize)], layer: &Layer, pos: u32) -> Option<SourcingClass> {
    let k = labels.partition_point(|(s, _)| s.start <= pos);
    let &(span, index) = labels[..k].last()?;
    (pos < span.end).then(|| {
        let a = &layer.annotations[index];
        SourcingClass {
            label: a.label.to_string(),
            rule: a.reason.rule.to_string(),
            index,
        }
    })
}

/// One chain per claim, in text order of the claims' cues. A claim is an attribution that
/// relays no other; relaying attributions appear inside the chains they start. Empty when the
/// attribution layers are absent; without `speakers` the voices are the sources' own words,
/// without `source-chains` every chain is a single voice.
pub fn source_chains(doc: &Doc) -> Vec<SourceChain> {
    let (Some(parts), Some(relations)) = (doc.layer(PARTS), doc.layer(RELATIONS)) else {
        return Vec::new();
    };
    let speakers = doc.layer(SPEAKERS);
    let mut speaker_of_part = HashMap::new();
    for (i, s) in speakers
        .iter()
        .flat_map(|l| l.annotations.iter().enumerate())
    {
        for l in s
            .links
            .iter()
            .filter(|l| l.role == "mention" && l.layer == PARTS)
        {
            speaker_of_part.entry(l.index).or_insert(i);
        }
    }
    let chains = doc.layer(CHAINS);
    let mut chain_of_cue = HashMap::new();
    for (i, a) in chains.iter().flat_map(|l| l.annotations.iter().enumerate()) {
        chain_of_cue.entry(a.span).or_insert(i);
    }
    let layers = Layers {
        doc,
        parts,
        relations,
        speaker_of_part,
        speakers,
        chain_of_cue,
        chains,
        outlets: doc.layer(OUTLETS),
    };
    let relayers: HashSet<usize> = (0..relations.annotations.len())
        .filter_map(|r| layers.relayer(r))
        .collect();
    let sourcing = doc.layer(SOURCING);
    let mut labels: Vec<(Span, usize)> = sourcing
        .iter()
        .flat_map(|l| l.annotations.iter().enumerate())
        .filter(|(_, a)| a.label != "SUMMARY")
        .map(|(i, a)| (a.span, i))
        .collect();
    labels.sort_by_key(|&(s, i)| (s.start, i));
    let mut claims: Vec<usize> = (0..relations.annotations.len())
        .filter(|r| !relayers.contains(r))
        .collect();
    claims.sort_by_key(|&r| (relations.annotations[r].span.start, r));
    claims
        .into_iter()
        .map(|relation| SourceChain {
            relation,
            steps: layers.chain(relation),
            sourcing: sourcing
                .and_then(|l| sourcing_at(&labels, l, relations.annotations[relation].span.start)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use claimlens_core::Reason;

    use super::*;

    // Written for this test; the layers are what the sourcing stage would add.
    const TEXT: &str = "Radio Lumen reported: Mayor Ines Vidal said that, according to the \
                        port office, ferries stop in May. Vidal told the Evening Post \
                        newspaper, that fares rise. Critics said nothing changes.";

    fn at(needle: &str) -> Span {
        let s = TEXT.find(needle).expect("in the text");
        Span::new(s, s + needle.len())
    }

    fn link(role: &'static str, layer: &'static str, index: u32) -> Link {
        Link {
            role: role.into(),
            layer: layer.into(),
            index,
        }
    }

    fn rule(rule: &'static str) -> Reason {
        Reason::rule("test", rule)
    }

    /// Parts, relations (0 reported:, 1 said, 2 according to, 3 told, 4 Critics said),
    /// speakers, source-chains and sourcing, as the stages document them.
    fn doc() -> Doc {
        let mut doc = Doc::new("d", TEXT);
        let mut parts = Layer::new(PARTS, "test");
        for (label, needle) in [
            ("SOURCE", "Radio Lumen"),      // 0
            ("CUE", "reported:"),           // 1
            ("SOURCE", "Mayor Ines Vidal"), // 2
            ("CUE", "said that"),           // 3
            (
                "CONTENT",
                "that, according to the port office, ferries stop in May",
            ), // 4
            ("CUE", "according to"),        // 5
            ("SOURCE", "the port office"),  // 6
            ("CONTENT", "ferries stop in May"), // 7
            ("SOURCE", "Vidal told"),       // 8 (fixed below)
            ("CUE", "told"),                // 9
            ("CONTENT", "that fares rise"), // 10
            ("SOURCE", "Critics"),          // 11
            ("CUE", "said nothing"),        // 12
            ("CONTENT", "nothing changes"), // 13
        ] {
            let mut span = at(needle);
            if needle == "Vidal told" {
                span = Span::new(span.start as usize, span.start as usize + 5);
            }
            if needle == "said that" || needle == "said nothing" {
                span = Span::new(span.start as usize, span.start as usize + 4);
            }
            parts.push(Annotation::new(span, label, rule("tagger")));
        }
        doc.insert_layer(parts).unwrap();
        let mut rels = Layer::new(RELATIONS, "test");
        for (cue, source, content) in [(1, 0, None), (3, 2, Some(4)), (5, 6, Some(7))]
            .into_iter()
            .chain([(9, 8, Some(10)), (12, 11, Some(13))])
        {
            let cue_span = doc.layer(PARTS).unwrap().annotations[cue as usize].span;
            let mut a = Annotation::new(cue_span, "ATTRIBUTION", rule("cue+arguments"))
                .with_link(link("cue", PARTS, cue))
                .with_link(link("source", PARTS, source));
            if let Some(c) = content {
                a = a.with_link(link("content", PARTS, c));
            }
            rels.push(a);
        }
        doc.insert_layer(rels).unwrap();
        let mut speakers = Layer::new(SPEAKERS, "test");
        let part_span = |i: usize| doc.layer(PARTS).unwrap().annotations[i].span;
        for (part, label, kind, how) in [
            (0, "Radio Lumen", "named", "named"),
            (2, "Ines Vidal", "named", "named"),
            (6, "anonymous", "anonymous", "anonymous-source"),
            (8, "Ines Vidal", "named", "surname→full-name"),
            (11, "anonymous", "anonymous", "anonymous-source"),
        ] {
            speakers.push(
                Annotation::new(part_span(part), label, rule(how))
                    .with_attr("kind", kind)
                    .with_link(link("mention", PARTS, part as u32)),
            );
        }
        doc.insert_layer(speakers).unwrap();
        let mut outlets = Layer::new(OUTLETS, "test");
        outlets.push(
            Annotation::new(at("Radio Lumen"), "OUTLET", rule("source-names-outlet"))
                .with_attr("role", "source"),
        );
        outlets.push(
            Annotation::new(
                at("the Evening Post newspaper"),
                "OUTLET",
                rule("told:words-after-cue"),
            )
            .with_attr("role", "addressee"),
        );
        doc.insert_layer(outlets).unwrap();
        let rel_span = |i: usize| doc.layer(RELATIONS).unwrap().annotations[i].span;
        let mut chains = Layer::new(CHAINS, "test");
        chains.push(
            Annotation::new(rel_span(1), "RELAYED", rule("relay"))
                .with_attr("chain", "Radio Lumen → Ines Vidal")
                .with_link(link("relayed-by", RELATIONS, 0))
                .with_link(link("outlet", OUTLETS, 0)),
        );
        chains.push(
            Annotation::new(rel_span(2), "RELAYED", rule("relay"))
                .with_attr("chain", "Ines Vidal → port office")
                .with_link(link("relayed-by", RELATIONS, 1)),
        );
        chains.push(
            Annotation::new(rel_span(3), "RELAYED", rule("told-outlet"))
                .with_attr("outlet", "the Evening Post newspaper")
                .with_attr("chain", "Ines Vidal → via the Evening Post newspaper")
                .with_link(link("outlet", OUTLETS, 1)),
        );
        doc.insert_layer(chains).unwrap();
        let mut sourcing = Layer::new(SOURCING, "test");
        let first = at("Radio Lumen reported: Mayor Ines Vidal said that, according to the port office, ferries stop in May.");
        let second = at("Vidal told the Evening Post newspaper, that fares rise.");
        let third = at("Critics said nothing changes.");
        sourcing.push(Annotation::new(
            first,
            "named",
            rule("attributed:named-speaker"),
        ));
        sourcing.push(Annotation::new(
            second,
            "named",
            rule("attributed:named-speaker"),
        ));
        sourcing.push(Annotation::new(
            third,
            "anonymous",
            rule("attributed:no-named-speaker"),
        ));
        sourcing.push(Annotation::new(
            Span::new(0, TEXT.len()),
            "SUMMARY",
            rule("shares"),
        ));
        doc.insert_layer(sourcing).unwrap();
        doc
    }

    fn spelled(doc: &Doc, step: &ChainStep) -> Vec<String> {
        step.spans
            .iter()
            .map(|s| doc.slice(s.span).to_owned())
            .collect()
    }

    #[test]
    fn relay_speaker_cited_source_and_content_in_order() {
        let doc = doc();
        let chains = source_chains(&doc);
        // Relations 0 and 1 relay others: three claims remain.
        let relations: Vec<usize> = chains.iter().map(|c| c.relation).collect();
        assert_eq!(relations, [2, 3, 4]);
        let c = &chains[0];
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
        assert_eq!(spelled(&doc, &c.steps[2]), ["the port office"]);
        assert_eq!(spelled(&doc, &c.steps[3]), ["ferries stop in May"]);
        // The outermost voice is there by how it was named; relayed ones by the relay rule.
        assert_eq!(c.steps[0].reason.rule, "named");
        assert_eq!(c.steps[1].reason.rule, "relay");
        assert_eq!(
            c.steps[2].resolved_by.as_ref().unwrap().rule,
            "anonymous-source"
        );
        assert_eq!(c.steps[3].reason.rule, "cue+arguments");
        // Each voice carries the cue it speaks through, pointing at its attribution.
        let cue = c.steps[0].cue.as_ref().unwrap();
        assert_eq!(doc.slice(cue.span), "reported:");
        assert_eq!(cue.target, Some((RELATIONS.to_owned(), 0)));
        assert_eq!(c.steps[2].spans[0].target, Some((SPEAKERS.to_owned(), 2)));
        assert!(c.is_relayed());
        assert_eq!(c.sourcing.as_ref().unwrap().label, "named");
    }

    #[test]
    fn outlet_comes_before_its_speaker_with_its_span() {
        let doc = doc();
        let c = &source_chains(&doc)[1];
        assert_eq!(c.names(), ["the Evening Post newspaper", "Ines Vidal"]);
        assert_eq!(c.steps[0].role, StepRole::Outlet);
        assert_eq!(c.steps[0].reason.rule, "told:words-after-cue");
        // The outlet's own annotation: its words, exactly.
        assert_eq!(spelled(&doc, &c.steps[0]), ["the Evening Post newspaper"]);
        assert_eq!(c.steps[0].spans[0].target, Some((OUTLETS.to_owned(), 1)));
        assert_eq!(c.steps[1].reason.rule, "surname→full-name");
        assert!(c.is_relayed());
    }

    #[test]
    fn unresolved_speaker_keeps_its_own_words_and_class() {
        let doc = doc();
        let c = &source_chains(&doc)[2];
        assert_eq!(c.names(), ["Critics"]);
        assert_eq!(c.steps[0].kind, "anonymous");
        assert!(!c.is_relayed());
        assert_eq!(c.sourcing.as_ref().unwrap().label, "anonymous");
        assert_eq!(c.sourcing.as_ref().unwrap().index, 2);
    }

    #[test]
    fn without_sourcing_layers_each_claim_is_one_voice() {
        let mut doc = Doc::new("d", TEXT);
        let full = self::doc();
        for name in [PARTS, RELATIONS] {
            doc.insert_layer(full.layer(name).unwrap().clone()).unwrap();
        }
        let chains = source_chains(&doc);
        assert_eq!(chains.len(), 5);
        assert!(chains.iter().all(|c| !c.is_relayed()));
        assert_eq!(chains[1].names(), ["Mayor Ines Vidal"]);
        assert_eq!(chains[0].steps.len(), 1, "no content: the voice alone");
        assert!(chains[0].sourcing.is_none());
        assert!(source_chains(&Doc::new("d", "")).is_empty());
    }

    #[test]
    fn a_relay_cycle_ends() {
        let mut doc = Doc::new("d", TEXT);
        let full = self::doc();
        for name in [PARTS, RELATIONS] {
            doc.insert_layer(full.layer(name).unwrap().clone()).unwrap();
        }
        let mut outlets = Layer::new(OUTLETS, "test");
        outlets.push(
            Annotation::new(at("Radio Lumen"), "OUTLET", rule("source-names-outlet"))
                .with_attr("role", "source"),
        );
        outlets.push(
            Annotation::new(
                at("the Evening Post newspaper"),
                "OUTLET",
                rule("told:words-after-cue"),
            )
            .with_attr("role", "addressee"),
        );
        doc.insert_layer(outlets).unwrap();
        let rel_span = |i: usize| doc.layer(RELATIONS).unwrap().annotations[i].span;
        let mut chains = Layer::new(CHAINS, "test");
        chains.push(
            Annotation::new(rel_span(1), "RELAYED", rule("relay")).with_link(link(
                "relayed-by",
                RELATIONS,
                2,
            )),
        );
        chains.push(
            Annotation::new(rel_span(2), "RELAYED", rule("relay")).with_link(link(
                "relayed-by",
                RELATIONS,
                1,
            )),
        );
        doc.insert_layer(chains).unwrap();
        // Both relay each other: neither is a claim, and nothing loops.
        let relations: Vec<usize> = source_chains(&doc).iter().map(|c| c.relation).collect();
        assert_eq!(relations, [0, 3, 4]);
    }
}
