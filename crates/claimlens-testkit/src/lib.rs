//! Test support shared by the workspace's integration tests: where `../shared/` is, and how a
//! test that cannot run says so.
//!
//! A test that needs the labelled data beside the checkout or a headless browser calls
//! [`shared`] or [`skip`] instead of returning quietly. A skip is never silent:
//!
//! - it prints one machine-readable line to stderr,
//!   `claimlens-skip: requirement=<shared-data|browser|minilm|pyarrow|postgres> test=<name> reason=<why>`;
//! - when `CLAIMLENS_SKIP_LOG` names a file, the same line is appended to it, so a CI script
//!   can count skips (the test harness hides a passing test's stderr);
//! - when `CLAIMLENS_REQUIRE` lists the requirement (comma-separated: `shared-data`,
//!   `browser`, `minilm`), the skip becomes a failure: CI sets it when the data or browser is installed,
//!   so a missing install step or a wrong path cannot pass as green.
//!
//! [`http_server`] is a canned HTTP/1.1 server on a loopback port, for tests that fetch URLs;
//! [`doc_sql`] reads the example SQL of a document, so tests keep documented queries working;
//! [`run_with_stdin`] runs a command on an input given on its standard input;
//! [`postgres::database`] makes a fresh PostgreSQL database for a test;
//! [`without_user_data`] keeps a developer's default store out of a CLI test.

pub mod browser;
pub mod doc_sql;
pub mod http_server;
pub mod postgres;

use std::io::Write;
use std::path::{Path, PathBuf};

/// `command` with the user's data folder pointed at a folder that does not exist, so the
/// default store (`claimlens/corpus.db` there) is absent: `claimlens analyze` reads known
/// cases from the default store when one exists, and a developer's own store would otherwise
/// change what the CLI tests see. Tests that want a default store set `XDG_DATA_HOME` after.
pub fn without_user_data(mut command: std::process::Command) -> std::process::Command {
    command.env(
        "XDG_DATA_HOME",
        std::env::temp_dir().join("claimlens-tests-no-user-data"),
    );
    command
}

/// What a test needs that a plain clone does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// The public data sets in `../shared/data/` beside the checkout.
    SharedData,
    /// A headless Chromium.
    Browser,
    /// The sentence-embedding model, fetched into its cache (`claimlens models fetch minilm`).
    Model,
    /// Python 3 with pyarrow and duckdb (from PyPI): independent readers of the Parquet and
    /// CSV tables `claimlens export` writes.
    PythonReaders,
    /// A PostgreSQL server that tests may create databases on ([`postgres::SERVER_VARIABLE`]).
    Postgres,
}

impl Requirement {
    /// The name used in skip lines and in `CLAIMLENS_REQUIRE`.
    pub fn name(self) -> &'static str {
        match self {
            Requirement::SharedData => "shared-data",
            Requirement::Browser => "browser",
            Requirement::Model => "minilm",
            Requirement::PythonReaders => "pyarrow",
            Requirement::Postgres => "postgres",
        }
    }

    /// Whether the environment demands it (`CLAIMLENS_REQUIRE`).
    pub fn is_required(self) -> bool {
        std::env::var("CLAIMLENS_REQUIRE")
            .is_ok_and(|list| list.split(',').any(|r| r.trim() == self.name()))
    }
}

/// Runs `command` with `input` on its standard input: exit code (-1 when killed by a
/// signal), standard output and standard error, decoded lossily.
pub fn run_with_stdin(command: &mut std::process::Command, input: &str) -> (i32, String, String) {
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
    // A usage error exits before reading stdin; the broken pipe is expected then.
    let _ = child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes());
    let out = child.wait_with_output().expect("wait for the command");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/<relative>` beside the checkout if it exists; otherwise a visible skip
/// ([`skip`]) and `None`.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = workspace_root().join("../shared").join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(
            Requirement::SharedData,
            &format!("{} not present", path.display()),
        );
        None
    }
}

/// Records that the calling test could not run for want of `requirement`: prints the skip
/// line, appends it to `$CLAIMLENS_SKIP_LOG`, and panics when `$CLAIMLENS_REQUIRE` lists the
/// requirement. The caller returns afterwards.
pub fn skip(requirement: Requirement, reason: &str) {
    let line = skip_line(requirement, &test_name(), reason);
    eprintln!("{line}");
    if let Some(log) = std::env::var_os("CLAIMLENS_SKIP_LOG").filter(|p| !p.is_empty()) {
        // Append mode: test threads and test binaries add whole lines side by side.
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| f.write_all(format!("{line}\n").as_bytes()));
        if let Err(e) = written {
            panic!(
                "cannot append to CLAIMLENS_SKIP_LOG {}: {e}",
                log.to_string_lossy()
            );
        }
    }
    assert!(
        !requirement.is_required(),
        "{line} — but CLAIMLENS_REQUIRE says {} is present",
        requirement.name()
    );
}

/// The skip line: one line, `key=value` fields, the reason last (it may hold spaces).
fn skip_line(requirement: Requirement, test: &str, reason: &str) -> String {
    let reason: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(
        "claimlens-skip: requirement={} test={} reason={reason}",
        requirement.name(),
        test.replace(char::is_whitespace, "_")
    )
}

/// The running test's name: the standard harness names each test's thread after it.
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_line_is_one_parsable_line() {
        let line = skip_line(Requirement::Browser, "html report", "no\nchromium");
        assert_eq!(
            line,
            "claimlens-skip: requirement=browser test=html_report reason=no chromium"
        );
    }

    #[test]
    fn names_match_the_documented_requirement_list() {
        assert_eq!(Requirement::SharedData.name(), "shared-data");
        assert_eq!(Requirement::Browser.name(), "browser");
    }
}
