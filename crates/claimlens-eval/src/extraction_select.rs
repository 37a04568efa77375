//! Per-page choice between the Readability and the trafilatura text, fitted on training
//! pages only.
//!
//! Each page gives one example: the [`SelectionSignals`] of its two texts (computed from
//! the texts alone, as at extraction time) and its *gain*, the trafilatura text's per-page
//! F1 minus the Readability text's. Two selectors are fitted to such examples, both cheap
//! and fixed in form before any page was scored:
//!
//! * [`Model::Stump`]: one signal and one threshold, the pair that gains most F1 over
//!   always taking Readability on the training pages (none, and so Readability everywhere,
//!   when no pair gains anything);
//! * [`Model::Logistic`]: logistic regression on all eight signals (standardised on the
//!   training pages, L2 penalty [`L2_PENALTY`] fixed in advance), each page weighted by how
//!   much F1 rides on its choice (`|gain|`), so that pages where the two texts score alike
//!   do not pull the fit; trafilatura when its probability is above one half.
//!
//! [`learned_choices`] gives each selector's choices as cross-validation sees them: on a
//! held-out fold, the selector fitted on the other folds; on those training pages, the
//! selector fitted on the training pages less that one (leave-one-out inside the training
//! folds), which is what a selection rule may compare candidates on without looking at the
//! held-out fold; and on all pages, leave-one-out over all of them.

use claimlens_ingest::html::{ExtractOptions, Extractor};
use claimlens_ingest::html_select::{SelectionSignals, SignalThreshold, FEATURE_NAMES};
use serde::Serialize;

use crate::extraction::PageScore;
use crate::extraction_cv::{page_f1, CandidateRun};

/// Number of signals per page.
pub const FEATURES: usize = FEATURE_NAMES.len();

/// The L2 penalty of the logistic selector, on standardised signals (bias not penalised).
/// Fixed before fitting: strong enough to keep eight weights stable on some eighty pages.
pub const L2_PENALTY: f64 = 1.0;

/// One page as the selectors see it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The page's signals ([`SelectionSignals::features`]).
    pub features: [f64; FEATURES],
    /// Per-page F1 of the trafilatura text minus that of the Readability text.
    pub gain: f64,
}

impl Example {
    /// The example of one page from its two texts and their per-page F1.
    pub fn of(
        readability: &str,
        trafilatura: &str,
        readability_f1: f64,
        trafilatura_f1: f64,
    ) -> Self {
        Example {
            features: SelectionSignals::of(readability, trafilatura).features(),
            gain: trafilatura_f1 - readability_f1,
        }
    }
}

/// A selector's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One signal against one threshold.
    Stump,
    /// Weighted, L2-penalised logistic regression on every signal.
    Logistic,
}

impl Model {
    /// The selectors, simplest first.
    pub const ALL: [Model; 2] = [Model::Stump, Model::Logistic];

    /// The candidate label, as printed beside the fixed candidates.
    pub fn label(self) -> &'static str {
        match self {
            Model::Stump => "select: one signal, one threshold",
            Model::Logistic => "select: logistic on 8 signals",
        }
    }

    /// Fits the selector to `examples`.
    pub fn fit(self, examples: &[Example]) -> Fitted {
        match self {
            Model::Stump => fit_stump(examples),
            Model::Logistic => fit_logistic(examples),
        }
    }
}

/// A fitted selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Fitted {
    /// Trafilatura on one side of one signal's threshold (rounded to millionths, as
    /// [`ExtractOptions::selector`] keeps it); `None` when no threshold gained anything
    /// (Readability everywhere).
    Stump(Option<SignalThreshold>),
    /// Trafilatura when `bias + Σ weight·(x − mean)/scale > 0`.
    Logistic {
        /// Training means of the signals.
        mean: [f64; FEATURES],
        /// Training standard deviations (1 where a signal is constant).
        scale: [f64; FEATURES],
        /// Weights on the standardised signals.
        weights: [f64; FEATURES],
        /// Intercept.
        bias: f64,
    },
}

impl Fitted {
    /// Whether the trafilatura text is taken for a page with these signals.
    pub fn picks_trafilatura(&self, x: &[f64; FEATURES]) -> bool {
        match self {
            Fitted::Stump(Some(rule)) => rule.picks_trafilatura(x),
            Fitted::Stump(None) => false,
            Fitted::Logistic { .. } => self.score(x) > 0.0,
        }
    }

    fn score(&self, x: &[f64; FEATURES]) -> f64 {
        match self {
            Fitted::Logistic {
                mean,
                scale,
                weights,
                bias,
            } => (0..FEATURES).fold(*bias, |s, j| s + weights[j] * (x[j] - mean[j]) / scale[j]),
            Fitted::Stump(_) => 0.0,
        }
    }

    /// The extraction options that apply this fitted selector, when it has a form
    /// [`ExtractOptions`] can hold (a stump does; the logistic selector does not).
    pub fn as_options(&self) -> Option<ExtractOptions> {
        match self {
            Fitted::Stump(selector) => Some(ExtractOptions {
                selector: *selector,
                ..ExtractOptions::READABILITY_ONLY
            }),
            Fitted::Logistic { .. } => None,
        }
    }

    /// One line saying what the selector does.
    pub fn describe(&self) -> String {
        match self {
            Fitted::Stump(None) => "always readability".to_owned(),
            Fitted::Stump(Some(rule)) => rule.label(),
            Fitted::Logistic { weights, bias, .. } => {
                let terms: Vec<String> = FEATURE_NAMES
                    .iter()
                    .zip(weights)
                    .map(|(name, w)| format!("{w:+.2} {name}"))
                    .collect();
                format!("bias {bias:+.2}; {} (standardised)", terms.join(", "))
            }
        }
    }
}

/// The threshold on one signal that gains most summed F1 over Readability everywhere.
fn fit_stump(examples: &[Example]) -> Fitted {
    let mut best = None;
    let mut best_gain = 1e-12;
    for j in 0..FEATURES {
        let mut sorted: Vec<(f64, f64)> =
            examples.iter().map(|e| (e.features[j], e.gain)).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = sorted.iter().map(|e| e.1).sum();
        // `below` is the summed gain of the examples at or under the candidate threshold.
        let mut below = 0.0;
        for i in 0..sorted.len().saturating_sub(1) {
            below += sorted[i].1;
            if sorted[i].0 == sorted[i + 1].0 {
                continue;
            }
            let threshold = (sorted[i].0 + sorted[i + 1].0) / 2.0;
            for (gain, above) in [(total - below, true), (below, false)] {
                if gain > best_gain {
                    best_gain = gain;
                    best = Some(SignalThreshold::new(j, threshold, above));
                }
            }
        }
    }
    Fitted::Stump(best)
}

/// Weighted logistic regression by Newton's method on standardised signals.
fn fit_logistic(examples: &[Example]) -> Fitted {
    const N: usize = FEATURES + 1;
    let count = examples.len().max(1) as f64;
    let mut mean = [0.0; FEATURES];
    let mut scale = [1.0; FEATURES];
    for j in 0..FEATURES {
        mean[j] = examples.iter().map(|e| e.features[j]).sum::<f64>() / count;
        let var = examples
            .iter()
            .map(|e| (e.features[j] - mean[j]).powi(2))
            .sum::<f64>()
            / count;
        if var > 1e-18 {
            scale[j] = var.sqrt();
        }
    }
    // Weights |gain| scaled to a mean of one, so the penalty means the same on any pages.
    let total_weight: f64 = examples.iter().map(|e| e.gain.abs()).sum();
    let rows: Vec<([f64; N], f64, f64)> = examples
        .iter()
        .map(|e| {
            let mut x = [1.0; N];
            for j in 0..FEATURES {
                x[j + 1] = (e.features[j] - mean[j]) / scale[j];
            }
            let weight = if total_weight > 0.0 {
                e.gain.abs() * count / total_weight
            } else {
                0.0
            };
            (x, f64::from(u8::from(e.gain > 0.0)), weight)
        })
        .collect();
    let mut beta = [0.0; N];
    for _ in 0..50 {
        let mut gradient = [0.0; N];
        let mut hessian = [[0.0; N]; N];
        for (x, y, w) in &rows {
            let z: f64 = (0..N).map(|j| beta[j] * x[j]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            for a in 0..N {
                gradient[a] += w * (p - y) * x[a];
                for b in 0..N {
                    hessian[a][b] += w * p * (1.0 - p) * x[a] * x[b];
                }
            }
        }
        for a in 1..N {
            gradient[a] += L2_PENALTY * beta[a];
            hessian[a][a] += L2_PENALTY;
        }
        // A tiny ridge on the bias too keeps the system solvable when every weight is 0.
        hessian[0][0] += 1e-9;
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        let mut largest: f64 = 0.0;
        for j in 0..N {
            beta[j] -= step[j];
            largest = largest.max(step[j].abs());
        }
        if largest < 1e-10 {
            break;
        }
    }
    let mut weights = [0.0; FEATURES];
    weights.copy_from_slice(&beta[1..]);
    Fitted::Logistic {
        mean,
        scale,
        weights,
        bias: beta[0],
    }
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &k| a[i][col].abs().total_cmp(&a[k][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..N {
            let factor = a[row][col] / a[col][col];
            let pivot_row = a[col];
            for (value, pivot_value) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *value -= factor * pivot_value;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let rest: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

/// A selector's choices as cross-validation sees them (see the module notes).
#[derive(Debug, Clone)]
pub struct LearnedChoices {
    /// `views[k][i]`: whether page `i` takes the trafilatura text when fold `k` is held
    /// out (`k < folds`), and, at `k == folds`, by leave-one-out over all pages.
    pub views: Vec<Vec<bool>>,
    /// The selector fitted on each fold's training pages (the one that scores the fold).
    pub per_fold: Vec<Fitted>,
    /// The selector fitted on all pages (what would ship).
    pub on_all_pages: Fitted,
}

/// Fits `model` as cross-validation over `fold` (each page's fold, `folds` of them) allows.
pub fn learned_choices(
    model: Model,
    examples: &[Example],
    fold: &[usize],
    folds: usize,
) -> LearnedChoices {
    let leave_one_out = |members: &[usize]| -> Vec<(usize, bool)> {
        members
            .iter()
            .map(|&i| {
                let rest: Vec<Example> = members
                    .iter()
                    .filter(|&&m| m != i)
                    .map(|&m| examples[m])
                    .collect();
                (i, model.fit(&rest).picks_trafilatura(&examples[i].features))
            })
            .collect()
    };
    let mut views = Vec::with_capacity(folds + 1);
    let mut per_fold = Vec::with_capacity(folds);
    for k in 0..folds {
        let training: Vec<usize> = (0..examples.len()).filter(|&i| fold[i] != k).collect();
        let fitted = model.fit(&training.iter().map(|&i| examples[i]).collect::<Vec<_>>());
        let mut view: Vec<bool> = examples
            .iter()
            .map(|e| fitted.picks_trafilatura(&e.features))
            .collect();
        for (i, pick) in leave_one_out(&training) {
            view[i] = pick;
        }
        views.push(view);
        per_fold.push(fitted);
    }
    let everyone: Vec<usize> = (0..examples.len()).collect();
    let mut all = vec![false; examples.len()];
    for (i, pick) in leave_one_out(&everyone) {
        all[i] = pick;
    }
    views.push(all);
    LearnedChoices {
        views,
        per_fold,
        on_all_pages: model.fit(examples),
    }
}

/// Per-page F1 difference beyond which a page counts as won or lost in the summaries.
const CLEAR_DIFFERENCE: f64 = 0.05;

/// What a fitted selector did on its held-out pages, and what it would ship.
#[derive(Debug, Clone, Serialize)]
pub struct SelectorSummary {
    /// The candidate label ([`Model::label`]).
    pub label: String,
    /// Held-out pages given the trafilatura text.
    pub held_out_trafilatura: usize,
    /// Held-out pages where the choice beats Readability's text by more than 0.05 F1.
    pub better_than_readability: usize,
    /// Held-out pages where it is worse than Readability's text by more than 0.05 F1.
    pub worse_than_readability: usize,
    /// The same two counts against trafilatura's text.
    pub better_than_trafilatura: usize,
    /// See [`SelectorSummary::better_than_trafilatura`].
    pub worse_than_trafilatura: usize,
    /// Pages where the better of the two texts beats Readability's by more than 0.05: what
    /// a perfect selector could win.
    pub could_win: usize,
    /// The selector fitted on each fold's training pages, in words.
    pub per_fold: Vec<String>,
    /// The selector fitted on all pages, in words.
    pub on_all_pages: String,
    /// The label of the [`ExtractOptions`] that apply the selector fitted on all pages,
    /// when it has such a form ([`Fitted::as_options`]).
    pub on_all_pages_options: Option<String>,
}

impl std::fmt::Display for SelectorSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "  {}: held out, trafilatura on {} pages; vs readability {} better / {} worse, \
             vs trafilatura {} better / {} worse (by > {CLEAR_DIFFERENCE} F1; a perfect \
             choice wins {} pages)\n    fitted per held-out fold: {}\n    fitted on all \
             pages: {}",
            self.label,
            self.held_out_trafilatura,
            self.better_than_readability,
            self.worse_than_readability,
            self.better_than_trafilatura,
            self.worse_than_trafilatura,
            self.could_win,
            self.per_fold.join(" | "),
            self.on_all_pages
        )
    }
}

/// The fitted selectors as candidate runs beside the fixed ones, built from the
/// Readability-only and trafilatura-only runs (their texts and per-page scores); none when
/// either run is missing.
pub fn selector_runs(
    runs: &[CandidateRun],
    fold: &[usize],
    folds: usize,
) -> (Vec<CandidateRun>, Vec<SelectorSummary>) {
    let readability_only = ExtractOptions::READABILITY_ONLY;
    let trafilatura_only = ExtractOptions {
        primary: Extractor::Trafilatura,
        ..readability_only
    };
    let find = |options| runs.iter().find(|r| r.options == options);
    let (Some(read), Some(traf)) = (find(readability_only), find(trafilatura_only)) else {
        return (Vec::new(), Vec::new());
    };
    let examples: Vec<Example> = (0..read.scores.len())
        .map(|i| {
            Example::of(
                &read.texts[i],
                &traf.texts[i],
                page_f1(read, i),
                page_f1(traf, i),
            )
        })
        .collect();
    let mut learned = Vec::new();
    let mut summaries = Vec::new();
    for model in Model::ALL {
        let choices = learned_choices(model, &examples, fold, folds);
        let scored = |picks: &Vec<bool>| -> Vec<PageScore> {
            picks
                .iter()
                .enumerate()
                .map(|(i, &t)| if t { traf.scores[i] } else { read.scores[i] })
                .collect()
        };
        let views: Vec<Vec<PageScore>> = choices.views.iter().map(scored).collect();
        let mut summary = SelectorSummary {
            label: model.label().to_owned(),
            held_out_trafilatura: 0,
            better_than_readability: 0,
            worse_than_readability: 0,
            better_than_trafilatura: 0,
            worse_than_trafilatura: 0,
            could_win: 0,
            per_fold: choices.per_fold.iter().map(Fitted::describe).collect(),
            on_all_pages: choices.on_all_pages.describe(),
            on_all_pages_options: choices.on_all_pages.as_options().map(|o| o.label()),
        };
        for (i, e) in examples.iter().enumerate() {
            let took_trafilatura = choices.views[fold[i]][i];
            let vs_readability = if took_trafilatura { e.gain } else { 0.0 };
            let vs_trafilatura = vs_readability - e.gain;
            summary.held_out_trafilatura += usize::from(took_trafilatura);
            summary.better_than_readability += usize::from(vs_readability > CLEAR_DIFFERENCE);
            summary.worse_than_readability += usize::from(vs_readability < -CLEAR_DIFFERENCE);
            summary.better_than_trafilatura += usize::from(vs_trafilatura > CLEAR_DIFFERENCE);
            summary.worse_than_trafilatura += usize::from(vs_trafilatura < -CLEAR_DIFFERENCE);
            summary.could_win += usize::from(e.gain > CLEAR_DIFFERENCE);
        }
        learned.push(CandidateRun {
            options: trafilatura_only,
            label: model.label().to_owned(),
            scores: views[folds].clone(),
            views,
            texts: Vec::new(),
            failures: read.failures.max(traf.failures),
            depth_guarded: traf.depth_guarded,
            from_trafilatura: choices.views[folds].iter().filter(|&&t| t).count(),
            // Both extractors run (the trafilatura candidate runs Readability too for the
            // metadata); the signals cost little beside them.
            pages_per_second: traf.pages_per_second,
        });
        summaries.push(summary);
    }
    (learned, summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(signal: f64, gain: f64) -> Example {
        let mut features = [0.0; FEATURES];
        features[3] = signal;
        Example { features, gain }
    }

    #[test]
    fn a_stump_finds_the_threshold_that_gains_most() {
        // Trafilatura wins where signal 3 is low.
        let examples = [
            example(-0.5, 0.2),
            example(-0.3, 0.1),
            example(0.1, -0.05),
            example(0.4, -0.3),
        ];
        let fitted = Model::Stump.fit(&examples);
        assert_eq!(
            fitted,
            Fitted::Stump(Some(SignalThreshold {
                feature: 3,
                threshold_millionths: -100_000,
                above: false
            })),
            "{}",
            fitted.describe()
        );
        assert_eq!(
            fitted.as_options().unwrap().selector,
            Some(SignalThreshold::new(3, -0.1, false))
        );
        assert!(fitted.picks_trafilatura(&example(-0.2, 0.0).features));
        assert!(!fitted.picks_trafilatura(&example(0.0, 0.0).features));
    }

    #[test]
    fn a_stump_that_gains_nothing_keeps_readability() {
        let examples = [example(0.1, -0.1), example(0.2, -0.2)];
        let fitted = Model::Stump.fit(&examples);
        assert_eq!(fitted.describe(), "always readability");
        assert!(!fitted.picks_trafilatura(&example(5.0, 0.0).features));
    }

    #[test]
    fn the_logistic_selector_learns_the_side_that_gains() {
        let examples: Vec<Example> = (0..40)
            .map(|i| {
                let signal = f64::from(i) / 10.0 - 2.0;
                example(signal, if signal > 0.3 { 0.1 } else { -0.1 })
            })
            .collect();
        let fitted = Model::Logistic.fit(&examples);
        assert!(
            fitted.picks_trafilatura(&example(1.5, 0.0).features),
            "{fitted:?}"
        );
        assert!(!fitted.picks_trafilatura(&example(-1.5, 0.0).features));
        let Fitted::Logistic { weights, .. } = &fitted else {
            panic!("{fitted:?}");
        };
        assert!(weights[3] > 0.0);
        assert!(weights
            .iter()
            .enumerate()
            .all(|(j, w)| j == 3 || w.abs() < 1e-9));
    }

    #[test]
    fn the_logistic_selector_survives_constant_or_weightless_examples() {
        let same = [example(1.0, 0.0), example(1.0, 0.0)];
        let fitted = Model::Logistic.fit(&same);
        assert!(!fitted.picks_trafilatura(&same[0].features));
        assert!(!Model::Logistic
            .fit(&[])
            .picks_trafilatura(&same[0].features));
    }

    #[test]
    fn choices_are_made_without_the_page_they_score() {
        // Every page but one says "trafilatura when the signal is high"; the odd one out
        // (page 0) says the opposite. Left out of its own fit, page 0 gets the majority's
        // choice, not its own label.
        let mut examples: Vec<Example> = (0..12)
            .map(|i| {
                let signal = f64::from(i % 2);
                example(signal, if signal > 0.5 { 0.2 } else { -0.2 })
            })
            .collect();
        examples[0] = example(0.0, 0.3);
        let fold: Vec<usize> = (0..12).map(|i| i % 3).collect();
        let choices = learned_choices(Model::Stump, &examples, &fold, 3);
        assert_eq!(choices.views.len(), 4);
        assert!(choices.views.iter().all(|v| !v[0]));
        assert!(choices.views.iter().all(|v| v[1]));
    }

    #[test]
    fn gaussian_elimination_solves_a_small_system() {
        let x = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).unwrap();
        assert!(
            (x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12,
            "{x:?}"
        );
        assert!(solve([[0.0, 0.0], [0.0, 0.0]], [1.0, 1.0]).is_none());
    }
}
