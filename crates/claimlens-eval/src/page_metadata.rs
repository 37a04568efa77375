//! Page metadata (title, authors, published date, site name, language, canonical URL)
//! against hand labels of article-extraction benchmark pages (`data/page-metadata/`).
//!
//! Each labelled page goes through [`claimlens_ingest::html::extract_article`] with its
//! benchmark URL, and each field is compared after a normalisation that removes only
//! differences of form, never of fact:
//!
//! * **title**: lower-cased; curly quotes made straight, en and em dashes made `-`, `…` made
//!   `...`; white space collapsed. A site-name suffix (`Headline | Outlet`) is a mistake.
//! * **authors**: the set of names, each lower-cased with a leading `by` removed; the label
//!   separates names with `;`, an extracted byline is split at `,`, `;`, `&` and ` and `.
//!   Credentials after a comma (`, MS`) therefore count as extra names: a mistake.
//! * **published**: the calendar day `YYYY-MM-DD` as the value writes it (ISO prefix, or a
//!   `May 12, 2021` / `12 May 2021` date); a UTC time stamp whose day differs from the day the
//!   page shows is a mistake.
//! * **site name**: lower-cased letters and digits only, a leading `the` dropped.
//! * **language**: the primary subtag (`en-GB` → `en`).
//! * **canonical URL**: scheme, `www.`, a trailing `/` and a `#fragment` ignored; host
//!   lower-cased.
//!
//! A label may list alternatives separated by `|` (any one matches); `-` means the page
//! shows no such value, and then only an empty extraction is right.
//!
//! The labelled pages are split in two halves by a hash of the page id
//! ([`half_of`]): fixes to the extractor are chosen on the `dev` half, and the
//! `held-out` half reports what they are worth on pages that did not guide them.

use std::fmt;
use std::path::Path;

use claimlens_core::Metadata;
use claimlens_ingest::html::extract_article;
use serde::Serialize;

use crate::calibration_fit::fold_key;
use crate::extraction::read_benchmark;
use crate::tsv;
use crate::EvalError;

/// The fields compared, in table order.
pub const FIELDS: [Field; 6] = [
    Field::Title,
    Field::Authors,
    Field::Published,
    Field::SiteName,
    Field::Language,
    Field::CanonicalUrl,
];

/// One metadata field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Headline.
    Title,
    /// Byline names.
    Authors,
    /// Publication day.
    Published,
    /// Outlet.
    SiteName,
    /// Language.
    Language,
    /// Canonical URL.
    CanonicalUrl,
}

impl Field {
    /// The column name in the label table.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Authors => "authors",
            Field::Published => "published",
            Field::SiteName => "site_name",
            Field::Language => "language",
            Field::CanonicalUrl => "canonical_url",
        }
    }

    fn extracted(self, meta: &Metadata) -> Option<&str> {
        match self {
            Field::Title => meta.title.as_deref(),
            Field::Authors => meta.author.as_deref(),
            Field::Published => meta.published.as_deref(),
            Field::SiteName => meta.outlet.as_deref(),
            Field::Language => meta.language.as_deref(),
            Field::CanonicalUrl => meta.url.as_deref(),
        }
    }

    /// The normalised form of a value (label alternative or extraction); `None` for no value.
    pub fn normalise(self, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() || value == "-" {
            return None;
        }
        let normal = match self {
            Field::Title => normal_text(value),
            Field::Authors => {
                let mut names = author_names(value);
                names.sort();
                names.dedup();
                names.join("; ")
            }
            Field::Published => calendar_day(value)?,
            Field::SiteName => {
                let letters: String = value
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                    .collect();
                let letters = letters.trim_start();
                let letters = letters.strip_prefix("the ").unwrap_or(letters);
                letters.split_whitespace().collect()
            }
            Field::Language => value
                .split(['-', '_'])
                .next()
                .unwrap_or(value)
                .to_ascii_lowercase(),
            Field::CanonicalUrl => normal_url(value),
        };
        (!normal.is_empty()).then_some(normal)
    }
}

fn normal_text(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => '\''.to_string(),
            '\u{201c}' | '\u{201d}' | '\u{201f}' => '"'.to_string(),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => "-".to_string(),
            '\u{2026}' => "...".to_string(),
            other => other.to_lowercase().collect(),
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn author_names(s: &str) -> Vec<String> {
    let lower = normal_text(s);
    lower
        .split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(|name| {
            let name = name.trim();
            name.strip_prefix("by ").unwrap_or(name).trim().to_owned()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The `YYYY-MM-DD` day a date value writes: an ISO prefix anywhere, or a day, an English
/// month name and a four-digit year in either order.
fn calendar_day(s: &str) -> Option<String> {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        if digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10) {
            return Some(s[i..i + 10].to_owned());
        }
    }
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (at, month) = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| MONTHS.iter().position(|m| w.starts_with(m)).map(|m| (i, m)))?;
    let year = words
        .iter()
        .find(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))?;
    // The day stands next to the month name: "May 12", "12th May".
    let day_word = |i: usize| {
        let w = words.get(i)?;
        let digits = w.trim_end_matches(char::is_alphabetic);
        let suffix = &w[digits.len()..];
        let ok = (1..=2).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && ["", "st", "nd", "rd", "th"].contains(&suffix);
        ok.then(|| digits.parse::<u32>().ok())
            .flatten()
            .filter(|d| (1..=31).contains(d))
    };
    let day = day_word(at + 1).or_else(|| at.checked_sub(1).and_then(day_word))?;
    Some(format!("{year}-{:02}-{day:02}", month + 1))
}

fn normal_url(s: &str) -> String {
    let s = s.trim();
    let s = s.split('#').next().unwrap_or(s);
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    format!("{host}{}", path.trim_end_matches('/'))
}

/// Which half of the labelled pages an id belongs to: 0 is `dev` (fixes are chosen on
/// it), 1 is `held-out`.
pub fn half_of(id: &str) -> usize {
    (fold_key(id) % 2) as usize
}

/// One labelled page.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    /// Benchmark page id.
    pub id: String,
    /// The label per field, in [`FIELDS`] order (alternatives separated by `|`).
    pub labels: Vec<String>,
}

/// Reads the label table (`id`, then one column per field in [`FIELDS`] order).
pub fn read_labels(path: &Path) -> Result<Vec<LabelledPage>, EvalError> {
    tsv::read(path, |content, path| {
        tsv::rows(content, path, "id")?
            .into_iter()
            .map(|row| {
                tsv::check_columns(path, row.line, &row.cols, &[1 + FIELDS.len()])?;
                Ok(LabelledPage {
                    id: row.cols[0].to_owned(),
                    labels: row.cols[1..].iter().map(|s| (*s).to_owned()).collect(),
                })
            })
            .collect()
    })
}

/// Whether an extracted value matches a label (any of its alternatives).
pub fn matches(field: Field, label: &str, extracted: Option<&str>) -> bool {
    let got = extracted.and_then(|v| field.normalise(v));
    let alternatives: Vec<Option<String>> =
        label.split('|').map(|alt| field.normalise(alt)).collect();
    alternatives.contains(&got)
}

/// Right and total per field for one half.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldCounts {
    /// Pages whose value matched, per field in [`FIELDS`] order.
    pub right: Vec<usize>,
    /// Pages compared.
    pub pages: usize,
}

impl FieldCounts {
    fn accuracy(&self, field: usize) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            self.right[field] as f64 / self.pages as f64
        }
    }
}

/// One mismatch.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// Page id.
    pub id: String,
    /// The field.
    pub field: Field,
    /// The label.
    pub expected: String,
    /// What was extracted (empty when nothing).
    pub extracted: String,
}

/// Per-field accuracy on the two halves of the labelled pages.
#[derive(Debug, Clone, Serialize)]
pub struct MetadataReport {
    /// Counts on the `dev` half, the `held-out` half, and all pages.
    pub dev: FieldCounts,
    /// The held-out half.
    pub held_out: FieldCounts,
    /// Both halves.
    pub all: FieldCounts,
    /// Mismatches on the dev half only (the held-out half's are not shown, so they cannot
    /// guide fixes).
    pub dev_mismatches: Vec<Mismatch>,
}

impl MetadataReport {
    /// Accuracy of `field` over all labelled pages.
    pub fn accuracy(&self, field: Field) -> f64 {
        let i = FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        self.all.accuracy(i)
    }
}

/// Scores the metadata of every labelled page; `benchmark` is the article-extraction
/// directory holding the pages.
pub fn evaluate_metadata(labels: &Path, benchmark: &Path) -> Result<MetadataReport, EvalError> {
    let labelled = read_labels(labels)?;
    let pages = read_benchmark(benchmark, 1)?;
    let empty = || FieldCounts {
        right: vec![0; FIELDS.len()],
        pages: 0,
    };
    let (mut dev, mut held_out, mut all) = (empty(), empty(), empty());
    let mut dev_mismatches = Vec::new();
    for label in &labelled {
        let Some(page) = pages.iter().find(|p| p.id == label.id) else {
            return Err(EvalError::MissingData(
                benchmark.join("html").join(format!("{}.html.gz", label.id)),
            ));
        };
        let meta = extract_article(&page.html, page.url.as_deref())
            .map(|a| a.meta)
            .unwrap_or_default();
        let half = half_of(&label.id);
        for counts in [&mut all, if half == 0 { &mut dev } else { &mut held_out }] {
            counts.pages += 1;
        }
        for (i, field) in FIELDS.iter().enumerate() {
            let got = field.extracted(&meta);
            if matches(*field, &label.labels[i], got) {
                all.right[i] += 1;
                if half == 0 {
                    dev.right[i] += 1;
                } else {
                    held_out.right[i] += 1;
                }
            } else if half == 0 {
                dev_mismatches.push(Mismatch {
                    id: label.id.clone(),
                    field: *field,
                    expected: label.labels[i].clone(),
                    extracted: got.unwrap_or_default().to_owned(),
                });
            }
        }
    }
    Ok(MetadataReport {
        dev,
        held_out,
        all,
        dev_mismatches,
    })
}

impl fmt::Display for MetadataReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "page metadata, accuracy per field (dev {} pages, held-out {}, all {})",
            self.dev.pages, self.held_out.pages, self.all.pages
        )?;
        write!(
            f,
            "  {:<14} {:>7} {:>9} {:>7}",
            "field", "dev", "held-out", "all"
        )?;
        for (i, field) in FIELDS.iter().enumerate() {
            write!(
                f,
                "\n  {:<14} {:>7.3} {:>9.3} {:>7.3}",
                field.name(),
                self.dev.accuracy(i),
                self.held_out.accuracy(i),
                self.all.accuracy(i)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_ignore_case_quotes_and_dashes_but_not_suffixes() {
        let label = "Star Wars Jedi: Fallen Order review – it’s good";
        assert!(matches(
            Field::Title,
            label,
            Some("star wars jedi: fallen order review - it's good")
        ));
        assert!(!matches(
            Field::Title,
            label,
            Some("Star Wars Jedi: Fallen Order review – it’s good | VG247")
        ));
        assert!(matches(Field::Title, "A|B headline", Some("b headline")));
    }

    #[test]
    fn authors_are_compared_as_sets_of_names() {
        assert!(matches(
            Field::Authors,
            "Lia Eustachewich; Yaron Steinbuch",
            Some("By Yaron Steinbuch and Lia Eustachewich")
        ));
        assert!(matches(
            Field::Authors,
            "Kevin Johnson; Kevin McCoy",
            Some("Kevin Johnson, Kevin McCoy")
        ));
        assert!(!matches(
            Field::Authors,
            "Ilana Muhlstein",
            Some("Ilana Muhlstein, MS, RDN")
        ));
        assert!(matches(Field::Authors, "-", None));
        assert!(!matches(Field::Authors, "-", Some("PTI")));
        assert!(!matches(Field::Authors, "Mike Wall", None));
    }

    #[test]
    fn dates_compare_the_written_day() {
        for value in [
            "2019-11-18T20:51:19+00:00",
            "18 Nov 2019",
            "November 18th, 2019",
            "Nov. 18, 2019 8:03 am ET",
        ] {
            assert_eq!(
                calendar_day(value).as_deref(),
                Some("2019-11-18"),
                "{value}"
            );
        }
        assert!(!matches(
            Field::Published,
            "2019-11-19",
            Some("2019-11-20T04:31:13+00:00")
        ));
        assert_eq!(calendar_day("no date"), None);
    }

    #[test]
    fn site_names_language_and_urls_normalise_form_only() {
        assert!(matches(
            Field::SiteName,
            "The Detroit News",
            Some("detroitnews")
        ));
        assert!(matches(
            Field::SiteName,
            "Space.com|Space",
            Some("Space.com")
        ));
        assert!(!matches(
            Field::SiteName,
            "Practical Horseman",
            Some("Expert how-to for English Riders")
        ));
        assert!(matches(Field::Language, "en", Some("en-GB")));
        assert!(matches(Field::Language, "pt", Some("pt_BR")));
        assert!(matches(
            Field::CanonicalUrl,
            "https://www.x.example/a/",
            Some("http://x.example/a#top")
        ));
        assert!(!matches(
            Field::CanonicalUrl,
            "https://x.example/a",
            Some("https://x.example/b")
        ));
    }

    #[test]
    fn halves_are_fixed_by_id() {
        assert_eq!(half_of("abc"), half_of("abc"));
        let dev = (0..200)
            .filter(|i| half_of(&format!("{i:064x}")) == 0)
            .count();
        assert!((70..130).contains(&dev), "{dev}");
    }
}
