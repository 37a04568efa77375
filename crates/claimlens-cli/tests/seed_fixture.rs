//! The canonical seed article (read from ../shared, never copied here): sentence count and a
//! snapshot of its exported structure. The snapshot holds offsets, rules and a fingerprint of
//! each sentence, not the article's text.

mod common;

use claimlens_export::{ExportDoc, ExportOptions};

/// FNV-1a, enough to notice a changed sentence without storing it.
fn fingerprint(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

#[test]
fn seed_article_segments_and_offsets_hold() {
    let Some(path) = common::shared("fixtures/seed-article.txt") else {
        return;
    };
    let doc = common::analyze_file(&path);
    let export = ExportDoc::new(&doc, &[], ExportOptions { tokens: true });
    let json = serde_json::to_value(&export).unwrap();
    common::assert_offsets_slice(&json);
    assert_eq!(doc.sentences.len(), 16);
    assert_eq!(doc.paragraphs.len(), 12);

    let structure: Vec<serde_json::Value> = json["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = s["text"].as_str().unwrap();
            serde_json::json!({
                "start": s["start"], "end": s["end"], "paragraph": s["paragraph"],
                "rule": s["rule"], "chars": text.chars().count(), "fnv": fingerprint(text),
            })
        })
        .collect();
    let summary = serde_json::json!({
        "schema": json["schema"],
        "stats": json["stats"],
        "paragraphs": json["paragraphs"],
        "sentences": structure,
    });
    insta::assert_json_snapshot!("seed_article_structure", summary);
}
