//! Attribution: who said what. Tags source, cue and content spans with a greedy averaged
//! perceptron trained on PolNeAR, then groups them into relations.
//!
//! Layers:
//! * `attribution-parts`: `SOURCE`, `CUE`, `CONTENT` spans, each with the model's confidence.
//! * `attributions`: one `ATTRIBUTION` per cue, anchored on the cue, linking to its parts
//!   (`source`, `cue`, `content`, and `continuation` for quotes that run on over paragraphs);
//!   `kind` is `direct` (content wholly quoted), `mixed` (partly quoted), `according-to` or
//!   `indirect`.
//!
//! The weights are `models/attribution.bin`, trained by
//! `claimlens train attribution --polnear ../shared/data/polnear/train` (deterministic).

mod features;
mod lexicon;
mod model;
mod relations;
mod sequence;
mod tags;
mod train;

use std::sync::LazyLock;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Link, Reason, Span, Stage, Token};

pub use model::{Model, ModelFormatError};
pub use tags::Role;
pub use train::{gold_tags, train, LabelledSpan, TrainDoc, TrainOptions};

use crate::learn::bio::previous;
use crate::learn::perceptron::probability;
use features::{extract, is_quote, Features};
use relations::{assemble, TaggedSpan};
use sequence::document_sequence;
use tags::spans;

/// Name of the stage.
pub const STAGE: &str = "attribution";
/// Layer of role spans.
pub const PARTS_LAYER: &str = "attribution-parts";
/// Layer of relations.
pub const RELATIONS_LAYER: &str = "attributions";
/// Rule id recorded in reasons.
const MODEL_RULE: &str = "perceptron:polnear-train";

/// The committed model's bytes, embedded in the binary so no file is needed at run time.
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/attribution.bin");

static EMBEDDED: LazyLock<Result<Model, ModelFormatError>> =
    LazyLock::new(|| Model::from_bytes(EMBEDDED_MODEL));

/// One predicted role span with byte offsets and confidence.
#[derive(Debug, Clone)]
pub struct PredictedSpan {
    /// Role.
    pub role: Role,
    /// Byte span.
    pub span: Span,
    /// Mean per-token probability of the chosen tags (softmax over the allowed tags' scores).
    pub score: f32,
    /// Tagging detail used to build relations.
    tagged: TaggedSpan,
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

    /// The tagger over the embedded, committed model.
    pub fn embedded() -> Result<Tagger<'static>, ModelFormatError> {
        EMBEDDED.as_ref().map(Tagger::new).map_err(Clone::clone)
    }

    /// Tags a segmented document and assembles relations.
    pub fn predict(&self, doc: &Doc) -> (Vec<PredictedSpan>, Vec<PredictedRelation>) {
        let text = doc.text();
        let tokens = &doc.tokens;
        let mut out = Vec::new();
        let mut feats = Features::default();
        let mut em = Vec::new();
        let mut tags = Vec::new();
        if let Some(seq) = document_sequence(&doc.paragraphs, &doc.sentences, tokens) {
            let toks = &tokens[seq.tokens.clone()];
            extract(
                text,
                toks,
                &seq.sentence_of,
                &seq.paragraph_of,
                &self.model.lexicon,
                &mut feats,
            );
            self.model.tag(&feats, &mut tags, &mut em);
            for (role, r) in spans(&tags) {
                let paragraph = seq.paragraph_of[r.start];
                let score = r
                    .clone()
                    .map(|i| probability(&em[i], previous(&tags, i), tags[i] as usize))
                    .sum::<f32>()
                    / r.len() as f32;
                let first = seq.tokens.start + r.start;
                let end = seq.tokens.start + r.end;
                out.push(PredictedSpan {
                    role,
                    span: Span {
                        start: tokens[first].span.start,
                        end: tokens[end - 1].span.end,
                    },
                    score,
                    tagged: TaggedSpan {
                        role,
                        first,
                        end,
                        sentence: seq.sentence_of[r.start],
                        paragraph,
                        quoted: is_quoted(text, tokens, first, end),
                    },
                });
            }
        }
        let tagged: Vec<TaggedSpan> = out.iter().map(|p| p.tagged.clone()).collect();
        let relations = assemble(&tagged)
            .into_iter()
            .map(|r| {
                let mut content = r.content.clone();
                content.extend(&r.continuation);
                PredictedRelation {
                    cue: r.cue,
                    source: r.source,
                    content,
                    continuation: r.continuation,
                }
            })
            .collect();
        (out, relations)
    }
}

/// A content span is quoted when a quote mark opens right before it (or it starts with one)
/// and one closes right after it, allowing a comma or full stop inside the quotes.
fn is_quoted(text: &str, tokens: &[Token], first: usize, end: usize) -> bool {
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
        &["paragraphs", "sentences", "tokens"]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[PARTS_LAYER, RELATIONS_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let tagger = match Tagger::embedded() {
            Ok(t) => t,
            Err(e) => return vec![Diagnostic::warning(STAGE, e.to_string())],
        };
        let (spans, relations) = tagger.predict(doc);
        let mut parts = Layer::new(PARTS_LAYER, STAGE);
        for s in &spans {
            let mut a = Annotation::new(
                s.span,
                s.role.label(),
                Reason::scored(STAGE, MODEL_RULE, s.score),
            );
            if s.role == Role::Content {
                a = a.with_attr("quoted", s.tagged.quoted);
            }
            parts.push(a);
        }
        let mut rels = Layer::new(RELATIONS_LAYER, STAGE);
        for r in &relations {
            let cue = &spans[r.cue];
            let quoted = r
                .content
                .iter()
                .filter(|&&c| spans[c].tagged.quoted)
                .count();
            let kind = attribution_kind(doc.slice(cue.span), quoted, r.content.len());
            let rule = if r.source.is_some() {
                "nearest-cue+source"
            } else {
                "nearest-cue"
            };
            let link = |role: &'static str, index: usize| Link {
                role: role.into(),
                layer: PARTS_LAYER.into(),
                index: index as u32,
            };
            let mut a = Annotation::new(
                cue.span,
                "ATTRIBUTION",
                Reason::scored(STAGE, rule, cue.score),
            )
            .with_attr("kind", kind)
            .with_link(link("cue", r.cue));
            if let Some(s) = r.source {
                a = a.with_link(link("source", s));
            }
            for &c in &r.content {
                let role = if r.continuation.contains(&c) {
                    "continuation"
                } else {
                    "content"
                };
                a = a.with_link(link(role, c));
            }
            rels.push(a);
        }
        let mut diagnostics = Vec::new();
        for layer in [parts, rels] {
            if let Err(e) = doc.insert_layer(layer) {
                diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diagnostics
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
        let rel = &doc.layer(RELATIONS_LAYER).unwrap().annotations[0];
        assert_eq!(doc.slice(rel.span), "said");
        assert!(rel.links.iter().any(|l| l.role == "content"));
    }
}
