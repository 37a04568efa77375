//! Full-text search over title and text (the `documents_fts` FTS5 index), with the listing
//! filters, and a snippet whose matched words carry code-point offsets into the text.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::listing::{page_bounds, Filters, Page};
use crate::ranking::{RankedPage, RankingIndex};
use crate::StoreError;

/// A full-text search. `query` uses the FTS5 syntax (docs/store.md, Search): words (all must
/// occur), `"a phrase"`, `OR`, `NOT`, `prefix*`, `title:word`, `NEAR(a b, 5)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// What to search for.
    pub query: String,
    /// Only this outlet.
    pub outlet: Option<String>,
    /// Only documents published on or after this day, `YYYY-MM-DD`.
    pub published_from: Option<String>,
    /// Only documents published on or before this day, `YYYY-MM-DD`.
    pub published_to: Option<String>,
    /// Only this language tag.
    pub language: Option<String>,
    /// Only documents quoting this speaker (a canonical name, as [`crate::Store::speakers`]
    /// lists them).
    pub speaker: Option<String>,
    /// Only documents with an annotation in this layer (`claims`, `techniques`, …).
    pub layer: Option<String>,
    /// Only documents with an annotation of this type (`CLAIM`, `Loaded_Language`, …), in
    /// `layer` when it is given.
    #[serde(rename = "type")]
    pub annotation_type: Option<String>,
    /// Page size: 50 when absent, at most 500.
    pub limit: Option<u32>,
    /// Hits to skip.
    pub offset: Option<u32>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The store's id.
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Publication date as found.
    pub published: Option<String>,
    /// Where in the text the query matched.
    pub snippet: Snippet,
    /// Relevance, higher is better: the ranking index's BM25 score (title words weigh
    /// double), or the negated BM25 score of FTS5 when FTS5 ranked the search (see
    /// docs/store.md). Comparable only within one query.
    pub rank: f64,
}

/// A window of the text around the first match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The window's text, `text[start..end]` in code points.
    pub text: String,
    /// Start of the window, code points into the document's text.
    pub start: u32,
    /// End of the window (exclusive).
    pub end: u32,
    /// The matched words inside the window, code points into the document's text (subtract
    /// `start` to highlight `text`).
    pub matches: Vec<CharRange>,
    /// Matched words in the whole text (the window shows some of them).
    pub total_matches: u32,
}

/// A half-open range of code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CharRange {
    /// First code point.
    pub start: u32,
    /// One past the last.
    pub end: u32,
}

impl SearchQuery {
    /// The listing filters this search applies.
    pub(crate) fn filters(&self) -> Filters<'_> {
        Filters {
            outlet: self.outlet.as_deref(),
            published_from: self.published_from.as_deref(),
            published_to: self.published_to.as_deref(),
            language: self.language.as_deref(),
            speaker: self.speaker.as_deref(),
            layer: self.layer.as_deref(),
            annotation_type: self.annotation_type.as_deref(),
        }
    }
}

/// Code points of context before the first match.
const CONTEXT_BEFORE: usize = 60;
/// Length of the window, code points (before widening to whole words).
const WINDOW: usize = 240;
/// Private-use characters that mark matches in `highlight()` output.
pub(crate) const OPEN: char = '\u{E000}';
pub(crate) const CLOSE: char = '\u{E001}';

/// Runs a search.
///
/// `ranking` is the ranking index beside the store, when there is one: asked first, it
/// answers unless it is behind the store or the search is FTS5's alone (`NEAR`).
pub(crate) fn search(
    conn: &Connection,
    path: &Path,
    q: &SearchQuery,
    ranking: Option<&mut RankingIndex>,
) -> Result<Page<SearchHit>, StoreError> {
    if q.query.trim().is_empty() {
        return Err(StoreError::InvalidQuery {
            message: "the search is empty: give at least one word".to_owned(),
        });
    }
    let mut params = vec![Value::Text(q.query.clone())];
    let spec = q.filters();
    let fts = |e| fts_error(path, &q.query, e);
    let (limit, offset) = page_bounds(q.limit, q.offset);
    // A filter FTS5 would refuse (a date that is not a date) is refused before either
    // engine runs.
    spec.sql(&mut Vec::new())?;
    // The index failing is no reason to fail the search: FTS5 answers it.
    let from_index = ranking.and_then(|index| index.rank(conn, q, limit, offset).ok().flatten());
    if let Some(ranked) = from_index {
        return page_from_ranking(conn, ranked).map_err(fts);
    }
    let ranked = {
        let mut key_params = params.clone();
        // `+`: a plain expression, so a filter is checked on each match rather than handed
        // to FTS5 as rowids to look up one full-text query at a time.
        let on_key = spec.sql_on("+documents_fts.rowid", &mut key_params)?;
        ranked_from_index(conn, &on_key, &key_params, limit, offset).map_err(fts)?
    };
    let (total, rows) = match ranked {
        Some(ranked) => ranked,
        None => {
            let filters = spec.sql(&mut params)?;
            ranked_with_filters(conn, &filters, params, limit, offset).map_err(fts)?
        }
    };
    let mut marked = conn
        .prepare(
            "SELECT d.text, highlight(documents_fts, 1, char(57344), char(57345))
             FROM documents_fts f JOIN documents d ON d.doc = f.rowid
             WHERE documents_fts MATCH ?1 AND f.rowid = ?2",
        )
        .map_err(fts)?;
    let mut items = Vec::with_capacity(rows.len());
    for (key, mut hit) in rows {
        let texts: Option<(String, String)> = marked
            .query_row(params![q.query, key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(fts)?;
        if let Some((text, highlighted)) = texts {
            hit.snippet = snippet(&text, &match_ranges(&text, &highlighted));
        }
        items.push(hit);
    }
    Ok(Page {
        total: total as u64,
        items,
    })
}

/// The page the ranking index chose: its documents read, in its order, with its scores as
/// their rank and the matched words found by its analyzer.
fn page_from_ranking(
    conn: &Connection,
    mut ranked: RankedPage,
) -> rusqlite::Result<Page<SearchHit>> {
    let mut document = conn.prepare_cached(
        "SELECT doc_id, title, outlet, published, text FROM documents WHERE doc = ?1",
    )?;
    let mut items = Vec::with_capacity(ranked.page.len());
    for (key, score) in std::mem::take(&mut ranked.page) {
        // Checked current just before; a document another connection deleted since is
        // left out of the page.
        let row = document.query_row(params![key], |r| {
            Ok((
                SearchHit {
                    doc_id: r.get(0)?,
                    title: r.get(1)?,
                    outlet: r.get(2)?,
                    published: r.get(3)?,
                    snippet: Snippet::default_empty(),
                    rank: score,
                },
                r.get::<_, String>(4)?,
            ))
        });
        match row {
            Ok((mut hit, text)) => {
                hit.snippet = snippet(&text, &ranked.matches(&text));
                items.push(hit);
            }
            Err(rusqlite::Error::QueryReturnedNoRows) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Page {
        total: ranked.total as u64,
        items,
    })
}

/// Candidates fetched past the page, so that documents tied with its last one are seen.
const TIE_MARGIN: i64 = 64;

/// A page of hits in rank order (bm25, then `doc_id`): `(key, hit without snippet)`.
type Ranked = (i64, Vec<(i64, SearchHit)>);

/// The page ranked from the full-text index alone, every filter a membership test on the
/// index's rowid (`filters`): counting and ranking the matches there, then reading only the
/// page's documents, costs a fraction of joining every match to `documents` (`said` on
/// 100,000 articles: 79,482 matches, 78 ms to count with the join, 2 ms without). The order
/// is the same as [`ranked_with_filters`]'s: the best `offset + limit + TIE_MARGIN` by score are sorted by
/// score and `doc_id`; when documents tied with the page's last one may lie beyond them
/// (every candidate past the page has its score), `None`, and the caller joins.
fn ranked_from_index(
    conn: &Connection,
    filters: &str,
    params: &[Value],
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Option<Ranked>> {
    let from = format!("FROM documents_fts WHERE documents_fts MATCH ?1{filters}");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) {from}"),
        rusqlite::params_from_iter(params),
        |r| r.get(0),
    )?;
    let wanted = offset + limit;
    let mut stmt = conn.prepare(&format!(
        "SELECT documents_fts.rowid, bm25(documents_fts, 2.0, 1.0) AS score {from}
         ORDER BY score LIMIT ?{}",
        params.len() + 1
    ))?;
    let mut bound = params.to_vec();
    bound.push(Value::Integer(wanted + TIE_MARGIN));
    let candidates: Vec<(i64, f64)> = stmt
        .query_map(rusqlite::params_from_iter(&bound), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let complete = (candidates.len() as i64) < wanted + TIE_MARGIN;
    if !complete && wanted > 0 {
        let boundary = candidates[wanted as usize - 1].1;
        if candidates.last().is_some_and(|c| c.1 <= boundary) {
            return Ok(None);
        }
    }
    let mut document = conn
        .prepare_cached("SELECT doc_id, title, outlet, published FROM documents WHERE doc = ?1")?;
    let mut hits = Vec::with_capacity(candidates.len());
    for (key, score) in candidates {
        let hit = document.query_row(params![key], |r| {
            Ok(SearchHit {
                doc_id: r.get(0)?,
                title: r.get(1)?,
                outlet: r.get(2)?,
                published: r.get(3)?,
                snippet: Snippet::default_empty(),
                rank: -score,
            })
        })?;
        hits.push((key, score, hit));
    }
    hits.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then_with(|| a.2.doc_id.cmp(&b.2.doc_id))
    });
    let page = hits
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|(key, _, hit)| (key, hit))
        .collect();
    Ok(Some((total, page)))
}

/// The page ranked over the matches joined to `documents` and filtered there.
fn ranked_with_filters(
    conn: &Connection,
    filters: &str,
    mut params: Vec<Value>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Ranked> {
    let from = format!(
        "FROM documents_fts f JOIN documents d ON d.doc = f.rowid
         WHERE documents_fts MATCH ?1{filters}"
    );
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) {from}"),
        rusqlite::params_from_iter(&params),
        |r| r.get(0),
    )?;
    let n = params.len();
    params.extend([Value::Integer(limit), Value::Integer(offset)]);
    // Ranked first, highlighted after: highlight() over whole texts only for the page.
    let sql = format!(
        "SELECT d.doc, d.doc_id, d.title, d.outlet, d.published,
                bm25(documents_fts, 2.0, 1.0) AS score
         {from} ORDER BY score, d.doc_id LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(&params), |r| {
            Ok((
                r.get(0)?,
                SearchHit {
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    outlet: r.get(3)?,
                    published: r.get(4)?,
                    snippet: Snippet::default_empty(),
                    rank: -r.get::<_, f64>(5)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((total, rows))
}

impl Snippet {
    pub(crate) fn default_empty() -> Snippet {
        Snippet {
            text: String::new(),
            start: 0,
            end: 0,
            matches: Vec::new(),
            total_matches: 0,
        }
    }
}

/// A search SQLite could not parse becomes [`StoreError::InvalidQuery`]; anything else stays
/// an SQLite error. The statements around the search text are fixed (and tested), so a plain
/// `SQLITE_ERROR` from them comes from the text: FTS5 reports "fts5: syntax error near …",
/// "unterminated string", "no such column: …" for an unknown `column:` filter.
fn fts_error(path: &Path, query: &str, e: rusqlite::Error) -> StoreError {
    let message = match &e {
        rusqlite::Error::SqliteFailure(f, Some(m)) if f.extended_code == 1 => m.clone(),
        _ => return crate::sqlite::classify(path, e),
    };
    StoreError::InvalidQuery {
        message: format!(
            "cannot read the search `{query}` ({message}): put phrases in balanced double \
             quotes, use OR / NOT / NEAR between words, prefix* for prefixes, and quote \
             words containing punctuation"
        ),
    }
}

/// The matched words of `text`, in code points, from `highlight()` output (the text with
/// [`OPEN`] and [`CLOSE`] around each match). A text that contains either marker itself
/// cannot be read back unambiguously and reports no matches.
pub(crate) fn match_ranges(text: &str, highlighted: &str) -> Vec<CharRange> {
    if text.contains([OPEN, CLOSE]) {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    let mut position = 0u32;
    let mut open = None;
    for c in highlighted.chars() {
        match c {
            OPEN => open = Some(position),
            CLOSE => {
                if let Some(start) = open.take() {
                    ranges.push(CharRange {
                        start,
                        end: position,
                    })
                }
            }
            _ => position += 1,
        }
    }
    ranges
}

/// A window of `text` around the first match (the text's start when only the title
/// matched), widened to whole words.
pub(crate) fn snippet(text: &str, matches: &[CharRange]) -> Snippet {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let len = chars.len();
    let first = matches.first().map_or(0, |m| m.start as usize);
    let mut start = first.saturating_sub(CONTEXT_BEFORE);
    while start > 0 && start < first && !chars[start - 1].1.is_whitespace() {
        start += 1;
    }
    let mut end = (start + WINDOW).min(len);
    while end < len && !chars[end].1.is_whitespace() && end - start < WINDOW + 40 {
        end += 1;
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    Snippet {
        text: text[byte(start)..byte(end)].to_owned(),
        start: start as u32,
        end: end as u32,
        matches: matches
            .iter()
            .filter(|m| m.start as usize >= start && m.end as usize <= end)
            .copied()
            .collect(),
        total_matches: matches.len() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_offsets_are_code_points_of_the_plain_text() {
        let text = "Één “port” reopens; the port is busy.";
        let highlighted = "Één “\u{E000}port\u{E001}” reopens; the \u{E000}port\u{E001} is busy.";
        let ranges = match_ranges(text, highlighted);
        let slice = |r: CharRange| -> String {
            text.chars()
                .skip(r.start as usize)
                .take((r.end - r.start) as usize)
                .collect()
        };
        assert_eq!(ranges.len(), 2);
        assert_eq!(ranges[0], CharRange { start: 5, end: 9 });
        assert!(ranges.iter().all(|&r| slice(r) == "port"));
    }

    #[test]
    fn a_text_holding_the_markers_reports_no_matches_rather_than_wrong_ones() {
        assert!(match_ranges("a\u{E000}b", "a\u{E000}\u{E000}b\u{E001}").is_empty());
    }

    #[test]
    fn the_window_starts_at_a_word_and_holds_the_first_match() {
        let text = format!(
            "{}the harbour reopens {}",
            "word ".repeat(40),
            "tail ".repeat(80)
        );
        let at = text.find("harbour").unwrap() as u32;
        let m = CharRange {
            start: at,
            end: at + 7,
        };
        let s = snippet(&text, &[m]);
        assert!(s.text.starts_with("word "), "{:?}", s.text);
        assert!(s.text.contains("harbour"));
        assert_eq!(s.matches, [m]);
        let expected: String = text
            .chars()
            .skip(s.start as usize)
            .take((s.end - s.start) as usize)
            .collect();
        assert_eq!(s.text, expected);
        assert!(s.start < at && s.end as usize <= text.len());
    }

    #[test]
    fn a_title_only_match_shows_the_start_of_the_text() {
        let s = snippet("Short text.", &[]);
        assert_eq!((s.start, s.end, s.text.as_str()), (0, 11, "Short text."));
    }
}
