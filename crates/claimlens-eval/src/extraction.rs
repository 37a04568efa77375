//! HTML article extraction on the article-extraction benchmark.
//!
//! The data set directory holds `ground-truth.json` (`{id: {"articleBody": ..., "url":
//! ...}}`) and `html/<id>.html.gz`. Each page goes through
//! [`claimlens_ingest::html::extract_article`] with its URL; a page the extractor refuses
//! counts as an empty prediction (and as a failure).
//!
//! The metric is the benchmark's own (scrapinghub/article-extraction-benchmark,
//! `evaluate.py`):
//!
//! * texts are split into `\w+` tokens (letters, digits, `_`; case kept), and each text
//!   becomes the multiset of its 4-token shingles (a text of fewer than 4 tokens is one
//!   shorter shingle, an empty text none);
//! * per page, tp/fp/fn are the multiset intersection and the two differences, divided by
//!   their sum so that every page weighs the same;
//! * precision is the mean of per-page `tp / (tp + fp)` over the pages with a non-empty
//!   prediction, recall the mean of `tp / (tp + fn)` over the pages with a non-empty truth,
//!   and a page whose prediction equals its truth scores 1 for both (so an empty extraction
//!   lowers recall but leaves precision alone, as upstream);
//! * F1 is the harmonic mean of the two means.
//!
//! Token boundaries use [`char::is_alphanumeric`], which matches Python's `\w` except for
//! combining marks of some scripts (Rust counts them as alphabetic); the benchmark texts are
//! scored identically by both.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use claimlens_ingest::html::extract_article;
use serde::{Deserialize, Serialize};

use crate::EvalError;

/// Shingle length used by the benchmark.
pub const SHINGLE: usize = 4;

/// One page's tp/fp/fn, normalised to sum to 1 (all zero when both texts are empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PageScore {
    /// Shared shingles.
    pub tp: f64,
    /// Predicted shingles not in the truth.
    pub fp: f64,
    /// Truth shingles not predicted.
    pub fn_: f64,
}

/// The `\w+` tokens of a text, in order.
pub fn word_tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The multiset of `n`-token shingles of a token list: every window of `n` tokens, or the
/// whole list as one shorter shingle when it has fewer than `n` tokens (none when empty).
pub fn shingles<'a, 't>(tokens: &'t [&'a str], n: usize) -> HashMap<&'t [&'a str], u32> {
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    if tokens.len() < n {
        counts.insert(tokens, 1);
        return counts;
    }
    for window in tokens.windows(n) {
        *counts.entry(window).or_insert(0) += 1;
    }
    counts
}

/// Scores one predicted text against its truth.
pub fn score_page(truth: &str, predicted: &str) -> PageScore {
    let truth_tokens = word_tokens(truth);
    let pred_tokens = word_tokens(predicted);
    let t = shingles(&truth_tokens, SHINGLE);
    let p = shingles(&pred_tokens, SHINGLE);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (shingle, &tc) in &t {
        let pc = p.get(shingle).copied().unwrap_or(0);
        tp += u64::from(tc.min(pc));
        fn_ += u64::from(tc.saturating_sub(pc));
    }
    for (shingle, &pc) in &p {
        fp += u64::from(pc.saturating_sub(t.get(shingle).copied().unwrap_or(0)));
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return PageScore::default();
    }
    PageScore {
        tp: tp as f64 / sum,
        fp: fp as f64 / sum,
        fn_: fn_ as f64 / sum,
    }
}

/// Mean precision, mean recall and their harmonic mean, as the benchmark computes them.
/// Returns zeros for pages that give no precision or no recall at all.
pub fn aggregate(pages: &[PageScore]) -> (f64, f64, f64) {
    let perfect = |s: &PageScore| s.fp == 0.0 && s.fn_ == 0.0;
    let mean = |xs: Vec<f64>| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let precision = mean(
        pages
            .iter()
            .filter(|s| s.tp + s.fp > 0.0)
            .map(|s| {
                if perfect(s) {
                    1.0
                } else {
                    s.tp / (s.tp + s.fp)
                }
            })
            .collect(),
    );
    let recall = mean(
        pages
            .iter()
            .filter(|s| s.tp + s.fn_ > 0.0)
            .map(|s| {
                if perfect(s) {
                    1.0
                } else {
                    s.tp / (s.tp + s.fn_)
                }
            })
            .collect(),
    );
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

/// The scores of an extraction evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionReport {
    /// Pages evaluated.
    pub pages: usize,
    /// Pages the extractor refused (scored as empty predictions).
    pub failures: usize,
    /// Mean per-page precision.
    pub precision: f64,
    /// Mean per-page recall.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Seconds spent in the extractor (reading and decompressing excluded).
    pub seconds: f64,
    /// Pages per second of extractor time.
    pub pages_per_second: f64,
    /// Per-page scores, in page-id order.
    #[serde(skip)]
    pub scores: Vec<(String, PageScore)>,
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "article extraction ({} pages, {} failures, {:.2} s)",
            self.pages, self.failures, self.seconds
        )?;
        writeln!(
            f,
            "  {:<12} {:>9} {:>7} {:>7} {:>8}",
            "extractor", "precision", "recall", "F1", "pages/s"
        )?;
        write!(
            f,
            "  {:<12} {:>9.4} {:>7.4} {:>7.4} {:>8.1}",
            "claimlens", self.precision, self.recall, self.f1, self.pages_per_second
        )
    }
}

#[derive(Deserialize)]
struct Truth {
    #[serde(rename = "articleBody", default)]
    article_body: String,
    #[serde(default)]
    url: Option<String>,
}

/// Evaluates every page of the benchmark directory.
pub fn evaluate_extraction(dir: &Path) -> Result<ExtractionReport, EvalError> {
    evaluate_extraction_sample(dir, 1)
}

/// One benchmark page: its id, URL, hand-extracted article body and HTML.
#[derive(Debug, Clone)]
pub struct BenchmarkPage {
    /// The page id (file stem in `html/`).
    pub id: String,
    /// The page's URL, when the ground truth gives one.
    pub url: Option<String>,
    /// The hand-extracted article body.
    pub truth: String,
    /// The page's HTML.
    pub html: String,
}

/// Reads every `every`-th page of the benchmark directory, in page-id order (1 means all).
pub fn read_benchmark(dir: &Path, every: usize) -> Result<Vec<BenchmarkPage>, EvalError> {
    let truth_path = dir.join("ground-truth.json");
    if !dir.is_dir() || !truth_path.is_file() {
        return Err(EvalError::MissingData(truth_path));
    }
    let raw = std::fs::read_to_string(&truth_path).map_err(|source| EvalError::Io {
        path: truth_path.clone(),
        source,
    })?;
    let truth: HashMap<String, Truth> =
        serde_json::from_str(&raw).map_err(|source| EvalError::Json {
            path: truth_path.clone(),
            source,
        })?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    ids.into_iter()
        .step_by(every.max(1))
        .map(|id| {
            let page = &truth[id];
            Ok(BenchmarkPage {
                id: id.clone(),
                url: page.url.clone(),
                truth: page.article_body.clone(),
                html: read_page(&dir.join("html").join(format!("{id}.html.gz")))?,
            })
        })
        .collect()
}

/// Evaluates every `every`-th page of the benchmark directory, in page-id order (1 means
/// all pages); a deterministic sample for quick checks.
pub fn evaluate_extraction_sample(dir: &Path, every: usize) -> Result<ExtractionReport, EvalError> {
    let mut scores = Vec::new();
    let mut failures = 0;
    let mut seconds = 0.0;
    for page in read_benchmark(dir, every)? {
        let started = Instant::now();
        let extracted = extract_article(&page.html, page.url.as_deref());
        seconds += started.elapsed().as_secs_f64();
        let predicted = match extracted {
            Ok(article) => article.text,
            Err(_) => {
                failures += 1;
                String::new()
            }
        };
        scores.push((page.id, score_page(&page.truth, &predicted)));
    }
    let only: Vec<PageScore> = scores.iter().map(|(_, s)| *s).collect();
    let (precision, recall, f1) = aggregate(&only);
    Ok(ExtractionReport {
        pages: scores.len(),
        failures,
        precision,
        recall,
        f1,
        seconds,
        pages_per_second: if seconds > 0.0 {
            scores.len() as f64 / seconds
        } else {
            0.0
        },
        scores,
    })
}

/// Reads and gunzips one page; invalid UTF-8 is replaced (the benchmark pages are UTF-8).
fn read_page(path: &Path) -> Result<String, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_are_unicode_word_runs() {
        assert_eq!(
            word_tokens("Don't stop_me, naïve café—2024! 東京"),
            vec!["Don", "t", "stop_me", "naïve", "café", "2024", "東京"]
        );
        assert!(word_tokens(" ... ").is_empty());
    }

    #[test]
    fn shingles_are_windows_or_one_short_shingle() {
        let t = word_tokens("a b c d e a b c d");
        let s = shingles(&t, 4);
        // 6 windows: abcd, bcde, cdea, deab, eabc, abcd -> abcd twice.
        assert_eq!(s.values().sum::<u32>(), 6);
        assert_eq!(s[&["a", "b", "c", "d"][..]], 2);
        let short = word_tokens("only two");
        let s = shingles(&short, 4);
        assert_eq!(s.len(), 1);
        assert_eq!(s[&["only", "two"][..]], 1);
        assert!(shingles(&[], 4).is_empty());
    }

    #[test]
    fn page_score_counts_multiset_overlap() {
        // truth: 5 tokens -> shingles abcd, bcde. prediction: 6 tokens -> abcd, bcde, cdef.
        let s = score_page("a b c d e", "a b c d e f");
        assert!(close(s.tp, 2.0 / 3.0) && close(s.fp, 1.0 / 3.0) && close(s.fn_, 0.0));
        // Multisets: the prediction's windows are abcd, bcda, cdab, dabc, abcd; abcd is in the
        // truth once, so its second copy is a false positive too -> tp 1, fp 4.
        let s = score_page("a b c d", "a b c d a b c d");
        assert!(close(s.tp, 0.2) && close(s.fp, 0.8) && close(s.fn_, 0.0));
        // Case matters, punctuation and spacing do not.
        assert_eq!(score_page("A b c d", "a b c d").tp, 0.0);
        assert!(close(score_page("a, b.\n\nc d", "a b c d").tp, 1.0));
        assert_eq!(score_page("", ""), PageScore::default());
        let empty_pred = score_page("a b c d", "");
        assert!(close(empty_pred.fn_, 1.0));
    }

    #[test]
    fn aggregate_follows_the_benchmark_conventions() {
        let perfect = score_page("a b c d", "a b c d");
        let half = score_page("a b c d e", "a b c d e f"); // p = 2/3, r = 1
        let missed = score_page("a b c d", ""); // no precision; r = 0
        let both_empty = score_page("", ""); // neither
        let (p, r, f1) = aggregate(&[perfect, half, missed, both_empty]);
        assert!(close(p, (1.0 + 2.0 / 3.0) / 2.0), "{p}");
        assert!(close(r, (1.0 + 1.0 + 0.0) / 3.0), "{r}");
        assert!(close(f1, 2.0 * p * r / (p + r)));
        assert_eq!(aggregate(&[]), (0.0, 0.0, 0.0));
    }

    #[test]
    fn missing_directory_is_missing_data() {
        let err = evaluate_extraction(Path::new("/nonexistent/article-extraction")).unwrap_err();
        assert!(matches!(err, EvalError::MissingData(_)), "{err}");
        assert!(err.to_string().contains("ground-truth.json"));
    }

    #[test]
    fn report_prints_a_compact_table() {
        let report = ExtractionReport {
            pages: 2,
            failures: 1,
            precision: 0.9,
            recall: 0.8,
            f1: 0.847,
            seconds: 0.5,
            pages_per_second: 4.0,
            scores: Vec::new(),
        };
        let shown = report.to_string();
        assert!(shown.starts_with("article extraction (2 pages, 1 failures"));
        assert!(shown.contains("precision"));
        assert!(shown.contains("0.9000  0.8000  0.8470"), "{shown}");
    }
}
