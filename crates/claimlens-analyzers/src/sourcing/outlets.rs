//! Outlets a source chain rests on, each an `OUTLET` annotation on the outlet's own words so
//! a reader can highlight it:
//!
//! * an attribution's source whose speaker is an outlet ("Press TV" in "Press TV reports:";
//!   its canonical name, or its words when unresolved, hold an outlet word): the source
//!   part's span as tagged, `attrs.role` = `source`, rule `source-names-outlet`;
//! * the addressee of a "told" cue ("told the Evening Post newspaper, that …"): the words
//!   after the cue that can form a name (capitalised words, numbers, outlet words; a leading
//!   "the" and a possessor included), up to the first other word or punctuation: "the
//!   Evening Post newspaper", "Russia’s Sputnik news agency"; `attrs.role` = `addressee`,
//!   rule `told:words-after-cue`.
//!
//! Both need an outlet word ("news", "agency", "TV", "radio", …) in the words; an outlet
//! named without one ("Reuters") is not recognised.

use std::collections::HashMap;

use claimlens_core::{Annotation, Layer, Link, Reason, Span};

use super::STAGE;
use crate::attribution::PARTS_LAYER;

/// Layer name.
pub const LAYER: &str = "outlets";

/// Words that mark a phrase as naming a news outlet (compared lowercase, whole words).
const OUTLET_WORDS: &[&str] = &[
    "agency",
    "news",
    "newspaper",
    "tv",
    "television",
    "radio",
    "channel",
    "times",
    "post",
    "journal",
    "magazine",
    "outlet",
    "broadcaster",
    "daily",
    "tribune",
    "herald",
];

/// Words that end the outlet after "told" even when capitalised: a clause or adjunct starts.
const STOP_WORDS: &[&str] = &["that", "on", "in", "last", "this", "about"];

/// At most this many words after "told" are read.
const MAX_WORDS: usize = 8;

/// How far after the cue the words are read, in bytes; bounds the work per cue.
const MAX_BYTES: usize = 200;

fn is_outlet_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    OUTLET_WORDS.contains(&lower.as_str())
}

/// True when `phrase` holds an outlet word ("Press TV", "the Daily Post").
pub fn names_outlet(phrase: &str) -> bool {
    phrase
        .split(|c: char| !c.is_alphanumeric())
        .any(is_outlet_word)
}

/// The span of the outlet named right after the "told" cue at `cue`, when the words there
/// name one.
pub fn told_outlet(text: &str, cue: Span) -> Option<Span> {
    let cue_text = text.get(cue.range())?;
    if !cue_text.to_lowercase().starts_with("told") {
        return None;
    }
    let from = cue.end as usize;
    let mut to = (from + MAX_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let rest = text.get(from..to)?;
    // The name: words that can be part of one (capitalised, a number or an outlet word; "the"
    // first), as (start, end) in bytes of `text`, trimmed of punctuation.
    let mut words: Vec<(usize, usize)> = Vec::new();
    for raw in rest.split_whitespace().take(MAX_WORDS) {
        let at = raw.as_ptr() as usize - rest.as_ptr() as usize + from;
        let word = raw.trim_end_matches(|c: char| !c.is_alphanumeric());
        let lead = word.len()
            - word
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let word = &word[lead..];
        let lower = word.to_lowercase();
        let in_name = !STOP_WORDS.contains(&lower.as_str())
            && (word
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
                || is_outlet_word(word)
                || (words.is_empty() && lower == "the"));
        if !in_name {
            break;
        }
        words.push((at + lead, at + lead + word.len()));
        // Punctuation after a word ends the name ("the Evening Post newspaper, that …").
        if word.len() + lead < raw.len() {
            break;
        }
    }
    let (&(start, _), &(_, end)) = (words.first()?, words.last()?);
    let span = Span::new(start, end);
    names_outlet(&text[span.range()]).then_some(span)
}

/// The `outlets` layer being built: one annotation per distinct span.
pub struct Outlets {
    layer: Layer,
    by_span: HashMap<Span, u32>,
}

impl Default for Outlets {
    fn default() -> Self {
        Outlets {
            layer: Layer::new(LAYER, STAGE),
            by_span: HashMap::new(),
        }
    }
}

impl Outlets {
    /// The outlet annotation on `span` (added when new) and a link to it.
    fn add(&mut self, span: Span, make: impl FnOnce() -> Annotation) -> Link {
        let layer = &mut self.layer;
        let index = *self.by_span.entry(span).or_insert_with(|| {
            layer.push(make());
            layer.annotations.len() as u32 - 1
        });
        Link {
            role: "outlet".into(),
            layer: LAYER.into(),
            index,
        }
    }

    /// An attribution source (part `part` of `attribution-parts`, at `span`) whose speaker,
    /// `name`, is an outlet.
    pub fn source(&mut self, span: Span, name: &str, part: u32) -> Option<Link> {
        names_outlet(name).then(|| {
            self.add(span, || {
                Annotation::new(span, "OUTLET", Reason::rule(STAGE, "source-names-outlet"))
                    .with_attr("role", "source")
                    .with_link(Link {
                        role: "mention".into(),
                        layer: PARTS_LAYER.into(),
                        index: part,
                    })
            })
        })
    }

    /// The outlet a speaker was "told" to, found by [`told_outlet`].
    pub fn addressee(&mut self, span: Span) -> Link {
        self.add(span, || {
            Annotation::new(span, "OUTLET", Reason::rule(STAGE, "told:words-after-cue"))
                .with_attr("role", "addressee")
        })
    }

    /// The finished layer.
    pub fn into_layer(self) -> Layer {
        self.layer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outlet after the "told" at the start of `text`, as text.
    fn told(text: &str) -> Option<&str> {
        told_outlet(text, Span::new(0, 4)).map(|s| &text[s.range()])
    }

    #[test]
    fn outlet_after_told_ends_at_clause_word_or_punctuation() {
        assert_eq!(
            told("told the Morning Clarion newspaper, that rents rise"),
            Some("the Morning Clarion newspaper")
        );
        assert_eq!(
            told("told Norway’s Fjord news agency on Friday"),
            Some("Norway’s Fjord news agency")
        );
        assert_eq!(
            told("told Valley TV yesterday the road was shut"),
            Some("Valley TV")
        );
        assert_eq!(
            told("told the\nRiverside Daily. Nothing"),
            Some("the\nRiverside Daily")
        );
        assert_eq!(told("told “Harbour Radio” that"), Some("Harbour Radio"));
    }

    #[test]
    fn no_outlet_without_an_outlet_word_or_a_told_cue() {
        assert_eq!(told("told reporters that the plan failed"), None);
        assert_eq!(told("told reporters the news was bad"), None);
        assert_eq!(told("told a news conference"), None);
        assert_eq!(told("told Reuters on Monday"), None);
        assert_eq!(told("told"), None);
        assert_eq!(told("told , news"), None);
        assert_eq!(told_outlet("said the Daily Post", Span::new(0, 4)), None);
        assert_eq!(told_outlet("told", Span::new(2, 9)), None);
    }

    #[test]
    fn bounded_look_ahead_and_multibyte_text() {
        let far = format!("told{}the Daily Post", " ".repeat(MAX_BYTES));
        assert_eq!(told(&far), None);
        let text = format!("told {}", "é".repeat(300));
        assert_eq!(told(&text), None);
    }

    #[test]
    fn one_annotation_per_span_with_its_rule() {
        let mut outlets = Outlets::default();
        let a = outlets.source(Span::new(0, 8), "Valley TV", 3).unwrap();
        let b = outlets.source(Span::new(0, 8), "Valley TV", 3).unwrap();
        assert_eq!(a.index, b.index);
        assert!(outlets.source(Span::new(10, 15), "Mayor Sala", 4).is_none());
        let c = outlets.addressee(Span::new(20, 30));
        assert_eq!(c.index, 1);
        let layer = outlets.into_layer();
        let rules: Vec<&str> = layer
            .annotations
            .iter()
            .map(|a| a.reason.rule.as_ref())
            .collect();
        assert_eq!(rules, ["source-names-outlet", "told:words-after-cue"]);
        assert_eq!(layer.annotations[0].links[0].layer, PARTS_LAYER);
    }
}
