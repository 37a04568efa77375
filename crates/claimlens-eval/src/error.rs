//! Evaluation errors.

use std::path::PathBuf;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The labelled data is not where it was expected.
    #[error("labelled data not found at {0} (the shared data sets live in ../shared/data beside the checkout)")]
    MissingData(PathBuf),
    /// Reading a data file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// A data file is not in the expected format.
    #[error("{path}: line {line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A model's bytes are not a valid model file.
    #[error(transparent)]
    Model(#[from] claimlens_analyzers::attribution::ModelFormatError),
    /// An embedded model could not be loaded.
    #[error(transparent)]
    Load(#[from] claimlens_analyzers::learn::embedded::LoadError),
    /// Writing a trained model failed (the IO error is the source, shown after the path).
    #[error("writing {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// A calibration was asked to fit on a split whose name says it is for reporting only.
    #[error("{0}: refusing to fit on a split named test or held-out (fit on a development split)")]
    ReportingSplit(PathBuf),
    /// A JSON data file does not parse.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
}

impl EvalError {
    /// An IO error on `path`; a missing file means the data set is absent.
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> EvalError {
        if source.kind() == std::io::ErrorKind::NotFound {
            EvalError::MissingData(path.to_owned())
        } else {
            EvalError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// Reads a UTF-8 data file, mapping a missing file to [`EvalError::MissingData`].
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::io(path, source))
}
