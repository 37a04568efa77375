//! The attribution model: the cue tagger's and the argument tagger's perceptron weights, the
//! beam widths they were trained for, and the cue lexicon their features consult, stored
//! together in one `CLATTR05` file (`CLATTR04`, the same with uncompressed weights, is still
//! read).

use super::features::Features;
use super::lexicon::CueLexicon;
use super::tags::{Tag, ARGUMENT_TAGS, CUE_TAGS};
use crate::learn::perceptron;
pub use crate::learn::perceptron::ModelFormatError;

/// Magic and version of the attribution model file: version 5 holds the weights in the
/// compressed format ([`crate::learn::weights_file`]).
const MAGIC: &[u8; 8] = b"CLATTR05";
/// Version 4: the same container with version-1 (uncompressed) weights; read, not written.
const MAGIC_V4: &[u8; 8] = b"CLATTR04";
/// Magics of the two embedded weight sets.
const CUE_MAGIC: &[u8; 8] = b"CLATTcue";
const ARGUMENT_MAGIC: &[u8; 8] = b"CLATTarg";

/// Trained attribution weights and the cue lexicon they were trained with.
#[derive(Debug, Clone, Default)]
pub struct Model {
    cues: perceptron::Model<CUE_TAGS>,
    arguments: perceptron::Model<ARGUMENT_TAGS>,
    /// Beam widths of the two taggers: decoding uses the width training used.
    widths: BeamWidths,
    /// The cue lexicon the features were computed with.
    pub lexicon: CueLexicon,
}

/// Beam widths of the cue and argument taggers (1 = greedy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeamWidths {
    /// Cue tagger.
    pub cues: u32,
    /// Argument tagger.
    pub arguments: u32,
}

impl Default for BeamWidths {
    fn default() -> Self {
        BeamWidths {
            cues: 1,
            arguments: 1,
        }
    }
}

impl Model {
    /// Wraps trained weights; the cue tagger's word list is the cue lexicon.
    pub fn new(
        cues: perceptron::Model<CUE_TAGS>,
        arguments: perceptron::Model<ARGUMENT_TAGS>,
        widths: BeamWidths,
    ) -> Model {
        let lexicon = CueLexicon::new(cues.words.iter().cloned());
        Model {
            cues,
            arguments,
            widths,
            lexicon,
        }
    }

    /// The beam widths the taggers decode with.
    pub fn widths(&self) -> BeamWidths {
        self.widths
    }

    /// Number of features with weights (both taggers).
    pub fn feature_count(&self) -> usize {
        self.cues.feature_count() + self.arguments.feature_count()
    }

    /// Tags cues greedily; `scores` receives each token's tag scores.
    pub fn tag_cues(
        &self,
        feats: &Features,
        tags: &mut Vec<Tag>,
        scores: &mut Vec<[f32; CUE_TAGS]>,
    ) {
        self.cues
            .tag_beam(feats, self.widths.cues as usize, tags, scores)
    }

    /// Tags one cue's sources and contents greedily.
    pub fn tag_arguments(
        &self,
        feats: &Features,
        tags: &mut Vec<Tag>,
        scores: &mut Vec<[f32; ARGUMENT_TAGS]>,
    ) {
        self.arguments
            .tag_beam(feats, self.widths.arguments as usize, tags, scores)
    }

    /// Serializes the model (deterministic): magic, the cue and argument beam widths (u32
    /// each), the cue weights' length (u64), the cue weights, the argument weights.
    pub fn to_bytes(&self) -> Vec<u8> {
        let cues = self.cues.to_bytes(CUE_MAGIC);
        let mut out = Vec::with_capacity(24 + cues.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.widths.cues.to_le_bytes());
        out.extend_from_slice(&self.widths.arguments.to_le_bytes());
        out.extend_from_slice(&(cues.len() as u64).to_le_bytes());
        out.extend_from_slice(&cues);
        out.extend_from_slice(&self.arguments.to_bytes(ARGUMENT_MAGIC));
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        let (magic, rest) = bytes
            .split_at_checked(8)
            .ok_or_else(|| ModelFormatError("truncated".into()))?;
        let compressed = match magic {
            m if m == MAGIC => true,
            m if m == MAGIC_V4 => false,
            _ => {
                return Err(ModelFormatError(format!(
                    "not a {} model",
                    String::from_utf8_lossy(MAGIC)
                )))
            }
        };
        let truncated = || ModelFormatError("truncated".into());
        let (widths, rest) = rest.split_at_checked(8).ok_or_else(truncated)?;
        let width = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes"));
        let widths = BeamWidths {
            cues: width(&widths[..4]),
            arguments: width(&widths[4..]),
        };
        if !(1..=64).contains(&widths.cues) || !(1..=64).contains(&widths.arguments) {
            return Err(ModelFormatError("beam width out of range".into()));
        }
        let (len, rest) = rest.split_at_checked(8).ok_or_else(truncated)?;
        let len = u64::from_le_bytes(len.try_into().expect("8 bytes"));
        let (cues, arguments) = usize::try_from(len)
            .ok()
            .and_then(|l| rest.split_at_checked(l))
            .ok_or_else(truncated)?;
        Ok(if compressed {
            Model::new(
                perceptron::Model::from_bytes(cues, CUE_MAGIC)?,
                perceptron::Model::from_bytes(arguments, ARGUMENT_MAGIC)?,
                widths,
            )
        } else {
            Model::new(
                perceptron::Model::from_v1_bytes(cues, CUE_MAGIC)?,
                perceptron::Model::from_v1_bytes(arguments, ARGUMENT_MAGIC)?,
                widths,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_damage() {
        let m = Model::default();
        let bytes = m.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).unwrap().to_bytes(), bytes);
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Model::from_bytes(&bytes[..12]).is_err());
        assert!(Model::from_bytes(b"CLATTR03").is_err());
        let mut v4 = MAGIC_V4.to_vec();
        v4.extend_from_slice(&bytes[8..24]);
        let cues = m.cues.to_v1_bytes(CUE_MAGIC);
        v4[16..24].copy_from_slice(&(cues.len() as u64).to_le_bytes());
        v4.extend_from_slice(&cues);
        v4.extend_from_slice(&m.arguments.to_v1_bytes(ARGUMENT_MAGIC));
        assert_eq!(Model::from_bytes(&v4).unwrap().to_bytes(), bytes);
        let mut zero_width = bytes.clone();
        zero_width[8..12].copy_from_slice(&0u32.to_le_bytes());
        assert!(Model::from_bytes(&zero_width).is_err());
    }
}
