//! Reading cases from the formats fact-checkers and monitoring projects publish.
//!
//! Every reader takes the whole file (these exports are a few megabytes) and returns the
//! cases it could read plus every record it rejected, with the line (or, in JSON, the
//! element) and the reason, so nothing is dropped silently. A file that cannot be read at all
//! (not CSV/JSON, no known header) is an [`ImportError`].

mod claimreview;
mod clef;
mod euvsdisinfo;
mod tsv;

use std::collections::HashSet;
use std::fmt;

use crate::Case;

/// The file formats [`parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// EUvsDisinfo CSV exports: the 2015–2017 reports (`issue, date, outlet, …, title,
    /// summary, disproof`) or the case-title list (`date, id, title, countries, keywords,
    /// languages, outlets`), told apart by their header.
    EuVsDisinfo,
    /// schema.org ClaimReview JSON / JSON-LD: one object, an array, or an `@graph`.
    ClaimReview,
    /// The CLEF 2020 Task 2 verified claims, `verified_claims.docs.tsv` (`vclaim_id, vclaim,
    /// title`).
    Clef,
    /// A plain tab-separated file: `id, claim, title, verdict, url, date` (an optional header
    /// line starting with `id`; trailing columns may be left out).
    Tsv,
}

/// What [`parse`] read.
#[derive(Debug, Default)]
pub struct Imported {
    /// The cases, in file order; when an id repeats, only its last record is kept.
    pub cases: Vec<Case>,
    /// Records that could not be read.
    pub rejected: Vec<RejectedRecord>,
    /// Records whose `(source, id)` an earlier record of the same file already had.
    pub duplicates: u64,
    /// JSON-LD nodes that are not ClaimReviews (organisations, pages), passed over.
    pub other_nodes: u64,
}

/// A record that could not be read, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    /// The 1-based line (CSV, TSV, JSON syntax errors) or element (JSON) number.
    pub position: u64,
    /// `line` or `element`.
    pub unit: &'static str,
    /// Why.
    pub reason: String,
}

impl fmt::Display for RejectedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.unit, self.position, self.reason)
    }
}

/// A file that cannot be read as the format at all.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

/// Reads `bytes` as `format`. `source` names the cases' source when the format does not
/// (and overrides it when it does); `fallback_source` is used when neither does (the file
/// name, for a plain TSV).
pub fn parse(
    format: Format,
    bytes: &[u8],
    source: Option<&str>,
    fallback_source: &str,
) -> Result<Imported, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ImportError(format!(
            "not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Collector::default();
    match format {
        Format::EuVsDisinfo => euvsdisinfo::read(text, source.unwrap_or("euvsdisinfo"), &mut out)?,
        Format::ClaimReview => claimreview::read(text, source, &mut out)?,
        Format::Clef => clef::read(text, source.unwrap_or("clef2020"), &mut out)?,
        Format::Tsv => tsv::read(text, source.unwrap_or(fallback_source), &mut out)?,
    }
    Ok(out.finish())
}

/// Gathers cases and rejections; drops earlier records of a repeated id.
#[derive(Default)]
struct Collector {
    imported: Imported,
}

impl Collector {
    fn case(&mut self, case: Case) {
        self.imported.cases.push(case);
    }

    fn reject(&mut self, unit: &'static str, position: u64, reason: impl Into<String>) {
        self.imported.rejected.push(RejectedRecord {
            position,
            unit,
            reason: reason.into(),
        });
    }

    fn finish(mut self) -> Imported {
        // Keep the last record of each id, in file order.
        let mut seen = HashSet::new();
        let mut kept = Vec::with_capacity(self.imported.cases.len());
        for case in self.imported.cases.into_iter().rev() {
            if seen.insert((case.source.clone(), case.case_id.clone())) {
                kept.push(case);
            } else {
                self.imported.duplicates += 1;
            }
        }
        kept.reverse();
        self.imported.cases = kept;
        self.imported
    }
}

/// `Some(trimmed)` unless empty.
fn text(field: Option<&str>) -> Option<String> {
    field
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A stable id for a record that has none: FNV-1a 64 of its text, in hex. (Not a hash map's
/// hasher, whose output may change between Rust releases: ids must not.)
fn stable_id(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A CSV/TSV reader over `text` with headers and the given delimiter, every record the same
/// width (a short or long record is rejected with its line).
fn delimited(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// The 1-based line of a CSV error or record.
fn csv_line(position: Option<&csv::Position>) -> u64 {
    position.map_or(0, csv::Position::line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_fixed_and_separate_their_parts() {
        assert_eq!(stable_id(&["a"]), stable_id(&["a"]));
        assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
        assert_eq!(stable_id(&[]), "cbf29ce484222325");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused() {
        let err = parse(Format::Tsv, b"1\tclaim \xff\n", None, "t").unwrap_err();
        assert!(err.to_string().contains("offset 8"), "{err}");
    }
}
