//! Running the real `claimlens analyze` under a deadline: a hang (a FIFO read, a symlink walk
//! that never ends) fails the test after a few seconds instead of stalling CI.

#![allow(dead_code)] // each test file uses its own subset

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A short article that every stage accepts.
pub const GOOD_TEXT: &str = "The harbour authority said on Monday that the port would reopen. \
Fishermen disputed the claim.\n";

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// How long a run may take before it counts as a hang (debug builds on a busy machine are
/// slow; a hang is forever).
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `claimlens analyze --no-progress ARGS...` with `stdin` as standard input, killing it
/// and failing the test if it runs past [`DEADLINE`]. Panics and deaths by signal fail too.
#[track_caller]
pub fn analyze_with_stdin<I, S>(args: I, stdin: &[u8]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    command_with_stdin("analyze", args, stdin)
}

/// Runs `claimlens SUBCOMMAND --no-progress ARGS...` under the same deadline and checks as
/// [`analyze_with_stdin`].
#[track_caller]
pub fn command_with_stdin<I, S>(subcommand: &str, args: I, stdin: &[u8]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    command_with_env(subcommand, args, stdin, &[])
}

/// [`command_with_stdin`] with extra environment variables.
#[track_caller]
pub fn command_with_env<I, S>(
    subcommand: &str,
    args: I,
    stdin: &[u8],
    env: &[(&str, &OsStr)],
) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimlens"));
    cmd.arg(subcommand).arg("--no-progress");
    cmd.envs(env.iter().copied());
    for a in args {
        cmd.arg(a.as_ref());
    }
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the claimlens binary");
    let input = stdin.to_vec();
    let mut pipe_in = child.stdin.take().unwrap();
    // A writer thread, so a child that stops reading early cannot block the test.
    let writer = std::thread::spawn(move || {
        let _ = pipe_in.write_all(&input);
    });
    let mut pipe_out = child.stdout.take().unwrap();
    let mut pipe_err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe_out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe_err.read_to_end(&mut buf);
        buf
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("claimlens hung: killed after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(out_reader.join().unwrap()).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        elapsed: started.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "claimlens panicked:\n{}",
        run.stderr
    );
    assert!(
        status.code().is_some(),
        "claimlens was killed by a signal:\n{}",
        run.stderr
    );
    run
}

/// [`analyze_with_stdin`] with empty standard input.
#[track_caller]
pub fn analyze<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    analyze_with_stdin(args, b"")
}

/// The summary line's counts: (analyzed, errors, skipped).
#[track_caller]
pub fn summary(run: &Run) -> (u64, u64, u64) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("claimlens: analyzed "))
        .unwrap_or_else(|| panic!("no summary line in:\n{}", run.stderr));
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(nums.len(), 3, "summary line: {line}");
    (nums[0], nums[1], nums[2])
}

/// Parses `--format jsonl` output, one document per line.
#[track_caller]
pub fn jsonl_docs(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSONL output {e}: {l}")))
        .collect()
}

/// The `origin.source` of every document in `--format jsonl` output.
pub fn sources(run: &Run) -> Vec<String> {
    jsonl_docs(run)
        .iter()
        .map(|d| {
            d["origin"]["source"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// The stderr line that contains `needle`, or a failure showing all of stderr.
#[track_caller]
pub fn stderr_line<'a>(run: &'a Run, needle: &str) -> &'a str {
    run.stderr
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no stderr line with `{needle}` in:\n{}", run.stderr))
}

/// Writes a file and returns its path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Makes a FIFO with the system's `mkfifo` (the workspace forbids `unsafe`, so no libc call).
pub fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

/// Runs, in `dir`, every line of `claimlens <subcommand> --help` that starts with
/// `line_prefix`, as written plus `suffix`, through `sh` (so quoting and pipes work as a user's
/// shell would take them), with no user data folder; panics on the first that fails and
/// returns how many ran.
pub fn run_help_examples(subcommand: &str, dir: &Path, line_prefix: &str, suffix: &str) -> usize {
    let exe = env!("CARGO_BIN_EXE_claimlens");
    let help = Command::new(exe)
        .args([subcommand, "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let examples: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(line_prefix))
        .collect();
    for example in &examples {
        let line = example.replacen("claimlens", "\"$CLAIMLENS\"", 1) + suffix;
        let out = Command::new("sh")
            .args(["-c", &line])
            .env("CLAIMLENS", exe)
            .env("XDG_DATA_HOME", dir.join("no-user-data"))
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    examples.len()
}
