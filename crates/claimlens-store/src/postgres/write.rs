//! Writing batches and cases to PostgreSQL.

use std::io::Write as _;

use claimlens_core::Doc;
use postgres::{Client, Transaction};

use crate::cases::stored_fields;
use crate::rows::{layer_rows, CharOffsets};
use crate::{content_id, BatchOutcome, Case, CaseOutcome, Entry, Rejection};

/// The time of a write as the store keeps it: UTC, RFC 3339 to the second (SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%SZ', 'now')`).
const NOW: &str = r#"to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#;

/// The advisory lock every writing transaction holds (an arbitrary constant, apart from the
/// migrations' lock: "clwrite!" in ASCII).
const WRITE_LOCK: i64 = 0x636c_7772_6974_6521;

/// Bytes of `COPY` rows buffered before they are sent: a batch of long documents is sent in
/// parts rather than held whole.
const COPY_BUFFER: usize = 16 << 20;

/// Writes every entry in one transaction (see [`crate::Store::write_batch`]).
pub(super) fn write_batch(
    client: &mut Client,
    batch: &[Entry],
) -> Result<BatchOutcome, postgres::Error> {
    let mut tx = client.transaction()?;
    // Writers take turns, as SQLite's write lock makes them: two ingests inserting the same
    // documents in different orders would otherwise wait on each other's unique keys, and
    // PostgreSQL would abort one of them as a deadlock.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    let insert_document = tx.prepare(&format!(
        "INSERT INTO documents (doc_id, source_id, source, record, format, title, outlet, url,
             author, published, language, text, ingested_at, fetched_url, fetched_at, encoding,
             words)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, {NOW}, $13, $14, $15, $16)
         ON CONFLICT (doc_id) DO NOTHING RETURNING doc"
    ))?;
    let insert_tokens = tx.prepare("INSERT INTO tokens (doc, packed) VALUES ($1, $2)")?;
    let insert_rejected = tx.prepare(&format!(
        "INSERT INTO rejected (source, record, reason, rejected_at) VALUES ($1, $2, $3, {NOW})
         ON CONFLICT DO NOTHING"
    ))?;
    let mut outcome = BatchOutcome::default();
    let mut rows = CopyRows::default();
    let mut stored = Vec::new();
    for entry in batch {
        match entry {
            Entry::Document(doc) => {
                if let Some(reason) = unstorable(doc) {
                    let r = Rejection {
                        source: doc.origin.source.clone(),
                        record: doc.origin.record,
                        reason,
                    };
                    reject(&mut tx, &insert_rejected, &r)?;
                    outcome.rejected += 1;
                    continue;
                }
                let meta = &doc.meta;
                let record = doc.origin.record.map(|r| r as i64);
                let words = doc.word_count() as i64;
                let inserted = tx.query_opt(
                    &insert_document,
                    &[
                        &content_id(doc.text()),
                        &doc.id,
                        &doc.origin.source,
                        &record,
                        &doc.origin.format,
                        &meta.title,
                        &meta.outlet,
                        &meta.url,
                        &meta.author,
                        &meta.published,
                        &meta.language,
                        &doc.text(),
                        &meta.fetched_url,
                        &meta.fetched_at,
                        &doc.origin.encoding,
                        &words,
                    ],
                )?;
                let Some(row) = inserted else {
                    outcome.already_stored += 1;
                    continue;
                };
                let key: i64 = row.get(0);
                tx.execute(&insert_tokens, &[&key, &crate::tokens::pack(&doc.tokens)])?;
                rows.document(key, doc);
                stored.push(key);
                outcome.stored += 1;
                if rows.len() >= COPY_BUFFER {
                    rows.send(&mut tx)?;
                }
            }
            Entry::Rejected(r) => {
                reject(&mut tx, &insert_rejected, r)?;
                outcome.rejected += 1;
            }
        }
    }
    rows.send(&mut tx)?;
    if !stored.is_empty() {
        // Who said what, from the rows just written (schema.rs defines the view once).
        tx.execute(
            "INSERT INTO said (doc, relation, speaker)
             SELECT doc, relation, speaker FROM said_from_layers WHERE doc = ANY($1)",
            &[&stored],
        )?;
        // Each speaker's counts (derived.rs defines them once for both back-ends).
        tx.execute(
            crate::derived::speaker_counts_from_said!("= ANY($1)"),
            &[&stored],
        )?;
    }
    tx.commit()?;
    Ok(outcome)
}

fn reject(
    tx: &mut Transaction<'_>,
    statement: &postgres::Statement,
    r: &Rejection,
) -> Result<(), postgres::Error> {
    let record = r.record.map(|r| r as i64);
    tx.execute(statement, &[&r.source, &record, &r.reason])?;
    Ok(())
}

/// Why PostgreSQL cannot hold a document, if it cannot: its text type has no NUL character,
/// which a plain-text input may carry. Such a document is recorded as rejected, not lost
/// silently and not failing the rest of the batch.
fn unstorable(doc: &Doc) -> Option<String> {
    let m = &doc.meta;
    let fields = [
        Some(doc.text()),
        Some(doc.id.as_str()),
        Some(doc.origin.source.as_str()),
        m.title.as_deref(),
        m.outlet.as_deref(),
        m.url.as_deref(),
        m.author.as_deref(),
        m.published.as_deref(),
        m.language.as_deref(),
        m.fetched_url.as_deref(),
        m.fetched_at.as_deref(),
    ];
    fields
        .into_iter()
        .flatten()
        .any(|f| f.contains('\0'))
        .then(|| {
            "the text or metadata holds NUL characters, which PostgreSQL cannot store \
             (store it in SQLite, or remove them from the input)"
                .to_owned()
        })
}

/// The `layers`, `annotations` and `links` rows of documents, in `COPY`'s text format.
#[derive(Default)]
struct CopyRows {
    layers: Vec<u8>,
    layer_types: Vec<u8>,
    annotations: Vec<u8>,
    links: Vec<u8>,
}

impl CopyRows {
    fn len(&self) -> usize {
        self.layers.len() + self.layer_types.len() + self.annotations.len() + self.links.len()
    }

    fn document(&mut self, key: i64, doc: &Doc) {
        let chars = CharOffsets::new(doc.text());
        for (position, layer) in layer_rows(doc).iter().enumerate() {
            let out = &mut self.layers;
            let _ = write!(out, "{key}\t");
            copy_text(out, layer.name);
            out.push(b'\t');
            copy_text(out, layer.stage);
            let _ = writeln!(out, "\t{position}\t{}", layer.annotations.len());
            for (label, count) in layer.type_counts() {
                let out = &mut self.layer_types;
                let _ = write!(out, "{key}\t");
                copy_text(out, layer.name);
                out.push(b'\t');
                copy_text(out, label);
                let _ = writeln!(out, "\t{count}");
            }
            for a in &layer.annotations {
                let o = chars.of(a.span);
                let out = &mut self.annotations;
                let _ = write!(out, "{key}\t");
                copy_text(out, layer.name);
                let _ = write!(out, "\t{}\t", a.idx);
                copy_text(out, a.label);
                let _ = write!(
                    out,
                    "\t{}\t{}\t{}\t{}\t",
                    a.span.start, a.span.end, o.start_char, o.end_char
                );
                copy_text(out, doc.slice(a.span));
                out.push(b'\t');
                copy_text(out, a.stage);
                out.push(b'\t');
                copy_optional(out, a.rule);
                out.push(b'\t');
                match a.score.map(f64::from).filter(|s| s.is_finite()) {
                    // `{:?}` writes the shortest text that reads back as the same f64.
                    Some(s) => {
                        let _ = write!(out, "{s:?}");
                    }
                    // No score, or one that is not a number: NULL, as SQLite stores NaN.
                    None => out.extend_from_slice(b"\\N"),
                }
                out.push(b'\t');
                copy_text(out, &a.attrs);
                out.push(b'\n');
                for (position, link) in a.links.iter().enumerate() {
                    let out = &mut self.links;
                    let _ = write!(out, "{key}\t");
                    copy_text(out, layer.name);
                    let _ = write!(out, "\t{}\t{position}\t", a.idx);
                    copy_text(out, link.role);
                    out.push(b'\t');
                    copy_text(out, link.layer);
                    let _ = writeln!(out, "\t{}", link.idx);
                }
            }
        }
    }

    /// Sends the buffered rows, layers before the annotations that refer to them.
    fn send(&mut self, tx: &mut Transaction<'_>) -> Result<(), postgres::Error> {
        let tables = [
            (
                "COPY layers (doc, name, stage, position, annotations) FROM STDIN",
                &mut self.layers,
            ),
            (
                "COPY layer_types (doc, layer, type, count) FROM STDIN",
                &mut self.layer_types,
            ),
            (
                "COPY annotations (doc, layer, idx, type, start_byte, end_byte, start_char,
                     end_char, text, stage, rule, score, attrs) FROM STDIN",
                &mut self.annotations,
            ),
            (
                "COPY links (doc, from_layer, from_idx, position, role, to_layer, to_idx)
                 FROM STDIN",
                &mut self.links,
            ),
        ];
        for (sql, rows) in tables {
            if rows.is_empty() {
                continue;
            }
            let mut writer = tx.copy_in(sql)?;
            // An I/O error here is the connection failing; `finish` reports it as the
            // database's error.
            let written = writer.write_all(rows);
            rows.clear();
            if written.is_ok() {
                writer.finish()?;
            } else {
                drop(writer);
                // The transaction is aborted by the failed COPY; asking the server anything
                // now returns the real error.
                tx.execute("SELECT 1", &[])?;
            }
        }
        Ok(())
    }
}

/// `value` escaped for `COPY`'s text format (backslash, tab, newline, carriage return).
fn copy_text(out: &mut Vec<u8>, value: &str) {
    for &b in value.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

fn copy_optional(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(v) => copy_text(out, v),
        None => out.extend_from_slice(b"\\N"),
    }
}

/// Upserts cases by `(source, case_id)` in one transaction (see `crate::cases::upsert`).
pub(super) fn upsert_cases(
    client: &mut Client,
    cases: &[Case],
) -> Result<CaseOutcome, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    let find = tx.prepare(
        "SELECT title, claim, summary, verdict, url, date, keywords FROM cases
         WHERE source = $1 AND case_id = $2",
    )?;
    let insert = tx.prepare(&format!(
        "INSERT INTO cases (source, case_id, title, claim, summary, verdict, url, date,
             keywords, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, {NOW})
         ON CONFLICT (source, case_id) DO UPDATE SET
             title = excluded.title, claim = excluded.claim, summary = excluded.summary,
             verdict = excluded.verdict, url = excluded.url, date = excluded.date,
             keywords = excluded.keywords, imported_at = excluded.imported_at"
    ))?;
    let forget_vectors = tx.prepare(
        "DELETE FROM case_vectors WHERE case_key =
             (SELECT case_key FROM cases WHERE source = $1 AND case_id = $2)",
    )?;
    let mut outcome = CaseOutcome::default();
    for case in cases {
        let fields = stored_fields(case);
        let keywords = fields.6.clone();
        let stored = tx
            .query_opt(&find, &[&case.source, &case.case_id])?
            .map(|r| {
                (
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get::<_, String>(6),
                )
            });
        match stored {
            Some(stored) if stored == fields => {
                outcome.unchanged += 1;
                continue;
            }
            Some(_) => {
                outcome.updated += 1;
                tx.execute(&forget_vectors, &[&case.source, &case.case_id])?;
            }
            None => outcome.inserted += 1,
        }
        tx.execute(
            &insert,
            &[
                &case.source,
                &case.case_id,
                &case.title,
                &case.claim,
                &case.summary,
                &case.verdict,
                &case.url,
                &case.date,
                &keywords,
            ],
        )?;
    }
    tx.commit()?;
    Ok(outcome)
}

/// Keeps `model`'s case embeddings in one transaction (see `crate::cases::put_vectors`).
pub(super) fn put_case_vectors(
    client: &mut Client,
    model: &str,
    rows: &[(&str, &str, &[f32], &[f32])],
) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    let put = tx.prepare(
        r#"INSERT INTO case_vectors (case_key, model, claim, "full")
           SELECT case_key, $3, $4, $5 FROM cases WHERE source = $1 AND case_id = $2
           ON CONFLICT (case_key, model) DO UPDATE SET claim = excluded.claim,
               "full" = excluded."full""#,
    )?;
    for (source, case_id, claim, full) in rows {
        let (claim, full) = (crate::cases::bytes(claim), crate::cases::bytes(full));
        tx.execute(&put, &[source, case_id, &model, &claim, &full])?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_the_format_reserves() {
        let mut out = Vec::new();
        copy_text(&mut out, "a\tb\nc\\d\re “é”");
        assert_eq!(out, b"a\\tb\\nc\\\\d\\re \xe2\x80\x9c\xc3\xa9\xe2\x80\x9d");
        let mut out = Vec::new();
        copy_optional(&mut out, None);
        assert_eq!(out, b"\\N");
    }

    #[test]
    fn a_nul_character_makes_a_document_unstorable_with_a_reason() {
        assert!(unstorable(&Doc::new("a", "plain text")).is_none());
        let reason = unstorable(&Doc::new("a", "bad\0text")).unwrap();
        assert!(reason.contains("NUL"), "{reason}");
        let mut doc = Doc::new("a", "text");
        doc.meta.title = Some("t\0".into());
        assert!(unstorable(&doc).is_some());
    }
}
