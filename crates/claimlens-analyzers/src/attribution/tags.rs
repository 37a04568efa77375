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

/// Tag index: 0 = O, 1 + 2·role = B-role, 2 + 2·role = I-role.
pub type Tag = u8;

/// The outside tag.
pub const O: Tag = 0;

fn role_index(role: Role) -> u8 {
    match role {
        Role::Source => 0,
        Role::Cue => 1,
        Role::Content => 2,
    }
}

/// B tag of a role.
pub fn begin(role: Role) -> Tag {
    1 + 2 * role_index(role)
}

/// I tag of a role.
pub fn inside(role: Role) -> Tag {
    2 + 2 * role_index(role)
}

/// The role of a tag, `None` for O.
pub fn role_of(tag: Tag) -> Option<Role> {
    match tag {
        1 | 2 => Some(Role::Source),
        3 | 4 => Some(Role::Cue),
        5 | 6 => Some(Role::Content),
        _ => None,
    }
}

/// Whether `next` may follow `prev` (an I tag continues a span of the same role).
pub fn allowed(prev: Tag, next: Tag) -> bool {
    if next == O || next % 2 == 1 {
        return true;
    }
    role_of(prev).is_some() && role_of(prev) == role_of(next)
}

/// Token-index ranges of the spans a tag sequence encodes, with their roles.
pub fn spans(tags: &[Tag]) -> Vec<(Role, Range<usize>)> {
    let mut out = Vec::new();
    let mut open: Option<(Role, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let continues = t != O && t % 2 == 0 && open.map(|(r, _)| Some(r)) == Some(role_of(t));
        if !continues {
            if let Some((r, s)) = open.take() {
                out.push((r, s..i));
            }
            if let Some(r) = role_of(t) {
                open = Some((r, i));
            }
        }
    }
    if let Some((r, s)) = open {
        out.push((r, s..tags.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
