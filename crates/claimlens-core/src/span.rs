//! Half-open byte ranges into a document's text.

use std::ops::Range;

/// A half-open range `[start, end)` of UTF-8 **byte** offsets into `Doc::text`.
///
/// Offsets are `u32`: a single article is limited to 4 GiB, which ingest enforces, and
/// tokens stay 8 bytes each. Slicing rule: `&text[start as usize..end as usize]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte of the span.
    pub start: u32,
    /// One past the last byte of the span.
    pub end: u32,
}

impl Span {
    /// Creates a span. Panics in debug builds if `start > end`.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Length in bytes.
    #[inline]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True when the span covers no bytes.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range, for slicing.
    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// True when `other` lies inside `self`.
    #[inline]
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    #[inline]
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Checks that the span fits `text` and falls on character boundaries.
    pub fn is_valid_for(self, text: &str) -> bool {
        self.start <= self.end
            && (self.end as usize) <= text.len()
            && text.is_char_boundary(self.start as usize)
            && text.is_char_boundary(self.end as usize)
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_checks_char_boundaries() {
        let text = "naïve “quote”";
        assert!(Span::new(0, 4).is_valid_for(text)); // "naï"
        assert!(!Span::new(0, 3).is_valid_for(text)); // inside 'ï'
        assert!(!Span::new(0, 100).is_valid_for(text));
    }

    #[test]
    fn overlap_is_strict() {
        assert!(Span::new(0, 5).overlaps(Span::new(4, 6)));
        assert!(!Span::new(0, 5).overlaps(Span::new(5, 6)));
        assert!(Span::new(0, 5).contains(Span::new(1, 5)));
    }
}
