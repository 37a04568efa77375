//! The `cases` table: known narratives (fact-checks, documented disinformation cases),
//! upserted by `(source, case_id)` so importing a file again changes nothing.

use claimlens_narratives::Case;
use rusqlite::{params, Connection, OptionalExtension};

/// What an upsert did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CaseOutcome {
    /// Cases not stored before.
    pub inserted: u64,
    /// Cases stored before with different fields, now replaced.
    pub updated: u64,
    /// Cases stored before with the same fields, left alone (`imported_at` kept).
    pub unchanged: u64,
}

/// Upserts `cases` on `conn` (the caller holds the transaction).
pub(crate) fn upsert(conn: &Connection, cases: &[Case]) -> rusqlite::Result<CaseOutcome> {
    let mut find = conn.prepare_cached(
        "SELECT title, claim, summary, verdict, url, date, keywords FROM cases
         WHERE source = ?1 AND case_id = ?2",
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO cases (source, case_id, title, claim, summary, verdict, url, date,
             keywords, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (source, case_id) DO UPDATE SET
             title = excluded.title, claim = excluded.claim, summary = excluded.summary,
             verdict = excluded.verdict, url = excluded.url, date = excluded.date,
             keywords = excluded.keywords, imported_at = excluded.imported_at",
    )?;
    let mut outcome = CaseOutcome::default();
    for case in cases {
        let keywords = serde_json::to_string(&case.keywords).unwrap_or_else(|_| "[]".into());
        let fields = (
            case.title.clone(),
            case.claim.clone(),
            case.summary.clone(),
            case.verdict.clone(),
            case.url.clone(),
            case.date.clone(),
            keywords.clone(),
        );
        type Fields = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        );
        let stored: Option<Fields> = find
            .query_row(params![case.source, case.case_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        match stored {
            Some(stored) if stored == fields => {
                outcome.unchanged += 1;
                continue;
            }
            Some(_) => outcome.updated += 1,
            None => outcome.inserted += 1,
        }
        insert.execute(params![
            case.source,
            case.case_id,
            case.title,
            case.claim,
            case.summary,
            case.verdict,
            case.url,
            case.date,
            keywords,
        ])?;
    }
    Ok(outcome)
}

/// Every stored case, by source and id.
pub(crate) fn all(conn: &Connection) -> rusqlite::Result<Vec<Case>> {
    let mut stmt = conn.prepare(
        "SELECT source, case_id, title, claim, summary, verdict, url, date, keywords
         FROM cases ORDER BY source, case_id",
    )?;
    let rows = stmt.query_map([], |r| {
        let keywords: String = r.get(8)?;
        Ok(Case {
            source: r.get(0)?,
            case_id: r.get(1)?,
            title: r.get(2)?,
            claim: r.get(3)?,
            summary: r.get(4)?,
            verdict: r.get(5)?,
            url: r.get(6)?,
            date: r.get(7)?,
            // Written by `upsert` as a JSON array; anything else (a hand edit) reads as none.
            keywords: serde_json::from_str(&keywords).unwrap_or_default(),
        })
    })?;
    rows.collect()
}
