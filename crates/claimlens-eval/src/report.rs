//! How an evaluation is shown: every report can be printed as a text table or as JSON, and
//! some also list their mistakes or put other tools' figures beside their own. The
//! `claimlens eval` command prints any [`Report`] the same way, so each of its tasks is only
//! "run the evaluation, print the report".

use std::fmt::{self, Display, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::agreement::Agreement;
use crate::attribution_model::AttributionRun;
use crate::calibration::Calibration;
use crate::calibration_fit::{cross_fit, BeforeAfter, FOLDS};
use crate::dates::DatesReport;
use crate::extraction::ExtractionReport;
use crate::ner::NerReport;
use crate::place_outputs::PlaceOutputsReport;
use crate::places::PlacesReport;
use crate::pos::PosReport;
use crate::sentences::SentenceReport;
use crate::speakers::SpeakerReport;
use crate::Counts;

/// A finished evaluation, ready to print.
pub trait Report {
    /// The report as text, every line ending in a newline.
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result;

    /// The report as pretty-printed JSON, without a final newline.
    fn to_json(&self) -> serde_json::Result<String>;

    /// The mistakes, as (heading, table with a line per mistake) per kind of mistake; none
    /// for evaluations that keep no list.
    fn mistakes(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The rows of the other tools in `baselines` (the JSON a `bench/` script writes:
    /// `results: {tool: {...}}`, optional `versions: {tool: version}`), in the layout of
    /// this report's table; nothing for evaluations without such a comparison.
    fn write_baselines(&self, _baselines: &Value, _out: &mut dyn Write) -> fmt::Result {
        Ok(())
    }
}

/// A report together with the data file it was computed on, which its heading names.
#[derive(Debug, Clone)]
pub struct OnFile<R> {
    /// The labelled data file.
    pub path: PathBuf,
    /// The scores.
    pub report: R,
}

impl<R> OnFile<R> {
    /// `report`, computed on `path`.
    pub fn new(path: &Path, report: R) -> OnFile<R> {
        OnFile {
            path: path.to_owned(),
            report,
        }
    }
}

fn pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value)
}

/// One row of the precision/recall/F1 table that sentences and NER share with their
/// baselines: precision, recall, F1, then tp, fp, fn as the source gives them (a baseline
/// file may lack them).
fn prf_row(
    out: &mut dyn Write,
    name: &str,
    [precision, recall, f1]: [f64; 3],
    [tp, fp, fn_]: [&dyn Display; 3],
) -> fmt::Result {
    writeln!(
        out,
        "  {name:<28} {precision:>7.4} {recall:>7.4} {f1:>7.4} {tp:>6} {fp:>6} {fn_:>6}"
    )
}

fn prf_header(out: &mut dyn Write, first: &str) -> fmt::Result {
    writeln!(
        out,
        "  {:<28} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        first, "P", "R", "F1", "tp", "fp", "fn"
    )
}

fn counts_row(out: &mut dyn Write, name: &str, c: &Counts) -> fmt::Result {
    prf_row(
        out,
        name,
        [c.precision(), c.recall(), c.f1()],
        [&c.tp, &c.fp, &c.fn_],
    )
}

/// Each tool of a baseline file with its display name (`tool version` when the file gives
/// the version) and its results.
fn baseline_tools(baselines: &Value) -> impl Iterator<Item = (String, &Value)> {
    let versions = &baselines["versions"];
    baselines["results"]
        .as_object()
        .into_iter()
        .flatten()
        .map(move |(tool, r)| {
            let name = match versions[tool].as_str() {
                Some(ver) => format!("{tool} {ver}"),
                None => tool.clone(),
            };
            (name, r)
        })
}

/// A number of a baseline's results; NaN when absent, so the row still prints.
fn number(r: &Value, key: &str) -> f64 {
    r[key].as_f64().unwrap_or(f64::NAN)
}

/// A baseline's row in the precision/recall/F1 table.
fn baseline_prf_row(out: &mut dyn Write, name: &str, r: &Value) -> fmt::Result {
    prf_row(
        out,
        name,
        [number(r, "precision"), number(r, "recall"), number(r, "f1")],
        [&r["tp"], &r["fp"], &r["fn"]],
    )
}

impl Report for OnFile<SentenceReport> {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        let r = &self.report;
        writeln!(
            out,
            "sentence boundaries on {} ({} documents, {} gold boundaries)",
            self.path.display(),
            r.docs,
            r.gold_boundaries
        )?;
        prf_header(out, "tool")?;
        let c = r.counts;
        prf_row(
            out,
            "claimlens",
            [r.precision, r.recall, r.f1],
            [&c.tp, &c.fp, &c.fn_],
        )
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(&self.report)
    }

    fn write_baselines(&self, baselines: &Value, out: &mut dyn Write) -> fmt::Result {
        for (name, r) in baseline_tools(baselines) {
            baseline_prf_row(out, &name, r)?;
        }
        Ok(())
    }
}

impl Report for crate::page_metadata::MetadataReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }

    fn mistakes(&self) -> Vec<(&'static str, String)> {
        let mut table = String::new();
        for m in &self.dev_mismatches {
            table.push_str(&format!(
                "  {}  {:<13} expected {:?}, extracted {:?}\n",
                &m.id[..m.id.len().min(12)],
                m.field.name(),
                m.expected,
                m.extracted
            ));
        }
        vec![("dev-half mismatches (id, field)", table)]
    }
}

impl Report for crate::extraction_cv::CvReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }
}

impl Report for ExtractionReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }

    /// Baseline tools are named without their version here, and labelled at the end.
    fn write_baselines(&self, baselines: &Value, out: &mut dyn Write) -> fmt::Result {
        for (tool, r) in baselines["results"].as_object().into_iter().flatten() {
            writeln!(
                out,
                "  {:<12} {:>9.4} {:>7.4} {:>7.4} {:>8.1}   ({})",
                tool,
                number(r, "precision"),
                number(r, "recall"),
                number(r, "f1"),
                number(r, "pages_per_s"),
                r["label"].as_str().unwrap_or("")
            )?;
        }
        Ok(())
    }
}

impl Report for OnFile<AttributionRun> {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        let run = &self.report;
        writeln!(
            out,
            "attribution on {} ({} documents)",
            self.path.display(),
            run.documents
        )?;
        writeln!(out, "{}", run.report)?;
        writeln!(
            out,
            "segmentation + tagging: {:.0} words/s on one core ({} words, {:.2} s)",
            run.words as f64 / run.seconds,
            run.words,
            run.seconds
        )?;
        writeln!(
            out,
            "span scores against exact matches (the embedded calibration, fitted on PolNeAR dev: \
             in-sample there): {}",
            run.calibration
        )?;
        let cross = run.cross_fitted();
        write_cross_fitted(out, &cross)
    }

    /// The scores with the calibration tables and their two summary figures added:
    /// `calibration` (the reported scores), `calibration_uncalibrated` and
    /// `calibration_cross_fitted`.
    fn to_json(&self) -> serde_json::Result<String> {
        let run = &self.report;
        let mut v = serde_json::to_value(&run.report)?;
        let cross = run.cross_fitted();
        for (key, c) in [
            ("calibration", &run.calibration),
            ("calibration_uncalibrated", &cross.before),
            ("calibration_cross_fitted", &cross.after),
        ] {
            v[key] = calibration_json(c)?;
        }
        pretty(&v)
    }
}

impl Report for Agreement {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(
            out,
            "second annotator against the reference on {} doubly annotated articles",
            self.articles
        )?;
        writeln!(out, "{}", self.report)
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(&self.report)
    }
}

impl Report for OnFile<NerReport> {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        let r = &self.report;
        writeln!(
            out,
            "NER on {} ({} documents, {} words), exact entity match:",
            self.path.display(),
            r.documents,
            r.words
        )?;
        prf_header(out, "")?;
        counts_row(out, "claimlens (all types)", &r.overall)?;
        for (t, c) in &r.per_type {
            counts_row(out, &format!("  {t}"), c)?;
        }
        writeln!(
            out,
            "  speed: {:.0} words/s on one core ({:.3} s)",
            r.words_per_sec(),
            r.elapsed.as_secs_f64()
        )?;
        let cross = cross_fit(&r.outcomes);
        writeln!(out, "entity scores against exact matches:")?;
        write_cross_fitted(out, &cross)
    }

    /// The scores with the tagging speed and the calibration tables
    /// (`calibration_uncalibrated`, `calibration_cross_fitted`) added.
    fn to_json(&self) -> serde_json::Result<String> {
        let mut v = serde_json::to_value(&self.report)?;
        v["words_per_sec"] = self.report.words_per_sec().into();
        let cross = cross_fit(&self.report.outcomes);
        v["calibration_uncalibrated"] = calibration_json(&cross.before)?;
        v["calibration_cross_fitted"] = calibration_json(&cross.after)?;
        pretty(&v)
    }

    /// Each baseline tagger with its per-type F1 and its speed relative to ours.
    fn write_baselines(&self, baselines: &Value, out: &mut dyn Write) -> fmt::Result {
        for (name, r) in baseline_tools(baselines) {
            baseline_prf_row(out, &name, r)?;
            if let Some(types) = r["per_type"].as_object() {
                for (t, c) in types {
                    writeln!(
                        out,
                        "  {:<28} {:>7.4} {:>7.4} {:>7.4}",
                        format!("  {t}"),
                        number(c, "precision"),
                        number(c, "recall"),
                        number(c, "f1")
                    )?;
                }
            }
            let wps = number(r, "words_per_sec");
            writeln!(
                out,
                "  speed: {wps:.0} words/s on one core; claimlens is {:.1}x faster",
                self.report.words_per_sec() / wps
            )?;
        }
        Ok(())
    }
}

impl Report for OnFile<PosReport> {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        let r = &self.report;
        writeln!(
            out,
            "part of speech ({}: {} sentences, {} tokens)\n  accuracy {:.4}   verb forms {:.4} ({} verbs)\n  {:.0} words/s on one core",
            self.path.display(),
            r.sentences,
            r.tokens,
            r.accuracy(),
            r.verb_accuracy(),
            r.verbs,
            r.words_per_sec
        )
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(&self.report)
    }
}

impl Report for SpeakerReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }

    fn mistakes(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "wrongly resolved (expected vs predicted)",
                self.errors_table(),
            ),
            (
                "counted correct by the surname rule only",
                self.surname_matches_table(),
            ),
        ]
    }
}

impl Report for DatesReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }

    fn mistakes(&self) -> Vec<(&'static str, String)> {
        let heading = "missed or wrongly normalised (expected vs predicted)";
        vec![(heading, self.mistakes_table())]
    }
}

impl Report for PlacesReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        pretty(self)
    }

    fn mistakes(&self) -> Vec<(&'static str, String)> {
        let heading = "missed or wrongly resolved (expected vs predicted)";
        vec![(heading, self.mistakes_table())]
    }
}

impl Report for PlaceOutputsReport {
    fn write_text(&self, out: &mut dyn Write) -> fmt::Result {
        writeln!(out, "{self}")
    }

    fn to_json(&self) -> serde_json::Result<String> {
        let mut v = serde_json::to_value(self)?;
        v["cross_fitted"]["before"] = calibration_json(&self.cross_fitted.before)?;
        v["cross_fitted"]["after"] = calibration_json(&self.cross_fitted.after)?;
        v["isotonic"] = calibration_json(&self.isotonic)?;
        v["platt_of_confidence"] = calibration_json(&self.platt_of_confidence)?;
        v["reported"] = calibration_json(&self.reported)?;
        serde_json::to_string_pretty(&v)
    }

    fn mistakes(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.changed.is_empty() {
            let heading = "outputs changed since labelling (left out of the figures)";
            out.push((heading, self.changed.concat()));
        }
        if !self.unlabelled.is_empty() {
            let heading = "outputs no row labels, as table rows to label (left out of the figures)";
            out.push((heading, self.unlabelled.concat()));
        }
        out
    }
}

/// The two held-out calibration lines shared by the attribution and entity reports.
fn write_cross_fitted(out: &mut dyn Write, cross: &BeforeAfter) -> fmt::Result {
    writeln!(
        out,
        "  uncalibrated (mean tag probability): {}",
        cross.before
    )?;
    writeln!(
        out,
        "  calibrated, cross-fitted over {FOLDS} folds of documents: {}",
        cross.after
    )
}

/// A calibration as JSON: its bins with the Brier score and ECE added.
fn calibration_json(c: &Calibration) -> serde_json::Result<Value> {
    let mut v = serde_json::to_value(c)?;
    v["brier"] = c.brier().into();
    v["ece"] = c.ece().into();
    v["smooth_ece"] = c.smooth_ece().into();
    Ok(v)
}
