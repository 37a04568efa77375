//! Snapshot tests of the reports on the example article shipped in examples/.

mod common;

use claimlens_export::{write_json, write_text, DocView, ExportOptions, LayerDump, TextOptions};

fn example() -> claimlens_core::Doc {
    common::analyze_file(&common::workspace_root().join("examples/harbour-dispute.txt"))
}

/// The terminal report of the example with `layers` listed, without colours.
fn text_report(layers: LayerDump) -> String {
    let mut doc = example();
    // Paths differ between checkouts; the snapshot must not depend on where it runs.
    doc.origin.source = "examples/harbour-dispute.txt".into();
    doc.id = "examples/harbour-dispute.txt".into();
    let mut out = Vec::new();
    let opts = TextOptions {
        color: false,
        layers,
    };
    write_text(&mut out, &DocView::new(&doc, &[]), opts).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn text_report_snapshot() {
    let report = text_report(LayerDump::None);
    insta::assert_snapshot!("harbour_dispute_text", report);
}

#[test]
fn text_report_leads_with_what_a_reader_wants() {
    let report = text_report(LayerDump::None);
    let at = |title: &str| {
        report
            .lines()
            .position(|l| l == title)
            .unwrap_or_else(|| panic!("no {title:?} in:\n{report}"))
    };
    let order = [
        at("Claims (ranked)"),
        at("Who said what"),
        at("Source chains (2 relayed, 8 single voice)"),
        at("Entities"),
        at("Places"),
        at("Timeline"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(order[0] < 10, "the claims open the report:\n{report}");
    // The cue is a verb between the speaker and the quote, with whom it was said to.
    assert!(
        report.contains("    told the Coastal Times — “that the authority had"),
        "{report}"
    );
    // "there were reports" inside the spokeswoman's words is the unnamed voice she cites, a
    // step of the chain on exactly its own characters.
    assert!(
        report.contains(
            "      cited source there were reports 391..409 [sourcing:vague:there-were-reports]"
        ),
        "{report}"
    );
    // No per-layer listing unless asked for.
    assert!(!report.contains("(terminal-punctuation)"), "{report}");
    assert!(!report.contains("from attribution)"), "{report}");
}

#[test]
fn text_report_lists_the_selected_layers_after_the_summaries() {
    let all = text_report(LayerDump::All);
    let timeline = all.find("\nTimeline\n").unwrap();
    for listing in [
        "(terminal-punctuation)",
        "from attribution)",
        "from temporal)",
    ] {
        let at = all
            .find(listing)
            .unwrap_or_else(|| panic!("{listing}:\n{all}"));
        assert!(at > timeline, "{listing} comes after the summaries");
    }
    let some = text_report(LayerDump::parse("times").unwrap());
    assert!(some.contains("from temporal)") && !some.contains("from attribution)"));
    assert!(!some.contains("(terminal-punctuation)"), "{some}");
    insta::assert_snapshot!("harbour_dispute_text_layers", all);
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
