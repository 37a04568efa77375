//! The BIO tag sets of the two attribution taggers (cues; sources and contents per cue) and
//! span extraction from tag sequences.

use std::ops::Range;

/// An attribution role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Who is cited.
    Source,
    /// The words that introduce the citation (`said`, `according to`, `told`).
    Cue,
    /// What is attributed.
    Content,
}

impl Role {
    /// Stable label used in layers and exports.
    pub fn label(self) -> &'static str {
        match self {
            Role::Source => "SOURCE",
            Role::Cue => "CUE",
            Role::Content => "CONTENT",
        }
    }

    /// The calibration map of this role's span scores.
    pub fn calibration(self) -> crate::learn::calibration::Component {
        use crate::learn::calibration::Component;
        match self {
            Role::Source => Component::AttributionSource,
            Role::Cue => Component::AttributionCue,
            Role::Content => Component::AttributionContent,
        }
    }
}

/// Tags of the cue tagger: O plus B/I for source, cue and content. It tags all three roles
/// (the source and content around a cue are its best evidence) but only its cues are kept.
pub const CUE_TAGS: usize = 7;
/// Tags of the argument tagger: O plus B/I for source and content.
pub const ARGUMENT_TAGS: usize = 5;

pub use crate::learn::bio::{Tag, O};

/// Which tagger a role is tagged by, and its role index there.
pub trait Tagset {
    /// The role index of `role` in this tag set, `None` when the tagger does not tag it.
    fn index(role: Role) -> Option<u8>;
    /// The role of index `r`.
    fn role(r: u8) -> Option<Role>;
}

/// The cue tagger's tag set.
pub struct CueTags;

impl Tagset for CueTags {
    fn index(role: Role) -> Option<u8> {
        Some(match role {
            Role::Source => 0,
            Role::Cue => 1,
            Role::Content => 2,
        })
    }
    fn role(r: u8) -> Option<Role> {
        [Role::Source, Role::Cue, Role::Content]
            .get(r as usize)
            .copied()
    }
}

/// The argument tagger's tag set.
pub struct ArgumentTags;

impl Tagset for ArgumentTags {
    fn index(role: Role) -> Option<u8> {
        match role {
            Role::Source => Some(0),
            Role::Content => Some(1),
            Role::Cue => None,
        }
    }
    fn role(r: u8) -> Option<Role> {
        match r {
            0 => Some(Role::Source),
            1 => Some(Role::Content),
            _ => None,
        }
    }
}

/// Token-index ranges of the spans a tag sequence encodes, with their roles.
pub fn spans<T: Tagset>(tags: &[Tag]) -> Vec<(Role, Range<usize>)> {
    crate::learn::bio::spans(tags)
        .into_iter()
        .filter_map(|(r, range)| Some((T::role(r)?, range)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::bio::{begin, inside};

    #[test]
    fn extracts_spans_per_tag_set() {
        let tags = [begin(0), inside(0), O, begin(1), inside(1)];
        assert_eq!(
            spans::<ArgumentTags>(&tags),
            vec![(Role::Source, 0..2), (Role::Content, 3..5)]
        );
        assert_eq!(
            spans::<CueTags>(&[O, begin(1), inside(1)]),
            vec![(Role::Cue, 1..3)]
        );
        assert_eq!(ArgumentTags::index(Role::Cue), None);
        assert_eq!(CueTags::index(Role::Cue), Some(1));
    }
}
