//! The models an evaluation scores: the embedded, committed one, or the bytes of a model file
//! the caller read (`claimlens eval … --model`), so that callers need not know the analyzers'
//! loading functions.

use std::borrow::Cow;

use claimlens_analyzers::{attribution, entities, pos};

use crate::EvalError;

/// The attribution model of `file`, else the embedded one.
pub fn attribution(file: Option<&[u8]>) -> Result<attribution::Model, EvalError> {
    let bytes = file.unwrap_or(attribution::EMBEDDED_MODEL);
    Ok(attribution::Model::from_bytes(bytes)?)
}

/// The entity tagger of `file`, else the embedded one (parsed once per process).
pub fn entities(file: Option<&[u8]>) -> Result<Cow<'static, entities::Model>, EvalError> {
    Ok(match file {
        Some(bytes) => Cow::Owned(entities::Model::from_bytes(bytes)?),
        None => Cow::Borrowed(entities::Model::embedded()?),
    })
}

/// The part-of-speech tagger of `file`, else the embedded one (parsed once per process).
pub fn pos(file: Option<&[u8]>) -> Result<Cow<'static, pos::Model>, EvalError> {
    Ok(match file {
        Some(bytes) => Cow::Owned(pos::Model::from_bytes(bytes)?),
        None => Cow::Borrowed(pos::Model::embedded()?),
    })
}
