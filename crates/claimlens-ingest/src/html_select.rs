//! Signals for choosing, page by page, between the Readability and the trafilatura text.
//!
//! The two extractors disagree most on the same kinds of page: one keeps only part of the
//! article, or one keeps the article plus furniture (share buttons, sign-up boxes, lists of
//! related links). Neither word counts alone tell these apart (a longer text is as often
//! the one with more furniture as the one with more article), so the signals here describe
//! *how* the texts differ: how much of each is contained in the other, and what the lines
//! that only one of them has look like (prose paragraphs or short, boilerplate-like lines).
//!
//! Everything is computed from the two extracted texts alone, so a selector built on these
//! signals runs at extraction time, without any gold text. The selector itself (which
//! signals, which weights) is fitted and cross-validated in `claimlens-eval`'s
//! `extraction_select`.

use std::collections::HashSet;

/// Tokens per shingle when comparing the two texts (the benchmark metric's shingle length).
const SHINGLE: usize = 4;

/// A line with fewer words than this is short: a heading, a caption, a menu item, a button.
const SHORT_LINE_WORDS: usize = 8;

/// A line at least this long is prose, whatever words it contains.
const PROSE_LINE_WORDS: usize = 15;

/// A line of one text is "also in" the other when at least this share of its shingles is.
const LINE_COVERED_SHARE: f64 = 0.5;

/// Phrases of page furniture rather than of articles. Matched lower-cased, and only on
/// lines shorter than [`PROSE_LINE_WORDS`] (an article paragraph may say "subscribe").
const BOILERPLATE_PHRASES: &[&str] = &[
    "©",
    "copyright",
    "all rights reserved",
    "sign up",
    "sign in",
    "log in",
    "subscribe",
    "newsletter",
    "cookie",
    "share this",
    "share on",
    "follow us",
    "click here",
    "read more",
    "advertisement",
    "related",
    "privacy policy",
    "terms of",
    "download the app",
    "comments",
];

/// The shape of one text, or of the lines of one text that the other lacks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TextShape {
    /// Words (white-space separated).
    pub words: usize,
    /// Non-empty lines (paragraphs and list items).
    pub lines: usize,
    /// Lines shorter than [`SHORT_LINE_WORDS`] words.
    pub short_lines: usize,
    /// Short lines holding a [`BOILERPLATE_PHRASES`] entry.
    pub boilerplate_lines: usize,
    /// Words in lines of at least [`PROSE_LINE_WORDS`] words.
    pub prose_words: usize,
}

impl TextShape {
    fn add_line(&mut self, line: &str) {
        let words = line.split_whitespace().count();
        if words == 0 {
            return;
        }
        self.words += words;
        self.lines += 1;
        if words < SHORT_LINE_WORDS {
            self.short_lines += 1;
        }
        if words < PROSE_LINE_WORDS && is_boilerplate_like(line) {
            self.boilerplate_lines += 1;
        }
        if words >= PROSE_LINE_WORDS {
            self.prose_words += words;
        }
    }

    /// The shape of a whole text.
    pub fn of(text: &str) -> TextShape {
        let mut shape = TextShape::default();
        text.lines().for_each(|line| shape.add_line(line));
        shape
    }

    /// Share of lines that are short (0 for no lines).
    pub fn short_line_share(&self) -> f64 {
        ratio(self.short_lines, self.lines)
    }

    /// Share of lines that look like furniture (0 for no lines).
    pub fn boilerplate_line_share(&self) -> f64 {
        ratio(self.boilerplate_lines, self.lines)
    }

    /// Mean words per line (0 for no lines).
    pub fn words_per_line(&self) -> f64 {
        ratio(self.words, self.lines)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// True when a line holds one of the [`BOILERPLATE_PHRASES`].
pub fn is_boilerplate_like(line: &str) -> bool {
    let lower = line.to_lowercase();
    BOILERPLATE_PHRASES.iter().any(|p| lower.contains(p))
}

/// How the Readability text and the trafilatura text of one page compare.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SelectionSignals {
    /// The whole Readability text.
    pub readability: TextShape,
    /// The whole trafilatura text.
    pub trafilatura: TextShape,
    /// Share of the Readability text's shingles found in the trafilatura text (1 when the
    /// Readability text has none).
    pub readability_in_trafilatura: f64,
    /// Share of the trafilatura text's shingles found in the Readability text.
    pub trafilatura_in_readability: f64,
    /// The Readability lines that the trafilatura text lacks.
    pub readability_only: TextShape,
    /// The trafilatura lines that the Readability text lacks.
    pub trafilatura_only: TextShape,
}

/// Names of [`SelectionSignals::features`], in order.
pub const FEATURE_NAMES: [&str; 8] = [
    "log word ratio (t/r)",
    "readability in trafilatura",
    "trafilatura in readability",
    "short-line share (t-r)",
    "boilerplate-line share (t-r)",
    "log words per line (t/r)",
    "log prose words only in t / only in r",
    "boilerplate lines only in t - only in r",
];

impl SelectionSignals {
    /// Compares the two texts of a page.
    pub fn of(readability: &str, trafilatura: &str) -> SelectionSignals {
        let r_tokens = tokens(readability);
        let t_tokens = tokens(trafilatura);
        let r_shingles = shingle_set(&r_tokens);
        let t_shingles = shingle_set(&t_tokens);
        SelectionSignals {
            readability: TextShape::of(readability),
            trafilatura: TextShape::of(trafilatura),
            readability_in_trafilatura: contained(&r_shingles, &t_shingles),
            trafilatura_in_readability: contained(&t_shingles, &r_shingles),
            readability_only: lines_missing_from(readability, &t_shingles, &t_tokens),
            trafilatura_only: lines_missing_from(trafilatura, &r_shingles, &r_tokens),
        }
    }

    /// The signals as numbers, oriented so that larger means "the trafilatura text has
    /// more of something" (names in [`FEATURE_NAMES`]). Ratios are logs of (count + 1) so
    /// that empty texts and empty differences stay finite.
    pub fn features(&self) -> [f64; 8] {
        let (r, t) = (&self.readability, &self.trafilatura);
        let log_ratio = |a: f64, b: f64| ((a + 1.0) / (b + 1.0)).ln();
        [
            log_ratio(t.words as f64, r.words as f64),
            self.readability_in_trafilatura,
            self.trafilatura_in_readability,
            t.short_line_share() - r.short_line_share(),
            t.boilerplate_line_share() - r.boilerplate_line_share(),
            log_ratio(t.words_per_line(), r.words_per_line()),
            log_ratio(
                self.trafilatura_only.prose_words as f64,
                self.readability_only.prose_words as f64,
            ),
            self.trafilatura_only.boilerplate_lines as f64
                - self.readability_only.boilerplate_lines as f64,
        ]
    }
}

/// A per-page choice between the two texts on one signal: the trafilatura text when signal
/// `feature` ([`FEATURE_NAMES`]) is above (`above`) or at most (`!above`) the threshold.
/// The threshold is kept in millionths so that options holding it stay comparable and
/// hashable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignalThreshold {
    /// The signal's index in [`SelectionSignals::features`].
    pub feature: usize,
    /// The threshold, in millionths.
    pub threshold_millionths: i64,
    /// Which side of the threshold takes the trafilatura text.
    pub above: bool,
}

impl SignalThreshold {
    /// The rule for a threshold given as a number (rounded to millionths).
    pub fn new(feature: usize, threshold: f64, above: bool) -> SignalThreshold {
        SignalThreshold {
            feature: feature.min(FEATURE_NAMES.len() - 1),
            threshold_millionths: (threshold * 1e6).round() as i64,
            above,
        }
    }

    /// The threshold as a number.
    pub fn threshold(&self) -> f64 {
        self.threshold_millionths as f64 / 1e6
    }

    /// Whether a page with these signals takes the trafilatura text.
    pub fn picks_trafilatura(&self, features: &[f64; 8]) -> bool {
        (features[self.feature] > self.threshold()) == self.above
    }

    /// The rule in words, such as `trafilatura when log word ratio (t/r) <= 0.001600`.
    pub fn label(&self) -> String {
        format!(
            "trafilatura when {} {} {:.6}",
            FEATURE_NAMES[self.feature],
            if self.above { ">" } else { "<=" },
            self.threshold()
        )
    }
}

/// Lower-cased word tokens (letters, digits, `_`), as the benchmark metric splits text.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingle_set(tokens: &[String]) -> HashSet<&[String]> {
    tokens.windows(SHINGLE).collect()
}

/// Share of `part`'s shingles that are in `whole` (1 when `part` has none: nothing of it
/// is missing).
fn contained(part: &HashSet<&[String]>, whole: &HashSet<&[String]>) -> f64 {
    if part.is_empty() {
        return 1.0;
    }
    part.iter().filter(|s| whole.contains(*s)).count() as f64 / part.len() as f64
}

/// The shape of the lines of `text` that the other text (its shingles and tokens) lacks:
/// fewer than [`LINE_COVERED_SHARE`] of the line's shingles are in it, or, for a line too
/// short for one shingle, one of its words is not in it.
fn lines_missing_from(
    text: &str,
    other_shingles: &HashSet<&[String]>,
    other_tokens: &[String],
) -> TextShape {
    let other_words: HashSet<&str> = other_tokens.iter().map(String::as_str).collect();
    let mut shape = TextShape::default();
    for line in text.lines() {
        let line_tokens = tokens(line);
        if line_tokens.is_empty() {
            continue;
        }
        let covered = if line_tokens.len() < SHINGLE {
            line_tokens.iter().all(|t| other_words.contains(t.as_str()))
        } else {
            let windows: Vec<&[String]> = line_tokens.windows(SHINGLE).collect();
            let found = windows
                .iter()
                .filter(|w| other_shingles.contains(*w))
                .count();
            found as f64 >= LINE_COVERED_SHARE * windows.len() as f64
        };
        if !covered {
            shape.add_line(line);
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The river ferry resumed its crossings on Thursday after a month of \
        repairs to the landing stage, the operator said.\n\n\
        Passengers had used a bus detour that added forty minutes to each trip between the \
        two banks of the estuary.";

    #[test]
    fn a_text_shape_counts_short_prose_and_boilerplate_lines() {
        let shape = TextShape::of(
            "Share on Facebook\n\nSign up for our newsletter\n\nPhoto: harbour\n\n\
             The ferry resumed its crossings on Thursday after a month of repairs to the \
             landing stage.",
        );
        assert_eq!(shape.lines, 4);
        assert_eq!(shape.short_lines, 3);
        assert_eq!(shape.boilerplate_lines, 2);
        assert_eq!(shape.prose_words, 16);
        assert!((shape.short_line_share() - 0.75).abs() < 1e-12);
        assert!((shape.boilerplate_line_share() - 0.5).abs() < 1e-12);
        assert_eq!(TextShape::of("").words_per_line(), 0.0);
    }

    #[test]
    fn a_long_paragraph_that_mentions_subscribing_is_not_boilerplate() {
        let shape = TextShape::of(
            "Readers who subscribe to the council's alerts were told about the closure two \
             days before the ferry stopped running, officials said.",
        );
        assert_eq!(shape.boilerplate_lines, 0);
        assert!(is_boilerplate_like("© 2024 Estuary News"));
        assert!(!is_boilerplate_like("The ferry resumed its crossings"));
    }

    #[test]
    fn identical_texts_contain_each_other_and_have_no_extra_lines() {
        let s = SelectionSignals::of(STORY, STORY);
        assert_eq!(s.readability_in_trafilatura, 1.0);
        assert_eq!(s.trafilatura_in_readability, 1.0);
        assert_eq!(s.readability_only, TextShape::default());
        assert_eq!(s.trafilatura_only, TextShape::default());
        let f = s.features();
        assert_eq!(f[0], 0.0);
        assert!(f.iter().all(|v| v.abs() < 1e-12 || *v == 1.0), "{f:?}");
    }

    #[test]
    fn furniture_kept_by_one_extractor_shows_in_its_extra_lines() {
        let with_furniture =
            format!("{STORY}\n\nShare on Facebook\n\nSign up for our newsletter\n\nRelated");
        let s = SelectionSignals::of(STORY, &with_furniture);
        assert_eq!(s.readability_in_trafilatura, 1.0);
        assert!(s.trafilatura_in_readability < 1.0);
        assert_eq!(s.trafilatura_only.lines, 3);
        assert_eq!(s.trafilatura_only.boilerplate_lines, 3);
        assert_eq!(s.trafilatura_only.prose_words, 0);
        assert_eq!(s.readability_only.lines, 0);
        let f = s.features();
        assert!(f[0] > 0.0 && f[3] > 0.0 && f[4] > 0.0, "{f:?}");
        assert_eq!(f[6], 0.0);
        assert_eq!(f[7], 3.0);
    }

    #[test]
    fn a_paragraph_missed_by_one_extractor_shows_as_prose_of_the_other() {
        let more = format!(
            "{STORY}\n\nThe operator said a second boat would join the service in the spring, \
             once its crew had finished training on the new landing stage."
        );
        let s = SelectionSignals::of(STORY, &more);
        assert_eq!(s.trafilatura_only.lines, 1);
        assert_eq!(s.trafilatura_only.prose_words, 24);
        let f = s.features();
        assert!((f[6] - 25f64.ln()).abs() < 1e-12, "{f:?}");
        assert_eq!(f[7], 0.0);
        // Seen from the other side, the signs turn round.
        let back = SelectionSignals::of(&more, STORY).features();
        assert!((back[6] + 25f64.ln()).abs() < 1e-12, "{back:?}");
        assert!(back[0] < 0.0);
    }

    #[test]
    fn a_signal_threshold_takes_trafilatura_on_its_side() {
        let shorter_trafilatura = SignalThreshold::new(0, 0.0016, false);
        assert_eq!(shorter_trafilatura.threshold_millionths, 1600);
        let furniture = format!("{STORY}\n\nShare on Facebook\n\nSign up for our newsletter");
        // Trafilatura's text is the longer one: Readability's is taken.
        let longer = SelectionSignals::of(STORY, &furniture).features();
        assert!(!shorter_trafilatura.picks_trafilatura(&longer));
        // The same words on both sides: trafilatura's.
        let same = SelectionSignals::of(STORY, STORY).features();
        assert!(shorter_trafilatura.picks_trafilatura(&same));
        assert_eq!(
            shorter_trafilatura.label(),
            "trafilatura when log word ratio (t/r) <= 0.001600"
        );
        assert!(SignalThreshold::new(2, 0.5, true).picks_trafilatura(&same));
    }

    #[test]
    fn empty_texts_give_finite_signals() {
        let s = SelectionSignals::of("", STORY);
        assert_eq!(s.readability_in_trafilatura, 1.0);
        assert_eq!(s.trafilatura_in_readability, 0.0);
        assert!(s.features().iter().all(|v| v.is_finite()));
        assert!(SelectionSignals::of("", "")
            .features()
            .iter()
            .all(|v| v.is_finite()));
    }
}
