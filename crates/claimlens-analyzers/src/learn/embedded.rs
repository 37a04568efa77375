//! The one way a resource compiled into the binary (a tagger's weights, the word clusters,
//! the gazetteer) is loaded: decoded once, on first use, into a `OnceLock`, and handed out as
//! `Result<&'static T, LoadError>`. A resource that fails to decode fails every time with the
//! same [`LoadError`], which names it, so the stage that needed it can say what it skipped
//! ([`LoadError::diagnostic`]) instead of silently tagging less.
//!
//! Also here: the deflate helpers of the compressed model formats, so every format
//! compresses the same way (level 9, no header fields that vary: the output is a function
//! of the input, and a retrain that changes no weight changes no byte).

use std::fmt;
use std::sync::OnceLock;

use claimlens_core::Diagnostic;

use super::perceptron::ModelFormatError;

/// Why an embedded resource could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// Which resource (`attribution`, `entities`, `pos`, `clusters`, `gazetteer`).
    pub model: &'static str,
    /// What was wrong with its bytes.
    pub reason: ModelFormatError,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "embedded model `{}` could not be loaded ({})",
            self.model, self.reason
        )
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The warning a stage reports when it ran without this resource; `skipped` says what
    /// that cost ("no attribution layers", "word classes all `Other`").
    pub fn diagnostic(&self, stage: &'static str, skipped: &str) -> Diagnostic {
        Diagnostic::warning(stage, format!("{self}: {skipped}"))
    }
}

/// A decoder from a resource's bytes.
pub type Decode<T> = fn(&'static [u8]) -> Result<T, ModelFormatError>;

/// A resource embedded with `include_bytes!`, decoded on first use.
pub struct Embedded<T> {
    name: &'static str,
    bytes: &'static [u8],
    decode: Decode<T>,
    cell: OnceLock<Result<T, LoadError>>,
}

impl<T> Embedded<T> {
    /// Declares an embedded resource (usable in a `static`).
    pub const fn new(name: &'static str, bytes: &'static [u8], decode: Decode<T>) -> Self {
        Embedded {
            name,
            bytes,
            decode,
            cell: OnceLock::new(),
        }
    }

    /// The resource, decoded on the first call; every later call returns the same value or
    /// the same error.
    pub fn get(&'static self) -> Result<&'static T, LoadError> {
        self.cell
            .get_or_init(|| load(self.name, self.bytes, self.decode))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Decodes `bytes` as the resource `name`: what [`Embedded::get`] does once.
pub fn load<T>(
    name: &'static str,
    bytes: &'static [u8],
    decode: Decode<T>,
) -> Result<T, LoadError> {
    decode(bytes).map_err(|reason| LoadError {
        model: name,
        reason,
    })
}

/// Deflates `bytes` at level 9 (raw deflate: no header, nothing but the data decides the
/// output). The compressor is miniz_oxide's, fixed here rather than left to flate2's backend:
/// the committed model files and gazetteer are its output, and `train` and `repack` must keep
/// writing exactly those bytes whichever inflater the binary uses.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

/// Inflates what [`deflate`] wrote, expecting `len` bytes (a length stored in the file, so a
/// damaged length cannot ask for more memory than the data could give).
///
/// One call into the inflater, straight into a buffer of the stored length plus one byte
/// (so a stream that would give more is caught), rather than through `Read`: no copy, no
/// loop.
pub fn inflate(bytes: &[u8], len: usize) -> Result<Vec<u8>, ModelFormatError> {
    // Deflate cannot expand data by more than about 1032:1.
    if len > bytes.len().saturating_mul(1032) + 64 {
        return Err(ModelFormatError("inflated length out of range".into()));
    }
    let mut out = Vec::with_capacity(len + 1);
    let mut dec = flate2::Decompress::new(false);
    let status = dec
        .decompress_vec(bytes, &mut out, flate2::FlushDecompress::Finish)
        .map_err(|e| ModelFormatError(format!("compressed data: {e}")))?;
    if status != flate2::Status::StreamEnd || out.len() != len {
        return Err(ModelFormatError(
            "compressed data has the wrong length".into(),
        ));
    }
    // The stream must be exactly the stored bytes: anything after it is damage.
    if dec.total_in() != bytes.len() as u64 {
        return Err(ModelFormatError("bytes after the compressed data".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_len(bytes: &'static [u8]) -> Result<usize, ModelFormatError> {
        match bytes {
            [b'O', b'K', rest @ ..] => Ok(rest.len()),
            _ => Err(ModelFormatError("not an OK file".into())),
        }
    }

    static GOOD: Embedded<usize> = Embedded::new("good", b"OK123", decode_len);
    static CORRUPT: Embedded<usize> = Embedded::new("corrupt", b"\x00\x01", decode_len);

    #[test]
    fn loads_once_and_names_the_model_that_fails() {
        assert_eq!(GOOD.get(), Ok(&3));
        assert!(std::ptr::eq(GOOD.get().unwrap(), GOOD.get().unwrap()));
        let err = CORRUPT.get().unwrap_err();
        assert_eq!(err.model, "corrupt");
        assert_eq!(CORRUPT.get().unwrap_err(), err);
        let d = err.diagnostic("places", "no places layer");
        assert_eq!(d.severity, claimlens_core::Severity::Warning);
        assert_eq!(d.stage, "places");
        assert_eq!(
            d.message,
            "embedded model `corrupt` could not be loaded (model file: not an OK file): \
             no places layer"
        );
    }

    #[test]
    fn inflate_round_trips_and_rejects_damage() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let packed = deflate(&data);
        assert!(packed.len() < data.len() / 4);
        assert_eq!(deflate(&data), packed, "deterministic");
        assert_eq!(inflate(&packed, data.len()).unwrap(), data);
        assert!(inflate(&packed, data.len() - 1).is_err());
        assert!(inflate(&packed, data.len() + 1).is_err());
        assert!(inflate(&packed[..packed.len() / 2], data.len()).is_err());
        assert!(inflate(&packed, usize::MAX).is_err());
        let mut extra = packed.clone();
        extra.push(0);
        assert!(inflate(&extra, data.len()).is_err());
    }

    #[test]
    fn committed_models_re_encode_to_their_own_bytes() {
        // What `train` and `repack` write must be the committed bytes: a format or
        // compressor change that would silently rewrite every model fails here.
        use crate::{attribution, entities, learn::clusters::Clusters, pos};
        let attr = attribution::Model::from_bytes(attribution::EMBEDDED_MODEL).unwrap();
        assert!(attr.to_bytes() == attribution::EMBEDDED_MODEL);
        let ner = entities::Model::from_bytes(entities::EMBEDDED_MODEL).unwrap();
        assert!(ner.to_bytes() == entities::EMBEDDED_MODEL);
        let tags = pos::Model::from_bytes(pos::EMBEDDED_MODEL).unwrap();
        assert!(tags.to_bytes() == pos::EMBEDDED_MODEL);
        let checkworthy =
            crate::learn::logistic::Logistic::from_bytes(crate::claims::model::EMBEDDED_MODEL)
                .unwrap();
        assert!(checkworthy.to_bytes() == crate::claims::model::EMBEDDED_MODEL);
        let clusters = Clusters::from_bytes(super::super::clusters::EMBEDDED_CLUSTERS).unwrap();
        assert!(clusters.to_bytes() == super::super::clusters::EMBEDDED_CLUSTERS);
    }
}
