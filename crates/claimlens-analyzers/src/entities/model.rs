//! The entity model: perceptron weights over BIO tags of the four CoNLL-2003 types, and the
//! tagger that runs it over a document's sentences.

use std::ops::Range;

use super::context::DocContext;
use super::features::extract_with;
use super::nonlocal::DocPredictions;
use crate::learn::bio::{previous, spans, Tag};
use crate::learn::calibration::SpanEvidence;
use crate::learn::features::Features;
pub use crate::learn::perceptron::ModelFormatError;
use crate::learn::perceptron::{self, probability};

/// The CoNLL-2003 entity types, in role order (role `r` has tags `1 + 2r`, `2 + 2r`).
pub const CONLL_TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Number of tags: O plus B/I for each CoNLL type.
pub const NTAGS: usize = 1 + 2 * CONLL_TYPES.len();

/// Magic and version of the entity model file: version 2 holds the weights in the
/// compressed format ([`crate::learn::weights_file`]); version 1 (uncompressed) is still
/// read.
const MAGIC: &[u8; 8] = b"CLNER002";
const MAGIC_V1: &[u8; 8] = b"CLNER001";
/// Version 3: a first and a second pass ([`Model::to_bytes`]).
const MAGIC_V3: &[u8; 8] = b"CLNER003";
/// Version 4: the beam width, then a first pass and, optionally, a second ([`Model::to_bytes`]).
const MAGIC_V4: &[u8; 8] = b"CLNER004";
/// The second pass's weights inside a version-3 or -4 file.
const MAGIC_SECOND: &[u8; 8] = b"CLNER2ND";

/// The role index of a CoNLL type name.
pub fn role_of_type(name: &str) -> Option<u8> {
    CONLL_TYPES.iter().position(|t| *t == name).map(|r| r as u8)
}

/// One entity found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedEntity {
    /// Index into [`CONLL_TYPES`].
    pub role: u8,
    /// Word indexes within the sentence.
    pub words: Range<usize>,
    /// Mean probability of the chosen tags (what type votes weigh).
    pub score: f32,
    /// The raw scores its calibrated probability is read from.
    pub evidence: SpanEvidence,
}

/// Trained entity weights: the first pass, and optionally a second pass that also sees the
/// first pass's predictions over the whole document ([`super::nonlocal`]).
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: perceptron::Model<NTAGS>,
    second: Option<SecondPass>,
    /// Partial taggings kept while decoding (both passes); 1 decodes greedily. A model
    /// trained for a beam must be decoded with the same width ([`crate::learn::beam`]).
    beam: u8,
}

/// The second pass: its weights and the non-local feature groups it was trained with
/// ([`super::nonlocal::groups`]).
#[derive(Debug, Clone)]
pub struct SecondPass {
    weights: perceptron::Model<NTAGS>,
    groups: u8,
}

impl SecondPass {
    /// Wraps trained second-pass weights.
    pub fn new(weights: perceptron::Model<NTAGS>, groups: u8) -> SecondPass {
        SecondPass { weights, groups }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.feature_count()
    }
}

/// Buffers reused from sentence to sentence.
#[derive(Default)]
struct Buffers {
    feats: Features,
    tags: Vec<Tag>,
    scores: Vec<[f32; NTAGS]>,
}

impl Model {
    /// Wraps trained weights.
    pub fn new(weights: perceptron::Model<NTAGS>) -> Model {
        Model {
            weights,
            second: None,
            beam: 1,
        }
    }

    /// The same weights, decoded with a beam of `width` (they must have been trained for it).
    pub fn with_beam(self, width: usize) -> Model {
        Model {
            beam: width.clamp(1, u8::MAX as usize) as u8,
            ..self
        }
    }

    /// The beam width the model decodes with (1: greedy).
    pub fn beam(&self) -> usize {
        self.beam.max(1) as usize
    }

    /// Decodes one sentence with the first pass ([`decode`]).
    fn decode_first(
        &self,
        words: &[&str],
        ctx: &DocContext,
        buf: &mut Buffers,
        cache: &mut FeatureCache,
    ) -> (Vec<Tag>, Vec<TaggedEntity>) {
        decode(&self.weights, self.beam(), words, ctx, buf, cache, |_| None)
    }

    /// The same first pass followed by `second`.
    pub fn with_second_pass(self, second: SecondPass) -> Model {
        Model {
            second: Some(second),
            ..self
        }
    }

    /// The second pass, if the model has one.
    pub fn second_pass(&self) -> Option<&SecondPass> {
        self.second.as_ref()
    }

    /// Number of features with weights (both passes).
    pub fn feature_count(&self) -> usize {
        self.weights.feature_count() + self.second.as_ref().map_or(0, |s| s.feature_count())
    }

    /// Serializes the model (deterministic), as version 4: magic, the beam width, 1 when a
    /// second pass follows (else 0), the second pass's groups byte, the first pass's length
    /// (u32 LE) and file, then the second pass's file if any. Versions 1 to 3 (greedy) are
    /// still read: version 2 is a first pass alone; version 3 is version 4's layout from
    /// the groups byte on, always with a second pass.
    pub fn to_bytes(&self) -> Vec<u8> {
        let first = self.weights.to_bytes(MAGIC);
        let mut out = Vec::with_capacity(first.len() * 2 + 15);
        out.extend_from_slice(MAGIC_V4);
        out.push(self.beam() as u8);
        out.push(u8::from(self.second.is_some()));
        out.push(self.second.as_ref().map_or(0, |s| s.groups));
        out.extend_from_slice(&(first.len() as u32).to_le_bytes());
        out.extend_from_slice(&first);
        if let Some(second) = &self.second {
            out.extend_from_slice(&second.weights.to_bytes(MAGIC_SECOND));
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        if bytes.starts_with(MAGIC_V1) {
            return perceptron::Model::from_v1_bytes(bytes, MAGIC_V1).map(Model::new);
        }
        if let Some(rest) = bytes.strip_prefix(MAGIC_V4) {
            let bad = || ModelFormatError("entity model: truncated header".into());
            let [beam, second, rest @ ..] = rest else {
                return Err(bad());
            };
            if *beam == 0 || *second > 1 {
                return Err(ModelFormatError(format!(
                    "entity model: beam width {beam}, second-pass flag {second}"
                )));
            }
            return Ok(read_passes(rest, *second == 1)?.with_beam(*beam as usize));
        }
        if let Some(rest) = bytes.strip_prefix(MAGIC_V3) {
            return read_passes(rest, true);
        }
        perceptron::Model::from_bytes(bytes, MAGIC).map(Model::new)
    }

    /// The first pass's tags of every sentence (each a list of words) of one document, as
    /// decoded, before any mention is trimmed or joined: what the second pass reads.
    pub fn first_pass_tags<'w, S: AsRef<[&'w str]>>(&self, sentences: &[S]) -> Vec<Vec<Tag>> {
        let ctx = DocContext::new(sentences.iter().map(AsRef::as_ref));
        let (mut buf, mut cache) = (Buffers::default(), FeatureCache::Off);
        sentences
            .iter()
            .map(|s| self.decode_first(s.as_ref(), &ctx, &mut buf, &mut cache).0)
            .collect()
    }

    /// Tags every sentence of one document (each a list of words); the document is needed
    /// whole because how a word is written elsewhere in it is a feature, and so, with a
    /// second pass, is what the first pass found elsewhere in it.
    pub fn tag_document<'w, S: AsRef<[&'w str]>>(&self, sentences: &[S]) -> Vec<Vec<TaggedEntity>> {
        self.tag_document_caching(sentences, CACHED_WORDS)
    }

    /// [`Model::tag_document`], keeping the first pass's features for the second when the
    /// document has at most `cached_words` words.
    fn tag_document_caching<'w, S: AsRef<[&'w str]>>(
        &self,
        sentences: &[S],
        cached_words: usize,
    ) -> Vec<Vec<TaggedEntity>> {
        let ctx = DocContext::new(sentences.iter().map(AsRef::as_ref));
        let mut buf = Buffers::default();
        let slices: Vec<&[&str]> = sentences.iter().map(AsRef::as_ref).collect();
        let Some(second) = &self.second else {
            let mut cache = FeatureCache::Off;
            return slices
                .iter()
                .map(|words| {
                    let ents = self.decode_first(words, &ctx, &mut buf, &mut cache).1;
                    finish(words, ents)
                })
                .collect();
        };
        let words: usize = slices.iter().map(|s| s.len()).sum();
        let mut cache = if words <= cached_words {
            FeatureCache::Store(Vec::with_capacity(slices.len()))
        } else {
            FeatureCache::Off
        };
        let first: Vec<Vec<Tag>> = slices
            .iter()
            .map(|words| self.decode_first(words, &ctx, &mut buf, &mut cache).0)
            .collect();
        if let FeatureCache::Store(parts) = cache {
            cache = FeatureCache::Read(parts, 0);
        }
        let predictions = DocPredictions::new(&slices, &first);
        let (mut extra, mut starts) = (Vec::new(), Vec::new());
        slices
            .iter()
            .enumerate()
            .map(|(k, words)| {
                flatten_nonlocal(
                    &predictions,
                    k,
                    words,
                    &first[k],
                    second.groups,
                    &mut extra,
                    &mut starts,
                );
                let lookup = |i: usize| Some(&extra[starts[i]..starts[i + 1]]);
                let ents = decode(
                    &second.weights,
                    self.beam(),
                    words,
                    &ctx,
                    &mut buf,
                    &mut cache,
                    lookup,
                )
                .1;
                finish(words, ents)
            })
            .collect()
    }
}

/// The passes of a version-3 or -4 file, from the groups byte on (greedy: the caller sets
/// the beam).
fn read_passes(rest: &[u8], has_second: bool) -> Result<Model, ModelFormatError> {
    let bad = || ModelFormatError("entity model: truncated two-pass header".into());
    let (&groups, rest) = rest.split_first().ok_or_else(bad)?;
    let len: [u8; 4] = rest
        .get(..4)
        .ok_or_else(bad)?
        .try_into()
        .map_err(|_| bad())?;
    let len = u32::from_le_bytes(len) as usize;
    let first = rest.get(4..4 + len).ok_or_else(bad)?;
    let model = Model::new(perceptron::Model::from_bytes(first, MAGIC)?);
    if !has_second {
        return Ok(model);
    }
    let second = perceptron::Model::from_bytes(&rest[4 + len..], MAGIC_SECOND)?;
    Ok(model.with_second_pass(SecondPass::new(second, groups)))
}

/// A sentence's mentions after decoding: leading adjectives trimmed, broken names joined.
fn finish(words: &[&str], ents: Vec<TaggedEntity>) -> Vec<TaggedEntity> {
    join_adjacent(words, trim_modifiers(words, ents))
}

/// A sentence's non-local features, flattened: word `i`'s are `values[starts[i]..starts[i + 1]]`.
fn flatten_nonlocal(
    predictions: &DocPredictions,
    s: usize,
    words: &[&str],
    tags: &[Tag],
    groups: u8,
    values: &mut Vec<u32>,
    starts: &mut Vec<usize>,
) {
    values.clear();
    starts.clear();
    starts.push(0);
    predictions.features(s, words, tags, groups, |i, f| {
        while starts.len() <= i {
            starts.push(values.len());
        }
        values.push(f);
    });
    while starts.len() <= words.len() {
        starts.push(values.len());
    }
}

/// Documents up to this many words keep the first pass's features for the second pass
/// (feature extraction is a large share of tagging time); a longer one has them extracted
/// again, so memory stays bounded (about 200 bytes a word).
const CACHED_WORDS: usize = 20_000;

/// What [`decode`] does with each sentence part's features.
#[derive(Default)]
enum FeatureCache {
    /// Extract them and forget them.
    #[default]
    Off,
    /// Extract them and keep a copy.
    Store(Vec<Features>),
    /// Take the copy kept by an earlier pass, with the index of the next part.
    Read(Vec<Features>, usize),
}

/// Decodes one sentence with `weights` and a beam of `beam` (an overlong one in parts, so
/// memory stays bounded); `extra(i)` gives more features of word `i` (sentence-relative). Returns the
/// sentence's tags and its entities before trimming and joining.
fn decode<'e>(
    weights: &perceptron::Model<NTAGS>,
    beam: usize,
    words: &[&str],
    ctx: &DocContext,
    buf: &mut Buffers,
    cache: &mut FeatureCache,
    extra: impl Fn(usize) -> Option<&'e [u32]>,
) -> (Vec<Tag>, Vec<TaggedEntity>) {
    let mut all_tags = Vec::with_capacity(words.len());
    let mut ents = Vec::new();
    for part in crate::learn::sequence_parts(words.len()) {
        let feats = &mut buf.feats;
        feats.values.clear();
        feats.starts.clear();
        let offset = part.start;
        let more = |i: usize| extra(offset + i).unwrap_or_default();
        match cache {
            FeatureCache::Read(parts, next) => {
                let base = &parts[*next];
                *next += 1;
                feats.starts.push(0);
                for i in 0..base.len() {
                    feats.values.extend_from_slice(base.of(i));
                    feats.values.extend_from_slice(more(i));
                    feats.starts.push(feats.values.len());
                }
            }
            _ => {
                extract_with(
                    &words[part.clone()],
                    ctx,
                    |i, v| v.extend_from_slice(more(i)),
                    feats,
                );
                if let FeatureCache::Store(parts) = cache {
                    parts.push(Features {
                        values: feats.values.clone(),
                        starts: feats.starts.clone(),
                    });
                }
            }
        }
        if beam > 1 {
            weights.tag_beam(&buf.feats, beam, &mut buf.tags, &mut buf.scores);
        } else {
            weights.tag(&buf.feats, &mut buf.tags, &mut buf.scores);
        }
        let (tags, scores) = (&buf.tags, &buf.scores);
        ents.extend(spans(tags).into_iter().map(|(role, range)| {
            let score = range
                .clone()
                .map(|i| probability(&scores[i], previous(tags, i), tags[i] as usize))
                .sum::<f32>()
                / range.len() as f32;
            let evidence = SpanEvidence::of(scores, tags, range.clone());
            TaggedEntity {
                role,
                words: part.start + range.start..part.start + range.end,
                score,
                evidence,
            }
        }));
        all_tags.extend_from_slice(tags);
    }
    (all_tags, ents)
}

/// "Damascus-based", "Western-backed".
fn is_modifier(w: &str) -> bool {
    w.rsplit_once('-').is_some_and(|(head, tail)| {
        head.chars().next().is_some_and(char::is_uppercase)
            && !tail.is_empty()
            && tail.chars().all(|c| c.is_lowercase())
    })
}

/// "Damascus-based", "Western-backed": a capitalised word with a lower-case tail after a
/// hyphen is an adjective, not part of the name it precedes; it is dropped from the front
/// of a longer mention.
fn trim_modifiers(words: &[&str], mut ents: Vec<TaggedEntity>) -> Vec<TaggedEntity> {
    for e in &mut ents {
        while e.words.len() > 1 && is_modifier(words[e.words.start]) {
            e.words.start += 1;
        }
    }
    ents
}

/// Two names back to back with nothing between them are one name the greedy decoder broke
/// ("[White] [Helmets]", "[Jabhat Fateh] [al-Sham]"): joined, typed by the longer part;
/// not after an adjective such as "[Damascus-based] [Syrian Human Rights Network]". Two
/// organisations joined by a plural possessive are one too ("[Fishers] ' [Solidarity
/// Group]", "[National Farmers] ' [Union]"): an organisation named for its members; a
/// place's possessive ("[The Netherlands] ' [ING Group]") is a place's, and is left.
fn join_adjacent(words: &[&str], ents: Vec<TaggedEntity>) -> Vec<TaggedEntity> {
    let mut out: Vec<TaggedEntity> = Vec::with_capacity(ents.len());
    for e in ents {
        match out.last_mut() {
            Some(prev)
                if prev.words.end == e.words.start && !is_modifier(words[prev.words.end - 1])
                    || members_possessive(words, prev, &e) =>
            {
                let (pl, el) = (prev.words.len(), e.words.len());
                if el > pl {
                    prev.role = e.role;
                }
                prev.score = (prev.score * pl as f32 + e.score * el as f32) / (pl + el) as f32;
                prev.evidence = prev.evidence.join(pl, e.evidence, el);
                prev.words.end = e.words.end;
            }
            _ => out.push(e),
        }
    }
    out
}

/// "[Workers] ' [Party]": two organisations with only a plural possessive's apostrophe
/// between them.
fn members_possessive(words: &[&str], prev: &TaggedEntity, next: &TaggedEntity) -> bool {
    const ORG: u8 = 1;
    let last = words[prev.words.end - 1];
    prev.role == ORG
        && next.role == ORG
        && prev.words.end + 1 == next.words.start
        && matches!(words[prev.words.end], "'" | "’")
        && last.ends_with('s')
        && last.starts_with(|c: char| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_modifiers_drops_leading_adjectives() {
        let words = [
            "Damascus-based",
            "Syrian",
            "Network",
            "Kremlin-linked",
            "al-Sham",
        ];
        let e = |role, words: Range<usize>| TaggedEntity {
            role,
            words,
            score: 1.0,
            evidence: evidence(1.0),
        };
        let trimmed = trim_modifiers(&words, vec![e(3, 0..2), e(1, 2..3), e(1, 3..4)]);
        assert_eq!(trimmed, vec![e(3, 1..2), e(1, 2..3), e(1, 3..4)]);
        assert_eq!(trim_modifiers(&words, vec![e(1, 4..5)]), vec![e(1, 4..5)]);
    }

    /// Evidence whose margin is zero, so joining keeps it and only the mean moves.
    fn evidence(mean_probability: f32) -> SpanEvidence {
        SpanEvidence {
            mean_probability,
            min_margin: 0.0,
        }
    }

    #[test]
    fn join_adjacent_mends_broken_names_only() {
        let e = |role, words: Range<usize>, score| TaggedEntity {
            role,
            words,
            score,
            evidence: evidence(score),
        };
        let words = ["White", "Helmets", "Group", "x", "Kremlin-backed", "Party"];
        let joined = join_adjacent(
            &words,
            vec![
                e(1, 0..1, 1.0),
                e(3, 1..3, 0.5),
                e(3, 4..5, 1.0),
                e(1, 5..6, 1.0),
            ],
        );
        // Joined behind a name; not behind an adjective ("Kremlin-backed").
        assert_eq!(
            joined,
            vec![e(3, 0..3, 2.0 / 3.0), e(3, 4..5, 1.0), e(1, 5..6, 1.0)]
        );
        // Organisations across a plural possessive; not a place's possessive.
        let words = [
            "Fishers",
            "'",
            "Solidarity",
            "Group",
            "and",
            "Netherlands",
            "'",
            "ING",
        ];
        let joined = join_adjacent(
            &words,
            vec![
                e(1, 0..1, 1.0),
                e(1, 2..4, 1.0),
                e(2, 5..6, 1.0),
                e(1, 7..8, 1.0),
            ],
        );
        assert_eq!(
            joined,
            vec![e(1, 0..4, 1.0), e(2, 5..6, 1.0), e(1, 7..8, 1.0)]
        );
    }

    /// Whether the first pass's features are kept or extracted again changes nothing.
    #[test]
    fn cached_features_tag_like_extracted_ones() {
        let first = Model::embedded().unwrap().clone();
        let second = SecondPass::new(
            first.weights.clone(),
            crate::entities::nonlocal::groups::ALL,
        );
        let model = first.with_second_pass(second);
        let sentences: Vec<Vec<&str>> = vec![
            vec![
                "Julian", "Assange", "met", "Newmont", "in", "Santa", "Fe", ".",
            ],
            vec!["Assange", "said", "Newmont", "lied", "."],
            vec![],
        ];
        let cached = model.tag_document_caching(&sentences, usize::MAX);
        assert_eq!(cached, model.tag_document_caching(&sentences, 0));
        assert!(!cached[0].is_empty());
    }

    #[test]
    fn embedded_model_reads_and_tags() {
        let model = Model::embedded().unwrap();
        assert!(model.feature_count() > 10_000);
        let sentence = [
            "Officials",
            "said",
            "Angela",
            "Merkel",
            "visited",
            "Paris",
            ".",
        ];
        let found = model.tag_document(&[&sentence[..]]);
        let roles: Vec<(u8, Range<usize>)> =
            found[0].iter().map(|e| (e.role, e.words.clone())).collect();
        assert_eq!(roles, vec![(0, 2..4), (2, 5..6)]);
    }
}
