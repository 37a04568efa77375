//! The `source-chains` layer: for every claim (an attribution that relays no other), the
//! hands it passed through, outermost first — outlet, relaying voice, speaker, the speaker's
//! cited source — and its content. One annotation per step; the sourcing stage decides them,
//! everything else reads them.

use std::borrow::Cow;

use claimlens_core::{Annotation, AttrValue, Link, Reason, Span};

use crate::{layer, link, role};

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
    const ALL: [StepRole; 5] = [
        StepRole::Outlet,
        StepRole::Relay,
        StepRole::Speaker,
        StepRole::CitedSource,
        StepRole::Content,
    ];

    /// The step's label in the layer.
    pub fn label(self) -> &'static str {
        match self {
            StepRole::Outlet => "outlet",
            StepRole::Relay => "relay",
            StepRole::Speaker => "speaker",
            StepRole::CitedSource => "cited-source",
            StepRole::Content => "content",
        }
    }

    /// Lower-case words for reports ("cited source").
    pub fn as_str(self) -> &'static str {
        match self {
            StepRole::CitedSource => "cited source",
            other => other.label(),
        }
    }

    /// The role a label names.
    pub fn from_label(label: &str) -> Option<StepRole> {
        StepRole::ALL.into_iter().find(|r| r.label() == label)
    }
}

/// One step of a chain, as stored: which chain and where in it, what it is, who, and the
/// annotations that show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainStep {
    /// Chain number within the document (claims in text order of their cues), from 0.
    pub chain: u32,
    /// Position in the chain, outermost first, from 0.
    pub step: u32,
    /// What the step is.
    pub role: StepRole,
    /// Who: the canonical speaker, the source's own words when unresolved, `no source found`,
    /// or the outlet's name on one line; empty for the content.
    pub name: String,
    /// The speaker's `attrs.kind` (`named`, `pronoun`, `role`, `anonymous`), when known.
    pub kind: Cow<'static, str>,
    /// Index in `attributions` of the claim the chain leads to.
    pub claim: u32,
    /// For a voice: index in `attributions` of the relation through which it speaks.
    pub cue: Option<u32>,
    /// The annotations that show the step, as (layer, index): the speaker or source mention,
    /// the outlet's words, the content fragments.
    pub evidence: Vec<(Cow<'static, str>, u32)>,
    /// On the first step: index in `sourcing` of the label of the sentence holding the
    /// claim's cue.
    pub sourcing: Option<u32>,
}

impl ChainStep {
    /// The step as an annotation on `span` (its first evidence, or the cue when it has none).
    pub fn annotation(&self, span: Span, reason: Reason) -> Annotation {
        let mut a = Annotation::new(span, self.role.label(), reason)
            .with_attr("chain", i64::from(self.chain))
            .with_attr("step", i64::from(self.step));
        if !self.name.is_empty() {
            a = a.with_attr("name", self.name.clone());
        }
        if !self.kind.is_empty() {
            a = a.with_attr("kind", self.kind.clone());
        }
        a = a.with_link(link(role::CLAIM, layer::ATTRIBUTIONS, self.claim));
        if let Some(c) = self.cue {
            a = a.with_link(link(role::CUE, layer::ATTRIBUTIONS, c));
        }
        for (layer, index) in &self.evidence {
            a = a.with_link(Link {
                role: role::EVIDENCE.into(),
                layer: layer.into(),
                index: *index,
            });
        }
        if let Some(s) = self.sourcing {
            a = a.with_link(link(role::SOURCING, layer::SOURCING, s));
        }
        a
    }

    /// Reads a step annotation; `None` when it is not one (an unknown label, no chain
    /// number or no claim link).
    pub fn read(a: &Annotation) -> Option<ChainStep> {
        let int = |k: &str| match a.attr(k) {
            Some(AttrValue::Int(i)) => u32::try_from(*i).ok(),
            _ => None,
        };
        let text = |k: &str| a.attr_str(k).unwrap_or_default().to_owned();
        let mut step = ChainStep {
            chain: int("chain")?,
            step: int("step")?,
            role: StepRole::from_label(&a.label)?,
            name: text("name"),
            kind: a.attr_cow("kind").unwrap_or_default(),
            claim: 0,
            cue: None,
            evidence: Vec::new(),
            sourcing: None,
        };
        let mut claim = None;
        for l in &a.links {
            match (l.role.as_ref(), l.layer.as_ref()) {
                (role::CLAIM, layer::ATTRIBUTIONS) => claim = claim.or(Some(l.index)),
                (role::CUE, layer::ATTRIBUTIONS) => step.cue = step.cue.or(Some(l.index)),
                (role::EVIDENCE, _) => step
                    .evidence
                    .push((Cow::Borrowed(l.layer.as_str()), l.index)),
                (role::SOURCING, layer::SOURCING) => step.sourcing = Some(l.index),
                _ => {}
            }
        }
        step.claim = claim?;
        Some(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_through_annotations() {
        for role in StepRole::ALL {
            assert_eq!(StepRole::from_label(role.label()), Some(role));
        }
        let step = ChainStep {
            chain: 2,
            step: 1,
            role: StepRole::CitedSource,
            name: "the port office".into(),
            kind: "anonymous".into(),
            claim: 4,
            cue: Some(4),
            evidence: vec![(layer::SPEAKERS.into(), 3)],
            sourcing: Some(7),
        };
        let a = step.annotation(Span::new(0, 3), Reason::rule("sourcing", "relay"));
        assert_eq!(a.label, "cited-source");
        assert_eq!(ChainStep::read(&a), Some(step));
        let bare = Annotation::new(Span::new(0, 1), "speaker", Reason::rule("x", "y"));
        assert_eq!(ChainStep::read(&bare), None);
    }
}
