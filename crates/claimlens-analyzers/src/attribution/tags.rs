//! The BIO tag set of the attribution tagger and span extraction from tag sequences.

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
}

/// Number of tags: O plus B/I for three roles.
pub const NTAGS: usize = 7;

use crate::learn::bio;
pub use crate::learn::bio::{Tag, O};

fn role_index(role: Role) -> u8 {
    match role {
        Role::Source => 0,
        Role::Cue => 1,
        Role::Content => 2,
    }
}

const ROLES: [Role; 3] = [Role::Source, Role::Cue, Role::Content];

/// B tag of a role.
pub fn begin(role: Role) -> Tag {
    bio::begin(role_index(role))
}

/// I tag of a role.
pub fn inside(role: Role) -> Tag {
    bio::inside(role_index(role))
}

/// The role of a tag, `None` for O.
pub fn role_of(tag: Tag) -> Option<Role> {
    bio::role_of(tag).and_then(|r| ROLES.get(r as usize).copied())
}

/// Token-index ranges of the spans a tag sequence encodes, with their roles.
pub fn spans(tags: &[Tag]) -> Vec<(Role, Range<usize>)> {
    bio::spans(tags)
        .into_iter()
        .filter_map(|(r, range)| Some((*ROLES.get(r as usize)?, range)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::bio::allowed;

    #[test]
    fn extracts_spans_and_checks_transitions() {
        let tags = [
            begin(Role::Source),
            inside(Role::Source),
            begin(Role::Cue),
            O,
            begin(Role::Content),
            inside(Role::Content),
        ];
        assert_eq!(
            spans(&tags),
            vec![
                (Role::Source, 0..2),
                (Role::Cue, 2..3),
                (Role::Content, 4..6)
            ]
        );
        assert!(!allowed(O, inside(Role::Cue)));
        assert!(!allowed(begin(Role::Source), inside(Role::Cue)));
        assert!(allowed(begin(Role::Cue), inside(Role::Cue)));
        // A stray I tag after O still yields a span (decoding forbids it; training data may not).
        assert_eq!(spans(&[O, inside(Role::Cue)]), vec![(Role::Cue, 1..2)]);
    }
}
