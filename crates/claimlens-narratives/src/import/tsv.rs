//! A plain tab-separated file, one case per line: `id, claim, title, verdict, url, date`.
//! No quoting (a tab or newline cannot occur inside a field); a first line starting with
//! `id` is a header; blank lines are passed over; trailing columns may be left out. A line
//! without id or claim, or with more than six columns, is rejected.

use super::{text, Collector, ImportError};
use crate::Case;

const COLUMNS: usize = 6;

pub(super) fn read(input: &str, source: &str, out: &mut Collector) -> Result<(), ImportError> {
    for (index, line) in input.lines().enumerate() {
        let number = index as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if index == 0 && fields[0].trim().eq_ignore_ascii_case("id") {
            continue;
        }
        if fields.len() > COLUMNS {
            out.reject(
                "line",
                number,
                format!(
                    "{} columns, at most {COLUMNS} expected (id, claim, title, verdict, url, date)",
                    fields.len()
                ),
            );
            continue;
        }
        let field = |i: usize| text(fields.get(i).copied());
        let (Some(case_id), Some(claim)) = (field(0), field(1)) else {
            out.reject(
                "line",
                number,
                "no id or no claim (id, claim, title, verdict, url, date)",
            );
            continue;
        };
        out.case(Case {
            source: source.to_owned(),
            case_id,
            claim: Some(claim),
            title: field(2),
            verdict: field(3),
            url: field(4),
            date: field(5),
            ..Case::default()
        });
    }
    Ok(())
}
