//! The span tagger: BIO tags over the tokens of each sentence for the frequent techniques
//! ([`ROLES`]), in two layers ([`LAYERS`]: short loaded words, names and repeats; longer
//! exaggeration, flag waving, doubt and fear), each on its own averaged perceptron
//! ([`crate::learn::perceptron`]; the mean of three, each trained on its own shuffle of the
//! sentences: [`TaggerOptions::shuffles`]). A token carries one tag per layer, so a loaded
//! word may lie inside a doubt, as annotators mark them.
//!
//! Gold spans of loaded language, name calling or repetition are one to four words, so a
//! paragraph-level decision says little about *where*: the tagger learns the words and
//! their neighbours from the training spans, with evidence that reaches past the training
//! vocabulary ([`Scratch`]): the word's class in the general subjective-word list
//! ([`super::subjective`]), its cluster in GloVe's general vocabulary
//! ([`crate::learn::vector_clusters::VectorClusters`]: "vicious" beside "brutal"), its
//! suffix, prefix and shape, how often the document uses it and whether the text used the
//! word pair before (repetition), whether it is in the headline (the first paragraph:
//! headlines are written to sell) and how its sentence ends (a question, an exclamation).

use claimlens_core::{tokens_within, Doc, Span, TokenKind};

use crate::learn::bio::{self, Tag};
use crate::learn::calibration::SpanEvidence;
use crate::learn::perceptron::{self, Example, Model};

mod features;
pub use features::Scratch;

/// Techniques the tagger finds, by index into [`super::catalogue::TECHNIQUES`]: role `r`
/// tags technique `ROLES[r]`.
pub const ROLES: [u8; 7] = [
    14, // Loaded_Language
    18, // Name_Calling-Labeling
    15, // Repetition
    16, // Exaggeration-Minimisation
    4,  // Flag_Waving
    19, // Doubt
    3,  // Appeal_to_Fear-Prejudice
];

/// The layers: ranges of [`ROLES`], each tagged by its own perceptron. A token carries one
/// tag per layer. One layer for all seven lost the training spans that overlap a shorter
/// span of another of the seven (21 % of all gold spans overlap one of another technique;
/// 29 % of the Doubt spans and 17 % of Appeal_to_Fear's were lost, most to a loaded word
/// or a name inside them), and taught the tagger that a doubt ends where a loaded word
/// starts.
pub const LAYERS: [std::ops::Range<usize>; 2] = [0..3, 3..7];

/// Roles of the largest layer.
const LAYER_ROLES: usize = {
    let (mut most, mut i) = (0, 0);
    while i < LAYERS.len() {
        let n = LAYERS[i].end - LAYERS[i].start;
        if n > most {
            most = n;
        }
        i += 1;
    }
    most
};

/// The techniques of layer `layer`'s roles, in role order.
pub fn layer_roles(layer: usize) -> &'static [u8] {
    &ROLES[LAYERS[layer].start..LAYERS[layer].end]
}

/// Tags of a layer: O plus B and I per role of the largest layer (a smaller layer never
/// sees its unused tags in training, and decoding forbids them).
pub const TAGS: usize = 1 + 2 * LAYER_ROLES;

/// Magic of the tagger inside the techniques model file: the number of layers, then each
/// layer's weights (length-prefixed, under [`LAYER_MAGIC`]).
pub const MAGIC: &[u8; 8] = b"CLTTAG02";

/// The magic of the single-layer tagger of earlier models (15 tags), which is not read.
const MAGIC_SINGLE_LAYER: &[u8; 8] = b"CLTTAG01";

/// Magic of one layer's weights.
const LAYER_MAGIC: &[u8; 8] = b"CLTLAYR1";

/// One tagged span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TagHit {
    /// Technique index.
    pub technique: u8,
    /// The span (bytes).
    pub span: Span,
    /// Probability of the span's first tag among the tags allowed there (uncalibrated: a
    /// local softmax of perceptron scores, near 1 for most spans).
    pub score: f32,
    /// Smallest margin over the span's tokens between the chosen tag and the best other
    /// allowed tag ([`SpanEvidence::min_margin`]): the raw score the techniques model's
    /// calibration map reads.
    pub margin: f32,
}

/// Per role ([`ROLES`] order): what is added to the role's B and I scores before each
/// decision ([`Model::tag_biased`]). Zero everywhere is the perceptron's own decision.
pub type RoleBias = [f32; ROLES.len()];

/// The role biases the trainer tries, the same for every role; each technique then takes the
/// one that measured best on the inner folds. The perceptron says O when in doubt (recall
/// 0.04–0.08 against precision 0.4–0.5 on held-out folds), so only positive biases.
pub const BIAS_GRID: [f32; 8] = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 16.0];

/// The trained tagger.
#[derive(Debug, Clone, Default)]
pub struct Tagger {
    /// One perceptron per layer ([`LAYERS`] order); none when untrained.
    pub layers: Vec<Model<TAGS>>,
    /// The role biases chosen on the training folds.
    pub bias: RoleBias,
}

/// Far below any score: the bias of a layer's unused tags.
const FORBIDDEN: f32 = -1.0e9;

/// Per-tag biases of layer `layer` under `roles`: each role's bias on its B and I tags, none
/// on O, and the tags the layer does not use forbidden.
fn tag_bias(roles: &RoleBias, layer: usize) -> [f32; TAGS] {
    let mut out = [FORBIDDEN; TAGS];
    out[usize::from(bio::O)] = 0.0;
    for (r, b) in roles[LAYERS[layer].clone()].iter().enumerate() {
        out[usize::from(bio::begin(r as u8))] = *b;
        out[usize::from(bio::inside(r as u8))] = *b;
    }
    out
}

fn format_error(what: &str) -> perceptron::ModelFormatError {
    perceptron::ModelFormatError(format!("technique tagger: {what}"))
}

impl Tagger {
    /// Serializes the weights (the biases are stored beside them by the techniques model).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(self.layers.len() as u8);
        for m in &self.layers {
            let bytes = m.to_bytes(LAYER_MAGIC);
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(&bytes);
        }
        out
    }

    /// Reads what [`Tagger::to_bytes`] wrote, with no biases.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, perceptron::ModelFormatError> {
        let (magic, mut rest) = bytes
            .split_at_checked(MAGIC.len())
            .ok_or_else(|| format_error("truncated"))?;
        if magic == MAGIC_SINGLE_LAYER {
            return Err(format_error(
                "a single-layer tagger from an earlier claimlens; retrain the model with \
                 `claimlens train techniques`",
            ));
        }
        if magic != MAGIC {
            return Err(format_error("not a technique tagger"));
        }
        let (&count, tail) = rest
            .split_first()
            .ok_or_else(|| format_error("truncated"))?;
        rest = tail;
        if count != 0 && usize::from(count) != LAYERS.len() {
            return Err(format_error(&format!(
                "{count} layers where this claimlens tags {}",
                LAYERS.len()
            )));
        }
        let mut layers = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let (len, tail) = rest
                .split_at_checked(4)
                .ok_or_else(|| format_error("truncated"))?;
            let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
            let (layer, tail) = tail
                .split_at_checked(len)
                .ok_or_else(|| format_error("truncated layer"))?;
            layers.push(Model::from_bytes(layer, LAYER_MAGIC)?);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(format_error("bytes after the layers"));
        }
        Ok(Tagger {
            layers,
            bias: RoleBias::default(),
        })
    }

    /// Every span the tagger finds in `doc` (segmented), sentence by sentence, in text
    /// order, under its own role biases.
    pub fn find(&self, doc: &Doc, x: &mut Scratch) -> Vec<TagHit> {
        self.find_under(doc, x, std::slice::from_ref(&self.bias))
            .pop()
            .unwrap_or_default()
    }

    /// [`Tagger::find`] under each of the role biases `biases` (the trainer tries several),
    /// one list of spans per bias: each sentence's features are extracted once and decoded
    /// under every bias.
    pub fn find_under(&self, doc: &Doc, x: &mut Scratch, biases: &[RoleBias]) -> Vec<Vec<TagHit>> {
        let mut out = vec![Vec::new(); biases.len()];
        if self.layers.iter().all(|m| m.feature_count() == 0) {
            return out;
        }
        // Per bias, per layer.
        let biases: Vec<Vec<[f32; TAGS]>> = biases
            .iter()
            .map(|b| (0..self.layers.len()).map(|l| tag_bias(b, l)).collect())
            .collect();
        x.document(doc);
        for s in &doc.sentences {
            let r = tokens_within(&doc.tokens, s.span);
            for part in crate::learn::sequence_parts(r.len()) {
                let range = r.start + part.start..r.start + part.end;
                x.sentence(doc, range.clone());
                for (bias, out) in biases.iter().zip(&mut out) {
                    for (layer, model) in self.layers.iter().enumerate() {
                        model.tag_biased(&x.features, &mut x.tags, &mut x.scores, &bias[layer]);
                        spans_of_part(
                            doc,
                            range.start,
                            layer_roles(layer),
                            &x.tags,
                            &x.scores,
                            &x.seen[range.clone()],
                            out,
                        );
                    }
                }
            }
        }
        // Text order across the layers (each layer's spans of a part come in order).
        for hits in &mut out {
            hits.sort_by_key(|h| (h.span.start, h.span.end));
        }
        out
    }
}

/// Doubt's index in [`super::catalogue::TECHNIQUES`].
const DOUBT: u8 = 19;

/// Repetition's index in [`super::catalogue::TECHNIQUES`].
const REPETITION: u8 = 15;

/// A Doubt span of at most this many tokens in a question is run on to the question mark
/// (5-fold cross-validation: Doubt span F1 0.138 → 0.149; 1 token: 0.148).
const DOUBT_STUB: usize = 3;

/// True when the sentence part of `len` tokens from `offset` ends with a question mark.
fn ends_a_question(doc: &Doc, offset: usize, len: usize) -> bool {
    len > 0 && doc.slice(doc.tokens[offset + len - 1].span) == "?"
}

/// The spans of one tagged sentence part whose first token is `offset` in `doc`, trimmed,
/// with their scores, onto `out`; `roles` are the techniques of the layer's roles, `seen` is
/// [`Scratch::seen`] of the part's tokens.
fn spans_of_part(
    doc: &Doc,
    offset: usize,
    roles: &[u8],
    tags: &[Tag],
    scores: &[[f32; TAGS]],
    seen: &[(u8, u8)],
    out: &mut Vec<TagHit>,
) {
    // Where a Doubt stub was run on to the question mark: later Doubt spans of the part lie
    // inside it.
    let mut in_question = false;
    for (role, span) in bio::spans(tags) {
        let span = trim(doc, offset, span);
        let technique = roles[usize::from(role)];
        if span.is_empty() || (technique == DOUBT && in_question) {
            continue;
        }
        // Repetition repeats: a span none of whose words or word pairs the text used
        // before is a guess from the words alone (5-fold cross-validation on four
        // partitions: Repetition span F1 0.095 -> 0.112 with the pair feature).
        if technique == REPETITION && seen[span.clone()].iter().all(|&(w, p)| w == 0 && p == 0) {
            continue;
        }
        let first = span.start;
        let prev = bio::previous(tags, first);
        let score = perceptron::probability(&scores[first], prev, tags[first] as usize);
        // The evidence is the tagged words, before any running on.
        let margin = SpanEvidence::of(scores, tags, span.clone()).min_margin;
        let mut end = span.end;
        if technique == DOUBT
            && span.len() <= DOUBT_STUB
            && ends_a_question(doc, offset, tags.len())
        {
            // "How", "Does she": the tagger marks a question's first words, and the doubt
            // is the question (gold Doubt spans run a median 16 words).
            end = tags.len();
            in_question = true;
        }
        let a = &doc.tokens[offset + first];
        let b = &doc.tokens[offset + end - 1];
        out.push(TagHit {
            technique,
            span: Span::new(a.span.start as usize, b.span.end as usize),
            score,
            margin,
        });
    }
}

/// Words a tagged span neither ends with nor (the first list) starts with: under a role
/// bias the tagger runs spans on into the next function word ("vicious campaign against"),
/// while fewer than 1 % of the training spans of its techniques end with one of these (44
/// of 5,643) and 0.4 % start with one of the first list. Articles, "and" or "in" do start
/// gold spans ("the so-called experts"), so they are only trimmed at the end.
const EDGE_WORDS: &[&str] = &["of", "against", "or", "from", "by", "on", "at", "been"];
const END_WORDS: &[&str] = &[
    "the", "a", "an", "and", "but", "to", "in", "for", "with", "that", "which", "who", "as", "is",
    "are", "was", "were", "be",
];

/// `span` (token indices relative to `offset`) without leading or trailing punctuation
/// (quotation marks, question and exclamation marks end gold spans and stay) or the
/// function words above.
fn trim(doc: &Doc, offset: usize, mut span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let word = |k: usize| {
        let t = &doc.tokens[offset + k];
        let s = doc.slice(t.span);
        (t.kind, s)
    };
    let bare = |k: usize, end: bool| {
        let (kind, s) = word(k);
        match kind {
            TokenKind::Punct => !matches!(s, "\"" | "“" | "”" | "'" | "‘" | "’" | "?" | "!"),
            TokenKind::Word => {
                let lower = s.to_ascii_lowercase();
                EDGE_WORDS.contains(&lower.as_str()) || end && END_WORDS.contains(&lower.as_str())
            }
            _ => false,
        }
    };
    while !span.is_empty() && bare(span.start, false) {
        span.start += 1;
    }
    while !span.is_empty() && bare(span.end - 1, true) {
        span.end -= 1;
    }
    span
}

/// Gold BIO tags of the tokens `range` of `doc` from `spans` (technique, bytes): spans of
/// the layer's techniques `roles`, shortest first; a span overlapping one already tagged is
/// left out (a token carries one tag per layer).
fn gold_tags(
    doc: &Doc,
    range: std::ops::Range<usize>,
    spans: &[(u8, Span)],
    roles: &[u8],
) -> Vec<Tag> {
    let mut tags = vec![bio::O; range.len()];
    let mut mine: Vec<(usize, u8, std::ops::Range<usize>)> = spans
        .iter()
        .filter_map(|&(t, span)| {
            let role = roles.iter().position(|&r| r == t)? as u8;
            let r = tokens_within(&doc.tokens, span);
            let (a, b) = (r.start.max(range.start), r.end.min(range.end));
            (a < b).then(|| (b - a, role, a - range.start..b - range.start))
        })
        .collect();
    mine.sort_by_key(|m| (m.0, m.1, m.2.start));
    for (_, role, r) in mine {
        if tags[r.clone()].iter().any(|&t| t != bio::O) {
            continue;
        }
        tags[r.start] = bio::begin(role);
        for t in &mut tags[r.start + 1..r.end] {
            *t = bio::inside(role);
        }
    }
    tags
}

/// Tagger training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggerOptions {
    /// Passes over the sentences.
    pub epochs: usize,
    /// Features whose averaged weights all stay below this are dropped (smaller model).
    pub min_weight: f32,
    /// Seed of the deterministic shuffle.
    pub seed: u64,
    /// Perceptrons trained, each on its own shuffle (seeds `seed`, `seed + 1`, …), whose
    /// weights are averaged into the tagger ([`Model::mean`]). One perceptron's spans
    /// depend on the order it saw the sentences in; on the 5-fold cross-validation of four
    /// partitions, 3 averaged raised span F1 0.240 → 0.244 ± 0.001 (every partition).
    pub shuffles: u64,
    /// After the mean, features whose weights all stay below this are dropped: a feature
    /// one shuffle's perceptron kept and the others did not weighs a third of its weight.
    /// On the same four partitions 0.5 kept the figures (0.399 ± 0.001 / 0.244 ± 0.001 /
    /// 0.387 ± 0.002) for a model of 6.0 MB instead of 7.5; 1.0 lost (aware 0.242).
    pub mean_min_weight: f32,
}

impl Default for TaggerOptions {
    fn default() -> Self {
        TaggerOptions {
            epochs: 6,
            min_weight: 0.05,
            seed: 17,
            shuffles: 3,
            mean_min_weight: 0.5,
        }
    }
}

/// Trains the tagger on the sentences of `docs` (each a segmented article and its gold
/// (technique, byte span) pairs), deterministically.
pub fn train<'a>(
    docs: impl IntoIterator<Item = (&'a Doc, &'a [(u8, Span)])>,
    opts: &TaggerOptions,
) -> Tagger {
    let mut x = Scratch::default();
    // Per layer, the same sentences' features with that layer's gold tags.
    let mut examples: Vec<Vec<Example>> = LAYERS.iter().map(|_| Vec::new()).collect();
    for (doc, spans) in docs {
        x.document(doc);
        for s in &doc.sentences {
            let r = tokens_within(&doc.tokens, s.span);
            for part in crate::learn::sequence_parts(r.len()) {
                let range = r.start + part.start..r.start + part.end;
                if range.is_empty() {
                    continue;
                }
                x.sentence(doc, range.clone());
                for (layer, examples) in examples.iter_mut().enumerate() {
                    let roles = layer_roles(layer);
                    examples.push(Example {
                        features: x.features.clone(),
                        gold: gold_tags(doc, range.clone(), spans, roles),
                    });
                }
            }
        }
    }
    // One thread per layer and shuffle; each layer's mean is taken in seed order, so the
    // model is the same whatever the threads' timing.
    let shuffles = opts.shuffles.max(1);
    let mut models: Vec<Model<TAGS>> = std::thread::scope(|scope| {
        let handles: Vec<_> = examples
            .iter()
            .flat_map(|examples| (0..shuffles).map(move |i| (examples, i)))
            .map(|(examples, i)| {
                scope.spawn(move || {
                    perceptron::train_epochs::<TAGS>(
                        examples,
                        opts.epochs,
                        opts.seed + i,
                        |_, _, _| {},
                    )
                    .finish(Vec::new(), opts.min_weight)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a tagger training thread panicked"))
            .collect()
    });
    let mut layers = Vec::with_capacity(LAYERS.len());
    while !models.is_empty() {
        let rest = models.split_off(shuffles as usize);
        let mut model = Model::mean(std::mem::replace(&mut models, rest));
        model.prune(opts.mean_min_weight);
        layers.push(model);
    }
    Tagger {
        layers,
        bias: RoleBias::default(),
    }
}

#[cfg(test)]
mod tests;
