//! The entity model: perceptron weights over BIO tags of the four CoNLL-2003 types, and the
//! tagger that runs it over a document's sentences.

use std::ops::Range;

use super::context::DocContext;
use super::features::extract;
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

/// Trained entity weights.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: perceptron::Model<NTAGS>,
}

impl Model {
    /// Wraps trained weights.
    pub fn new(weights: perceptron::Model<NTAGS>) -> Model {
        Model { weights }
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.weights.feature_count()
    }

    /// Serializes the model (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.weights.to_bytes(MAGIC)
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        if bytes.starts_with(MAGIC_V1) {
            return perceptron::Model::from_v1_bytes(bytes, MAGIC_V1).map(Model::new);
        }
        perceptron::Model::from_bytes(bytes, MAGIC).map(Model::new)
    }

    /// Tags every sentence of one document (each a list of words); the document is needed
    /// whole because how a word is written elsewhere in it is a feature.
    pub fn tag_document<'w, S: AsRef<[&'w str]>>(&self, sentences: &[S]) -> Vec<Vec<TaggedEntity>> {
        let ctx = DocContext::new(sentences.iter().map(AsRef::as_ref));
        let mut feats = Features::default();
        let (mut tags, mut scores): (Vec<Tag>, Vec<[f32; NTAGS]>) = (Vec::new(), Vec::new());
        sentences
            .iter()
            .map(|s| {
                let words = s.as_ref();
                let mut ents = Vec::new();
                // An overlong sentence is tagged in parts, so memory stays bounded.
                for part in crate::learn::sequence_parts(words.len()) {
                    feats.values.clear();
                    feats.starts.clear();
                    extract(&words[part.clone()], &ctx, &mut feats);
                    self.weights.tag(&feats, &mut tags, &mut scores);
                    ents.extend(spans(&tags).into_iter().map(|(role, range)| {
                        let score = range
                            .clone()
                            .map(|i| probability(&scores[i], previous(&tags, i), tags[i] as usize))
                            .sum::<f32>()
                            / range.len() as f32;
                        let evidence = SpanEvidence::of(&scores, &tags, range.clone());
                        TaggedEntity {
                            role,
                            words: part.start + range.start..part.start + range.end,
                            score,
                            evidence,
                        }
                    }));
                }
                ents
            })
            .zip(sentences)
            .map(|(ents, words)| {
                join_adjacent(words.as_ref(), trim_modifiers(words.as_ref(), ents))
            })
            .collect()
    }
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
/// not after an adjective such as "[Damascus-based] [Syrian Human Rights Network]".
fn join_adjacent(words: &[&str], ents: Vec<TaggedEntity>) -> Vec<TaggedEntity> {
    let mut out: Vec<TaggedEntity> = Vec::with_capacity(ents.len());
    for e in ents {
        match out.last_mut() {
            Some(prev)
                if prev.words.end == e.words.start && !is_modifier(words[prev.words.end - 1]) =>
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
