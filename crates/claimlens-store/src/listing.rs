//! Listing documents: the filters every read query shares, paging, and the summary a list
//! shows.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page any read query returns.
pub const MAX_LIMIT: u32 = 500;

/// Which documents to list. Every field is optional; `Default` lists the newest 50.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentQuery {
    /// Only this outlet (exact match).
    pub outlet: Option<String>,
    /// Only documents published on or after this day, `YYYY-MM-DD`.
    pub published_from: Option<String>,
    /// Only documents published on or before this day, `YYYY-MM-DD` (the whole day).
    pub published_to: Option<String>,
    /// Only this language tag (exact match, as stored: `en`, `en-GB`).
    pub language: Option<String>,
    /// Page size: [`DEFAULT_LIMIT`] when absent, at most [`MAX_LIMIT`].
    pub limit: Option<u32>,
    /// Items to skip.
    pub offset: Option<u32>,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// Results matching the query, over all pages.
    pub total: u64,
    /// This page's results.
    pub items: Vec<T>,
}

/// A document as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// The store's id ([`crate::content_id`]).
    pub doc_id: String,
    /// The id the input gave (the JSON export's `id`).
    pub source_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Publication date as found.
    pub published: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// Length of the text in code points.
    pub chars: u64,
    /// Words (word, number and URL tokens); `None` for documents stored before schema
    /// version 3.
    pub words: Option<u64>,
    /// `CLAIM`s of the `claims` layer.
    pub claims: u64,
    /// Relations of the `attributions` layer (quotes and reported speech).
    pub quotes: u64,
    /// Mentions of the `entities` layer.
    pub entities: u64,
}

impl DocumentSummary {
    /// The summary of a document that is not (or not yet) in a store, counted as the store's
    /// list query counts (a test keeps the two in step): for a server that keeps recent
    /// analyses in memory.
    pub fn of(doc: &claimlens_core::Doc) -> DocumentSummary {
        let count = |layer: &str, kind: Option<&str>| {
            doc.layer(layer).map_or(0, |l| {
                l.annotations
                    .iter()
                    .filter(|a| kind.is_none_or(|k| a.label == k))
                    .count() as u64
            })
        };
        DocumentSummary {
            doc_id: crate::content_id(doc.text()),
            source_id: doc.id.clone(),
            title: doc.meta.title.clone(),
            outlet: doc.meta.outlet.clone(),
            url: doc.meta.url.clone(),
            published: doc.meta.published.clone(),
            language: doc.meta.language.clone(),
            chars: doc.text().chars().count() as u64,
            words: Some(doc.word_count() as u64),
            claims: count("claims", Some("CLAIM")),
            quotes: count("attributions", None),
            entities: count("entities", None),
        }
    }
}

impl DocumentQuery {
    /// Whether a summary passes this query's filters (not its paging), decided as the store's
    /// SQL decides them: exact outlet and language, `published` compared as text, the `to`
    /// day included whole, an undated document outside any date range. For lists of
    /// documents that are not in a store, such as a server's recent analyses.
    pub fn matches(&self, d: &DocumentSummary) -> Result<bool, StoreError> {
        let from = self.published_from.as_deref();
        let from = from.map(|v| iso_date("published_from", v)).transpose()?;
        let to = self.published_to.as_deref();
        let to = to.map(|v| iso_date("published_to", v)).transpose()?;
        let wanted = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
        let published = d.published.as_deref();
        // `published < to + 1 day` in SQL is, for ISO text, "its first ten characters <= to".
        Ok(wanted(&self.outlet, &d.outlet)
            && wanted(&self.language, &d.language)
            && from.is_none_or(|f| published.is_some_and(|p| p >= f))
            && to.is_none_or(|t| published.is_some_and(|p| p.get(..10).unwrap_or(p) <= t)))
    }
}

/// The filters shared by documents, search and speakers, as SQL over `documents d`.
#[derive(Debug, Default)]
pub(crate) struct Filters<'q> {
    pub(crate) outlet: Option<&'q str>,
    pub(crate) published_from: Option<&'q str>,
    pub(crate) published_to: Option<&'q str>,
    pub(crate) language: Option<&'q str>,
    /// Documents where this speaker is quoted (the `said` table).
    pub(crate) speaker: Option<&'q str>,
    /// Documents with an annotation in this layer ...
    pub(crate) layer: Option<&'q str>,
    /// ... of this type (any layer when `layer` is absent).
    pub(crate) annotation_type: Option<&'q str>,
}

impl<'q> Filters<'q> {
    pub(crate) fn of_documents(q: &'q DocumentQuery) -> Filters<'q> {
        Filters {
            outlet: q.outlet.as_deref(),
            published_from: q.published_from.as_deref(),
            published_to: q.published_to.as_deref(),
            language: q.language.as_deref(),
            ..Filters::default()
        }
    }

    /// `AND …` conditions on `d` and their parameters, appended to `params`. User text is
    /// only ever bound, never spliced into the SQL.
    pub(crate) fn sql(&self, params: &mut Vec<Value>) -> Result<String, StoreError> {
        self.sql_on("d.doc", params)
    }

    /// [`Filters::sql`] with the document's key read from `key` (for the speaker and layer
    /// conditions): a query without `documents` in it passes the full-text index's rowid.
    pub(crate) fn sql_on(&self, key: &str, params: &mut Vec<Value>) -> Result<String, StoreError> {
        self.sql_in(Dialect::Sqlite, key, &mut |value| {
            params.push(Value::Text(value.to_owned()));
            format!("?{}", params.len())
        })
    }

    /// The conditions in `dialect`, each value handed to `bind`, which keeps it and returns
    /// its placeholder (`?3`, `$3`). User text is only ever bound, never spliced into the SQL.
    pub(crate) fn sql_in(
        &self,
        dialect: Dialect,
        key: &str,
        bind: &mut dyn FnMut(&str) -> String,
    ) -> Result<String, StoreError> {
        let mut sql = String::new();
        let mut add = |sql: &mut String, condition: &str, value: &str| {
            let placeholder = bind(value);
            sql.push_str(&condition.replace('?', &placeholder));
        };
        let mut on_documents = String::new();
        if let Some(v) = self.outlet {
            add(&mut on_documents, " AND d.outlet = ?", v);
        }
        if let Some(v) = self.language {
            add(&mut on_documents, " AND d.language = ?", v);
        }
        if let Some(v) = self.published_from {
            let from = iso_date("published_from", v)?;
            add(&mut on_documents, " AND d.published >= ?", from);
        }
        if let Some(v) = self.published_to {
            // The whole day: `2026-03-02T18:00Z` is on or before `2026-03-02`.
            let next_day = match dialect {
                Dialect::Sqlite => " AND d.published < date(?, '+1 day')",
                Dialect::Postgres => {
                    " AND d.published < to_char(CAST(CAST(? AS text) AS date) + 1, 'YYYY-MM-DD')"
                }
            };
            add(&mut on_documents, next_day, iso_date("published_to", v)?);
        }
        if key == "d.doc" || on_documents.is_empty() {
            sql.push_str(&on_documents);
        } else {
            // A key without `documents` joined (the full-text index's rowid): the documents
            // the metadata keeps, found by their indexes, then a membership test per match,
            // rather than a join of every match to `documents`.
            sql.push_str(&format!(
                " AND {key} IN (SELECT d.doc FROM documents d WHERE 1 = 1{on_documents})"
            ));
        }
        if let Some(v) = self.speaker {
            add(
                &mut sql,
                &format!(" AND {key} IN (SELECT s.doc FROM said s WHERE s.speaker = ?)"),
                v,
            );
        }
        // A layer from `layers` (its annotation count, with an index on the layers that have
        // any), a type from `layer_types` (a few rows per document, indexed by layer and type
        // and by type): a membership test per match, where walking the annotations of each
        // match cost half a second for a common word on 100,000 articles.
        match (self.layer, self.annotation_type) {
            (Some(layer), Some(t)) => {
                add(
                    &mut sql,
                    &format!(" AND {key} IN (SELECT lt.doc FROM layer_types lt WHERE lt.layer = ?"),
                    layer,
                );
                add(&mut sql, " AND lt.type = ?)", t);
            }
            (Some(layer), None) => add(
                &mut sql,
                &format!(
                    " AND {key} IN (SELECT l.doc FROM layers l WHERE l.name = ? AND l.annotations > 0)"
                ),
                layer,
            ),
            (None, Some(t)) => add(
                &mut sql,
                &format!(" AND {key} IN (SELECT lt.doc FROM layer_types lt WHERE lt.type = ?)"),
                t,
            ),
            (None, None) => {}
        }
        Ok(sql)
    }
}

/// The SQL a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// `value` when it is an ISO calendar date, `YYYY-MM-DD`.
pub(crate) fn iso_date<'v>(field: &str, value: &'v str) -> Result<&'v str, StoreError> {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let number = |r: std::ops::Range<usize>| value[r].parse::<u32>().unwrap_or(0);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10));
    if ok {
        Ok(value)
    } else {
        Err(StoreError::InvalidQuery {
            message: format!("{field} must be a date written YYYY-MM-DD, not `{value}`"),
        })
    }
}

/// `LIMIT` and `OFFSET` for a page.
pub(crate) fn page_bounds(limit: Option<u32>, offset: Option<u32>) -> (i64, i64) {
    (
        i64::from(limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT)),
        i64::from(offset.unwrap_or(0)),
    )
}

/// Lists documents, newest first (then by id, so pages are stable).
pub(crate) fn documents(
    conn: &Connection,
    q: &DocumentQuery,
) -> Result<rusqlite::Result<Page<DocumentSummary>>, StoreError> {
    let mut params = Vec::new();
    let filters = Filters::of_documents(q).sql(&mut params)?;
    Ok(list(conn, &filters, params, q))
}

fn list(
    conn: &Connection,
    filters: &str,
    mut params: Vec<Value>,
    q: &DocumentQuery,
) -> rusqlite::Result<Page<DocumentSummary>> {
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM documents d WHERE 1 = 1{filters}"),
        rusqlite::params_from_iter(&params),
        |r| r.get(0),
    )?;
    let (limit, offset) = page_bounds(q.limit, q.offset);
    let n = params.len();
    params.extend([Value::Integer(limit), Value::Integer(offset)]);
    // The page is chosen first and only its rows are summarised: the counts are subqueries,
    // and a sort would otherwise compute them for every matching document. `+a.type` keeps
    // the claim count on the (doc, layer) primary key.
    let sql = format!(
        "SELECT d.doc_id, d.source_id, d.title, d.outlet, d.url, d.published, d.language,
                length(d.text), d.words,
                (SELECT count(*) FROM annotations a
                 WHERE a.doc = d.doc AND a.layer = 'claims' AND +a.type = 'CLAIM'),
                (SELECT count(*) FROM annotations a WHERE a.doc = d.doc AND a.layer = 'attributions'),
                (SELECT count(*) FROM annotations a WHERE a.doc = d.doc AND a.layer = 'entities')
         FROM (SELECT d.doc FROM documents d WHERE 1 = 1{filters}
               ORDER BY d.published DESC, d.doc_id LIMIT ?{} OFFSET ?{}) page
         JOIN documents d ON d.doc = page.doc
         ORDER BY d.published DESC, d.doc_id",
        n + 1,
        n + 2
    );
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(rusqlite::params_from_iter(&params), |r| {
            Ok(DocumentSummary {
                doc_id: r.get(0)?,
                source_id: r.get(1)?,
                title: r.get(2)?,
                outlet: r.get(3)?,
                url: r.get(4)?,
                published: r.get(5)?,
                language: r.get(6)?,
                chars: r.get(7)?,
                words: r.get(8)?,
                claims: r.get(9)?,
                quotes: r.get(10)?,
                entities: r.get(11)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Page {
        total: total as u64,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_calendar_dates() {
        assert!(iso_date("f", "2026-03-02").is_ok());
        for bad in [
            "2026-3-2",
            "2026-13-01",
            "02/03/2026",
            "2026-03-02T00:00",
            "",
            "2026-03-00",
        ] {
            let e = iso_date("published_from", bad).unwrap_err();
            assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        }
    }

    #[test]
    fn a_summary_matches_as_the_sql_filters_decide() {
        let doc = |outlet: &str, published: Option<&str>| DocumentSummary {
            doc_id: "d".into(),
            source_id: "s".into(),
            title: None,
            outlet: Some(outlet.into()),
            url: None,
            published: published.map(str::to_owned),
            language: Some("en".into()),
            chars: 0,
            words: None,
            claims: 0,
            quotes: 0,
            entities: 0,
        };
        let q = |outlet: Option<&str>, from: Option<&str>, to: Option<&str>| DocumentQuery {
            outlet: outlet.map(str::to_owned),
            published_from: from.map(str::to_owned),
            published_to: to.map(str::to_owned),
            ..DocumentQuery::default()
        };
        let evening = doc("Gazette", Some("2026-03-02T18:00Z"));
        assert!(q(None, None, None).matches(&evening).unwrap());
        assert!(q(Some("Gazette"), None, None).matches(&evening).unwrap());
        assert!(!q(Some("Herald"), None, None).matches(&evening).unwrap());
        // The `to` day is included whole; `from` is the day's start.
        assert!(q(None, Some("2026-03-02"), Some("2026-03-02"))
            .matches(&evening)
            .unwrap());
        assert!(!q(None, Some("2026-03-03"), None).matches(&evening).unwrap());
        assert!(!q(None, None, Some("2026-03-01")).matches(&evening).unwrap());
        // An undated document is outside every date range, as SQL's NULL comparison says.
        assert!(!q(None, Some("2000-01-01"), None)
            .matches(&doc("Gazette", None))
            .unwrap());
        let e = q(None, Some("March 2"), None)
            .matches(&evening)
            .unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn pages_default_to_50_and_stop_at_500() {
        assert_eq!(page_bounds(None, None), (50, 0));
        assert_eq!(page_bounds(Some(10_000), Some(7)), (500, 7));
        assert_eq!(page_bounds(Some(0), None), (0, 0));
    }

    #[test]
    fn filters_bind_user_text_as_parameters() {
        let q = DocumentQuery {
            outlet: Some("x' OR 1=1 --".into()),
            ..DocumentQuery::default()
        };
        let mut params = Vec::new();
        let sql = Filters::of_documents(&q).sql(&mut params).unwrap();
        assert_eq!(sql, " AND d.outlet = ?1");
        assert_eq!(params, [Value::Text("x' OR 1=1 --".into())]);
    }
}
