//! Rewrites embedded resources in the current file formats, without retraining:
//!
//! ```sh
//! # the committed models, in place (idempotent; reads every older format version)
//! cargo run --release -p claimlens-analyzers --example repack -- models crates/claimlens-analyzers/models
//! # the prebuilt gazetteer from its tab-separated source
//! cargo run --release -p claimlens-analyzers --example repack -- gazetteer \
//!     crates/claimlens-analyzers/data/gazetteer.tsv.gz crates/claimlens-analyzers/data/gazetteer.bin
//! ```

use std::error::Error;
use std::io::Read;
use std::path::Path;

use claimlens_analyzers::gazetteer::Gazetteer;
use claimlens_analyzers::learn::clusters::Clusters;
use claimlens_analyzers::{attribution, entities, pos};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn repack(path: &Path, convert: fn(&[u8]) -> Result<Vec<u8>>) -> Result<()> {
    let old = std::fs::read(path)?;
    let new = convert(&old).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, &new)?;
    eprintln!("{}: {} → {} bytes", path.display(), old.len(), new.len());
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["models", dir] => {
            let dir = Path::new(dir);
            repack(&dir.join("attribution.bin"), |b| {
                Ok(attribution::Model::from_bytes(b)?.to_bytes())
            })?;
            repack(&dir.join("entities.bin"), |b| {
                Ok(entities::Model::from_bytes(b)?.to_bytes())
            })?;
            repack(&dir.join("pos.bin"), |b| {
                Ok(pos::Model::from_bytes(b)?.to_bytes())
            })?;
            repack(&dir.join("clusters.bin"), |b| {
                Ok(Clusters::from_bytes(b)?.to_bytes())
            })
        }
        ["gazetteer", tsv_gz, out] => {
            let mut text = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(tsv_gz)?).read_to_string(&mut text)?;
            let bytes = Gazetteer::parse(&text).to_bytes();
            std::fs::write(out, &bytes)?;
            eprintln!("{out}: {} bytes", bytes.len());
            Ok(())
        }
        _ => Err("usage: repack models DIR | repack gazetteer IN.tsv.gz OUT.bin".into()),
    }
}
