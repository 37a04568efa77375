//! Directory walking on hostile trees: symbolic-link loops, FIFOs and an `--out` file inside
//! the corpus. Every run has a deadline (`timed`), so a hang fails instead of stalling.

mod timed;

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use timed::{analyze, mkfifo, sources, stderr_line, summary, write, GOOD_TEXT};

fn jsonl_run(extra: &[&str], dir: &Path) -> timed::Run {
    let mut args: Vec<OsString> = extra.iter().map(OsString::from).collect();
    args.extend([
        "--format".into(),
        "jsonl".into(),
        dir.as_os_str().to_owned(),
    ]);
    analyze(args)
}

#[test]
fn a_directory_linking_to_itself_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let article = write(&corpus, "a.txt", GOOD_TEXT);
    symlink(".", corpus.join("self")).unwrap();

    // Not followed by default: one document, the link named as skipped.
    let run = jsonl_run(&[], &corpus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sources(&run), [article.display().to_string()]);
    assert!(stderr_line(&run, "symbolic link").contains("--follow"));

    // Followed: the loop is detected, the file still read once.
    let run = jsonl_run(&["--follow"], &corpus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sources(&run), [article.display().to_string()]);
    assert!(stderr_line(&run, "looping back").contains("self"));
    assert_eq!(summary(&run), (1, 0, 1));
}

#[test]
fn two_parent_links_do_not_explode_the_walk() {
    // Each `..` link doubles the tree at every level: before loop detection this walk
    // never finished and kept growing in memory.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let sub = corpus.join("sub");
    fs::create_dir_all(&sub).unwrap();
    write(&corpus, "a.txt", GOOD_TEXT);
    write(&sub, "b.txt", GOOD_TEXT);
    symlink("..", sub.join("up1")).unwrap();
    symlink("..", sub.join("up2")).unwrap();

    let run = jsonl_run(&["--follow"], &corpus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sources(&run).len(), 2, "{}", run.stderr);
    assert!(stderr_line(&run, "looping back").starts_with("claimlens: skipped 2 "));
    assert!(run.elapsed < timed::DEADLINE);
}

#[test]
fn a_followed_link_to_a_file_already_listed_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.txt", GOOD_TEXT);
    symlink("a.txt", corpus.join("b.txt")).unwrap();

    let run = jsonl_run(&["--follow"], &corpus);
    assert_eq!(sources(&run).len(), 1, "{}", run.stderr);
    assert!(stderr_line(&run, "already listed").contains("b.txt"));
}

#[test]
fn a_fifo_inside_a_directory_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let article = write(&corpus, "a.txt", GOOD_TEXT);
    // Named like an article: nothing writes to it, so reading it would block forever.
    mkfifo(&corpus.join("b.txt"));

    let run = jsonl_run(&[], &corpus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(sources(&run), [article.display().to_string()]);
    let note = stderr_line(&run, "special file");
    assert!(note.contains("skipped 1 special file (FIFO"), "{note}");
    assert!(note.contains("b.txt"), "{note}");
    assert_eq!(summary(&run), (1, 0, 1));
}

#[test]
fn a_pipe_named_directly_is_read() {
    // What `claimlens analyze <(curl …)` passes: a pipe path named on the command line.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stream");
    mkfifo(&fifo);
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || fs::write(&writer_path, GOOD_TEXT).unwrap());
    let run = analyze([OsString::from("--format"), "jsonl".into(), fifo.into()]);
    writer.join().unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(timed::jsonl_docs(&run).len(), 1);
}

#[test]
fn the_out_file_inside_the_corpus_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    write(&corpus, "a.txt", GOOD_TEXT);
    let out = corpus.join("report.jsonl");
    let run_into = |corpus: &Path| {
        analyze([
            OsString::from("--format"),
            "jsonl".into(),
            "--out".into(),
            out.clone().into(),
            corpus.as_os_str().to_owned(),
        ])
    };

    let first = run_into(&corpus);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let report = fs::read_to_string(&out).unwrap();
    assert_eq!(report.lines().count(), 1);

    // The second run finds last run's report in the corpus and leaves it alone.
    let second = run_into(&corpus);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(stderr_line(&second, "--out file").contains("report.jsonl"));
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 1);
}

#[test]
fn the_walk_order_is_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("m")).unwrap();
    for name in ["z.txt", "a.txt", "m/b.txt", "n.txt"] {
        write(&corpus, name, GOOD_TEXT);
    }
    let run = jsonl_run(&[], &corpus);
    let names: Vec<String> = sources(&run)
        .iter()
        .map(|s| {
            Path::new(s)
                .strip_prefix(&corpus)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a.txt", "m/b.txt", "n.txt", "z.txt"]);
}
