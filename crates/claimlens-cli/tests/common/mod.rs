//! Helpers shared by the CLI integration tests.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use claimlens_core::{Doc, Severity};
use claimlens_ingest::{read, IngestOptions, Input};
use claimlens_pipeline::Pipeline;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file under `../shared/` beside the checkout, or `None` (and a visible skip) when absent.
pub fn shared(relative: &str) -> Option<PathBuf> {
    claimlens_testkit::shared(relative)
}

/// Reads one file and runs the default pipeline on it.
pub fn analyze_file(path: &std::path::Path) -> Doc {
    let mut docs: Vec<Doc> = read(&Input::file(path), &IngestOptions::default())
        .map(|d| d.expect("readable document"))
        .collect();
    assert_eq!(docs.len(), 1);
    let mut doc = docs.remove(0);
    let diagnostics = Pipeline::default_pipeline().run(&mut doc);
    // Info diagnostics are expected (e.g. "publication date unknown"); warnings are not.
    assert!(
        diagnostics.iter().all(|d| d.severity == Severity::Info),
        "{diagnostics:?}"
    );
    doc
}

/// Checks that every span in an exported JSON document slices, in code points, to its text.
pub fn assert_offsets_slice(json: &serde_json::Value) {
    let text: Vec<char> = json["text"].as_str().expect("text").chars().collect();
    let slice = |a: &serde_json::Value| -> String {
        let (s, e) = (
            a["start"].as_u64().unwrap() as usize,
            a["end"].as_u64().unwrap() as usize,
        );
        assert!(s <= e && e <= text.len(), "span {s}..{e} outside text");
        text[s..e].iter().collect()
    };
    for s in json["sentences"].as_array().unwrap() {
        assert_eq!(slice(s), s["text"].as_str().unwrap());
    }
    for layer in json["layers"].as_array().unwrap() {
        for a in layer["annotations"].as_array().unwrap() {
            assert_eq!(slice(a), a["text"].as_str().unwrap());
        }
    }
    for p in json["paragraphs"].as_array().unwrap() {
        let t = slice(p);
        assert!(!t.trim().is_empty() && t.trim() == t);
    }
    // Digests: every span with a text slices to it, and every span naming an annotation lies
    // exactly on that annotation.
    let mut stack = vec![&json["digests"]];
    let mut spans = 0;
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                if let (Some(_), Some(t)) = (map.get("start"), map.get("text")) {
                    assert_eq!(slice(v), t.as_str().unwrap());
                    spans += 1;
                }
                if let (Some(layer), Some(index)) = (map.get("layer"), map.get("index")) {
                    let target = json["layers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|l| l["name"] == *layer)
                        .map(|l| &l["annotations"][index.as_u64().unwrap() as usize])
                        .expect("the named layer");
                    assert_eq!((&target["start"], &target["end"]), (&v["start"], &v["end"]));
                }
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    assert!(
        spans > 0
            || json["digests"]["source_chains"]
                .as_array()
                .is_none_or(Vec::is_empty)
    );
}

/// The headless Chromium the browser tests drive (a visible skip when there is none).
#[allow(unused_imports)] // not every test binary that includes this module drives a browser
pub use claimlens_testkit::browser::chromium;
