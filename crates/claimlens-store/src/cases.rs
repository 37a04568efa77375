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
/// The stored fields of a case that an import compares (title, claim, summary, verdict,
/// URL, date, keywords as JSON text): a case whose fields are unchanged is left as it was,
/// on both back-ends.
pub(crate) type StoredFields = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The [`StoredFields`] of a case as it would be written.
pub(crate) fn stored_fields(case: &Case) -> StoredFields {
    (
        case.title.clone(),
        case.claim.clone(),
        case.summary.clone(),
        case.verdict.clone(),
        case.url.clone(),
        case.date.clone(),
        serde_json::to_string(&case.keywords).unwrap_or_else(|_| "[]".into()),
    )
}

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
    let mut forget_vectors = conn.prepare_cached(
        "DELETE FROM case_vectors WHERE case_key =
             (SELECT case_key FROM cases WHERE source = ?1 AND case_id = ?2)",
    )?;
    let mut outcome = CaseOutcome::default();
    for case in cases {
        let fields = stored_fields(case);
        let keywords = fields.6.clone();
        let stored: Option<StoredFields> = find
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
            Some(_) => {
                outcome.updated += 1;
                forget_vectors.execute(params![case.source, case.case_id])?;
            }
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

/// A case's two embeddings (see `claimlens_narratives::semantic::CaseVectors`).
pub type VectorPair = (Vec<f32>, Vec<f32>);

/// The stored vectors of `model` for every case, in the order of [`all`]; `None` for a case
/// without them.
pub(crate) fn vectors(conn: &Connection, model: &str) -> rusqlite::Result<Vec<Option<VectorPair>>> {
    let mut stmt = conn.prepare(
        "SELECT v.claim, v.full FROM cases c
         LEFT JOIN case_vectors v ON v.case_key = c.case_key AND v.model = ?1
         ORDER BY c.source, c.case_id",
    )?;
    let rows = stmt.query_map([model], |r| {
        let claim: Option<Vec<u8>> = r.get(0)?;
        let full: Option<Vec<u8>> = r.get(1)?;
        Ok(claim.zip(full).map(|(c, f)| (floats(&c), floats(&f))))
    })?;
    rows.collect()
}

/// Stores `model`'s vectors of the cases named by `(source, case_id)`; a case that is not
/// stored is passed over.
pub(crate) fn put_vectors(
    conn: &Connection,
    model: &str,
    rows: &[(&str, &str, &[f32], &[f32])],
) -> rusqlite::Result<()> {
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO case_vectors (case_key, model, claim, full)
         SELECT case_key, ?3, ?4, ?5 FROM cases WHERE source = ?1 AND case_id = ?2",
    )?;
    for (source, case_id, claim, full) in rows {
        put.execute(params![source, case_id, model, bytes(claim), bytes(full)])?;
    }
    Ok(())
}

pub(crate) fn bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(crate) fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
