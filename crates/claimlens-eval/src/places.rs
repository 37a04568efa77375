//! Place resolution on hand-labelled place mentions (`data/place-mentions/`).
//!
//! # What is measured
//!
//! For every labelled mention, the article it comes from is read from the shared data
//! (`<data>/<file>`), segmented and entity-tagged (the places stage reads the `entities`
//! layer, as in the default pipeline), and the places stage runs on it. The `PLACE` annotation
//! overlapping the labelled span is the prediction (the one starting at the same offset when
//! there are several).
//!
//! * **detected**: such an annotation exists;
//! * **correct**: it resolves to the expected place: the same GeoNames id when the label has
//!   one; otherwise the same country and kind and either the same folded name or a point
//!   within [`MAX_DISTANCE_KM`] of the expected one.
//!
//! Lookup cost is the places stage's wall time per document (segmentation excluded; the
//! fastest of three runs), after the gazetteer was loaded; the one-off load is reported
//! separately.
//!
//! # Table
//!
//! Tab-separated with a header line:
//! `file offset mention geonames_id name country kind lat lon note`. `file` is relative to
//! the data directory (`../shared/data`); `offset` counts **code points**; `mention` must equal
//! the text there. `geonames_id`, `lat` and `lon` may be empty. `#` lines are skipped.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use claimlens_analyzers::entities::EntityStage;
use claimlens_analyzers::gazetteer::{fold, Gazetteer};
use claimlens_analyzers::places::{calibration_raw, raw_confidences, PlacesStage, PLACES_LAYER};
use claimlens_analyzers::Segmenter;
use claimlens_core::{Annotation, AttrValue, Doc, Span, Stage};
use serde::Serialize;

use crate::calibration_fit::{fold_key, Outcome};

use crate::speakers::byte_span;
use crate::EvalError;

/// Largest distance between predicted and expected points that counts as the same place when
/// the label has no GeoNames id.
pub const MAX_DISTANCE_KM: f64 = 25.0;

/// Timed runs of the places stage per document; the fastest counts.
const RUNS: usize = 3;

/// One labelled mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceLabel {
    /// Article path relative to the data directory.
    pub file: String,
    /// Start, code points.
    pub offset: usize,
    /// The mention's text.
    pub mention: String,
    /// Expected GeoNames id.
    pub geonames_id: Option<u32>,
    /// Expected canonical name.
    pub name: String,
    /// Expected ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Expected kind (`country`, `admin1`, `city`, or a kind outside the gazetteer such as
    /// `region`).
    pub kind: String,
    /// Expected point, when given.
    pub point: Option<(f64, f64)>,
    /// Free-text note.
    pub note: String,
    /// 1-based line in the table.
    pub line: u64,
}

/// Reads a mentions table.
pub fn read_table(path: &Path) -> Result<Vec<PlaceLabel>, EvalError> {
    crate::tsv::read(path, parse_table)
}

/// Parses the table format (see the module docs).
pub fn parse_table(content: &str, path: &Path) -> Result<Vec<PlaceLabel>, EvalError> {
    let format = |line: u64, message: String| crate::tsv::format_error(path, line, message);
    let mut out = Vec::new();
    for crate::tsv::Row { line, cols } in crate::tsv::rows(content, path, "file")? {
        crate::tsv::check_columns(path, line, &cols, &[10])?;
        let offset = cols[1]
            .parse()
            .map_err(|_| format(line, format!("bad offset `{}`", cols[1])))?;
        let geonames_id = match cols[3] {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| format(line, format!("bad GeoNames id `{s}`")))?,
            ),
        };
        let point = match (cols[7].parse::<f64>(), cols[8].parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some((lat, lon)),
            _ => None,
        };
        if cols[2].is_empty() || cols[5].len() != 2 || cols[6].is_empty() {
            return Err(format(
                line,
                "empty mention, bad country or empty kind".into(),
            ));
        }
        out.push(PlaceLabel {
            file: cols[0].to_owned(),
            offset,
            mention: cols[2].to_owned(),
            geonames_id,
            name: cols[4].to_owned(),
            country: cols[5].to_owned(),
            kind: cols[6].to_owned(),
            point,
            note: cols[9].to_owned(),
            line,
        });
    }
    Ok(out)
}

/// The prediction for one label, kept for mistakes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCase {
    /// Article path.
    pub file: String,
    /// Start, code points.
    pub offset: usize,
    /// The mention.
    pub mention: String,
    /// `name (country, kind)` expected.
    pub expected: String,
    /// `name (country, kind)` predicted, or `(not detected)`.
    pub predicted: String,
    /// The places stage's rule.
    pub rule: String,
}

/// Counts over a group of labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Labels.
    pub total: usize,
    /// With a `PLACE` annotation.
    pub detected: usize,
    /// Resolved to the expected place.
    pub correct: usize,
}

impl Tally {
    fn add(&mut self, detected: bool, correct: bool) {
        self.total += 1;
        self.detected += usize::from(detected);
        self.correct += usize::from(correct);
    }

    /// `correct / total`.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    /// `detected / total`.
    pub fn detection(&self) -> f64 {
        ratio(self.detected, self.total)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Place-resolution scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlacesReport {
    /// Documents read.
    pub docs: usize,
    /// All labels.
    pub all: Tally,
    /// By expected kind.
    pub by_kind: BTreeMap<String, Tally>,
    /// `correct / total`.
    pub accuracy: f64,
    /// `correct / detected`.
    pub accuracy_on_detected: f64,
    /// One-off gazetteer load (decompress + parse), milliseconds.
    pub gazetteer_load_ms: f64,
    /// Mean places-stage time per document (fastest of three runs), microseconds.
    pub mean_us_per_doc: f64,
    /// Slowest document, microseconds.
    pub max_us_per_doc: f64,
    /// Every label not resolved correctly.
    pub mistakes: Vec<PlaceCase>,
    /// Every detected label's `PLACE` (file, span) and whether it was correct.
    #[serde(skip)]
    pub detected: Vec<(String, Span, bool)>,
    /// The detected labels as calibration outcomes (by [`evaluate_places`] only): the
    /// uncalibrated score is the resolver's rule confidence, the raw score its log-odds
    /// ([`calibration_raw`]). Chosen mentions only: the stage's spurious places are not
    /// among them ([`crate::place_outputs`] has those).
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

impl PlacesReport {
    /// Mistakes as a table, one per line.
    pub fn mistakes_table(&self) -> String {
        let mut out = String::new();
        for m in &self.mistakes {
            out.push_str(&format!(
                "  {}@{} {:?}: expected {}, predicted {} [{}]\n",
                m.file, m.offset, m.mention, m.expected, m.predicted, m.rule
            ));
        }
        out
    }
}

impl fmt::Display for PlacesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "place resolution ({} documents, {} labelled mentions)",
            self.docs, self.all.total
        )?;
        writeln!(
            f,
            "  {:<10} {:>6} {:>9} {:>8} {:>10} {:>9}",
            "kind", "total", "detected", "correct", "detection", "accuracy"
        )?;
        let rows = std::iter::once(("all", &self.all))
            .chain(self.by_kind.iter().map(|(k, t)| (k.as_str(), t)));
        for (name, t) in rows {
            writeln!(
                f,
                "  {:<10} {:>6} {:>9} {:>8} {:>10.4} {:>9.4}",
                name,
                t.total,
                t.detected,
                t.correct,
                t.detection(),
                t.accuracy()
            )?;
        }
        writeln!(
            f,
            "  accuracy on detected mentions: {:.4}",
            self.accuracy_on_detected
        )?;
        write!(
            f,
            "  lookup cost: {:.0} µs per document on average (max {:.0} µs); gazetteer load {:.1} ms once",
            self.mean_us_per_doc, self.max_us_per_doc, self.gazetteer_load_ms
        )
    }
}

/// Reads the table and the articles under `data`, runs segmentation and places, scores.
pub fn evaluate_places(data: &Path, table: &Path) -> Result<PlacesReport, EvalError> {
    let labels = read_table(table)?;
    let started = Instant::now();
    Gazetteer::embedded();
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut files: BTreeMap<&str, Doc> = BTreeMap::new();
    let mut raw: BTreeMap<(&str, Span), f32> = BTreeMap::new();
    let mut times = Vec::new();
    for l in &labels {
        if files.contains_key(l.file.as_str()) {
            continue;
        }
        let path: PathBuf = data.join(&l.file);
        let text = crate::error::read_text(&path)?;
        let mut doc = Doc::new(l.file.clone(), text);
        Segmenter.run(&mut doc);
        // As in the default pipeline, the places stage sees the entity layer.
        EntityStage.run(&mut doc);
        // The fastest of three runs: the machine is shared, and one slow run is noise.
        let mut fastest = f64::INFINITY;
        for _ in 0..RUNS {
            let mut copy = doc.clone();
            let t = Instant::now();
            PlacesStage.run(&mut copy);
            fastest = fastest.min(t.elapsed().as_secs_f64() * 1e6);
        }
        PlacesStage.run(&mut doc);
        if let Ok(g) = Gazetteer::try_embedded() {
            for (span, confidence) in raw_confidences(&doc, g) {
                raw.insert((l.file.as_str(), span), confidence);
            }
        }
        times.push(fastest);
        files.insert(&l.file, doc);
    }
    let mut report = score_places(&files, &labels, table)?;
    report.gazetteer_load_ms = load_ms;
    report.mean_us_per_doc = times.iter().sum::<f64>() / times.len().max(1) as f64;
    report.max_us_per_doc = times.iter().copied().fold(0.0, f64::max);
    report.outcomes = report
        .detected
        .iter()
        .filter_map(|(file, span, right)| {
            let &confidence = raw.get(&(file.as_str(), *span))?;
            Some(Outcome {
                fold_key: fold_key(file),
                score: confidence,
                raw: calibration_raw(confidence),
                right: *right,
            })
        })
        .collect();
    Ok(report)
}

/// Scores labels against documents on which the places stage already ran.
pub fn score_places(
    docs: &BTreeMap<&str, Doc>,
    labels: &[PlaceLabel],
    table: &Path,
) -> Result<PlacesReport, EvalError> {
    let format = |line: u64, message: String| EvalError::Format {
        path: table.to_owned(),
        line,
        message,
    };
    let mut report = PlacesReport {
        docs: docs.len(),
        ..PlacesReport::default()
    };
    for l in labels {
        let doc = docs
            .get(l.file.as_str())
            .ok_or_else(|| format(l.line, format!("no document `{}`", l.file)))?;
        let end_cp = l.offset + l.mention.chars().count();
        let span = byte_span(doc.text(), l.offset, end_cp)
            .ok_or_else(|| format(l.line, format!("offset {} out of range", l.offset)))?;
        if doc.slice(span) != l.mention {
            return Err(format(
                l.line,
                format!(
                    "mention {:?} does not match the text {:?}",
                    l.mention,
                    doc.slice(span)
                ),
            ));
        }
        let predicted = doc.layer(PLACES_LAYER).and_then(|layer| {
            let overlapping = layer.annotations.iter().filter(|a| {
                a.label == "PLACE" && a.span.start < span.end && span.start < a.span.end
            });
            overlapping.min_by_key(|a| (a.span.start != span.start, a.span.len()))
        });
        let correct = predicted.is_some_and(|a| resolves_to(a, l));
        if let Some(a) = predicted {
            report.detected.push((l.file.clone(), a.span, correct));
        }
        report.all.add(predicted.is_some(), correct);
        report
            .by_kind
            .entry(l.kind.clone())
            .or_default()
            .add(predicted.is_some(), correct);
        if !correct {
            report.mistakes.push(PlaceCase {
                file: l.file.clone(),
                offset: l.offset,
                mention: l.mention.clone(),
                expected: format!("{} ({}, {})", l.name, l.country, l.kind),
                predicted: predicted.map_or_else(
                    || "(not detected)".to_owned(),
                    |a| {
                        format!(
                            "{} ({}, {})",
                            str_attr(a, "name"),
                            str_attr(a, "country"),
                            str_attr(a, "kind")
                        )
                    },
                ),
                rule: predicted.map_or_else(String::new, |a| a.reason.rule.to_string()),
            });
        }
    }
    report.accuracy = report.all.accuracy();
    report.accuracy_on_detected = ratio(report.all.correct, report.all.detected);
    Ok(report)
}

fn str_attr<'a>(a: &'a Annotation, key: &str) -> &'a str {
    match a.attr(key) {
        Some(AttrValue::Str(s)) => s,
        _ => "",
    }
}

fn float_attr(a: &Annotation, key: &str) -> Option<f64> {
    match a.attr(key) {
        Some(AttrValue::Float(v)) => Some(*v),
        Some(AttrValue::Int(v)) => Some(*v as f64),
        _ => None,
    }
}

/// The matching rule of the module docs.
pub fn resolves_to(a: &Annotation, l: &PlaceLabel) -> bool {
    if let Some(id) = l.geonames_id {
        return a.attr("geonames_id") == Some(&AttrValue::Int(i64::from(id)));
    }
    if str_attr(a, "country") != l.country {
        return false;
    }
    let same_name = str_attr(a, "kind") == l.kind && fold(str_attr(a, "name")) == fold(&l.name);
    let near = match (l.point, float_attr(a, "lat"), float_attr(a, "lon")) {
        (Some((lat, lon)), Some(plat), Some(plon)) => {
            haversine_km(lat, lon, plat, plon) <= MAX_DISTANCE_KM
        }
        _ => false,
    };
    same_name || near
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "file\toffset\tmention\tgeonames_id\tname\tcountry\tkind\tlat\tlon\tnote
a.txt\t14\tHama\t170017\tḨamāh\tSY\tcity\t\t\t
a.txt\t33\tIdlib province\t\tIdlib\tSY\tadmin1\t\t\t
# comment
a.txt\t0\tShelling\t\tGolan Heights\tSY\tregion\t33.0\t35.75\tnot a place
";

    #[test]
    fn parses_and_scores_a_tiny_document() {
        let labels = parse_table(TABLE, Path::new("t.tsv")).unwrap();
        assert_eq!(labels.len(), 3);
        assert_eq!(labels[2].point, Some((33.0, 35.75)));
        assert_eq!(labels[1].geonames_id, None);
        let mut doc = Doc::new("a.txt", "Shelling hit Hama in Syria and Idlib province.");
        Segmenter.run(&mut doc);
        PlacesStage.run(&mut doc);
        let docs: BTreeMap<&str, Doc> = [("a.txt", doc)].into_iter().collect();
        // Offsets are code points: "Shelling hit " is 13 characters, so 14 is off by one.
        assert!(score_places(&docs, &labels, Path::new("t.tsv")).is_err());
        let fixed = TABLE
            .replace("a.txt\t14\tHama", "a.txt\t13\tHama")
            .replace("a.txt\t33\t", "a.txt\t31\t");
        let labels = parse_table(&fixed, Path::new("t.tsv")).unwrap();
        let report = score_places(&docs, &labels, Path::new("t.tsv")).unwrap();
        assert_eq!(report.all.total, 3);
        assert_eq!(report.all.correct, 2, "{}", report.mistakes_table());
        assert_eq!(report.mistakes.len(), 1);
        assert_eq!(report.mistakes[0].predicted, "(not detected)");
        assert_eq!(report.by_kind["admin1"].correct, 1);
        assert!(report.to_string().contains("lookup cost"));
    }

    #[test]
    fn rejects_bad_tables() {
        assert!(parse_table("x\n", Path::new("t")).is_err());
        assert!(parse_table("file\na\t1\n", Path::new("t")).is_err());
        assert!(parse_table("file\na\tx\tm\t\tn\tSY\tcity\t\t\t\n", Path::new("t")).is_err());
        assert!(parse_table("file\na\t1\tm\t\tn\tSYR\tcity\t\t\t\n", Path::new("t")).is_err());
    }

    #[test]
    fn distance() {
        let d = haversine_km(33.5102, 36.2913, 33.5718, 36.4027);
        assert!((d - 12.3).abs() < 1.0, "{d}");
    }
}
