//! The CLEF 2020 CheckThat! Task 2 verified claims, `verified_claims.docs.tsv`: a header
//! (`vclaim_id` is unnamed in the release: the first column), then `id, vclaim, title`,
//! tab-separated with CSV quoting (a field may be quoted, `""` inside it). A record without
//! a title is read; one without id or claim is rejected.

use super::{csv_line, text, Collector, ImportError};
use crate::Case;

pub(super) fn read(input: &str, source: &str, out: &mut Collector) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(input.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError(format!("cannot read the TSV header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let Some(claim) = column("vclaim") else {
        return Err(ImportError(
            "not the CLEF 2020 verified-claims file: no `vclaim` column in the header".into(),
        ));
    };
    let id = column("vclaim_id").unwrap_or(0);
    let title = column("title");
    read_records(&mut reader, out, |record, line, out| {
        let field = |i: usize| text(record.get(i));
        match (field(id), field(claim)) {
            (Some(case_id), Some(claim)) => out.case(Case {
                source: source.to_owned(),
                case_id,
                title: title.and_then(field),
                claim: Some(claim),
                ..Case::default()
            }),
            (None, _) => out.reject("line", line, "no vclaim_id"),
            (_, None) => out.reject("line", line, "no vclaim text"),
        }
    });
    Ok(())
}

/// Calls `each` with every readable record and its line; rejects the unreadable ones.
pub(super) fn read_records(
    reader: &mut csv::Reader<&[u8]>,
    out: &mut Collector,
    mut each: impl FnMut(&csv::StringRecord, u64, &mut Collector),
) {
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = csv_line(record.position());
                each(&record, line, out);
            }
            Err(e) => out.reject("line", csv_line(e.position()), e.to_string()),
        }
    }
}
