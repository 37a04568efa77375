//! Reliability of the places stage's own outputs (`data/place-mentions/outputs-train.tsv`).
//!
//! A table of chosen mentions measures recall and resolution but never scores the places
//! the stage invents ("Google" resolved to a town), so it cannot say what a `PLACE` score
//! means. This table holds **every** `PLACE` the default pipeline outputs on a fixed sample
//! of articles, each labelled by reading its context:
//!
//! * `right`: a place mention resolved to the right entity (country and kind);
//! * `wrong-resolution`: a place, resolved to another entity (the Paris terror attacks
//!   resolved to Paris, Texas);
//! * `not-a-place`: a word, person, organisation or title the stage took for a place.
//!
//! Only `right` counts as right. Each row is matched to the `PLACE` the stage gives now at
//! the same span; a row whose output changed since labelling (gone, resolved elsewhere, or
//! scored differently) is reported and left out, as is any new output without a row.
//! The outcomes feed the `places` calibration map ([`crate::train::calibration`]) and its
//! cross-fitted figures.
//!
//! # Table
//!
//! Tab-separated with a header line:
//! `file offset mention name country kind score label note`. `file` is relative to the data
//! directory (`../shared/data`); `offset` counts **code points** (as the JSON export does);
//! `name`, `country`, `kind` are the stage's resolution; `score` its rule confidence (the
//! uncalibrated score). `#` lines are skipped.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use claimlens_analyzers::entities::EntityStage;
use claimlens_analyzers::gazetteer::Gazetteer;
use claimlens_analyzers::places::{
    calibration_raw, place_probability, raw_confidences, PlacesStage, PLACES_LAYER,
};
use claimlens_analyzers::Segmenter;
use claimlens_core::{Annotation, AttrValue, Doc, Span, Stage};
use serde::Serialize;

use crate::calibration::Calibration;
use crate::calibration_fit::{cross_fit, cross_fit_by, fold_key, BeforeAfter, Method, Outcome};
use crate::speakers::byte_span;
use crate::EvalError;

/// What a reader decided about one `PLACE` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputLabel {
    /// A place, resolved to the right entity.
    Right,
    /// A place, resolved to another entity.
    WrongResolution,
    /// Not a place mention at all.
    NotAPlace,
}

impl OutputLabel {
    /// Every label, in table order.
    pub const ALL: [OutputLabel; 3] = [
        OutputLabel::Right,
        OutputLabel::WrongResolution,
        OutputLabel::NotAPlace,
    ];

    /// Its spelling in the table.
    pub fn name(self) -> &'static str {
        match self {
            OutputLabel::Right => "right",
            OutputLabel::WrongResolution => "wrong-resolution",
            OutputLabel::NotAPlace => "not-a-place",
        }
    }

    fn parse(s: &str) -> Option<OutputLabel> {
        OutputLabel::ALL.into_iter().find(|l| l.name() == s)
    }
}

/// One labelled output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputRow {
    /// Article path relative to the data directory.
    pub file: String,
    /// Start, code points.
    pub offset: usize,
    /// The mention's text.
    pub mention: String,
    /// The stage's canonical name.
    pub name: String,
    /// The stage's ISO 3166-1 alpha-2 country.
    pub country: String,
    /// The stage's kind (`country`, `admin1`, `city`).
    pub kind: String,
    /// The stage's rule confidence when labelled.
    pub score: f32,
    /// The reader's label.
    pub label: OutputLabel,
    /// Free-text note.
    pub note: String,
    /// 1-based line in the table.
    pub line: u64,
}

/// The first column of the header, and the column that tells this table from a mentions
/// table.
const FIRST_COLUMN: &str = "file";
const LABEL_COLUMN: &str = "label";
const COLUMNS: usize = 9;

/// Whether the table at `path` is an outputs table (its header has a `label` column) rather
/// than a mentions table.
pub fn is_outputs_table(path: &Path) -> Result<bool, EvalError> {
    let content = crate::error::read_text(path)?;
    let header = content
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'));
    Ok(header.is_some_and(|h| h.split('\t').any(|c| c == LABEL_COLUMN)))
}

/// Reads an outputs table.
pub fn read_outputs_table(path: &Path) -> Result<Vec<OutputRow>, EvalError> {
    crate::tsv::read(path, parse_outputs_table)
}

/// Parses the table format (see the module docs).
pub fn parse_outputs_table(content: &str, path: &Path) -> Result<Vec<OutputRow>, EvalError> {
    let format = |line: u64, message: String| crate::tsv::format_error(path, line, message);
    let mut out = Vec::new();
    for crate::tsv::Row { line, cols } in crate::tsv::rows(content, path, FIRST_COLUMN)? {
        crate::tsv::check_columns(path, line, &cols, &[COLUMNS])?;
        let offset = cols[1]
            .parse()
            .map_err(|_| format(line, format!("bad offset `{}`", cols[1])))?;
        let score = cols[6]
            .parse::<f32>()
            .ok()
            .filter(|s| (0.0..=1.0).contains(s))
            .ok_or_else(|| {
                format(
                    line,
                    format!("bad score `{}` (a number in [0, 1])", cols[6]),
                )
            })?;
        let label = OutputLabel::parse(cols[7]).ok_or_else(|| {
            format(
                line,
                format!(
                    "bad label `{}` (right, wrong-resolution or not-a-place)",
                    cols[7]
                ),
            )
        })?;
        // A continent lies in no country: its country is empty.
        let country_ok = cols[4].len() == 2 || cols[4].is_empty() && cols[5] == "continent";
        if cols[2].is_empty() || !country_ok || cols[5].is_empty() {
            return Err(format(
                line,
                "empty mention, bad country or empty kind".into(),
            ));
        }
        out.push(OutputRow {
            file: cols[0].to_owned(),
            offset,
            mention: cols[2].to_owned(),
            name: cols[3].to_owned(),
            country: cols[4].to_owned(),
            kind: cols[5].to_owned(),
            score,
            label,
            note: cols[8].to_owned(),
            line,
        });
    }
    Ok(out)
}

/// The labelled outputs measured against the stage as it is now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlaceOutputsReport {
    /// Articles read.
    pub docs: usize,
    /// Rows matched to today's output and labelled `right`.
    pub right: usize,
    /// … labelled `wrong-resolution`.
    pub wrong_resolution: usize,
    /// … labelled `not-a-place`.
    pub not_a_place: usize,
    /// Rows whose output changed since labelling, one line each (left out of the figures).
    pub changed: Vec<String>,
    /// `PLACE` outputs on the table's articles that no row labels (left out), each as a
    /// table row with the label column left `?`, ready to be read and labelled.
    pub unlabelled: Vec<String>,
    /// Uncalibrated (rule confidence) and cross-fitted Platt-mapped scores.
    pub cross_fitted: BeforeAfter,
    /// Cross-fitted isotonic map of the same raw score: the alternative.
    pub isotonic: Calibration,
    /// Platt map of the rule confidence itself (not its log-odds), cross-fitted: the other
    /// alternative.
    pub platt_of_confidence: Calibration,
    /// The scores the layer reports now (the embedded map; in-sample when the map was
    /// fitted on this table).
    pub reported: Calibration,
    /// The matched rows as calibration outcomes.
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

impl PlaceOutputsReport {
    /// Rows matched to today's output.
    pub fn matched(&self) -> usize {
        self.right + self.wrong_resolution + self.not_a_place
    }
}

impl fmt::Display for PlaceOutputsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (right, wrong, spurious) = (self.right, self.wrong_resolution, self.not_a_place);
        writeln!(
            f,
            "place outputs ({} documents, {} labelled PLACE outputs: {right} right, {wrong} \
             wrong-resolution, {spurious} not-a-place; {} changed since labelling, {} unlabelled)",
            self.docs,
            self.matched(),
            self.changed.len(),
            self.unlabelled.len()
        )?;
        writeln!(
            f,
            "  share right {:.3}; cross-fitted over five folds of documents:",
            right as f64 / self.matched().max(1) as f64
        )?;
        writeln!(
            f,
            "  uncalibrated (rule confidence): {}",
            self.cross_fitted.before
        )?;
        writeln!(
            f,
            "  calibrated (held out):          {}",
            self.cross_fitted.after
        )?;
        for (what, c) in [
            ("isotonic map of the margin", &self.isotonic),
            (
                "Platt map of the rule confidence",
                &self.platt_of_confidence,
            ),
        ] {
            writeln!(
                f,
                "  instead, {what}: Brier {:.3}, ECE {:.3} (smoothed {:.3})",
                c.brier(),
                c.ece(),
                c.smooth_ece()
            )?;
        }
        write!(f, "  reported scores (embedded map): {}", self.reported)
    }
}

/// Reads the table and its articles under `data`, runs segmentation, entities and places as
/// the default pipeline does, and measures the labelled outputs.
pub fn evaluate_place_outputs(data: &Path, table: &Path) -> Result<PlaceOutputsReport, EvalError> {
    let rows = read_outputs_table(table)?;
    let g = Gazetteer::try_embedded()?;
    let mut by_file: BTreeMap<&str, Vec<&OutputRow>> = BTreeMap::new();
    for r in &rows {
        by_file.entry(r.file.as_str()).or_default().push(r);
    }
    let mut report = PlaceOutputsReport {
        docs: by_file.len(),
        ..PlaceOutputsReport::default()
    };
    for (file, rows) in by_file {
        let text = crate::error::read_text(&data.join(file))?;
        let mut doc = Doc::new(file, text);
        Segmenter.run(&mut doc);
        EntityStage.run(&mut doc);
        PlacesStage.run(&mut doc);
        let confidences: BTreeMap<Span, f32> = raw_confidences(&doc, g).into_iter().collect();
        let places: Vec<&Annotation> = doc
            .layer(PLACES_LAYER)
            .map(|l| {
                l.annotations
                    .iter()
                    .filter(|a| a.label == "PLACE")
                    .collect()
            })
            .unwrap_or_default();
        let mut labelled = Vec::new();
        for row in rows {
            let end = row.offset + row.mention.chars().count();
            let span = byte_span(doc.text(), row.offset, end).ok_or_else(|| {
                crate::tsv::format_error(
                    table,
                    row.line,
                    format!("offset {} out of range", row.offset),
                )
            })?;
            if doc.slice(span) != row.mention {
                return Err(crate::tsv::format_error(
                    table,
                    row.line,
                    format!(
                        "mention {:?} does not match the text {:?}",
                        row.mention,
                        doc.slice(span)
                    ),
                ));
            }
            let now = places.iter().find(|a| a.span == span);
            let confidence = confidences.get(&span).copied();
            match (now, confidence) {
                (Some(a), Some(c)) if same_resolution(a, row) && c == row.score => {
                    labelled.push(span);
                    *match row.label {
                        OutputLabel::Right => &mut report.right,
                        OutputLabel::WrongResolution => &mut report.wrong_resolution,
                        OutputLabel::NotAPlace => &mut report.not_a_place,
                    } += 1;
                    let right = row.label == OutputLabel::Right;
                    report.outcomes.push(Outcome {
                        fold_key: fold_key(file),
                        score: c,
                        raw: calibration_raw(c),
                        right,
                    });
                    report.reported.add(place_probability(c), right);
                }
                (Some(a), c) => {
                    labelled.push(span);
                    report.changed.push(format!(
                        "  {}@{} {:?}: labelled {} ({}, {}) at {}, now {} ({}, {}) at {}\n",
                        row.file,
                        row.offset,
                        row.mention,
                        row.name,
                        row.country,
                        row.kind,
                        row.score,
                        str_attr(a, "name"),
                        str_attr(a, "country"),
                        str_attr(a, "kind"),
                        c.map_or_else(|| "?".to_owned(), |c| c.to_string())
                    ));
                }
                (None, _) => report.changed.push(format!(
                    "  {}@{} {:?}: labelled {} ({}, {}), now no PLACE there\n",
                    row.file, row.offset, row.mention, row.name, row.country, row.kind
                )),
            }
        }
        for a in places.iter().filter(|a| !labelled.contains(&a.span)) {
            let offset = doc.text()[..a.span.start as usize].chars().count();
            let score = confidences.get(&a.span).copied().unwrap_or(f32::NAN);
            report.unlabelled.push(format!(
                "{file}\t{offset}\t{}\t{}\t{}\t{}\t{score}\t?\t\n",
                doc.slice(a.span),
                str_attr(a, "name"),
                str_attr(a, "country"),
                str_attr(a, "kind"),
            ));
        }
    }
    report.cross_fitted = cross_fit(&report.outcomes);
    report.isotonic = cross_fit_by(&report.outcomes, Method::Isotonic).after;
    let of_confidence: Vec<Outcome> = report
        .outcomes
        .iter()
        .map(|o| Outcome { raw: o.score, ..*o })
        .collect();
    report.platt_of_confidence = cross_fit(&of_confidence).after;
    Ok(report)
}

fn same_resolution(a: &Annotation, row: &OutputRow) -> bool {
    str_attr(a, "name") == row.name
        && str_attr(a, "country") == row.country
        && str_attr(a, "kind") == row.kind
}

fn str_attr<'a>(a: &'a Annotation, key: &str) -> &'a str {
    match a.attr(key) {
        Some(AttrValue::Str(s)) => s,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "# a comment\n\
file\toffset\tmention\tname\tcountry\tkind\tscore\tlabel\tnote
a.txt\t13\tHama\tḨamāh\tSY\tcity\t0.95\tright\t
a.txt\t21\tSyria\tSyria\tSY\tcountry\t0.95\tnot-a-place\tlabelled wrong on purpose
";

    #[test]
    fn parses_labels_and_tells_the_tables_apart() {
        let rows = parse_outputs_table(TABLE, Path::new("t.tsv")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label, OutputLabel::Right);
        assert_eq!(rows[1].label, OutputLabel::NotAPlace);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[0].score, 0.95);
        let dir = std::env::temp_dir().join(format!("place-outputs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (outputs, mentions) = (dir.join("o.tsv"), dir.join("m.tsv"));
        std::fs::write(&outputs, TABLE).unwrap();
        std::fs::write(&mentions, "file\toffset\tmention\tgeonames_id\n").unwrap();
        assert!(is_outputs_table(&outputs).unwrap());
        assert!(!is_outputs_table(&mentions).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_bad_rows() {
        let h = "file\toffset\tmention\tname\tcountry\tkind\tscore\tlabel\tnote\n";
        for (row, want) in [
            ("a\t1\tm\tn\tSY\tcity\t0.9\tright", "columns"),
            ("a\tx\tm\tn\tSY\tcity\t0.9\tright\t", "bad offset"),
            ("a\t1\tm\tn\tSY\tcity\t1.5\tright\t", "bad score"),
            ("a\t1\tm\tn\tSY\tcity\t0.9\tmaybe\t", "bad label"),
            ("a\t1\tm\tn\tSYR\tcity\t0.9\tright\t", "bad country"),
        ] {
            let e = parse_outputs_table(&format!("{h}{row}\n"), Path::new("t")).unwrap_err();
            assert!(e.to_string().contains(want), "{row:?}: {e}");
        }
    }
}
