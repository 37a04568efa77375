//! End-to-end test of the HTML report in a real browser (headless Chromium).
//!
//! The built `claimlens` writes the JSON export and the HTML report of a small article with
//! curly quotes, accents and emoji (tests/fixtures/ferry-strike.txt). A wrapper page embeds the
//! export, loads the report in an iframe and runs tests/browser/checks.js in the report's DOM:
//! every highlight spells its annotation's exact text with its offsets, digest jumps and mark
//! clicks flash their targets, every source-chain step links to a highlight of exactly its
//! text, clicking a quote or a speaker opens an info card with its reason and marks the
//! speaker's or the quotes' highlights `linked`, the Places map has a dot at each place's
//! coordinates that flashes its highlight and flashes when a mention is clicked, layer
//! toggles hide highlights, and the
//! report's script throws nothing. Chromium
//! prints the wrapper's DOM, from which the test reads the result. The same checks run on an
//! article with relayed claims (tests/fixtures/relayed-claims.txt), on a two-document report,
//! on an article whose claim is longer than a snippet (its step link shows a cut window) and,
//! when ../shared is present, on the seed article.
//!
//! Skipped (with a note) when no Chromium is installed; `CLAIMLENS_CHROMIUM` names the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Wall-clock limit for one Chromium run; it is killed after that.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);
/// How many failures an assertion message lists.
const SHOW_FAILURES: usize = 25;

#[test]
fn report_of_unicode_fixture_works_in_chromium() {
    let Some(chromium) = common::chromium() else {
        return;
    };
    let article = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ferry-strike.txt");
    let (exports, counts) = check_report_in_browser(&chromium, &[article]);
    assert_fixture_exercises_unicode(&exports[0]);
    for check in [
        "jumps Claims (ranked)",
        "jumps Entities",
        "jumps Who said what",
        "info cards",
        "quote → speaker linked",
        "speaker → quote linked",
        "map dots",
        "map mention clicks",
    ] {
        assert!(
            counts[check].as_u64().unwrap_or(0) > 0,
            "no {check:?} were checked; counts: {counts}"
        );
    }
}

/// An article written for this test whose claims are relayed ("X reported: Y said …") and
/// told to an outlet: the source chains are drawn and every step link checked.
#[test]
fn report_draws_source_chains_in_chromium() {
    let Some(chromium) = common::chromium() else {
        return;
    };
    let article =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relayed-claims.txt");
    let (exports, counts) = check_report_in_browser(&chromium, &[article]);
    assert!(
        counts["chain steps"].as_u64().unwrap_or(0) > 0,
        "no chain steps were checked; counts: {counts}"
    );
    // Whatever the taggers find, each relay they report is drawn as a relayed chain, and
    // each outlet a speaker was told to is a step linking to its `outlets` annotation.
    let chains = exports[0]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "source-chains")
        .and_then(|l| l["annotations"].as_array())
        .cloned()
        .unwrap_or_default();
    if !chains.is_empty() {
        assert!(
            counts["relayed chains"].as_u64().unwrap_or(0) > 0,
            "source-chains has {} annotations but no relayed chain was drawn; counts: {counts}",
            chains.len()
        );
    }
    if chains.iter().any(|a| a["attrs"]["outlet"].is_string()) {
        assert!(
            counts["chain outlet steps"].as_u64().unwrap_or(0) > 0,
            "an outlet was named but no outlet step links to its annotation; counts: {counts}"
        );
    }
}

/// Two documents in one report: ids, toggles and panels are per document.
#[test]
fn report_of_two_documents_works_in_chromium() {
    let Some(chromium) = common::chromium() else {
        return;
    };
    let (_, counts) = check_report_in_browser(
        &chromium,
        &[
            common::workspace_root().join("examples/harbour-dispute.txt"),
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ferry-strike.txt"),
        ],
    );
    assert_eq!(counts["documents"], 2, "counts: {counts}");
}

/// A claim longer than a snippet: its chain step link shows a window of it with "…" and the
/// window's offsets, and still jumps to the highlight of the whole claim.
#[test]
fn report_cuts_long_chain_steps_in_chromium() {
    let Some(chromium) = common::chromium() else {
        return;
    };
    let clause = "the harbour authority had invented a pretext to push through a dredging \
        contract awarded to a company with ties to the minister and the fishing cooperative \
        would fight it in every court of the island for as long as it took ";
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("long-claim.txt");
    fs::write(
        &article,
        format!(
            "VALLETTA (Harbour Wire) - The cooperative's chairman, Marco Grech, told the \
             Coastal Times that {clause}{clause}.\n\nThe port authority said on Monday it \
             would reopen the harbour.\n"
        ),
    )
    .unwrap();
    let (_, counts) = check_report_in_browser(&chromium, &[article]);
    assert!(
        counts["chain steps cut"].as_u64().unwrap_or(0) > 0,
        "no chain step was long enough to be cut; counts: {counts}"
    );
}

/// A longer real article, when ../shared is present.
#[test]
fn report_of_seed_article_works_in_chromium() {
    let Some(article) = common::shared("fixtures/seed-article.txt") else {
        return;
    };
    let Some(chromium) = common::chromium() else {
        return;
    };
    check_report_in_browser(&chromium, &[article]);
}

/// Writes the export and the report of `articles`, runs the checks on the report in Chromium
/// and asserts that they all passed; returns the exported documents and the counts of checks.
fn check_report_in_browser(chromium: &Path, articles: &[PathBuf]) -> (Vec<Value>, Value) {
    let started = Instant::now();
    let name = articles
        .iter()
        .map(|a| a.file_name().unwrap_or_default().to_string_lossy())
        .collect::<Vec<_>>()
        .join(" + ");
    let dir = tempfile::tempdir().expect("temp dir");
    let export_path = dir.path().join("export.jsonl");
    let report_path = dir.path().join("report.html");
    analyze(articles, "jsonl", &export_path);
    analyze(articles, "html", &report_path);
    let exports: Vec<Value> = fs::read_to_string(&export_path)
        .expect("export")
        .lines()
        .map(|l| serde_json::from_str(l).expect("export line is JSON"))
        .collect();
    assert_eq!(
        exports.len(),
        articles.len(),
        "one exported document per article"
    );
    exports.iter().for_each(common::assert_offsets_slice);

    let wrapper = dir.path().join("wrapper.html");
    fs::write(&wrapper, wrapper_page(&exports, "report.html")).expect("write wrapper");
    let (dom, log) = run_chromium(
        chromium,
        dir.path(),
        &[
            // Virtual time lets the checks' timer run without real waiting, but does not drive
            // smooth scrolling; with reduced motion the report scrolls instantly.
            "--virtual-time-budget=10000",
            "--force-prefers-reduced-motion",
            "--dump-dom",
            &file_url(&wrapper),
        ],
    );
    let result = read_result(&dom);

    let failures: Vec<&str> = strings(&result["failures"]);
    let mut errors: Vec<&str> = strings(&result["errors"]);
    // checks.js listens for errors only once the report has loaded; errors while the report's
    // script first ran reach only the browser's console log.
    errors.extend(
        log.lines()
            .filter(|l| l.contains(":CONSOLE") && l.contains("Uncaught")),
    );
    assert!(
        failures.is_empty() && errors.is_empty(),
        "{}: {} browser check(s) failed; the first ones:\n{}\n\
         JavaScript errors in the report: {errors:#?}",
        name,
        failures.len(),
        failures[..failures.len().min(SHOW_FAILURES)].join("\n")
    );
    let counts = result["counts"].clone();
    let annotations: u64 = exports
        .iter()
        .flat_map(|e| e["layers"].as_array().unwrap())
        .map(|l| l["annotations"].as_array().unwrap().len() as u64)
        .sum();
    assert_eq!(counts["annotations"], annotations, "counts: {counts}");
    assert_eq!(counts["mark clicks"], annotations, "counts: {counts}");
    // One toggle for sentences, one per layer and one per technique family, per document.
    let families: u64 = exports
        .iter()
        .map(|e| {
            let mut f: Vec<&str> = e["layers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["name"] == "techniques")
                .flat_map(|l| l["annotations"].as_array().unwrap())
                .filter_map(|a| a["attrs"]["family"].as_str())
                .collect();
            f.sort_unstable();
            f.dedup();
            f.len() as u64
        })
        .sum();
    let toggles: u64 = exports
        .iter()
        .map(|e| 1 + e["layers"].as_array().unwrap().len() as u64)
        .sum::<u64>()
        + families;
    assert_eq!(counts["toggles"], toggles, "counts: {counts}");
    assert_eq!(
        counts["family toggles"].as_u64().unwrap_or(0),
        families,
        "counts: {counts}"
    );
    eprintln!(
        "{name}: browser checks passed in {:.1?}: {counts}",
        started.elapsed()
    );
    (exports, counts)
}

/// Runs `claimlens analyze` with the built binary.
fn analyze(inputs: &[PathBuf], format: &str, out: &Path) {
    let output =
        claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
            .arg("analyze")
            .args(inputs)
            .args(["--no-progress", "--strict", "--format", format, "--out"])
            .arg(out)
            .output()
            .expect("run claimlens");
    assert!(
        output.status.success(),
        "claimlens analyze --format {format} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The test article must give several layers annotations with multi-byte and non-BMP text,
/// or the offset checks would prove little.
fn assert_fixture_exercises_unicode(export: &Value) {
    let layers = export["layers"].as_array().unwrap();
    let with = |pred: &dyn Fn(char) -> bool| {
        layers
            .iter()
            .filter(|l| {
                l["annotations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["text"].as_str().unwrap().chars().any(pred))
            })
            .count()
    };
    assert!(
        with(&|c| !c.is_ascii()) >= 3,
        "too few layers with non-ASCII text"
    );
    assert!(
        with(&|c| c > '\u{ffff}') >= 1,
        "no annotation covers an emoji"
    );
}

/// The wrapper page: the exported documents as JSON data, a result element and the checks,
/// which load the report into an iframe themselves (so the load listener is in place before it
/// fires).
fn wrapper_page(exports: &[Value], report: &str) -> String {
    // `<` only occurs inside JSON strings, where `\u003c` means the same; this keeps
    // `</script>` and `<!--` out of the script element.
    let data = Value::from(exports.to_vec())
        .to_string()
        .replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>claimlens report checks</title>\
         <style>iframe{{width:1280px;height:800px;border:0}}</style></head><body>\n\
         <pre id=\"result\"></pre>\n\
         <script type=\"application/json\" id=\"expected\" data-report=\"{report}\">{data}</script>\n\
         <script>\n{}</script>\n</body></html>\n",
        include_str!("browser/checks.js")
    )
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Runs headless Chromium with a fresh profile in `dir` and returns its standard output and
/// its log (which holds the pages' console messages); kills it (and its helpers) after
/// [`CHROMIUM_TIMEOUT`].
fn run_chromium(chromium: &Path, dir: &Path, args: &[&str]) -> (String, String) {
    let out_path = dir.join("chromium.out");
    let err_path = dir.join("chromium.err");
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-extensions",
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .stdin(Stdio::null())
        // Files rather than pipes: nothing to drain while waiting.
        .stdout(fs::File::create(&out_path).expect("stdout file"))
        .stderr(fs::File::create(&err_path).expect("stderr file"));
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().expect("start chromium");
    let deadline = Instant::now() + CHROMIUM_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if Instant::now() > deadline {
            kill_group(&mut child);
            panic!(
                "chromium did not finish within {CHROMIUM_TIMEOUT:?}; stderr:\n{}",
                fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    assert!(
        status.success() && !stdout.is_empty(),
        "chromium failed ({status}); stderr:\n{stderr}"
    );
    (stdout, stderr)
}

/// Kills Chromium and the renderer processes it started (its process group).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The JSON the checks wrote into `<pre id="result">` of the dumped DOM.
fn read_result(dom: &str) -> Value {
    let open = "<pre id=\"result\">";
    let start = dom.find(open).map(|i| i + open.len());
    let body = start.and_then(|s| dom[s..].find("</pre>").map(|e| &dom[s..s + e]));
    match body {
        Some(json) if !json.is_empty() => serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("result is not JSON ({e}): {json}")),
        _ => panic!(
            "the checks wrote no result (did the report load?); dumped DOM starts:\n{}",
            dom.chars().take(2000).collect::<String>()
        ),
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
