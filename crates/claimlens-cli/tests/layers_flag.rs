//! `claimlens analyze --layers`: the per-layer listing is opt-in, and a layer name the schema
//! does not know is a usage error naming the valid ones.

use std::process::Command;

/// Runs `claimlens analyze <args> -` on `input`: exit code, stdout, stderr.
fn analyze(args: &[&str], input: &str) -> (i32, String, String) {
    claimlens_testkit::run_with_stdin(
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .args(["analyze", "--no-progress"])
            .args(args)
            .arg("-"),
        input,
    )
}

const TEXT: &str = "The mayor, Ana Ruiz, said on Friday that the port would close.";

#[test]
fn the_listing_is_opt_in_and_selectable() {
    let (code, plain, err) = analyze(&[], TEXT);
    assert_eq!(code, 0, "{err}");
    assert!(plain.contains("Who said what"), "{plain}");
    assert!(!plain.contains("  [  1] 0..62"), "{plain}");

    let (code, all, err) = analyze(&["--layers=all"], TEXT);
    assert_eq!(code, 0, "{err}");
    assert!(all.contains("  [  1] 0..62 The mayor"), "{all}");
    assert!(all.contains("from attribution)"), "{all}");

    let (code, times, err) = analyze(&["--layers", "times,sentences"], TEXT);
    assert_eq!(code, 0, "{err}");
    assert!(times.contains("from temporal)"), "{times}");
    assert!(times.contains("  [  1] 0..62 The mayor"), "{times}");
    assert!(!times.contains("from attribution)"), "{times}");
}

#[test]
fn an_unknown_layer_is_a_usage_error_listing_the_valid_ones() {
    let (code, out, err) = analyze(&["--layers", "times,entites"], TEXT);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("unknown layer `entites`"), "{err}");
    assert!(err.contains("valid layers: all, paragraphs,"), "{err}");
    assert!(err.contains("entity-groups"), "{err}");
}

#[test]
fn layers_only_goes_with_the_terminal_report() {
    let (code, _, err) = analyze(&["--format", "json", "--layers=all"], TEXT);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--format text"), "{err}");
}
