//! Snapshot tests of the reports on the example article shipped in examples/.

mod common;

use claimlens_export::{write_json, write_text, DocView, ExportOptions, TextOptions};

fn example() -> claimlens_core::Doc {
    common::analyze_file(&common::workspace_root().join("examples/harbour-dispute.txt"))
}

#[test]
fn text_report_snapshot() {
    let mut doc = example();
    // Paths differ between checkouts; the snapshot must not depend on where it runs.
    doc.origin.source = "examples/harbour-dispute.txt".into();
    doc.id = "examples/harbour-dispute.txt".into();
    let mut out = Vec::new();
    write_text(
        &mut out,
        &DocView::new(&doc, &[]),
        TextOptions { color: false },
    )
    .unwrap();
    insta::assert_snapshot!("harbour_dispute_text", String::from_utf8(out).unwrap());
}

#[test]
fn json_export_snapshot_and_offsets() {
    let mut doc = example();
    doc.origin.source = "examples/harbour-dispute.txt".into();
    doc.id = "examples/harbour-dispute.txt".into();
    let mut out = Vec::new();
    write_json(&mut out, &DocView::new(&doc, &[]), ExportOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    common::assert_offsets_slice(&json);
    insta::assert_json_snapshot!("harbour_dispute_json", json);
}
