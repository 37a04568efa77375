//! Persuasion techniques on SemEval-2023 Task 3 (subtask 3) data.
//!
//! * [`read`] (from [`crate::semeval_layout`]): a folder of `article<ID>.txt` files, the
//!   paragraph labels and, when given, the span label files.
//! * [`training_docs`]: the articles segmented, their gold spans in bytes, as the trainer
//!   wants them.
//! * [`evaluate`]: a model's predictions scored as the official subtask-3 scorer does
//!   (micro-F1 over all (paragraph, technique) pairs, macro-F1 over techniques with gold
//!   paragraphs), plus span F1 by the SemEval-2020 Task 11 partial-overlap measure, technique-
//!   aware and technique-agnostic, and a per-technique table.
//! * [`cross_validate`]: k folds of articles fixed by a hash of the article id; each fold
//!   scored by a model trained (thresholds and calibration included) on the other folds,
//!   beside a paragraph-level logistic-regression baseline trained the same way.
//! * Reliability of the scores, per source of the span (lexicon, tagger, sentence
//!   classifier): Brier score and ten-bin expected calibration error of every predicted
//!   span's score, right when a gold span of the same technique overlaps it, before the
//!   span calibration map (the uncalibrated score) and after it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};
use std::path::{Path, PathBuf};

use claimlens_analyzers::techniques::catalogue::{self, TECHNIQUES};
use claimlens_analyzers::techniques::model::{self, Evidence, Model, Scratch};
use claimlens_analyzers::techniques::overlap::OverlapStats;
use claimlens_analyzers::techniques::train::{self, TrainOptions, TrainingDoc};
use claimlens_analyzers::Segmenter;
use claimlens_core::{Doc, Span, Stage};
use serde::Serialize;

use crate::calibration::Calibration;
use crate::semeval_layout::line_of;
pub use crate::semeval_layout::{read, Article, Data};
pub use crate::technique_scores::{describe_choice, SourceReliability};
use crate::technique_scores::{write_reliability, SOURCES};
use crate::{Counts, EvalError, Report};

/// The model embedded in the binary.
pub fn embedded_model() -> Result<&'static Model, EvalError> {
    Ok(model::embedded()?)
}

/// FNV-1a of the article id: its fold, fixed whatever the folder's order.
pub fn group_of(id: &str) -> u64 {
    group_in_partition(id, 0)
}

/// The article's group in partition `partition` of the articles: partition 0 is
/// [`group_of`]; any other mixes the partition's number into the id's hash through a full
/// avalanche (MurmurHash3's finaliser), so every fold count draws its folds afresh. (FNV's
/// low bits depend only on the low bits of its input, so a number hashed in before the id
/// would only relabel the folds of a power of two.)
pub fn group_in_partition(id: &str, partition: u64) -> u64 {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    if partition == 0 {
        return h;
    }
    let mut x = h ^ partition.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The articles segmented, with their gold spans, for the trainer and the scorer.
pub fn training_docs(data: &Data) -> Vec<TrainingDoc> {
    training_docs_in(data, 0)
}

/// [`training_docs`] grouped by partition `partition` ([`group_in_partition`]).
fn training_docs_in(data: &Data, partition: u64) -> Vec<TrainingDoc> {
    data.articles
        .iter()
        .map(|a| {
            let mut doc = Doc::new(a.id.clone(), a.text.clone());
            Segmenter.run(&mut doc);
            TrainingDoc {
                doc,
                spans: a.spans.clone(),
                group: group_in_partition(&a.id, partition),
            }
        })
        .collect()
}

/// One technique's row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TechniqueRow {
    /// Technique name.
    pub technique: &'static str,
    /// Paragraph counts.
    pub paragraphs: Counts,
    /// Paragraph F1.
    pub paragraph_f1: f64,
    /// Span F1 (partial overlap).
    pub span_f1: f64,
    /// Gold spans.
    pub gold_spans: usize,
    /// Predicted spans.
    pub predicted_spans: usize,
}

/// Paragraph scores of one system.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParagraphScores {
    /// Micro counts over all (paragraph, technique) pairs.
    pub micro: Counts,
    /// Micro precision.
    pub precision: f64,
    /// Micro recall.
    pub recall: f64,
    /// Micro F1.
    pub micro_f1: f64,
    /// Mean F1 over techniques with gold paragraphs.
    pub macro_f1: f64,
}

/// Span scores (partial overlap).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct SpanScores {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl From<OverlapStats> for SpanScores {
    fn from(s: OverlapStats) -> Self {
        SpanScores {
            precision: s.precision(),
            recall: s.recall(),
            f1: s.f1(),
        }
    }
}

/// An evaluation's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TechniquesReport {
    /// What was scored (`embedded model` or `5-fold cross-validation by article`).
    pub mode: String,
    /// The data folder.
    pub articles_dir: PathBuf,
    /// Articles scored.
    pub articles: usize,
    /// Labelled paragraphs (lines).
    pub paragraphs: usize,
    /// Labels naming no known technique (skipped).
    pub unknown_labels: usize,
    /// The stage's paragraph scores.
    pub paragraph: ParagraphScores,
    /// Span F1, technique-aware (None without span labels).
    pub spans: Option<SpanScores>,
    /// Span F1, technique-agnostic.
    pub spans_agnostic: Option<SpanScores>,
    /// Per technique.
    pub per_technique: Vec<TechniqueRow>,
    /// The paragraph-level logistic-regression baseline, when cross-validated.
    pub baseline: Option<ParagraphScores>,
    /// Words per second of the stage's prediction (one core).
    pub words_per_second: f64,
    /// Reliability of the predicted spans' scores, per source.
    pub reliability: Vec<SourceReliability>,
    /// Per outer fold (cross-validation only): how its span maps were chosen.
    pub map_choices: Vec<String>,
}

/// Accumulates scores over articles.
#[derive(Default)]
struct Tally {
    per: Vec<Counts>,
    aware: Vec<OverlapStats>,
    agnostic: OverlapStats,
    paragraphs: usize,
    words: usize,
    seconds: f64,
    /// Per source: (before, after).
    reliability: [(Calibration, Calibration); 3],
}

impl Tally {
    fn new() -> Tally {
        Tally {
            per: vec![Counts::default(); TECHNIQUES.len()],
            aware: vec![OverlapStats::default(); TECHNIQUES.len()],
            ..Tally::default()
        }
    }

    /// Scores paragraph predictions (line → techniques) of one article.
    fn paragraphs(&mut self, a: &Article, predicted: &BTreeMap<u32, BTreeSet<u8>>) {
        let empty = BTreeSet::new();
        for (line, gold) in &a.lines {
            self.paragraphs += 1;
            let pred = predicted.get(line).unwrap_or(&empty);
            for t in 0..TECHNIQUES.len() as u8 {
                let c = &mut self.per[usize::from(t)];
                c.record(pred.contains(&t), gold.contains(&t));
            }
        }
    }

    /// Scores span predictions (technique, byte span) of one article, in code points.
    fn spans(&mut self, a: &Article, predicted: &[(u8, Span)]) {
        let chars = |s: Span| {
            let c = |b: u32| a.text[..b as usize].chars().count() as u32;
            (c(s.start), c(s.end))
        };
        let p: Vec<(u8, (u32, u32))> = predicted.iter().map(|&(t, s)| (t, chars(s))).collect();
        let g: Vec<(u8, (u32, u32))> = a.spans.iter().map(|&(t, s)| (t, chars(s))).collect();
        let only = |v: &[(u8, (u32, u32))], t: u8| -> Vec<(u32, u32)> {
            v.iter().filter(|x| x.0 == t).map(|x| x.1).collect()
        };
        for t in 0..TECHNIQUES.len() as u8 {
            self.aware[usize::from(t)].add(OverlapStats::of(&only(&p, t), &only(&g, t)));
        }
        let all = |v: &[(u8, (u32, u32))]| v.iter().map(|x| x.1).collect::<Vec<_>>();
        self.agnostic.add(OverlapStats::of(&all(&p), &all(&g)));
    }

    fn paragraph_scores(&self) -> ParagraphScores {
        let mut micro = Counts::default();
        for c in &self.per {
            micro.add(*c);
        }
        let with_gold: Vec<f64> = self
            .per
            .iter()
            .filter(|c| c.tp + c.fn_ > 0)
            .map(Counts::f1)
            .collect();
        ParagraphScores {
            micro,
            precision: micro.precision(),
            recall: micro.recall(),
            micro_f1: micro.f1(),
            macro_f1: with_gold.iter().sum::<f64>() / with_gold.len().max(1) as f64,
        }
    }

    fn report(&self, data: &Data, dir: &Path, mode: String, with_spans: bool) -> TechniquesReport {
        let mut aware = OverlapStats::default();
        for s in &self.aware {
            aware.add(*s);
        }
        let per_technique = (0..TECHNIQUES.len())
            .filter(|&t| {
                self.per[t].tp + self.per[t].fn_ + self.per[t].fp > 0 || self.aware[t].gold > 0
            })
            .map(|t| TechniqueRow {
                technique: catalogue::name(t),
                paragraphs: self.per[t],
                paragraph_f1: self.per[t].f1(),
                span_f1: self.aware[t].f1(),
                gold_spans: self.aware[t].gold,
                predicted_spans: self.aware[t].predicted,
            })
            .collect();
        TechniquesReport {
            mode,
            articles_dir: dir.to_owned(),
            articles: data.articles.len(),
            paragraphs: self.paragraphs,
            unknown_labels: data.unknown_labels,
            paragraph: self.paragraph_scores(),
            spans: with_spans.then(|| aware.into()),
            spans_agnostic: with_spans.then(|| self.agnostic.into()),
            per_technique,
            baseline: None,
            words_per_second: self.words as f64 / self.seconds.max(1e-9),
            reliability: SOURCES
                .iter()
                .zip(&self.reliability)
                .map(|(source, (before, after))| SourceReliability {
                    source,
                    before: before.clone(),
                    after: after.clone(),
                })
                .collect(),
            map_choices: Vec::new(),
        }
    }

    /// Predicts with `model` on one article and scores it.
    fn score(&mut self, model: &Model, a: &Article, d: &TrainingDoc, x: &mut Scratch) {
        let start = std::time::Instant::now();
        let predictions = model::predict(model, &d.doc, x);
        self.seconds += start.elapsed().as_secs_f64();
        self.words += d.doc.word_count();
        for p in &predictions {
            let right = a
                .spans
                .iter()
                .any(|&(t, g)| t == p.technique && g.start < p.span.end && p.span.start < g.end);
            let source = match p.evidence {
                Evidence::Lexicon(_) => 0,
                Evidence::Tagger { .. } => 1,
                Evidence::Classifier(_) => 2,
            };
            let (before, after) = &mut self.reliability[source];
            before.add(p.uncalibrated, right);
            after.add(p.score, right);
        }
        let mut lines: BTreeMap<u32, BTreeSet<u8>> = BTreeMap::new();
        for p in &predictions {
            lines
                .entry(line_of(&a.text, p.span.start))
                .or_default()
                .insert(p.technique);
        }
        self.paragraphs(a, &lines);
        let spans: Vec<(u8, Span)> = predictions.iter().map(|p| (p.technique, p.span)).collect();
        self.spans(a, &spans);
    }
}

/// Scores `model` on `data` (read from `dir`).
pub fn evaluate(model: &Model, data: &Data, dir: &Path, with_spans: bool) -> TechniquesReport {
    let docs = training_docs(data);
    let mut tally = Tally::new();
    let mut x = Scratch::default();
    for (a, d) in data.articles.iter().zip(&docs) {
        tally.score(model, a, d, &mut x);
    }
    tally.report(data, dir, "embedded model".into(), with_spans)
}

/// `folds`-fold cross-validation by article (see the module docs); `log` hears progress.
pub fn cross_validate(
    data: &Data,
    dir: &Path,
    folds: usize,
    opts: &TrainOptions,
    log: &dyn Fn(&str),
) -> TechniquesReport {
    cross_validate_partition(data, dir, folds, 0, opts, log)
}

/// [`cross_validate`] on partition `partition` of the articles ([`group_in_partition`]):
/// the same model scored on other folds, to see how much of a figure is the draw of the
/// folds.
pub fn cross_validate_partition(
    data: &Data,
    dir: &Path,
    folds: usize,
    partition: u64,
    opts: &TrainOptions,
    log: &dyn Fn(&str),
) -> TechniquesReport {
    let k = folds.max(2) as u64;
    let docs = training_docs_in(data, partition);
    let mut tally = Tally::new();
    let mut baseline = Tally::new();
    let mut x = Scratch::default();
    let mut map_choices = Vec::new();
    for f in 0..k {
        let fold_of = |d: &TrainingDoc| d.group % k;
        let (train_docs, test_docs): (Vec<usize>, Vec<usize>) =
            (0..docs.len()).partition(|&i| fold_of(&docs[i]) != f);
        let train_set: Vec<TrainingDoc> = train_docs
            .iter()
            .map(|&i| TrainingDoc {
                doc: docs[i].doc.clone(),
                spans: docs[i].spans.clone(),
                group: docs[i].group,
            })
            .collect();
        let (model, choices) = train::train_with_choices(&train_set, opts);
        for (source, choice) in [("lexicon", &choices.lexicon), ("tagger", &choices.tagger)] {
            map_choices.push(format!(
                "fold {}: {}",
                f + 1,
                describe_choice(source, choice.as_ref())
            ));
        }
        for &i in &test_docs {
            tally.score(&model, &data.articles[i], &docs[i], &mut x);
        }
        // Baseline: one logistic regression per technique over whole paragraphs.
        let (units, gold) = train::units(&train_set, true);
        let fitted = train::fit_classifiers(&units, &gold, &vec![0; gold.len()], opts);
        for &i in &test_docs {
            let d = &docs[i];
            let a = &data.articles[i];
            let mut lines: BTreeMap<u32, BTreeSet<u8>> = BTreeMap::new();
            let x = &mut x.features;
            x.reset();
            for p in &d.doc.paragraphs {
                let r = claimlens_core::tokens_within(&d.doc.tokens, p.span);
                x.extract(&d.doc, r.start, &d.doc.tokens[r]);
                for (t, c) in fitted.classifiers.iter().enumerate() {
                    if c.as_ref()
                        .is_some_and(|c| c.logistic.probability(&x.hashes) >= c.threshold)
                    {
                        lines
                            .entry(line_of(&a.text, p.span.start))
                            .or_default()
                            .insert(t as u8);
                    }
                }
            }
            baseline.paragraphs(a, &lines);
        }
        log(&format!(
            "fold {} of {k}: {} held-out articles",
            f + 1,
            test_docs.len()
        ));
    }
    let with_spans = data.articles.iter().any(|a| !a.spans.is_empty());
    let mode = match partition {
        0 => format!("{k}-fold cross-validation by article"),
        p => format!("{k}-fold cross-validation by article, partition {p}"),
    };
    let mut report = tally.report(data, dir, mode, with_spans);
    report.baseline = Some(baseline.paragraph_scores());
    report.map_choices = map_choices;
    report
}

fn paragraph_line(out: &mut dyn Write, name: &str, s: &ParagraphScores) -> fmt::Result {
    writeln!(
        out,
        "  {name:<34} micro P {:.3} R {:.3} F1 {:.3}   macro-F1 {:.3}   (tp {} fp {} fn {})",
        s.precision, s.recall, s.micro_f1, s.macro_f1, s.micro.tp, s.micro.fp, s.micro.fn_
    )
}

impl Report for TechniquesReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(
            out,
            "persuasion techniques on {} ({}; {} articles, {} labelled paragraphs{})",
            self.articles_dir.display(),
            self.mode,
            self.articles,
            self.paragraphs,
            if self.unknown_labels > 0 {
                format!(
                    ", {} labels naming no known technique skipped",
                    self.unknown_labels
                )
            } else {
                String::new()
            }
        )?;
        writeln!(out, "paragraphs (official subtask-3 measure):")?;
        paragraph_line(out, "claimlens", &self.paragraph)?;
        if let Some(b) = &self.baseline {
            paragraph_line(out, "baseline: paragraph LR (words+pairs)", b)?;
        }
        for (name, s) in [
            ("technique-aware", self.spans),
            ("technique-agnostic", self.spans_agnostic),
        ] {
            if let Some(s) = s {
                writeln!(
                    out,
                    "spans, partial overlap, {name}: P {:.3} R {:.3} F1 {:.3}",
                    s.precision, s.recall, s.f1
                )?;
            }
        }
        writeln!(
            out,
            "prediction speed: {:.0} words/s (one core)",
            self.words_per_second
        )?;
        if self.spans.is_some() {
            write_reliability(out, &self.reliability, &self.map_choices)?;
        }
        writeln!(
            out,
            "  {:<34} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>6}",
            "technique", "tp", "fp", "fn", "par-F1", "span-F1", "gold", "pred"
        )?;
        for r in &self.per_technique {
            writeln!(
                out,
                "  {:<34} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>6} {:>6}",
                r.technique,
                r.paragraphs.tp,
                r.paragraphs.fp,
                r.paragraphs.fn_,
                r.paragraph_f1,
                r.span_f1,
                r.gold_spans,
                r.predicted_spans
            )?;
        }
        Ok(())
    }

    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}
