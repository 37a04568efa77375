//! Bounded snippets: what the text and HTML reports show of a span.
//!
//! A report shows many spans beside the text: each annotation's text, each link's target, each
//! dated expression with its sentence. Printed whole, a span as long as its sentence would be
//! repeated once per annotation inside it, and a one-sentence megabyte article would give a
//! report of gigabytes. So every snippet is a window of at most a fixed number of code points,
//! with "…" where it was cut and the code-point offsets of the window, from which a reader finds
//! the full text (the JSON export always holds it whole). Computing a window walks only the
//! characters it shows, never the whole span.

use claimlens_core::{CharIndex, Span};

/// Most code points a snippet shows.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// The ellipsis marking a cut.
pub(crate) const CUT: &str = "…";

/// The shown window of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snippet<'a> {
    /// The shown characters, a slice of the text.
    pub(crate) text: &'a str,
    /// Code-point offsets of the shown window.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Whether characters of the span were left out before and after the window.
    pub(crate) cut_before: bool,
    pub(crate) cut_after: bool,
}

impl<'a> Snippet<'a> {
    /// The first `max` code points of `span`.
    pub(crate) fn of(text: &'a str, idx: &CharIndex<'_>, span: Span, max: usize) -> Self {
        Self::around(text, idx, span, span, max)
    }

    /// At most `max` code points of `outer` around `focus`: the focus from its start (as much
    /// of it as fits), then the context before and after it in equal shares, a share that the
    /// outer span cannot fill going to the other side.
    pub(crate) fn around(
        text: &'a str,
        idx: &CharIndex<'_>,
        outer: Span,
        focus: Span,
        max: usize,
    ) -> Self {
        let (os, oe) = fix_span(outer, text);
        let (fs, fe) = fix_span(focus, text);
        let (fs, fe) = (fs.clamp(os, oe), fe.clamp(os, oe));
        let fe = fe.max(fs);
        let (focus_end, shown) = forward(text, fs, fe, max);
        let room = max - shown;
        let (_, after_avail) = forward(text, focus_end, oe, room - room / 2);
        let (start, before) = backward(text, fs, os, room - after_avail);
        let (end, _) = forward(text, focus_end, oe, room - before);
        Snippet {
            text: &text[start as usize..end as usize],
            start: idx.char_offset(start),
            end: idx.char_offset(end),
            cut_before: start > os,
            cut_after: end < oe,
        }
    }

    /// Whether anything of the span was left out.
    pub(crate) fn is_cut(&self) -> bool {
        self.cut_before || self.cut_after
    }

    /// The marks to print before and after the text: [`CUT`] where it was cut.
    pub(crate) fn marks(&self) -> (&'static str, &'static str) {
        let mark = |cut: bool| if cut { CUT } else { "" };
        (mark(self.cut_before), mark(self.cut_after))
    }
}

/// A name or other free string cut to `max` code points, with [`CUT`] when it was cut.
pub(crate) fn cap(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}{CUT}", &s[..i]).into(),
        None => s.into(),
    }
}

/// From byte `from`, at most `n` characters not beyond byte `limit`: the byte reached and the
/// number of characters passed.
fn forward(text: &str, from: u32, limit: u32, n: usize) -> (u32, usize) {
    let rest = &text[from as usize..limit as usize];
    match rest.char_indices().nth(n) {
        Some((i, _)) => (from + i as u32, n),
        None => (limit, rest.chars().count()),
    }
}

/// Back from byte `from`, at most `n` characters not before byte `limit`: the byte reached and
/// the number of characters passed.
fn backward(text: &str, from: u32, limit: u32, n: usize) -> (u32, usize) {
    let rest = &text[limit as usize..from as usize];
    let mut reached = (from, 0);
    for (count, (i, _)) in rest.char_indices().rev().take(n).enumerate() {
        reached = (limit + i as u32, count + 1);
    }
    reached
}

/// Clamps a span that did not go through layer validation (paragraphs and sentences are plain
/// public fields, digests carry spans of their own) to the text and to character boundaries,
/// so that rendering never panics.
pub(crate) fn fix_span(span: Span, text: &str) -> (u32, u32) {
    let len = text.len();
    let mut s = (span.start as usize).min(len);
    let mut e = (span.end as usize).clamp(s, len);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s as u32, e as u32)
}

/// Cells of a claim's score bar in both reports.
const BAR_CELLS: usize = 8;

/// `████░░░░`: a probability as filled cells out of [`BAR_CELLS`] (out-of-range and NaN
/// scores from a foreign layer are clamped rather than trusted).
pub(crate) fn score_bar(p: f64) -> String {
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
    let filled = (p * BAR_CELLS as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_CELLS - filled))
}

/// `#3`, or `#–` for a claim its layer did not rank.
pub(crate) fn rank(r: Option<u32>) -> String {
    r.map_or("#–".to_owned(), |r| format!("#{r}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(text: &str, outer: (u32, u32), focus: (u32, u32), max: usize) -> Snippet<'_> {
        let idx = CharIndex::new(text);
        // Built field by field: some of these spans are reversed on purpose.
        let span = |(start, end)| Span { start, end };
        Snippet::around(text, &idx, span(outer), span(focus), max)
    }

    #[test]
    fn short_spans_are_shown_whole() {
        let text = "Café opened.";
        let idx = CharIndex::new(text);
        let s = Snippet::of(text, &idx, Span::new(0, 5), 10);
        assert_eq!((s.text, s.start, s.end, s.is_cut()), ("Café", 0, 4, false));
    }

    #[test]
    fn long_spans_show_their_start_and_the_window_offsets() {
        let text = "ééééééééé!";
        let s = window(text, (0, 19), (0, 19), 4);
        assert_eq!((s.text, s.start, s.end), ("éééé", 0, 4));
        assert_eq!(s.marks(), ("", "…"));
    }

    #[test]
    fn context_is_shared_around_the_focus() {
        let text = "0123456789abcdefghij";
        let s = window(text, (0, 20), (10, 12), 6);
        assert_eq!((s.text, s.start, s.end), ("89abcd", 8, 14));
        assert_eq!(s.marks(), ("…", "…"));
        // Near the end, the share after the focus goes before it.
        let s = window(text, (0, 20), (18, 20), 6);
        assert_eq!((s.text, s.marks()), ("efghij", ("…", "")));
        // Near the start, the other way round.
        let s = window(text, (0, 20), (0, 1), 6);
        assert_eq!((s.text, s.marks()), ("012345", ("", "…")));
    }

    #[test]
    fn a_focus_longer_than_the_window_is_shown_from_its_start() {
        let text = "0123456789abcdefghij";
        let s = window(text, (0, 20), (5, 15), 4);
        assert_eq!((s.text, s.marks()), ("5678", ("…", "…")));
    }

    #[test]
    fn spans_off_the_text_or_off_boundaries_never_panic() {
        let text = "aé";
        let s = window(text, (0, 99), (2, 50), 5);
        assert_eq!((s.text, s.start, s.end), ("aé", 0, 2));
        let s = window(text, (2, 1), (7, 0), 5);
        assert!(s.text.is_empty() || s.text == "é");
    }

    #[test]
    fn cap_cuts_names() {
        assert_eq!(cap("Ann Lee", 3), "Ann…");
        assert_eq!(cap("Ann", 3), "Ann");
    }

    #[test]
    fn score_bar_fills_cells_in_proportion_and_clamps() {
        assert_eq!(score_bar(0.71), "██████░░");
        assert_eq!(score_bar(0.0), "░░░░░░░░");
        assert_eq!(score_bar(1.5), "████████");
        assert_eq!(score_bar(f64::NAN), "░░░░░░░░");
    }
}
