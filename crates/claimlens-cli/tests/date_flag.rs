//! `claimlens analyze --date`: the reference date for relative time expressions.

use std::process::Command;

fn analyze(args: &[&str], input: &str) -> (i32, String, String) {
    claimlens_testkit::run_with_stdin(
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .arg("analyze")
            .args(args)
            .arg("-"),
        input,
    )
}

fn times(json: &str) -> Vec<(String, Option<String>, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let layer = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "times")
        .unwrap();
    layer["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["text"].as_str().unwrap().to_owned(),
                a["attrs"]["value"].as_str().map(str::to_owned),
                a["attrs"]["anchor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const TEXT: &str = "The minister resigned last year and spoke on Friday.";

#[test]
fn date_flag_sets_the_reference() {
    let (code, out, _) = analyze(&["--format", "json", "--date", "2019-02-05"], TEXT);
    assert_eq!(code, 0);
    assert_eq!(
        times(&out),
        vec![
            (
                "last year".into(),
                Some("2018".into()),
                "publication".into()
            ),
            (
                "Friday".into(),
                Some("2019-02-01".into()),
                "publication".into()
            ),
        ]
    );
}

#[test]
fn without_a_date_expressions_stay_relative() {
    let (code, out, _) = analyze(&["--format", "json"], TEXT);
    assert_eq!(code, 0);
    let t = times(&out);
    assert_eq!(t[0], ("last year".into(), None, "unresolved".into()));
    assert_eq!(t[1].1.as_deref(), Some("XXXX-WXX-5"));
    assert!(out.contains("publication date is unknown"));
}

#[test]
fn rejects_impossible_dates() {
    for bad in ["2019-02-31", "yesterday", "99999-01-01", "2019-2-5"] {
        let (code, _, err) = analyze(&["--date", bad], TEXT);
        assert_eq!(code, 2, "{bad}");
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }
}
