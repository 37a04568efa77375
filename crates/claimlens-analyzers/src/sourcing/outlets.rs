//! Outlets a source chain rests on, each an `OUTLET` annotation on the outlet's own words so
//! a reader can highlight it:
//!
//! * an attribution's source that is an outlet's name ("Press TV" in "Press TV reports:":
//!   all its words can be part of a name, one is an outlet word, and its speaker — the
//!   canonical name, or the words when unresolved — names an outlet too): the source part's
//!   span without surrounding spaces and punctuation, `attrs.role` = `source`, rule
//!   `source-names-outlet`;
//! * the addressee of a "told" cue ("told the Evening Post newspaper, that …"): the words
//!   after the cue that can form a name (capitalised words, numbers, outlet words; a leading
//!   "the" and a possessor included), up to the first other word, weekday or punctuation,
//!   and cut before an "’s" whose owned words name no outlet ("the Post’s Ana Sala" → "the
//!   Post"): "the Evening Post newspaper", "Russia’s Sputnik news agency";
//!   `attrs.role` = `addressee`, rule `told:words-after-cue`.
//!
//! Both need an outlet word ("news", "agency", "TV", "radio", …) or a well-known outlet's
//! name ("Reuters", "CNN", "Xinhua") in the words; other outlets named without one are not
//! recognised.

use std::collections::HashMap;

use claimlens_core::{Annotation, Layer, Reason, Span};
use claimlens_schema::{label, layer, link, role};

use super::STAGE;
use crate::lexicon::WEEKDAY_NAMES;

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

/// Words that end a name even when capitalised: a clause or an adjunct starts (weekday
/// names, from the temporal stage's list, end it too).
const STOP_WORDS: &[&str] = &[
    "that",
    "on",
    "in",
    "last",
    "this",
    "about",
    "today",
    "yesterday",
];

/// At most this many words make a name.
const MAX_WORDS: usize = 8;

/// How far after the cue the words are read, in bytes; bounds the work per cue.
const MAX_BYTES: usize = 200;

/// Outlets whose names hold no outlet word: wire services, broadcasters and sites, as
/// capitalised whole words ("told Reuters", "CNN reported"); and "Press", an outlet word only
/// when capitalised ("the Associated Press", not "told the press"). Words that are also
/// common names or titles ("Time", "Vice", "Sana") are left out.
const KNOWN_OUTLETS: &[&str] = &[
    "abc",
    "afp",
    "anadolu",
    "ap",
    "axios",
    "bbc",
    "bloomberg",
    "breitbart",
    "buzzfeed",
    "cbs",
    "cnbc",
    "cnn",
    "forbes",
    "guardian",
    "haaretz",
    "huffpost",
    "interfax",
    "irna",
    "jazeera",
    "kyodo",
    "msnbc",
    "nbc",
    "newsweek",
    "nhk",
    "novosti",
    "npr",
    "pbs",
    "politico",
    "press",
    "reuters",
    "rt",
    "slate",
    "spiegel",
    "sputnik",
    "tasnim",
    "tass",
    "telegraph",
    "vox",
    "xinhua",
    "yahoo",
    "yonhap",
];

fn is_outlet_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    OUTLET_WORDS.contains(&lower.as_str())
        || word.starts_with(char::is_uppercase) && KNOWN_OUTLETS.contains(&lower.as_str())
}

/// True when `phrase` holds an outlet word ("Press TV", "the Daily Post").
pub fn names_outlet(phrase: &str) -> bool {
    phrase
        .split(|c: char| !c.is_alphanumeric())
        .any(is_outlet_word)
}

/// True when `word` can be part of an outlet's name: capitalised, a number or an outlet
/// word, or "the" as the first word.
fn is_name_word(word: &str, first: bool) -> bool {
    let lower = word.to_lowercase();
    !STOP_WORDS.contains(&lower.as_str())
        && !WEEKDAY_NAMES.contains(&lower.as_str())
        && (word
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
            || is_outlet_word(word)
            || (first && lower == "the"))
}

/// The name at the start of `s`: the byte range, within `s`, of its leading words that can
/// be part of a name, up to the first other word or punctuation, punctuation left out and
/// cut before a possessive "’s" whose owned words name no outlet; and whether the name is
/// all of `s`'s words.
fn leading_name(s: &str) -> Option<(Span, bool)> {
    let mut span: Option<Span> = None;
    let mut whole = true;
    let mut raws = s.split_whitespace();
    for raw in raws.by_ref().take(MAX_WORDS) {
        let at = raw.as_ptr() as usize - s.as_ptr() as usize;
        let word = raw.trim_end_matches(|c: char| !c.is_alphanumeric());
        let lead = word.len()
            - word
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let word = &word[lead..];
        // Punctuation before a later word ends the name too ("the Associated Press (AP)").
        if !is_name_word(word, span.is_none()) || lead > 0 && span.is_some() {
            whole = false;
            break;
        }
        let start = span.map_or(at + lead, |s| s.start as usize);
        span = Some(Span::new(start, at + lead + word.len()));
        // Punctuation after a word ends the name ("the Evening Post newspaper, that …").
        if word.len() + lead < raw.len() {
            break;
        }
    }
    // Words left over (after punctuation or past MAX_WORDS) are not part of the name.
    whole &= raws.next().is_none();
    let mut span = span?;
    // A possessor names the outlet only when what it owns does not: "Russia’s Sputnik news
    // agency" is one name, "the Daily Post’s Ana Sala" and "the Daily Post’s editorial
    // board" are owned by "the Daily Post".
    let name = &s[span.range()];
    if let Some((at, len)) = ["’s", "'s"]
        .iter()
        .filter_map(|p| name.rfind(p).map(|at| (at, p.len())))
        .max()
    {
        let owned = &name[at + len..];
        let at_word_end = owned.is_empty() || owned.starts_with(char::is_whitespace);
        if at > 0 && at_word_end && !names_outlet(owned) {
            span = Span::new(span.start as usize, span.start as usize + at);
            whole = false;
        }
    }
    Some((span, whole))
}

/// True when all of `words` name an outlet: "Press TV", "the Coastal Times"; not "the
/// Washington Post's reporter" or "this newspaper".
pub fn is_outlet_name(words: &str) -> bool {
    leading_name(words).is_some_and(|(span, whole)| whole && names_outlet(&words[span.range()]))
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
    let (name, _) = leading_name(rest)?;
    let span = Span::new(from + name.start as usize, from + name.end as usize);
    names_outlet(&text[span.range()]).then_some(span)
}

/// `span` without the spaces and punctuation around its words.
pub fn trim_to_words(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let start = s.len() - s.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let end = s.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    if start >= end {
        return span;
    }
    Span::new(span.start as usize + start, span.start as usize + end)
}

/// The `outlets` layer being built: one annotation per distinct span.
pub struct Outlets {
    layer: Layer,
    by_span: HashMap<Span, u32>,
}

impl Default for Outlets {
    fn default() -> Self {
        Outlets {
            layer: Layer::new(layer::OUTLETS, STAGE),
            by_span: HashMap::new(),
        }
    }
}

impl Outlets {
    /// The index of the outlet annotation on `span`, added when new.
    fn add(&mut self, span: Span, make: impl FnOnce() -> Annotation) -> u32 {
        let layer = &mut self.layer;
        *self.by_span.entry(span).or_insert_with(|| {
            layer.push(make());
            layer.annotations.len() as u32 - 1
        })
    }

    /// An attribution source (part `part` of `attribution-parts`, at `span` of `text`),
    /// when its words are an outlet's name and its speaker, `speaker`, names an outlet too.
    /// The span is the part's, without the spaces and punctuation around its words.
    pub fn source(&mut self, text: &str, span: Span, speaker: &str, part: u32) -> Option<u32> {
        let span = trim_to_words(text, span);
        (is_outlet_name(&text[span.range()]) && names_outlet(speaker)).then(|| {
            self.add(span, || {
                Annotation::new(
                    span,
                    label::OUTLET,
                    Reason::rule(STAGE, "source-names-outlet"),
                )
                .with_attr("role", "source")
                .with_link(link(role::MENTION, layer::ATTRIBUTION_PARTS, part))
            })
        })
    }

    /// The outlet a speaker was "told" to, found by [`told_outlet`].
    pub fn addressee(&mut self, span: Span) -> u32 {
        self.add(span, || {
            Annotation::new(
                span,
                label::OUTLET,
                Reason::rule(STAGE, "told:words-after-cue"),
            )
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
        assert_eq!(told("told Vice President Ana Sala"), None);
        assert_eq!(told("told"), None);
        assert_eq!(told("told , news"), None);
        assert_eq!(told_outlet("said the Daily Post", Span::new(0, 4)), None);
        assert_eq!(told_outlet("told", Span::new(2, 9)), None);
    }

    #[test]
    fn well_known_outlets_need_no_outlet_word() {
        assert_eq!(told("told Reuters on Monday"), Some("Reuters"));
        assert_eq!(told("told CNN’s State of the Union"), Some("CNN"));
        assert_eq!(told("told Al Jazeera that talks"), Some("Al Jazeera"));
        assert_eq!(
            told("told the Associated Press (AP) that"),
            Some("the Associated Press")
        );
        assert!(is_outlet_name("Reuters"));
        assert!(is_outlet_name("the Guardian"));
        assert!(!is_outlet_name("reuters"), "capitalised only");
        assert_eq!(told("told rt"), None);
        assert_eq!(told("told the press that"), None);
    }

    #[test]
    fn a_day_or_a_possessive_ends_the_name() {
        assert_eq!(
            told("told The Lakeside Times Tuesday morning"),
            Some("The Lakeside Times")
        );
        assert_eq!(
            told("told the Valley Post’s editorial board"),
            Some("the Valley Post")
        );
        assert_eq!(told("told Norway’s state broadcaster"), None);
        assert_eq!(
            told("told the Valley Post’s Ana Sala"),
            Some("the Valley Post")
        );
        assert_eq!(
            told("told Norway’s Fjord News’s night desk"),
            Some("Norway’s Fjord News")
        );
    }

    #[test]
    fn whole_outlet_names() {
        assert!(is_outlet_name("Valley TV"));
        assert!(is_outlet_name("the Morning Post"));
        assert!(!is_outlet_name("the Morning Clarion"), "no outlet word");
        assert!(is_outlet_name("Harbour Radio"));
        assert!(!is_outlet_name("the Valley Post’s reporter"));
        assert!(!is_outlet_name("the Valley Post’s Ana Sala"));
        assert!(is_outlet_name("Norway’s Fjord News"));
        assert!(!is_outlet_name("Valley TV, Ana Sala"));
        assert!(!is_outlet_name("this newspaper"));
        assert!(!is_outlet_name("a reporter for the Morning Clarion"));
        assert!(!is_outlet_name("President daily briefings"));
        assert!(!is_outlet_name("Ana Sala"));
        assert!(!is_outlet_name(""));
        assert!(!is_outlet_name(&"News ".repeat(MAX_WORDS + 1)));
    }

    #[test]
    fn trims_a_span_to_its_words() {
        let text = "said “Valley TV,” then";
        let s = text.find('“').unwrap();
        let span = trim_to_words(text, Span::new(s, s + "“Valley TV,”".len()));
        assert_eq!(&text[span.range()], "Valley TV");
        assert_eq!(trim_to_words(text, Span::new(4, 5)), Span::new(4, 5));
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
        let text = "Valley TV: Ana Sala told the Morning Clarion";
        let a = outlets
            .source(text, Span::new(0, 10), "Valley TV", 3)
            .unwrap();
        let b = outlets
            .source(text, Span::new(0, 9), "Valley TV", 3)
            .unwrap();
        assert_eq!(a, b);
        assert!(outlets
            .source(text, Span::new(11, 19), "Ana Sala", 4)
            .is_none());
        // The words name an outlet, but the speaker resolved to a person.
        assert!(outlets
            .source(text, Span::new(0, 9), "Ana Sala", 3)
            .is_none());
        let c = outlets.addressee(Span::new(30, 44));
        assert_eq!(c, 1);
        let layer = outlets.into_layer();
        let rules: Vec<&str> = layer
            .annotations
            .iter()
            .map(|a| a.reason.rule.as_ref())
            .collect();
        assert_eq!(rules, ["source-names-outlet", "told:words-after-cue"]);
        assert_eq!(
            layer.annotations[0].links[0].layer,
            layer::ATTRIBUTION_PARTS
        );
        assert_eq!(layer.annotations[0].span, Span::new(0, 9));
    }
}
