//! Several `claimlens analyze --out` runs writing the same file at once: each writes a
//! temporary file beside the target and renames it over the target, so whichever run finishes
//! last wins and the file is always one run's complete output, never an interleaving.

use std::path::Path;
use std::process::{Child, Command, Stdio};

fn spawn(out: &Path, input: &Path) -> Child {
    claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .args(["analyze", "--no-progress", "--format", "json", "--out"])
        .arg(out)
        .arg(input)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the claimlens binary")
}

#[test]
fn concurrent_writers_leave_one_complete_report() {
    let dir = tempfile::tempdir().unwrap();
    // Inputs of different lengths, so a torn or interleaved file could not parse as any one.
    let inputs: Vec<_> = (1..=4)
        .map(|n| {
            let path = dir.path().join(format!("article-{n}.txt"));
            let text =
                "The harbour authority said on Monday that the port would reopen. ".repeat(n * 40);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let out = dir.path().join("report.json");
    for _trial in 0..3 {
        let children: Vec<Child> = inputs.iter().map(|i| spawn(&out, i)).collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let written = std::fs::read_to_string(&out).unwrap();
        let report: serde_json::Value = serde_json::from_str(&written)
            .unwrap_or_else(|e| panic!("torn report ({e}): {} bytes", written.len()));
        let source = report["origin"]["source"].as_str().unwrap();
        assert!(inputs.iter().any(|i| i.to_str() == Some(source)));
        // No temporary file is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with("article-") && name != "report.json")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
