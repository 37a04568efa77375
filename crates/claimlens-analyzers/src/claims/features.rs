//! Check-worthiness features of one claim span: its words and word pairs, and what the
//! earlier layers found inside it (amounts and their kind, times, entities by type, places,
//! attribution cues, the sentence's sourcing label) plus closed word classes (numbers,
//! comparisons, modals, causal connectives, laws, first person, opinion). The layers are
//! what a bag-of-words baseline lacks: "over 460 incidents" is a `COUNT` wherever it
//! appears, whatever the words.
//!
//! Features are FNV hashes ([`Hasher`]); each carries a [`Name`] so the strongest ones of a
//! claim can be shown in its reason. Extraction reuses one [`Extracted`] buffer per
//! document: nothing is allocated per token.

use claimlens_core::{tokens_within, Doc, Span, TokenKind};
use claimlens_schema::{label, layer};

use super::lexicon::{self, contains};
use crate::learn::clusters::Clusters;
use crate::learn::features::Hasher;

/// Which features to extract: the full set, or a baseline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureSet {
    /// Lowercased words only (≈ the TF-IDF + logistic regression baseline).
    Unigrams,
    /// Words and word pairs.
    Ngrams,
    /// Words, word pairs and the layer and word-class signals.
    Full,
}

/// Feature templates: their discriminants are part of the trained model.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Template {
    Word = 1,
    Bigram = 2,
    Signal = 3,
    Length = 4,
    FineCluster = 5,
    CoarseCluster = 6,
    CoarsePair = 7,
}

impl From<Template> for u8 {
    fn from(t: Template) -> u8 {
        t as u8
    }
}

/// What a feature is, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name<'a> {
    /// The word at this token index.
    Word(u32),
    /// The word pair starting at this token index.
    Bigram(u32),
    /// A layer or word-class signal (`amount`, `entity`, …) and its value (`MONEY`, or "").
    Signal(&'static str, &'a str),
    /// The claim's length class in words.
    Length(&'static str),
    /// The word class (distributional cluster) of the word at this token index.
    Cluster(u32),
}

impl Name<'_> {
    /// The feature as a reader sees it (`"million"`, `"have been"`, `amount:MONEY`).
    pub fn describe(&self, doc: &Doc) -> String {
        let word = |i: u32| {
            doc.tokens
                .get(i as usize)
                .map_or(String::new(), |t| doc.slice(t.span).to_lowercase())
        };
        match *self {
            Name::Word(i) => format!("'{}'", word(i)),
            Name::Bigram(i) => format!("'{} {}'", word(i), word(i + 1)),
            Name::Signal(s, "") => s.to_owned(),
            Name::Signal(s, v) => format!("{s}:{v}"),
            Name::Length(l) => format!("length:{l}"),
            Name::Cluster(i) => format!("cluster of '{}'", word(i)),
        }
    }
}

/// The features of one span, hashes and names in the same order, without repeats.
#[derive(Debug, Default)]
pub struct Extracted<'a> {
    /// Feature hashes.
    pub hashes: Vec<u32>,
    /// What each is.
    pub names: Vec<Name<'a>>,
    pairs: Vec<(u32, Name<'a>)>,
    lower: String,
}

/// The labelled spans of one layer, sorted by start, for range look-ups.
#[derive(Debug, Default)]
pub struct Spans<'a>(pub Vec<(Span, u32, &'a str)>);

impl<'a> Spans<'a> {
    /// The annotations of `name` in `doc` (index and label; `attr` instead of the label when
    /// given and present), skipping `SUMMARY` annotations.
    pub fn of(doc: &'a Doc, name: &str, attr: Option<&str>) -> Spans<'a> {
        let mut v: Vec<(Span, u32, &'a str)> = doc
            .layer(name)
            .map(|l| {
                l.annotations
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.label != label::SUMMARY)
                    .map(|(i, a)| {
                        let value = attr.and_then(|k| a.attr_str(k)).unwrap_or(&a.label);
                        (a.span, i as u32, value)
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by_key(|(s, i, _)| (s.start, *i));
        Spans(v)
    }

    /// The annotations lying wholly inside `span`.
    pub fn within(&self, span: Span) -> impl Iterator<Item = &(Span, u32, &'a str)> + '_ {
        let first = self.0.partition_point(|(s, _, _)| s.start < span.start);
        self.0[first..]
            .iter()
            .take_while(move |(s, _, _)| s.start < span.end)
            .filter(move |(s, _, _)| s.end <= span.end)
    }

    /// The last annotation starting at or before `pos` and ending after it.
    pub fn at(&self, pos: u32) -> Option<&(Span, u32, &'a str)> {
        let k = self.0.partition_point(|(s, _, _)| s.start <= pos);
        self.0[..k].last().filter(|(s, _, _)| s.end > pos)
    }
}

/// The layers the features read, indexed once per document.
#[derive(Debug, Default)]
pub struct LayerIndex<'a> {
    /// `amounts` by label.
    pub amounts: Spans<'a>,
    /// `times` by label.
    pub times: Spans<'a>,
    /// `entities` by type.
    pub entities: Spans<'a>,
    /// `places` by kind (`country`, `city`, …; `RELATIVE` for relative locations).
    pub places: Spans<'a>,
    /// `attribution-parts` by label (`SOURCE`, `CUE`, `CONTENT`).
    pub parts: Spans<'a>,
    /// `sourcing` sentence labels.
    pub sourcing: Spans<'a>,
}

impl<'a> LayerIndex<'a> {
    /// Indexes the layers of `doc` (absent layers are empty).
    pub fn new(doc: &'a Doc) -> LayerIndex<'a> {
        LayerIndex {
            amounts: Spans::of(doc, layer::AMOUNTS, None),
            times: Spans::of(doc, layer::TIMES, None),
            entities: Spans::of(doc, layer::ENTITIES, None),
            places: Spans::of(doc, layer::PLACES, Some("kind")),
            parts: Spans::of(doc, layer::ATTRIBUTION_PARTS, None),
            sourcing: Spans::of(doc, layer::SOURCING, None),
        }
    }
}

/// Word classes found among a span's words.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordClasses {
    /// A number token.
    pub number: bool,
    /// A future or predictive word.
    pub future: bool,
    /// A weaker modal.
    pub modal: bool,
    /// A causal connective.
    pub causal: bool,
    /// A comparison word.
    pub comparative: bool,
    /// A law or rule word.
    pub laws: bool,
    /// A first-person singular pronoun.
    pub first_person: bool,
    /// A verb of personal experience.
    pub experience: bool,
    /// An opinion word.
    pub opinion: bool,
}

const WORD_CLASSES: [&str; 9] = [
    "number",
    "future",
    "modal",
    "causal",
    "comparative",
    "laws",
    "first-person",
    "experience",
    "opinion",
];

impl WordClasses {
    fn flags(&self) -> [bool; 9] {
        [
            self.number,
            self.future,
            self.modal,
            self.causal,
            self.comparative,
            self.laws,
            self.first_person,
            self.experience,
            self.opinion,
        ]
    }
}

/// Lowercases `word` into `buf` (ASCII; a typographic apostrophe becomes `'`).
fn lowercase_into(buf: &mut String, word: &str) {
    buf.clear();
    for c in word.chars() {
        buf.push(if c == '\u{2019}' {
            '\''
        } else {
            c.to_ascii_lowercase()
        });
    }
}

/// The word classes of the tokens inside `span`.
pub fn word_classes(doc: &Doc, span: Span, buf: &mut String) -> WordClasses {
    let mut c = WordClasses::default();
    for t in &doc.tokens[tokens_within(&doc.tokens, span)] {
        if t.kind == TokenKind::Number {
            c.number = true;
            continue;
        }
        if t.kind != TokenKind::Word {
            continue;
        }
        lowercase_into(buf, doc.slice(t.span));
        let w = buf.as_str();
        c.future |= contains(lexicon::FUTURE, w);
        c.modal |= contains(lexicon::MODAL, w);
        c.causal |= contains(lexicon::CAUSAL, w);
        c.comparative |= contains(lexicon::COMPARATIVE, w);
        c.laws |= contains(lexicon::LAWS, w);
        c.first_person |= contains(lexicon::FIRST_PERSON, w);
        c.experience |= contains(lexicon::EXPERIENCE, w);
        c.opinion |= contains(lexicon::OPINION, w);
    }
    c
}

/// Tokens of a claim that give word features. Every training sentence is far shorter; a
/// "sentence" of 500,000 tokens (a text with no punctuation) would otherwise cost some
/// 100 bytes of features per token at once.
pub const MAX_FEATURE_TOKENS: usize = 1_000;

impl<'a> Extracted<'a> {
    fn push(&mut self, hash: u32, name: Name<'a>) {
        self.pairs.push((hash, name));
    }

    fn signal(&mut self, s: &'static str, value: &'a str) {
        let h = Hasher::new(Template::Signal)
            .raw(s.as_bytes())
            .raw(value.as_bytes());
        self.push(h.finish(), Name::Signal(s, value));
    }

    /// Replaces the contents with the features of `span` in `doc`; word features come from
    /// its first [`MAX_FEATURE_TOKENS`] tokens.
    pub fn extract(&mut self, doc: &'a Doc, index: &LayerIndex<'a>, span: Span, set: FeatureSet) {
        self.pairs.clear();
        let range = tokens_within(&doc.tokens, span);
        let range = range.start..range.end.min(range.start + MAX_FEATURE_TOKENS);
        let mut prev: Option<usize> = None;
        let mut words = 0;
        for i in range.clone() {
            let t = doc.tokens[i];
            let w = doc.slice(t.span);
            let unigram = Hasher::new(Template::Word).word(w).finish();
            self.push(unigram, Name::Word(i as u32));
            words += usize::from(matches!(t.kind, TokenKind::Word | TokenKind::Number));
            if set != FeatureSet::Unigrams {
                if let Some(j) = prev {
                    let h = Hasher::new(Template::Bigram).word(doc.slice(doc.tokens[j].span));
                    self.push(h.word(w).finish(), Name::Bigram(j as u32));
                }
                prev = Some(i);
            }
        }
        if set == FeatureSet::Full {
            self.cluster_features(doc, range);
            self.layer_signals(doc, index, span, words);
        }
        self.pairs.sort_unstable_by_key(|p| p.0);
        self.pairs.dedup_by_key(|p| p.0);
        self.hashes.clear();
        self.names.clear();
        self.hashes.extend(self.pairs.iter().map(|p| p.0));
        self.names.extend(self.pairs.iter().map(|p| p.1));
    }

    /// Word clusters generalise from the debate vocabulary to words the model never saw:
    /// each word's fine and coarse cluster, and pairs of coarse clusters.
    fn cluster_features(&mut self, doc: &'a Doc, range: std::ops::Range<usize>) {
        let Ok(clusters) = Clusters::embedded() else {
            return;
        };
        let mut prev: Option<u16> = None;
        for i in range {
            let t = doc.tokens[i];
            let found = match t.kind {
                TokenKind::Word => clusters.lookup(doc.slice(t.span)),
                _ => None,
            };
            let coarse = found.map_or(u16::MAX, |(c, _)| c);
            if let Some((c, f)) = found {
                let h = Hasher::new(Template::FineCluster).raw(&f.to_le_bytes());
                self.push(h.finish(), Name::Cluster(i as u32));
                let h = Hasher::new(Template::CoarseCluster).raw(&c.to_le_bytes());
                self.push(h.finish(), Name::Cluster(i as u32));
            }
            if let Some(p) = prev {
                let h = Hasher::new(Template::CoarsePair)
                    .raw(&p.to_le_bytes())
                    .raw(&coarse.to_le_bytes());
                self.push(h.finish(), Name::Cluster(i as u32));
            }
            prev = Some(coarse);
        }
    }

    fn layer_signals(&mut self, doc: &'a Doc, index: &LayerIndex<'a>, span: Span, words: usize) {
        let mut any = [false; 4];
        for &(_, _, l) in index.amounts.within(span) {
            self.signal("amount", l);
            any[0] = true;
        }
        for &(_, _, l) in index.times.within(span) {
            self.signal("time", l);
            any[1] = true;
        }
        for &(_, _, l) in index.entities.within(span) {
            self.signal("entity", l);
            any[2] = true;
        }
        for &(_, _, l) in index.places.within(span) {
            self.signal("place", l);
            any[3] = true;
        }
        for (name, seen) in ["amount", "time", "entity", "place"].into_iter().zip(any) {
            if seen {
                self.signal(name, "");
            }
        }
        if !any.iter().any(|&x| x) {
            self.signal("no-detail", "");
        }
        if index.parts.within(span).any(|&(_, _, l)| l == "CUE") {
            self.signal("cue-inside", "");
        }
        if let Some(&(_, _, l)) = index.sourcing.at(span.start) {
            self.signal("sourcing", l);
        }
        let mut buf = std::mem::take(&mut self.lower);
        let classes = word_classes(doc, span, &mut buf);
        self.lower = buf;
        for (name, on) in WORD_CLASSES.into_iter().zip(classes.flags()) {
            if on {
                self.signal(name, "");
            }
        }
        if any[0] && classes.comparative {
            self.signal("amount&comparative", "");
        }
        if classes.first_person && classes.opinion {
            self.signal("first-person&opinion", "");
        }
        if doc.slice(span).trim_end().ends_with('?') {
            self.signal("question", "");
        }
        let length = match words {
            0..=3 => "1-3",
            4..=7 => "4-7",
            8..=15 => "8-15",
            16..=30 => "16-30",
            _ => "31+",
        };
        let h = Hasher::new(Template::Length)
            .raw(length.as_bytes())
            .finish();
        self.push(h, Name::Length(length));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amounts::AmountsStage;
    use crate::Segmenter;
    use claimlens_core::Stage;

    fn doc(text: &str) -> Doc {
        let mut d = Doc::new("t", text);
        Segmenter.run(&mut d);
        crate::temporal::TemporalStage.run(&mut d);
        AmountsStage.run(&mut d);
        d
    }

    fn described(text: &str, set: FeatureSet) -> Vec<String> {
        let d = doc(text);
        let index = LayerIndex::new(&d);
        let mut x = Extracted::default();
        let whole = Span::new(0, text.len());
        x.extract(&d, &index, whole, set);
        assert_eq!(x.hashes.len(), x.names.len());
        assert!(
            x.hashes.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeats"
        );
        x.names.iter().map(|n| n.describe(&d)).collect()
    }

    #[test]
    fn layers_and_word_classes_become_signals() {
        let f = described(
            "Taxes rose by $5 million more than last year.",
            FeatureSet::Full,
        );
        for want in [
            "amount:MONEY",
            "amount",
            "time",
            "comparative",
            "laws",
            "amount&comparative",
            "'taxes rose'",
            "'million'",
            "length:8-15",
        ] {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
        let f = described("I think we will win?", FeatureSet::Full);
        for want in ["future", "first-person&opinion", "question", "no-detail"] {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
    }

    #[test]
    fn baselines_leave_out_pairs_and_signals() {
        let f = described("Taxes rose by $5 million.", FeatureSet::Unigrams);
        assert!(
            f.iter().all(|x| x.starts_with('\'') && !x.contains(' ')),
            "{f:?}"
        );
        let f = described("Taxes rose by $5 million.", FeatureSet::Ngrams);
        assert!(f.iter().any(|x| x == "'taxes rose'"));
        assert!(!f.iter().any(|x| x.starts_with("amount")));
    }

    #[test]
    fn empty_span_has_only_the_length_and_no_detail_signals() {
        let mut f = described("", FeatureSet::Full);
        f.sort();
        assert_eq!(f, ["length:1-3", "no-detail"]);
    }
}
