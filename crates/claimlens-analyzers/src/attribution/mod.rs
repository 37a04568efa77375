//! Attribution: who said what. Two averaged perceptrons trained on PolNeAR and decoded with a
//! beam ([`crate::learn::beam`]): the first tags cues paragraph by paragraph; the second, run
//! once per cue on the sentences around it, tags that cue's source and content. Both read
//! the tokens' word classes ([`crate::pos`]) besides words, shapes and quotation state. Each
//! cue with its arguments is one relation, so a claim quoted inside another claim keeps
//! both relations.
//!
//! Layers:
//! * `attribution-parts`: `SOURCE`, `CUE`, `CONTENT` spans, each with the probability that
//!   it matches a gold span of its role exactly: the span's smallest tag margin mapped by a
//!   calibration fitted on PolNeAR dev ([`crate::learn::calibration`]).
//! * `attributions`: one `ATTRIBUTION` per cue, anchored on the cue, linking to its parts
//!   (`source`, `cue`, `content`, and `continuation` for quotes that run on over paragraphs);
//!   `kind` is `direct` (content wholly quoted), `mixed` (partly quoted), `according-to` or
//!   `indirect`.
//!
//! The weights are `models/attribution.bin`, trained by
//! `claimlens train attribution --polnear ../shared/data/polnear/train` (deterministic).

mod arguments;
mod features;
mod input;
mod lexicon;
mod model;
mod passive;
mod reach;
mod sequence;
mod tags;
mod train;

use std::collections::HashMap;
use std::ops::Range;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Reason, Span, Stage, Token};

pub use model::{BeamWidths, Model, ModelFormatError};
pub use tags::Role;
pub use train::{gold_tags, train, LabelledSpan, MinWeights, TrainDoc, TrainOptions};

use crate::learn::calibration::{reported_score, CalibrationTable, SpanEvidence};
use crate::learn::embedded::{Embedded, LoadError};
use features::{is_quote, Features};
use input::SequenceInput;
use passive::addressee_passive;
use sequence::document_sequence;
use tags::{spans, ArgumentTags, CueTags};

/// Name of the stage.
pub const STAGE: &str = "attribution";
/// Layer of role spans.
pub const PARTS_LAYER: &str = claimlens_schema::layer::ATTRIBUTION_PARTS;
/// Layer of relations.
pub const RELATIONS_LAYER: &str = claimlens_schema::layer::ATTRIBUTIONS;
/// Rule id recorded in reasons when the score is the calibrated probability.
const MODEL_RULE: &str = "perceptron:polnear-train+platt:polnear-dev";
/// Rule id recorded when no calibration map was available: the score is the mean probability.
const UNCALIBRATED_RULE: &str = "perceptron:polnear-train";

/// The committed model's bytes, embedded in the binary so no file is needed at run time.
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/attribution.bin");

static EMBEDDED: Embedded<Model> = Embedded::new("attribution", EMBEDDED_MODEL, Model::from_bytes);

impl Model {
    /// The committed model, decoded on first use.
    pub fn embedded() -> Result<&'static Model, LoadError> {
        EMBEDDED.get()
    }
}

/// One predicted role span with byte offsets and confidence.
#[derive(Debug, Clone)]
pub struct PredictedSpan {
    /// Role.
    pub role: Role,
    /// Byte span.
    pub span: Span,
    /// Probability that the span is exactly a gold span of its role (calibrated from
    /// `evidence`); the mean probability when `calibrated` is false.
    pub score: f32,
    /// Whether `score` is the calibrated probability.
    pub calibrated: bool,
    /// The raw scores the probability is calibrated from.
    pub evidence: SpanEvidence,
    /// For contents: wholly inside quotation marks.
    pub quoted: bool,
}

/// A predicted relation, as indexes into the predicted spans.
#[derive(Debug, Clone)]
pub struct PredictedRelation {
    /// Cue span index.
    pub cue: usize,
    /// Source span index.
    pub source: Option<usize>,
    /// Content span indexes (including continuations).
    pub content: Vec<usize>,
    /// Content span indexes that continue a quote from an earlier paragraph.
    pub continuation: Vec<usize>,
    /// True when the source was not tagged for this cue but taken from the previous cue of
    /// the same sentence ("X warned …, adding …").
    pub shared_source: bool,
    /// True when some of the content fragments the tagger found were dropped as not part of
    /// the cue's content (see `one_content`).
    pub fragments_dropped: bool,
    /// True when the content was run on past where the tagger stopped it, to its sentence's
    /// end (after a colon cue, or over a relative clause; see `reach`).
    pub content_extended: bool,
    /// The cue is a passive whose subject is spoken to or about ("was told"), so no source
    /// before it was taken ([`passive::ADDRESSEE_PASSIVES`]).
    pub passive: bool,
}

/// The tagger: a model plus reusable buffers' logic.
pub struct Tagger<'m> {
    model: &'m Model,
}

impl<'m> Tagger<'m> {
    /// A tagger over a model.
    pub fn new(model: &'m Model) -> Self {
        Tagger { model }
    }

    /// Tags a segmented document's cues, then each cue's source and content.
    pub fn predict(&self, doc: &Doc) -> (Vec<PredictedSpan>, Vec<PredictedRelation>) {
        let text = doc.text();
        let Some(seq) = document_sequence(&doc.paragraphs, &doc.sentences, &doc.tokens) else {
            return (Vec::new(), Vec::new());
        };
        let input = SequenceInput::new(text, &doc.tokens, &seq);
        let tokens = input.tokens;
        let mut feats = Features::default();
        let cues = self.cues(text, tokens, &seq, &input, &mut feats);

        let mut parts = Parts::default();
        let mut relations: Vec<PredictedRelation> = Vec::with_capacity(cues.len());
        let mut ctx = input.argument_context(&self.model.lexicon);
        let ranges: Vec<Range<usize>> = cues.iter().map(|(r, _)| r.clone()).collect();
        ctx.set_cues(&ranges);
        let (mut arg_tags, mut arg_scores) = (Vec::new(), Vec::new());
        for (cue, cue_score) in &cues {
            let window = ctx.window(cue);
            ctx.extract(cue, &window, &mut feats);
            self.model
                .tag_arguments(&feats, &mut arg_tags, &mut arg_scores);
            let cue_index = parts.add(Role::Cue, span_of(tokens, cue), *cue_score, false);
            let passive = addressee_passive(text, tokens, cue);
            let mut source: Option<(usize, SpanEvidence)> = None;
            let mut fragments = Vec::new();
            for (role, r) in spans::<ArgumentTags>(&arg_tags) {
                let score = SpanEvidence::of(&arg_scores, &arg_tags, r.clone());
                let range = window.start + r.start..window.start + r.end;
                // A cue is never its own source or content; a span of function words alone
                // ("the", "has") is a decoding fragment, not a phrase.
                if range.start < cue.end && cue.start < range.end
                    || only_function_words(text, &tokens[range.clone()], role)
                {
                    continue;
                }
                if role == Role::Content {
                    fragments.push((range, score));
                    continue;
                }
                // The subject of "was told" / "has been accused" is who was spoken to or
                // about; a passive names its speaker only after the verb ("by …").
                if passive && role == Role::Source && range.end <= cue.start {
                    continue;
                }
                let index = parts.add(role, span_of(tokens, &range), score, false);
                // The most probable source by the tagger's own scores (not the calibrated
                // probability, so calibration never changes which span is chosen).
                if role == Role::Source
                    && source.is_none_or(|(_, s)| score.mean_probability > s.mean_probability)
                {
                    source = Some((index, score))
                }
            }
            let fragments_found = fragments.len();
            let mut fragments = one_content(text, tokens, cue, fragments);
            let reach = reach::ContentReach {
                text,
                tokens,
                sentence_of: &seq.sentence_of,
                cues: &ranges,
            };
            let content_extended = reach.colon_content_to_sentence_end(cue, &mut fragments)
                || reach.over_relative_clause(&input.pos, cue, &mut fragments);
            let fragments_dropped = fragments.len() < fragments_found;
            let mut content = Vec::new();
            let mut continuation = Vec::new();
            for (range, score) in fragments {
                let quoted = is_quoted(text, tokens, &range);
                let index = parts.add(Role::Content, span_of(tokens, &range), score, quoted);
                content.push(index);
                if seq.paragraph_of[range.start] > seq.paragraph_of[cue.start] {
                    continuation.push(index);
                }
            }
            let mut source = source.map(|(i, _)| i);
            let mut shared_source = false;
            if source.is_none() && !passive {
                source = source_of_previous_cue(
                    text,
                    tokens,
                    &seq.sentence_of,
                    &ranges,
                    &relations,
                    cue,
                );
                shared_source = source.is_some();
            }
            relations.push(PredictedRelation {
                cue: cue_index,
                source,
                content,
                continuation,
                shared_source,
                fragments_dropped,
                content_extended,
                passive,
            });
        }
        parts.into_sorted(relations)
    }

    /// The cues, with their confidences, tagged paragraph by paragraph as the tagger was
    /// trained (a paragraph longer than [`crate::learn::MAX_SEQUENCE_TOKENS`] in parts, so
    /// memory stays bounded whatever the text). Each paragraph's features are extracted into
    /// `feats` (a buffer) just before it is tagged, so only one paragraph's are held at a time.
    fn cues(
        &self,
        text: &str,
        tokens: &[Token],
        seq: &sequence::Sequence,
        input: &SequenceInput<'_>,
        feats: &mut Features,
    ) -> Vec<(Range<usize>, SpanEvidence)> {
        let source = input.cue_feature_source(&self.model.lexicon);
        let (mut tags, mut scores) = (Vec::new(), Vec::new());
        let (mut part_tags, mut part_scores) = (Vec::new(), Vec::new());
        let parts = sequence::decoding_ranges(
            &seq.paragraph_of,
            &seq.sentence_of,
            crate::learn::MAX_SEQUENCE_TOKENS,
        );
        for p in parts {
            source.extract(p, feats);
            self.model.tag_cues(feats, &mut part_tags, &mut part_scores);
            tags.extend_from_slice(&part_tags);
            scores.extend_from_slice(&part_scores);
        }
        spans::<CueTags>(&tags)
            .into_iter()
            .filter(|(role, _)| *role == Role::Cue)
            .map(|(_, r)| {
                let score = SpanEvidence::of(&scores, &tags, r.clone());
                let cue = colon_cue_with_verb(text, tokens, &self.model.lexicon, r);
                (cue, score)
            })
            .collect()
    }
}

/// A cue in a participle or coordinated clause ("…, adding that …", "… and added") has no
/// subject of its own: it shares the source of the previous cue of its sentence. Only after
/// a comma or "and": a cue right after a noun ("Smith said Jones told …") has a subject the
/// tagger missed.
fn source_of_previous_cue(
    text: &str,
    tokens: &[Token],
    sentence_of: &[u32],
    cue_ranges: &[Range<usize>],
    earlier: &[PredictedRelation],
    cue: &Range<usize>,
) -> Option<usize> {
    let joined = cue.start > 0 && {
        let before = &text[tokens[cue.start - 1].span.range()];
        before == "," || before.eq_ignore_ascii_case("and")
    };
    let previous = earlier.len().checked_sub(1)?;
    (joined && sentence_of[cue_ranges[previous].start] == sentence_of[cue.start])
        .then(|| earlier[previous].source)
        .flatten()
}

/// The content fragments of one cue that make one content. Several fragments are one
/// content when they lie on both sides of the cue (a quotation split by it: "“A,” she said,
/// “B.”"); fragments on one side only are mostly the content plus a stray clause or the next
/// quotation (PolNeAR dev: 133 of 271 multi-fragment contents exact), so only the fragment
/// nearest the cue is kept. After a quotation that ends before the cue, an unquoted fragment
/// after it is the narrative going on ("“…,” she said, and soon …"), not the content.
fn one_content<T>(
    text: &str,
    tokens: &[Token],
    cue: &Range<usize>,
    mut fragments: Vec<(Range<usize>, T)>,
) -> Vec<(Range<usize>, T)> {
    let is_before = |f: &Range<usize>| f.end <= cue.start;
    let quoted_before = fragments
        .iter()
        .any(|(f, _)| is_before(f) && is_quoted(text, tokens, f));
    if quoted_before {
        fragments.retain(|(f, _)| is_before(f) || is_quoted(text, tokens, f));
    }
    let before = fragments.iter().any(|(f, _)| is_before(f));
    let after = fragments.iter().any(|(f, _)| f.start >= cue.end);
    if fragments.len() > 1 && !(before && after) {
        let gap = |f: &Range<usize>| {
            if is_before(f) {
                cue.start - f.end
            } else {
                f.start.saturating_sub(cue.end)
            }
        };
        let nearest = (0..fragments.len())
            .min_by_key(|&i| gap(&fragments[i].0))
            .expect("several fragments");
        fragments.swap(0, nearest);
        fragments.truncate(1);
    }
    fragments
}

/// "Press TV reports: …": when a bare colon was tagged as the cue and the word before it is
/// a cue word of the lexicon, the cue is that word and the colon ("reports:").
fn colon_cue_with_verb(
    text: &str,
    tokens: &[Token],
    lexicon: &lexicon::CueLexicon,
    cue: Range<usize>,
) -> Range<usize> {
    let word = |i: usize| &text[tokens[i].span.range()];
    if cue.len() == 1 && word(cue.start) == ":" && cue.start > 0 {
        let before = word(cue.start - 1);
        if lexicon.contains(before) && before.chars().all(char::is_lowercase) {
            return cue.start - 1..cue.end;
        }
    }
    cue
}

/// A relation's `reason.rule`: how its source was found, then what was done to its content
/// (docs/schema.md lists them). Static strings, so a relation's reason allocates nothing.
fn relation_rule(r: &PredictedRelation) -> &'static str {
    const RULES: [[&str; 4]; 4] = [
        [
            "cue+arguments",
            "cue+arguments:fragments-dropped",
            "cue+arguments:content-extended",
            "cue+arguments:fragments-dropped:content-extended",
        ],
        [
            "cue+arguments:passive-no-source",
            "cue+arguments:passive-no-source:fragments-dropped",
            "cue+arguments:passive-no-source:content-extended",
            "cue+arguments:passive-no-source:fragments-dropped:content-extended",
        ],
        [
            "cue+arguments:source-of-previous-cue",
            "cue+arguments:source-of-previous-cue:fragments-dropped",
            "cue+arguments:source-of-previous-cue:content-extended",
            "cue+arguments:source-of-previous-cue:fragments-dropped:content-extended",
        ],
        [
            "cue+arguments:no-source",
            "cue+arguments:no-source:fragments-dropped",
            "cue+arguments:no-source:content-extended",
            "cue+arguments:no-source:fragments-dropped:content-extended",
        ],
    ];
    let source = if r.passive && r.source.is_none() {
        1
    } else if r.shared_source {
        2
    } else if r.source.is_none() {
        3
    } else {
        0
    };
    RULES[source][usize::from(r.fragments_dropped) | usize::from(r.content_extended) << 1]
}

/// Articles, auxiliaries, prepositions and conjunctions: words that cannot make a source or
/// content on their own. Pronouns ("he", "it", "who") can be sources and are not listed.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "am", "an", "and", "are", "as", "at", "be", "been", "before",
    "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "in", "into", "is", "may", "might", "must", "nor", "of", "on", "or", "over", "shall", "should",
    "so", "than", "the", "to", "under", "upon", "was", "were", "will", "with", "would", "yet",
];

/// True when a span holds no word but function words (and punctuation); contents made of a
/// lone relative pronoun ("which") count too.
fn only_function_words(text: &str, tokens: &[Token], role: Role) -> bool {
    let relative = ["which", "that", "who", "whom"];
    tokens.iter().all(|t| {
        let w = &text[t.span.range()];
        let is = |list: &[&str]| list.iter().any(|f| f.eq_ignore_ascii_case(w));
        !w.chars().any(char::is_alphanumeric)
            || is(FUNCTION_WORDS)
            || role == Role::Content && is(&relative)
    })
}

/// The byte span of a token range.
fn span_of(tokens: &[Token], r: &Range<usize>) -> Span {
    Span {
        start: tokens[r.start].span.start,
        end: tokens[r.end - 1].span.end,
    }
}

/// Role spans found so far, one entry per distinct (role, span): relations sharing a source
/// ("X said … and added …") point at the same part.
#[derive(Default)]
struct Parts {
    spans: Vec<PredictedSpan>,
    index: HashMap<(Role, Span), usize>,
}

impl Parts {
    fn add(&mut self, role: Role, span: Span, evidence: SpanEvidence, quoted: bool) -> usize {
        let spans = &mut self.spans;
        *self.index.entry((role, span)).or_insert_with(|| {
            let (score, calibrated) = reported_score(role.calibration(), &evidence);
            spans.push(PredictedSpan {
                role,
                span,
                score,
                calibrated,
                evidence,
                quoted,
            });
            spans.len() - 1
        })
    }

    /// The spans in text order, with relation indexes remapped to that order.
    fn into_sorted(
        self,
        mut relations: Vec<PredictedRelation>,
    ) -> (Vec<PredictedSpan>, Vec<PredictedRelation>) {
        let mut order: Vec<usize> = (0..self.spans.len()).collect();
        order.sort_by_key(|&i| {
            let s = &self.spans[i];
            (s.span.start, std::cmp::Reverse(s.span.end), s.role)
        });
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        for r in &mut relations {
            r.cue = new_index[r.cue];
            r.source = r.source.map(|s| new_index[s]);
            for c in r.content.iter_mut().chain(r.continuation.iter_mut()) {
                *c = new_index[*c];
            }
        }
        let mut spans: Vec<Option<PredictedSpan>> = self.spans.into_iter().map(Some).collect();
        let sorted = order
            .iter()
            .map(|&i| spans[i].take().expect("each span once"))
            .collect();
        (sorted, relations)
    }
}

/// A content span is quoted when a quote mark opens right before it (or it starts with one)
/// and one closes right after it, allowing a comma or full stop inside the quotes.
fn is_quoted(text: &str, tokens: &[Token], range: &Range<usize>) -> bool {
    let (first, end) = (range.start, range.end);
    let tok = |i: usize| &text[tokens[i].span.range()];
    let opens = is_quote(tok(first)) || (first > 0 && is_quote(tok(first - 1)));
    let mut after = end;
    while after < tokens.len() && matches!(tok(after), "," | "." | "?" | "!") {
        after += 1;
    }
    let closes = is_quote(tok(end - 1)) || (after < tokens.len() && is_quote(tok(after)));
    opens && closes
}

/// The `kind` of an attribution: `according-to` for that cue, `direct` when every content
/// span is quoted, `mixed` when some are, `indirect` otherwise.
pub fn attribution_kind(cue: &str, quoted_contents: usize, contents: usize) -> &'static str {
    if cue.trim_start().to_lowercase().starts_with("according") {
        "according-to"
    } else if contents > 0 && quoted_contents == contents {
        "direct"
    } else if quoted_contents > 0 {
        "mixed"
    } else {
        "indirect"
    }
}

/// The attribution stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct AttributionStage;

impl Stage for AttributionStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        use claimlens_schema::layer;
        &[layer::PARAGRAPHS, layer::SENTENCES, layer::TOKENS]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[PARTS_LAYER, RELATIONS_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let model = match Model::embedded() {
            Ok(m) => m,
            Err(e) => return vec![e.diagnostic(STAGE, "no attribution layers")],
        };
        let mut diags = Vec::new();
        // The taggers read word classes; without them they still run, less accurately.
        if let Err(e) = crate::pos::Model::embedded() {
            diags.push(e.diagnostic(STAGE, "word classes unavailable, attribution degraded"));
        }
        if let Err(e) = CalibrationTable::embedded() {
            diags.push(e.diagnostic(STAGE, "span scores are uncalibrated mean probabilities"));
        }
        let (spans, relations) = Tagger::new(model).predict(doc);
        let mut parts = Layer::new(PARTS_LAYER, STAGE);
        for s in &spans {
            let rule = if s.calibrated {
                MODEL_RULE
            } else {
                UNCALIBRATED_RULE
            };
            let mut a =
                Annotation::new(s.span, s.role.label(), Reason::scored(STAGE, rule, s.score));
            if s.role == Role::Content {
                a = a.with_attr("quoted", s.quoted);
            }
            parts.push(a);
        }
        let mut rels = Layer::new(RELATIONS_LAYER, STAGE);
        for r in &relations {
            let cue = &spans[r.cue];
            let quoted = r.content.iter().filter(|&&c| spans[c].quoted).count();
            let kind = attribution_kind(doc.slice(cue.span), quoted, r.content.len());
            let rule = relation_rule(r);
            let relation = claimlens_schema::Attribution {
                index: rels.annotations.len() as u32,
                anchor: cue.span,
                cue: Some(r.cue as u32),
                source: r.source.map(|s| s as u32),
                content: r
                    .content
                    .iter()
                    .map(|&c| claimlens_schema::ContentPart {
                        part: c as u32,
                        continuation: r.continuation.contains(&c),
                    })
                    .collect(),
            };
            let a = relation
                .annotation(Reason::scored(STAGE, rule, cue.score))
                .with_attr("kind", kind);
            rels.push(a);
        }
        for layer in [parts, rels] {
            if let Err(e) = doc.insert_layer(layer) {
                diags.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;

    #[test]
    fn embedded_model_finds_a_plain_attribution() {
        let mut doc = Doc::new("t", "The mayor said the bridge would reopen in May.");
        Segmenter.run(&mut doc);
        assert!(AttributionStage.run(&mut doc).is_empty());
        let parts = doc.layer(PARTS_LAYER).unwrap();
        let found: Vec<(&str, &str)> = parts
            .annotations
            .iter()
            .map(|a| (a.label.as_ref(), doc.slice(a.span)))
            .collect();
        assert!(found.contains(&("CUE", "said")), "{found:?}");
        assert!(
            found
                .iter()
                .any(|(l, t)| *l == "SOURCE" && t.ends_with("mayor")),
            "{found:?}"
        );
        assert!(
            found.contains(&("CONTENT", "the bridge would reopen in May")),
            "{found:?}"
        );
        // Every part's score is the calibrated probability, and its reason says so.
        for a in &parts.annotations {
            assert_eq!(a.reason.rule, MODEL_RULE);
            let p = a.reason.score.unwrap();
            assert!((0.01..=0.99).contains(&p), "{p}");
        }
        let rel = &doc.layer(RELATIONS_LAYER).unwrap().annotations[0];
        assert_eq!(doc.slice(rel.span), "said");
        assert!(rel
            .links
            .iter()
            .any(|l| l.role == claimlens_schema::role::CONTENT));
    }
}

#[cfg(test)]
mod relation_tests {
    use super::*;
    use crate::Segmenter;

    fn relations_of(text: &str) -> Vec<(String, Option<String>, Vec<String>)> {
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let model = Model::embedded().unwrap();
        let (spans, relations) = Tagger::new(model).predict(&doc);
        relations
            .iter()
            .map(|r| {
                (
                    doc.slice(spans[r.cue].span).to_string(),
                    r.source.map(|s| doc.slice(spans[s].span).to_string()),
                    r.content
                        .iter()
                        .map(|&c| doc.slice(spans[c].span).to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_participle_cue_shares_the_source_of_its_sentence() {
        let rels = relations_of(
            "The minister warned that taxes would rise, adding that pensions were safe.",
        );
        println!("{rels:?}");
        let adding = rels
            .iter()
            .find(|r| r.0 == "adding")
            .expect("adding is a cue");
        assert_eq!(adding.1.as_deref(), Some("The minister"));
    }

    #[test]
    fn a_passive_of_speaking_to_someone_keeps_its_content_and_no_speaker() {
        // The relation stays, with its content and no speaker.
        let rels = relations_of("The governor was told that the bridge would close.");
        let told = rels
            .iter()
            .find(|r| r.0.ends_with("told"))
            .unwrap_or_else(|| panic!("no cue on told: {rels:?}"));
        assert_eq!(told.1, None, "{rels:?}");
        assert!(!told.2.is_empty(), "{rels:?}");
    }

    #[test]
    fn one_content_keeps_a_split_quotation_and_the_nearest_fragment_otherwise() {
        let text = "“A b,” she said, and c d. “E f.”";
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
        let at = |w: &str| words.iter().position(|x| *x == w).unwrap();
        let cue = at("said")..at("said") + 1;
        let quoted_before = (at("A")..at("b") + 1, 1.0);
        let unquoted_after = (at("c")..at("d") + 1, 1.0);
        let quoted_after = (at("E")..at("f") + 1, 1.0);
        let kept = |fragments: Vec<(Range<usize>, f32)>| -> Vec<Range<usize>> {
            one_content(text, &doc.tokens, &cue, fragments)
                .into_iter()
                .map(|(r, _)| r)
                .collect()
        };
        let all = vec![
            quoted_before.clone(),
            unquoted_after.clone(),
            quoted_after.clone(),
        ];
        assert_eq!(
            kept(all),
            vec![quoted_before.0.clone(), quoted_after.0.clone()]
        );
        let one_side = vec![quoted_after.clone(), unquoted_after.clone()];
        assert_eq!(kept(one_side), vec![unquoted_after.0.clone()]);
        assert_eq!(kept(vec![]), Vec::<Range<usize>>::new());
    }

    #[test]
    fn a_quotation_split_by_its_cue_is_one_relation() {
        let rels = relations_of(
            "“The river is rising fast,” the mayor said. “We will open the shelters tonight.”",
        );
        println!("{rels:?}");
        let said = rels.iter().find(|r| r.0 == "said").expect("said is a cue");
        assert_eq!(said.1.as_deref(), Some("the mayor"));
        assert!(said.2.len() == 2, "{rels:?}");
    }
}
