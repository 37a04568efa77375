//! BIO tags over `R` span roles: tag 0 is O, `1 + 2r` begins a span of role `r`, `2 + 2r`
//! continues it. A tagger with `R` roles has `1 + 2R` tags.

use std::ops::Range;

/// A tag index.
pub type Tag = u8;

/// The outside tag.
pub const O: Tag = 0;

/// B tag of role `r`.
pub const fn begin(role: u8) -> Tag {
    1 + 2 * role
}

/// I tag of role `r`.
pub const fn inside(role: u8) -> Tag {
    2 + 2 * role
}

/// The role of a tag, `None` for O.
pub fn role_of(tag: Tag) -> Option<u8> {
    (tag != O).then(|| (tag - 1) / 2)
}

/// Whether `next` may follow `prev`: an I tag only continues a span of its own role.
pub fn allowed(prev: Tag, next: Tag) -> bool {
    if next == O || next % 2 == 1 {
        return true;
    }
    role_of(prev).is_some() && role_of(prev) == role_of(next)
}

/// The tag before position `i` of a sequence (O at the start).
pub fn previous(tags: &[Tag], i: usize) -> Tag {
    i.checked_sub(1).map_or(O, |j| tags[j])
}

/// Token-index ranges of the spans a tag sequence encodes, with their roles. A stray I tag
/// (possible in training data, never produced by decoding) opens a span.
pub fn spans(tags: &[Tag]) -> Vec<(u8, Range<usize>)> {
    let mut out = Vec::new();
    let mut open: Option<(u8, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let continues = t != O && t % 2 == 0 && open.map(|(r, _)| r) == role_of(t);
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
        let tags = [begin(0), inside(0), begin(1), O, begin(2), inside(2)];
        assert_eq!(spans(&tags), vec![(0, 0..2), (1, 2..3), (2, 4..6)]);
        assert!(!allowed(O, inside(1)));
        assert!(!allowed(begin(0), inside(1)));
        assert!(allowed(begin(1), inside(1)));
        assert!(allowed(inside(3), begin(3)));
        assert_eq!(spans(&[O, inside(1)]), vec![(1, 1..2)]);
        // Two adjacent spans of one role stay two spans.
        assert_eq!(spans(&[begin(0), begin(0)]), vec![(0, 0..1), (0, 1..2)]);
    }
}
