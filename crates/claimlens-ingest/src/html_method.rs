//! Which extractor gives an HTML page its main text, and the rules around it.
//!
//! Two extractors are available: [`dom_smoothie`](https://crates.io/crates/dom_smoothie) (a
//! port of Mozilla's Readability.js) and
//! [`rs-trafilatura`](https://crates.io/crates/rs-trafilatura) (a port of trafilatura).
//! [`ExtractOptions`] names the primary one, whether the other one is consulted, and which
//! of the pipeline's own rules apply. Every combination is a candidate that
//! `claimlens-eval`'s `extraction_cv` scores by cross-validation on the article-extraction
//! benchmark; [`ExtractOptions::default`] is the candidate that procedure picks (a test
//! there checks that it still does).
//!
//! Readability always runs, because the page metadata comes partly from it; trafilatura runs
//! only when the options ask for it, and never on a page that nests deeper than
//! [`TRAFILATURA_MAX_DEPTH`]: its tree walks recurse, and a deep enough page overflows the
//! stack, which aborts the process instead of returning an error.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::html_select::{SelectionSignals, SignalThreshold};

/// Deepest element nesting on which rs-trafilatura is run. Its recursive tree walks
/// overflowed a 2 MiB thread stack on a few thousand nested elements; 256 levels keeps them
/// well inside that stack and is five times the deepest of the 121 benchmark pages (51).
/// Deeper pages get the Readability text (the guard is counted by
/// [`crate::html::Extracted::depth_guarded`]).
pub const TRAFILATURA_MAX_DEPTH: usize = 256;

/// An article-text extractor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Extractor {
    /// dom_smoothie (Readability.js): scores containers by text density and class names.
    #[default]
    Readability,
    /// rs-trafilatura: walks the tree, keeps text-like blocks, drops link-heavy ones.
    Trafilatura,
}

impl Extractor {
    /// Short lower-case name, as printed by the evaluation.
    pub fn name(self) -> &'static str {
        match self {
            Extractor::Readability => "readability",
            Extractor::Trafilatura => "trafilatura",
        }
    }

    /// The other extractor.
    pub fn other(self) -> Extractor {
        match self {
            Extractor::Readability => Extractor::Trafilatura,
            Extractor::Trafilatura => Extractor::Readability,
        }
    }
}

/// How the main text of an HTML page is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtractOptions {
    /// The extractor whose text is taken by default.
    pub primary: Extractor,
    /// Consult the other extractor too, and take its text instead when it has more than
    /// this many percent of the primary's words (trafilatura's own check against its
    /// Readability fallback, which catches a primary that kept only part of the article).
    /// `None`: the other extractor is not consulted.
    pub switch_above_percent: Option<u32>,
    /// When Readability's "probably readable" check fails and the text has fewer than 20
    /// words, the page is taken to have no article (its body text is used when it holds a
    /// real paragraph, see [`ExtractOptions::body_fallback`]).
    pub short_unreadable_rule: bool,
    /// When no extractor finds an article, keep the page's body text if one of its blocks
    /// is a real paragraph (otherwise the page has no article).
    pub body_fallback: bool,
    /// Run both extractors and choose, page by page, from signals of the two texts
    /// (`html_select`); `primary` and `switch_above_percent` then only matter when
    /// trafilatura has no text.
    pub selector: Option<SignalThreshold>,
}

/// The per-page selector the default extraction ships: trafilatura's text unless it has
/// more words than Readability's (the log of their ratio, each count plus one, above
/// 0.001594: about one word in 630), else Readability's. It is the one-signal selector
/// fitted on all 121 pages of the article-extraction benchmark, the candidate 3-fold
/// cross-validation picks (held-out F1 0.974 against Readability's 0.960;
/// `docs/evaluation.md`, "Per-page extractor selection"); `claimlens-eval`'s
/// `tests/extraction_cv.rs` fails if the fit moves.
pub const SHIPPED_SELECTOR: SignalThreshold = SignalThreshold {
    feature: 0,
    threshold_millionths: 1594,
    above: false,
};

impl Default for ExtractOptions {
    /// The candidate chosen by cross-validation on the article-extraction benchmark (see
    /// `docs/evaluation.md`, "Reliability: article extraction by cross-validation" and
    /// "Per-page extractor selection"): [`SHIPPED_SELECTOR`], both rules on.
    fn default() -> Self {
        ExtractOptions {
            selector: Some(SHIPPED_SELECTOR),
            ..ExtractOptions::READABILITY_ONLY
        }
    }
}

impl ExtractOptions {
    /// The pipeline before cross-validation: Readability alone, both rules on.
    pub const READABILITY_ONLY: ExtractOptions = ExtractOptions {
        primary: Extractor::Readability,
        switch_above_percent: None,
        short_unreadable_rule: true,
        body_fallback: true,
        selector: None,
    };

    /// Whether rs-trafilatura has to run.
    pub fn needs_trafilatura(&self) -> bool {
        self.primary == Extractor::Trafilatura
            || self.switch_above_percent.is_some()
            || self.selector.is_some()
    }

    /// A short stable name for tables, such as `trafilatura`,
    /// `readability>trafilatura@150%` or `readability-no-short-rule`.
    pub fn label(&self) -> String {
        let mut label = match self.selector {
            Some(selector) => format!("select: {}", selector.label()),
            None => self.primary.name().to_owned(),
        };
        if let (Some(percent), None) = (self.switch_above_percent, self.selector) {
            label.push_str(&format!(">{}@{percent}%", self.primary.other().name()));
        }
        if !self.short_unreadable_rule {
            label.push_str("-no-short-rule");
        }
        if !self.body_fallback {
            label.push_str("-no-body-fallback");
        }
        label
    }

    /// Picks between the two texts (already re-flowed; `None` when an extractor failed,
    /// found nothing or was not run). Returns the extractor whose text is used, or `None`
    /// when neither has any.
    pub(crate) fn choose(
        &self,
        readability: Option<&str>,
        trafilatura: Option<&str>,
    ) -> Option<Extractor> {
        let text = |e: Extractor| match e {
            Extractor::Readability => readability,
            Extractor::Trafilatura => trafilatura,
        };
        let primary = self.primary;
        let other = primary.other();
        if let (Some(selector), Some(t)) = (self.selector, trafilatura) {
            // Readability finding nothing is an empty text to the selector, so a page keeps
            // the shorter text here too; choosing it leaves the page to the body fallback.
            // (Cross-validation weighed trafilatura's text against the Readability
            // candidate's output, its body fallback or nothing; Readability finds text on
            // every benchmark page, so the two never differed there.)
            let r = readability.unwrap_or("");
            if !selector.picks_trafilatura(&SelectionSignals::of(r, t).features()) {
                return readability.map(|_| Extractor::Readability);
            }
            // The same words in both: Readability's text, whose paragraphs are formatted
            // (trafilatura keeps the source's line wrapping and can run adjacent paragraphs
            // together). The benchmark scores the two alike, since it reads words only.
            if readability.is_some_and(|r| same_words(r, t)) {
                return Some(Extractor::Readability);
            }
            return Some(Extractor::Trafilatura);
        }
        let Some(primary_text) = text(primary) else {
            return text(other).map(|_| other);
        };
        if let (Some(percent), Some(other_text)) = (self.switch_above_percent, text(other)) {
            let (p, o) = (word_count(primary_text), word_count(other_text));
            if o * 100 > p * percent as usize {
                return Some(other);
            }
        }
        Some(primary)
    }
}

/// Whether two texts have the same words in the same order (letters, digits and `_` runs,
/// case kept): they differ in white space and punctuation at most.
fn same_words(a: &str, b: &str) -> bool {
    let split = |t: &str| {
        t.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    split(a) == split(b)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// rs-trafilatura's plain text of a page, or `None` when it fails, panics or finds no
/// text. The caller has checked the nesting depth against [`TRAFILATURA_MAX_DEPTH`].
pub(crate) fn trafilatura_text(html: &str, url: Option<&str>) -> Option<String> {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_owned),
        ..rs_trafilatura::Options::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        rs_trafilatura::extract_with_options(html, &options)
    }))
    .ok()?
    .ok()?;
    Some(result.content_text).filter(|t| t.chars().any(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(primary: Extractor, switch: Option<u32>) -> ExtractOptions {
        ExtractOptions {
            primary,
            switch_above_percent: switch,
            ..ExtractOptions::READABILITY_ONLY
        }
    }

    #[test]
    fn the_primary_text_wins_unless_the_other_is_much_longer() {
        let short = "one two three four";
        let long = "one two three four five six seven eight";
        let o = opts(Extractor::Readability, Some(150));
        assert_eq!(
            o.choose(Some(short), Some(long)),
            Some(Extractor::Trafilatura)
        );
        assert_eq!(
            o.choose(Some(long), Some(short)),
            Some(Extractor::Readability)
        );
        // Exactly 150% is not above 150%.
        assert_eq!(
            o.choose(Some("a b"), Some("a b c")),
            Some(Extractor::Readability)
        );
        // Without a switch rule the other text is ignored, unless the primary has none.
        let o = opts(Extractor::Trafilatura, None);
        assert_eq!(
            o.choose(Some(long), Some(short)),
            Some(Extractor::Trafilatura)
        );
        assert_eq!(o.choose(Some(short), None), Some(Extractor::Readability));
        assert_eq!(o.choose(None, None), None);
    }

    #[test]
    fn labels_name_every_switch() {
        assert_eq!(ExtractOptions::READABILITY_ONLY.label(), "readability");
        assert_eq!(
            opts(Extractor::Trafilatura, Some(200)).label(),
            "trafilatura>readability@200%"
        );
        let bare = ExtractOptions {
            short_unreadable_rule: false,
            body_fallback: false,
            ..ExtractOptions::READABILITY_ONLY
        };
        assert_eq!(bare.label(), "readability-no-short-rule-no-body-fallback");
        assert!(!bare.needs_trafilatura());
        assert!(ExtractOptions::default().needs_trafilatura());
        assert_eq!(
            ExtractOptions::default().label(),
            "select: trafilatura when log word ratio (t/r) <= 0.001594"
        );
    }

    #[test]
    fn the_selector_takes_the_text_its_signal_says() {
        let story = "The ferry resumed its crossings on Thursday after a month of repairs to \
                     the landing stage, the operator said on Wednesday evening.";
        let with_furniture = format!("{story}\n\nShare on Facebook\n\nSign up today");
        let o = ExtractOptions::default();
        // Trafilatura kept more words: Readability's text.
        assert_eq!(
            o.choose(Some(story), Some(&with_furniture)),
            Some(Extractor::Readability)
        );
        // Readability kept more words: trafilatura's text.
        assert_eq!(
            o.choose(Some(&with_furniture), Some(story)),
            Some(Extractor::Trafilatura)
        );
        // No trafilatura text: Readability's. No Readability text: the selector weighs
        // trafilatura's against nothing, and nothing is shorter.
        assert_eq!(o.choose(Some(story), None), Some(Extractor::Readability));
        assert_eq!(o.choose(None, Some(story)), None);
        assert_eq!(o.choose(None, None), None);
        // The same words, formatted differently: Readability's formatting.
        let wrapped = story.replace("month of", "month\nof").replace(". ", ".");
        assert_eq!(
            o.choose(Some(story), Some(&wrapped)),
            Some(Extractor::Readability)
        );
        assert!(same_words("a, b\n\nc", "a b c") && !same_words("a b", "a B"));
    }

    #[test]
    fn trafilatura_reads_a_plain_article() {
        let page = "<html><body><nav><a href='/'>Home</a> <a href='/x'>Sport</a></nav><article>\
            <p>The harbour reopened on Monday after three weeks of repairs to the sea wall, the \
            port authority said in a statement issued late on Sunday evening.</p>\
            <p>Fishing crews returned before dawn, and the first catch was landed by seven, \
            the harbour master said, adding that the repairs had cost less than planned.</p>\
            </article></body></html>";
        let text = trafilatura_text(page, Some("https://coast.example/harbour")).unwrap();
        assert!(text.contains("The harbour reopened on Monday"), "{text}");
        assert!(text.contains("landed by seven"), "{text}");
        assert_eq!(trafilatura_text("<html><body></body></html>", None), None);
    }

    fn nested_page(depth: usize) -> String {
        let body = "The coastal path reopened after the landslide, and walkers returned in \
                    large numbers over the weekend despite the rain and the wind. "
            .repeat(4);
        format!(
            "<html><body>{}<p>{body}</p><p>{body}</p></body></html>",
            "<div>".repeat(depth)
        )
    }

    #[test]
    fn the_depth_guard_keeps_trafilatura_off_deep_pages() {
        use crate::html::{extract_article_with, MAX_DEPTH};
        let trafilatura = ExtractOptions {
            primary: Extractor::Trafilatura,
            ..ExtractOptions::READABILITY_ONLY
        };
        // Deeper than the guard but within what the ingester accepts: Readability's text.
        let deep = extract_article_with(&nested_page(MAX_DEPTH - 10), None, &trafilatura).unwrap();
        assert!(deep.depth_guarded);
        assert_eq!(deep.extractor, Extractor::Readability);
        assert!(deep.text.starts_with("The coastal path"), "{}", deep.text);
        // Just under the guard, trafilatura runs, on a test thread's small stack.
        let shallow = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                extract_article_with(&nested_page(TRAFILATURA_MAX_DEPTH - 8), None, &trafilatura)
            })
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert!(!shallow.depth_guarded);
        assert!(
            shallow.text.contains("The coastal path"),
            "{}",
            shallow.text
        );
    }
}
