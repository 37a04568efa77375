//! Article extraction chosen by cross-validation on the article-extraction benchmark.
//!
//! A single score on the benchmark's pages says little about pages never seen once choices
//! (which extractor, which fallback, which thresholds) have been made while looking at the
//! same pages. Here every choice is made on training folds and scored on the held-out fold:
//!
//! * The pages are split into `k` folds by a hash of the page id,
//!   [`fold_key`]`(id) % k` (FNV-1a 64 of the id's bytes), so a page's fold never depends
//!   on file order or on which pages are present.
//! * Every [`candidates`] entry (an [`ExtractOptions`]: extractor, fallback order, switch
//!   threshold, the pipeline's own rules on or off) extracts every page once; its held-out
//!   F1 per fold is the benchmark's F1 over that fold's pages.
//! * The per-page selectors of [`crate::extraction_select`] (Readability's or
//!   trafilatura's text, page by page, from signals of the two texts) follow as further
//!   candidates. Their fits use training pages only: a held-out fold is scored by the
//!   selector fitted on the other folds, and the training pages a rule compares candidates
//!   on are scored by leave-one-out inside them ([`CandidateRun::views`]).
//! * A selection rule ([`Rule`]) picks a candidate from the training folds: the highest F1,
//!   or the simplest candidate within one standard error of it. Applied to each fold's
//!   training pages it gives the honest estimate of the whole procedure on unseen pages
//!   (the "chosen on training folds" rows); [`DEFAULT_RULE`] applied to all pages gives the
//!   candidate that should be the default, which a test compares with
//!   [`ExtractOptions::default`].

use std::time::Instant;

use claimlens_ingest::html::{extract_article_with, ExtractOptions, Extractor};
use serde::Serialize;

use crate::calibration_fit::fold_key;
use crate::extraction::{aggregate, score_page, BenchmarkPage, PageScore};
use crate::extraction_select::{selector_runs, SelectorSummary};

/// The candidates, the pipeline before cross-validation first (it wins ties).
pub fn candidates() -> Vec<ExtractOptions> {
    let current = ExtractOptions::READABILITY_ONLY;
    let mut list = vec![
        current,
        ExtractOptions {
            short_unreadable_rule: false,
            ..current
        },
        ExtractOptions {
            body_fallback: false,
            ..current
        },
        ExtractOptions {
            short_unreadable_rule: false,
            body_fallback: false,
            ..current
        },
        ExtractOptions {
            primary: Extractor::Trafilatura,
            ..current
        },
    ];
    for primary in [Extractor::Readability, Extractor::Trafilatura] {
        for percent in SWITCH_PERCENTS {
            list.push(ExtractOptions {
                primary,
                switch_above_percent: Some(percent),
                ..current
            });
        }
    }
    list
}

/// Word-count ratios (percent of the primary's words) above which the other extractor's
/// text is taken, tried for both primaries.
const SWITCH_PERCENTS: [u32; 5] = [110, 130, 150, 200, 300];

/// The fold of a page id among `folds`.
pub fn fold_of(id: &str, folds: usize) -> usize {
    (fold_key(id) % folds.max(1) as u64) as usize
}

/// One candidate's outcome on every page.
#[derive(Debug, Clone)]
pub struct CandidateRun {
    /// The candidate (for a fitted selector, the options that run both extractors).
    pub options: ExtractOptions,
    /// Its name in tables: [`ExtractOptions::label`], or the selector's.
    pub label: String,
    /// Per-page scores, in page order. For a fitted selector, its choices by leave-one-out
    /// over all pages.
    pub scores: Vec<PageScore>,
    /// For a fitted selector only, the per-page scores as cross-validation sees them when
    /// fold `k` is held out (`views[k]`; see `extraction_select`); empty for fixed
    /// candidates, whose scores do not depend on the folds.
    pub views: Vec<Vec<PageScore>>,
    /// The extracted texts, in page order (kept until the selectors' signals are read).
    pub texts: Vec<String>,
    /// Pages the extractor refused (scored as empty predictions).
    pub failures: usize,
    /// Pages on which rs-trafilatura was skipped for the depth guard.
    pub depth_guarded: usize,
    /// Pages whose text came from rs-trafilatura.
    pub from_trafilatura: usize,
    /// Pages per second of extraction time (one core).
    pub pages_per_second: f64,
}

/// Runs one candidate over every page.
pub fn run_candidate(pages: &[BenchmarkPage], options: ExtractOptions) -> CandidateRun {
    let mut scores = Vec::with_capacity(pages.len());
    let mut texts = Vec::with_capacity(pages.len());
    let (mut failures, mut depth_guarded, mut from_trafilatura) = (0, 0, 0);
    let mut seconds = 0.0;
    for page in pages {
        let started = Instant::now();
        let extracted = extract_article_with(&page.html, page.url.as_deref(), &options);
        seconds += started.elapsed().as_secs_f64();
        let predicted = match extracted {
            Ok(article) => {
                depth_guarded += usize::from(article.depth_guarded);
                from_trafilatura +=
                    usize::from(!article.whole_body && article.extractor == Extractor::Trafilatura);
                article.text
            }
            Err(_) => {
                failures += 1;
                String::new()
            }
        };
        scores.push(score_page(&page.truth, &predicted));
        texts.push(predicted);
    }
    CandidateRun {
        options,
        label: options.label(),
        scores,
        views: Vec::new(),
        texts,
        failures,
        depth_guarded,
        from_trafilatura,
        pages_per_second: if seconds > 0.0 {
            pages.len() as f64 / seconds
        } else {
            0.0
        },
    }
}

/// The benchmark F1 of a run over the pages `keep` accepts (by page index).
fn f1_over(run: &CandidateRun, keep: impl Fn(usize) -> bool) -> f64 {
    let chosen: Vec<PageScore> = run
        .scores
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, s)| *s)
        .collect();
    aggregate(&chosen).2
}

/// How a candidate is picked from its F1 on training pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The highest F1; the earliest wins a tie.
    Best,
    /// The earliest candidate (simplest, the current pipeline first) whose F1 is within
    /// one standard error of the best: the standard error of the mean per-page F1
    /// difference between the two. Differences smaller than the page-to-page noise do not
    /// buy a slower or more complex method.
    WithinOneSe,
}

impl Rule {
    /// Short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Best => "best F1",
            Rule::WithinOneSe => "simplest within 1 SE",
        }
    }
}

/// Per-page F1 of a run (harmonic mean of the page's precision and recall).
pub(crate) fn page_f1(run: &CandidateRun, i: usize) -> f64 {
    aggregate(&run.scores[i..=i]).2
}

/// The runs as cross-validation sees them with fold `view` held out (or, at `view ==
/// folds`, on all pages): a fitted selector's scores are those of that view.
fn as_seen(runs: &[CandidateRun], view: usize) -> Vec<CandidateRun> {
    runs.iter()
        .map(|run| match run.views.get(view) {
            Some(scores) => CandidateRun {
                scores: scores.clone(),
                views: Vec::new(),
                ..run.clone()
            },
            None => run.clone(),
        })
        .collect()
}

/// Applies `rule` to the pages `keep` accepts; returns the index of the chosen run.
pub fn select_by(rule: Rule, runs: &[CandidateRun], keep: impl Fn(usize) -> bool + Copy) -> usize {
    let best = select(runs, keep);
    if rule == Rule::Best {
        return best;
    }
    let best_f1 = f1_over(&runs[best], keep);
    let pages: Vec<usize> = (0..runs[best].scores.len()).filter(|&i| keep(i)).collect();
    for (c, run) in runs.iter().enumerate().take(best) {
        let diffs: Vec<f64> = pages
            .iter()
            .map(|&i| page_f1(&runs[best], i) - page_f1(run, i))
            .collect();
        let spread = Spread::of(&diffs);
        let se = spread.sd / (diffs.len().max(1) as f64).sqrt();
        if f1_over(run, keep) >= best_f1 - se - 1e-12 {
            return c;
        }
    }
    best
}

/// The highest-F1 rule ([`Rule::Best`]): the index of the run with the highest F1 over
/// the pages `keep` accepts; the earliest wins a tie.
pub fn select(runs: &[CandidateRun], keep: impl Fn(usize) -> bool + Copy) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, run) in runs.iter().enumerate() {
        let f1 = f1_over(run, keep);
        if f1 > best.1 + 1e-12 {
            best = (i, f1);
        }
    }
    best.0
}

/// Mean, sample standard deviation, minimum and maximum.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Spread {
    /// Mean over folds.
    pub mean: f64,
    /// Sample standard deviation over folds (0 for one fold).
    pub sd: f64,
    /// Lowest fold.
    pub min: f64,
    /// Highest fold.
    pub max: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        if values.is_empty() {
            return Spread::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = if values.len() > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        Spread {
            mean,
            sd: var.sqrt(),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// One candidate's held-out figures.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateRow {
    /// The candidate's label ([`ExtractOptions::label`]).
    pub label: String,
    /// Held-out F1 per fold.
    pub folds: Vec<f64>,
    /// Spread of the held-out F1 over folds.
    pub held_out: Spread,
    /// F1 over all pages (not held out: for comparison with earlier figures).
    pub all_pages_f1: f64,
    /// Pages refused.
    pub failures: usize,
    /// Pages where the depth guard kept rs-trafilatura from running.
    pub depth_guarded: usize,
    /// Pages whose text came from rs-trafilatura.
    pub from_trafilatura: usize,
    /// Pages per second (one core).
    pub pages_per_second: f64,
}

/// One page's F1 under a few candidates, for the per-page table.
#[derive(Debug, Clone, Serialize)]
pub struct PageRow {
    /// Page id.
    pub id: String,
    /// Its fold.
    pub fold: usize,
    /// Per-page F1 (harmonic mean of the page's precision and recall), one per
    /// [`CvReport::page_columns`] entry.
    pub f1: Vec<f64>,
}

/// A selection rule applied inside cross-validation: on each fold's training pages, then
/// scored on the fold.
#[derive(Debug, Clone, Serialize)]
pub struct Procedure {
    /// The rule.
    pub rule: Rule,
    /// Per fold, the candidate the rule picked on the other folds.
    pub picked: Vec<String>,
    /// Held-out F1 per fold.
    pub folds: Vec<f64>,
    /// Spread of the held-out F1.
    pub held_out: Spread,
    /// The candidate the rule picks on all pages.
    pub on_all_pages: String,
}

/// The rule whose choice on all pages is [`ExtractOptions::default`].
pub const DEFAULT_RULE: Rule = Rule::WithinOneSe;

/// The cross-validated comparison.
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// Pages evaluated.
    pub pages: usize,
    /// Number of folds.
    pub folds: usize,
    /// Pages per fold.
    pub fold_sizes: Vec<usize>,
    /// Every candidate's held-out figures, in [`candidates`] order.
    pub candidates: Vec<CandidateRow>,
    /// Each selection rule's procedure, cross-validated.
    pub procedures: Vec<Procedure>,
    /// The rule that picks the default ([`DEFAULT_RULE`]).
    pub default_rule: Rule,
    /// The candidate [`DEFAULT_RULE`] picks on all pages.
    pub chosen_on_all: String,
    /// The extraction options that candidate ships as: its own label for a fixed
    /// candidate, the options of the selector fitted on all pages for a fitted one (none
    /// when that selector has no [`ExtractOptions`] form).
    pub chosen_on_all_options: Option<String>,
    /// The label of [`ExtractOptions::default`].
    pub default_label: String,
    /// Labels of the per-page table's columns.
    pub page_columns: Vec<String>,
    /// Per-page table.
    pub page_rows: Vec<PageRow>,
    /// The fitted per-page selectors: what they chose and what they would ship.
    pub selectors: Vec<SelectorSummary>,
    /// Print the per-page table too.
    #[serde(skip)]
    pub show_pages: bool,
}

/// Runs every candidate on `pages` and cross-validates the choice over `folds` folds.
pub fn cross_validate(pages: &[BenchmarkPage], folds: usize) -> CvReport {
    let folds = folds.max(2);
    let fold: Vec<usize> = pages.iter().map(|p| fold_of(&p.id, folds)).collect();
    let mut runs: Vec<CandidateRun> = candidates()
        .into_iter()
        .map(|options| run_candidate(pages, options))
        .collect();
    let (selector_runs, selectors) = selector_runs(&runs, &fold, folds);
    runs.extend(selector_runs);
    for run in &mut runs {
        run.texts = Vec::new();
    }

    let candidate_rows = runs
        .iter()
        .map(|run| {
            let per_fold: Vec<f64> = (0..folds)
                .map(|k| f1_over(&as_seen(std::slice::from_ref(run), k)[0], |i| fold[i] == k))
                .collect();
            CandidateRow {
                label: run.label.clone(),
                held_out: Spread::of(&per_fold),
                folds: per_fold,
                all_pages_f1: f1_over(run, |_| true),
                failures: run.failures,
                depth_guarded: run.depth_guarded,
                from_trafilatura: run.from_trafilatura,
                pages_per_second: run.pages_per_second,
            }
        })
        .collect();

    let procedures: Vec<Procedure> = [Rule::Best, Rule::WithinOneSe]
        .into_iter()
        .map(|rule| {
            let mut picked = Vec::new();
            let mut scores = Vec::new();
            for k in 0..folds {
                let seen = as_seen(&runs, k);
                let pick = select_by(rule, &seen, |i| fold[i] != k);
                picked.push(seen[pick].label.clone());
                scores.push(f1_over(&seen[pick], |i| fold[i] == k));
            }
            Procedure {
                rule,
                picked,
                held_out: Spread::of(&scores),
                folds: scores,
                on_all_pages: runs[select_by(rule, &runs, |_| true)].label.clone(),
            }
        })
        .collect();
    let chosen = select_by(DEFAULT_RULE, &runs, |_| true);

    let default = ExtractOptions::default();
    let trafilatura = ExtractOptions {
        primary: Extractor::Trafilatura,
        ..ExtractOptions::READABILITY_ONLY
    };
    let mut columns = vec![ExtractOptions::READABILITY_ONLY.label()];
    let selector_labels = selectors.iter().map(|s| s.label.clone());
    for extra in [
        trafilatura.label(),
        runs[chosen].label.clone(),
        default.label(),
    ]
    .into_iter()
    .chain(selector_labels)
    {
        if !columns.contains(&extra) {
            columns.push(extra);
        }
    }
    let column_runs: Vec<&CandidateRun> = columns
        .iter()
        .filter_map(|c| runs.iter().find(|r| r.label == *c))
        .collect();
    let page_rows = pages
        .iter()
        .enumerate()
        .map(|(i, page)| PageRow {
            id: page.id.clone(),
            fold: fold[i],
            // A fitted selector's page is scored as chosen with the page's fold held out.
            f1: column_runs
                .iter()
                .map(|r| {
                    let scores = r.views.get(fold[i]).unwrap_or(&r.scores);
                    aggregate(&scores[i..=i]).2
                })
                .collect(),
        })
        .collect();

    CvReport {
        pages: pages.len(),
        folds,
        fold_sizes: (0..folds)
            .map(|k| fold.iter().filter(|&&f| f == k).count())
            .collect(),
        candidates: candidate_rows,
        procedures,
        default_rule: DEFAULT_RULE,
        chosen_on_all: runs[chosen].label.clone(),
        chosen_on_all_options: match selectors.iter().find(|s| s.label == runs[chosen].label) {
            Some(selector) => selector.on_all_pages_options.clone(),
            None => Some(runs[chosen].label.clone()),
        },
        default_label: default.label(),
        page_columns: column_runs.iter().map(|r| r.label.clone()).collect(),
        page_rows,
        selectors,
        show_pages: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str, truth: &str, body: &str) -> BenchmarkPage {
        BenchmarkPage {
            id: id.to_owned(),
            url: None,
            truth: truth.to_owned(),
            html: format!("<html><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>"),
        }
    }

    #[test]
    fn folds_are_fixed_by_the_page_id() {
        assert_eq!(fold_of("page-17", 3), fold_of("page-17", 3));
        let mut sizes = [0; 3];
        for i in 0..300 {
            sizes[fold_of(&format!("{i:032x}"), 3)] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 70), "{sizes:?}");
    }

    #[test]
    fn spread_gives_mean_sd_and_range() {
        let s = Spread::of(&[0.9, 1.0, 0.95]);
        assert!((s.mean - 0.95).abs() < 1e-12);
        assert!((s.sd - 0.05).abs() < 1e-12);
        assert_eq!((s.min, s.max), (0.9, 1.0));
        assert_eq!(Spread::of(&[]).mean, 0.0);
    }

    #[test]
    fn selection_prefers_the_better_candidate_and_the_earlier_on_ties() {
        let good = score_page("a b c d e", "a b c d e");
        let bad = score_page("a b c d e", "x y z w v");
        let run = |scores: Vec<PageScore>| CandidateRun {
            options: ExtractOptions::READABILITY_ONLY,
            label: ExtractOptions::READABILITY_ONLY.label(),
            scores,
            views: Vec::new(),
            texts: Vec::new(),
            failures: 0,
            depth_guarded: 0,
            from_trafilatura: 0,
            pages_per_second: 0.0,
        };
        let runs = [
            run(vec![good, bad]),
            run(vec![bad, good]),
            run(vec![good, good]),
        ];
        assert_eq!(select(&runs, |_| true), 2);
        assert_eq!(select(&runs, |i| i == 0), 0);
        assert_eq!(select(&runs, |i| i == 1), 1);
        // Within one standard error the earlier candidate is kept: over both pages run 2
        // beats run 0 by half a page, with a large per-page spread.
        assert_eq!(select_by(Rule::WithinOneSe, &runs, |_| true), 0);
        assert_eq!(select_by(Rule::Best, &runs, |_| true), 2);
    }

    #[test]
    fn cross_validation_reports_every_candidate_and_fold() {
        let text = "<p>The harbour reopened on Monday after three weeks of repairs to the sea \
                    wall, the port authority said in a statement issued on Sunday.</p>\
                    <p>Fishing crews returned before dawn, and the first catch was landed by \
                    seven, the harbour master said after the boats came in.</p>";
        let truth = "The harbour reopened on Monday after three weeks of repairs to the sea \
                     wall, the port authority said in a statement issued on Sunday. Fishing \
                     crews returned before dawn, and the first catch was landed by seven, the \
                     harbour master said after the boats came in.";
        let pages: Vec<BenchmarkPage> = (0..6)
            .map(|i| page(&format!("p{i}"), truth, text))
            .collect();
        let report = cross_validate(&pages, 3);
        assert_eq!(
            report.candidates.len(),
            candidates().len() + report.selectors.len()
        );
        assert_eq!(report.selectors.len(), 2);
        assert_eq!(report.fold_sizes.iter().sum::<usize>(), 6);
        assert_eq!(report.procedures.len(), 2);
        assert!(report.procedures.iter().all(|p| p.folds.len() == 3));
        assert!(report.candidates[0].all_pages_f1 > 0.9, "{report}");
        assert_eq!(report.page_rows.len(), 6);
        let shown = report.to_string();
        assert!(shown.contains("chosen on training folds"), "{shown}");
        assert!(shown.contains("on all pages"), "{shown}");
    }
}
