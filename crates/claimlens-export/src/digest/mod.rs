//! Digests: per-document summaries that the reports print beside the raw layers, each built
//! only from documented layers (docs/schema.md), so any producer of those layers gets them.
//!
//! * [`document_profile`]: the article's genre and frames, the header line of both reports.
//! * [`ranked_claims`]: the `claims` layer's claims by rank, with their checkable details.
//! * [`who_said_what`]: attributions grouped by canonical speaker.
//! * [`source_chains`]: per claim, the outlets and voices it passed through, down to its
//!   content, each step with its span and the rule that linked it.
//! * [`entity_list`]: entities with their type, canonical name, aliases and mention count.
//! * [`place_list`]: resolved places with coordinates, and relative locations.
//! * [`known_narratives`]: each claim's matched known cases, and the article's best.
//! * [`technique_list`]: the persuasion techniques found, each with its family and spans.
//! * [`timeline`]: dated expressions in calendar order with the sentence each dates.

mod chains;
mod claims;
mod document;
mod entities;
mod narratives;
mod places;
mod speakers;
mod techniques;
mod timeline;

pub use chains::{
    chains_of, source_chains, ChainStep, SourceChain, SourcingClass, SpanRef, StepReason, StepRole,
};
pub use claims::{ranked_claims, ranked_claims_iter, ClaimDetail, ClaimEntry};
pub use document::{document_profile, DocumentProfile};
pub use entities::{entity_list, EntityEntry};
pub use narratives::{
    known_narratives, CaseMatch, ClaimMatches, KnownNarratives, PROBABILITY_NOTE,
};
pub use places::{place_list, PlaceEntry};
pub use speakers::{who_said_what, Said};
pub use techniques::{technique_list, TechniqueEntry};
pub use timeline::{timeline, TimelineEntry};

/// An attribute as text, borrowed from the document when it is a string (empty when absent):
/// the claims and chains digests have an entry per sentence, and copying their strings
/// cost more than the layers they read.
fn attr_cow(v: Option<&claimlens_core::AttrValue>) -> std::borrow::Cow<'_, str> {
    match v {
        Some(claimlens_core::AttrValue::Str(s)) => s.as_ref().into(),
        other => attr_text(other).into(),
    }
}

/// An attribute as text (empty when absent), for the digests' string fields.
fn attr_text(v: Option<&claimlens_core::AttrValue>) -> String {
    use claimlens_core::AttrValue;
    match v {
        Some(AttrValue::Str(s)) => s.to_string(),
        Some(AttrValue::Int(i)) => i.to_string(),
        Some(AttrValue::Float(f)) => f.to_string(),
        Some(AttrValue::Bool(b)) => b.to_string(),
        None => String::new(),
    }
}
