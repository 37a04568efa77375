//! EUvsDisinfo CSV exports. Two layouts are known, told apart by their header:
//!
//! * reports (2015–2017): `issue, date, outlet, language, origin, reported by, keywords,
//!   source, title, summary, disproof`. Dates are `MM/DD/YY`; rows carry no id of their own,
//!   so the id is a stable hash of date, title and summary (the same report listed twice is
//!   one case); `source` (the outlet's article) becomes the url;
//! * case titles (to 2021): `date, id, title, countries, keywords, languages, outlets`, with
//!   the report's URL as id and url, and `+`-separated keywords.
//!
//! Every case is documented disinformation, so the verdict is `disinformation`.

use super::{csv_line, delimited, stable_id, text, Collector, ImportError};
use crate::Case;

/// The verdict EUvsDisinfo gives every case it lists.
const VERDICT: &str = "disinformation";

pub(super) fn read(input: &str, source: &str, out: &mut Collector) -> Result<(), ImportError> {
    let mut reader = delimited(input, b',');
    let headers = reader
        .headers()
        .map_err(|e| ImportError(format!("cannot read the CSV header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let reports = (column("title"), column("summary"), column("date"));
    let titles = (column("id"), column("title"), column("date"));
    let layout = match (reports, titles) {
        ((Some(title), Some(summary), Some(date)), _) => Layout::Reports {
            title,
            summary,
            date,
            keywords: column("keywords"),
            url: column("source"),
        },
        (_, (Some(id), Some(title), Some(date))) => Layout::Titles {
            id,
            title,
            date,
            keywords: column("keywords"),
        },
        _ => {
            return Err(ImportError(format!(
                "not a known EUvsDisinfo export: the header names neither title, summary and \
                 date nor date, id and title (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            )))
        }
    };
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.reject("line", csv_line(e.position()), e.to_string());
                continue;
            }
        };
        let line = csv_line(record.position());
        let field = |i: usize| text(record.get(i));
        let case = match layout {
            Layout::Reports {
                title,
                summary,
                date,
                keywords,
                url,
            } => {
                let (title, summary) = (field(title), field(summary));
                if title.is_none() && summary.is_none() {
                    out.reject("line", line, "no title and no summary");
                    continue;
                }
                let raw_date = field(date);
                let id = stable_id(&[
                    raw_date.as_deref().unwrap_or(""),
                    title.as_deref().unwrap_or(""),
                    summary.as_deref().unwrap_or(""),
                ]);
                Case {
                    source: source.to_owned(),
                    case_id: id,
                    title,
                    claim: None,
                    summary,
                    verdict: Some(VERDICT.to_owned()),
                    url: url.and_then(field),
                    date: raw_date.map(|d| us_short_date(&d).unwrap_or(d)),
                    keywords: split(keywords.and_then(field), ','),
                }
            }
            Layout::Titles {
                id,
                title,
                date,
                keywords,
            } => {
                let Some(id) = field(id) else {
                    out.reject("line", line, "no id");
                    continue;
                };
                let Some(title) = field(title) else {
                    out.reject("line", line, "no title");
                    continue;
                };
                Case {
                    source: source.to_owned(),
                    url: id.starts_with("http").then(|| id.clone()),
                    case_id: id,
                    title: Some(title),
                    claim: None,
                    summary: None,
                    verdict: Some(VERDICT.to_owned()),
                    date: field(date),
                    keywords: split(keywords.and_then(field), '+'),
                }
            }
        };
        out.case(case);
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Layout {
    Reports {
        title: usize,
        summary: usize,
        date: usize,
        keywords: Option<usize>,
        url: Option<usize>,
    },
    Titles {
        id: usize,
        title: usize,
        date: usize,
        keywords: Option<usize>,
    },
}

fn split(field: Option<String>, separator: char) -> Vec<String> {
    field
        .iter()
        .flat_map(|f| f.split(separator))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `MM/DD/YY` (the reports' dates) as `20YY-MM-DD`; `None` for anything else, which is then
/// kept as written.
fn us_short_date(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.split('/').collect();
    let [month, day, year] = parts[..] else {
        return None;
    };
    let number = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
    let (month, day) = (number(month, 12)?, number(day, 31)?);
    let year: u32 = year.parse().ok().filter(|_| year.len() == 2)?;
    Some(format!("20{year:02}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_dates_are_month_first() {
        assert_eq!(us_short_date("10/03/17").as_deref(), Some("2017-10-03"));
        assert_eq!(us_short_date("09/28/17").as_deref(), Some("2017-09-28"));
        assert_eq!(us_short_date("28/09/17"), None);
        assert_eq!(us_short_date("2017-09-28"), None);
    }
}
