//! Checks on a whole store that every document reads back as the pipeline made it: each
//! stored document's text is analysed again (with the stored metadata and origin) and the
//! JSON export, tokens included, is compared byte for byte with that of the document read
//! back. For docs/evaluation.md:
//!
//! ```sh
//! cargo run --release -p claimlens-store --example round_trip -- corpus.db
//! ```

use std::path::PathBuf;

use claimlens_core::Doc;
use claimlens_export::{write_json, DocView, ExportOptions};
use claimlens_pipeline::Pipeline;
use claimlens_store::{SqliteStore, Store};

fn export(doc: &Doc) -> Vec<u8> {
    let mut out = Vec::new();
    write_json(
        &mut out,
        &DocView::new(doc, &[]),
        ExportOptions { tokens: true },
    )
    .expect("writing to memory");
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: round_trip STORE.db")?
        .into();
    let store = SqliteStore::open(&path)?;
    let pipeline = Pipeline::default_pipeline();
    let (mut same, mut different) = (0, Vec::new());
    for doc_id in store.contents()?.doc_ids {
        let stored = store.document(&doc_id)?.ok_or("listed but not readable")?;
        let mut fresh = Doc::new(stored.id.clone(), stored.text());
        fresh.meta = stored.meta.clone();
        fresh.origin = stored.origin.clone();
        pipeline.run(&mut fresh);
        if export(&fresh) == export(&stored) {
            same += 1;
        } else {
            different.push(doc_id);
        }
    }
    println!(
        "{same} documents export identically after the round trip, {} differ",
        different.len()
    );
    for id in &different {
        println!("differs: {id}");
    }
    if different.is_empty() {
        Ok(())
    } else {
        Err("some documents did not round-trip".into())
    }
}
