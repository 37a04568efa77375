//! Full-text search on PostgreSQL: the query language of the SQLite back-end (FTS5's: words,
//! `"phrases"`, `OR`, `NOT`, `AND`, parentheses, `prefix*`, `title:` / `text:`) read here and
//! written as a `tsquery`, matched against the generated `search` column and ranked by
//! `ts_rank_cd` (title words weigh 1.0, text words 0.4). `NEAR(…)` has no `tsquery`
//! equivalent and is refused with a message; so is anything FTS5 would refuse.

use postgres::Client;

use super::read::Params;
use crate::listing::page_bounds;
use crate::query::{mentions_near, parse, Column, Node};
use crate::search::{match_ranges, snippet, Snippet, CLOSE, OPEN};
use crate::{Page, SearchHit, SearchQuery, StoreError};

/// Runs a search (see [`crate::Store::search`]).
pub(super) fn search(
    client: &mut Client,
    q: &SearchQuery,
) -> Result<Result<Page<SearchHit>, postgres::Error>, StoreError> {
    if q.query.trim().is_empty() {
        return Err(StoreError::InvalidQuery {
            message: "the search is empty: give at least one word".to_owned(),
        });
    }
    let tsquery = to_tsquery(&q.query).map_err(|message| StoreError::InvalidQuery {
        message: format!(
            "cannot read the search `{}` ({message}): put phrases in balanced double quotes, \
             use OR / NOT between words, prefix* for prefixes, and quote words containing \
             punctuation",
            q.query
        ),
    })?;
    let mut params = Params::default();
    let query = params.text(&tsquery);
    let filters = params.filters(&q.filters(), "d.doc")?;
    Ok((|| {
        let (limit, offset) = page_bounds(q.limit, q.offset);
        // An empty page proves no match only when it starts at the first and asks for some.
        let empty_page_counts = offset == 0 && limit > 0;
        let (limit, offset) = (params.int(limit), params.int(offset));
        let refs = params.refs();
        // Counted and ranked in one pass: a word in most documents is matched by reading
        // every document's `tsvector` (a sequential scan, each one de-TOASTed), and a count
        // of its own read them all a second time (`said` on 20,000 articles: 155-185 ms to
        // count, 210 ms to rank, 240 ms both at once). The page's columns are read after.
        let rows = client.query(
            &format!(
                "SELECT d.doc, d.doc_id, d.title, d.outlet, d.published, r.rank, r.total
                 FROM (SELECT d.doc, d.doc_id, ts_rank_cd(d.search, q)::float8 AS rank,
                              count(*) OVER () AS total
                       FROM documents d, to_tsquery('claimlens_words', {query}) q
                       WHERE d.search @@ q{filters}
                       ORDER BY rank DESC, d.doc_id LIMIT {limit} OFFSET {offset}) r
                 JOIN documents d ON d.doc = r.doc
                 ORDER BY r.rank DESC, r.doc_id"
            ),
            &refs,
        )?;
        let total: i64 = match rows.first() {
            Some(row) => row.get(6),
            None if empty_page_counts => 0,
            // A page past the last match carries no count: asked for on its own (without
            // the page's two bounds, the last parameters).
            None => client
                .query_one(
                    &format!(
                        "SELECT count(*) FROM documents d, to_tsquery('claimlens_words', {query}) q
                         WHERE d.search @@ q{filters}"
                    ),
                    &refs[..refs.len() - 2],
                )?
                .get(0),
        };
        // Highlighted on the text as the index reads it (word breaks as spaces, one
        // character for one, so the offsets are the original text's).
        let marked = client.prepare(
            "SELECT d.text, ts_headline('claimlens_words', translate(d.text, $4, $5),
                                        to_tsquery('claimlens_words', $1), $2)
             FROM documents d WHERE d.doc = $3",
        )?;
        let breaks = super::schema::WORD_BREAKS;
        let spaces = " ".repeat(breaks.chars().count());
        let options = format!("StartSel=\"{OPEN}\", StopSel=\"{CLOSE}\", HighlightAll=true");
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let key: i64 = r.get(0);
            let texts = client.query_one(&marked, &[&tsquery, &options, &key, &breaks, &spaces])?;
            let (text, highlighted): (String, String) = (texts.get(0), texts.get(1));
            // The marked text must be the indexed text with markers added, or the offsets
            // would be wrong: then report no matches rather than wrong ones.
            let unmarked = highlighted.chars().filter(|&c| c != OPEN && c != CLOSE);
            let indexed = text
                .chars()
                .map(|c| if breaks.contains(c) { ' ' } else { c });
            let matches = if unmarked.eq(indexed) && !text.contains([OPEN, CLOSE]) {
                match_ranges(&text, &highlighted)
            } else {
                Vec::new()
            };
            items.push(SearchHit {
                doc_id: r.get(1),
                title: r.get(2),
                outlet: r.get(3),
                published: r.get(4),
                snippet: if text.is_empty() {
                    Snippet::default_empty()
                } else {
                    snippet(&text, &matches)
                },
                rank: r.get(5),
            });
        }
        Ok(Page {
            total: total as u64,
            items,
        })
    })())
}

const NEAR_REFUSED: &str = "NEAR(…) is not available on a PostgreSQL store: use a phrase";

/// A search in the store's query language as `tsquery` text, or why it cannot be read.
pub(crate) fn to_tsquery(query: &str) -> Result<String, String> {
    if mentions_near(query) {
        return Err(NEAR_REFUSED.into());
    }
    let node = parse(query)?;
    let mut out = String::new();
    write(&node, &mut out);
    Ok(out)
}

/// Writes `node` as `tsquery` text (title words are weight `A`, text words `B`).
fn write(node: &Node, out: &mut String) {
    match node {
        Node::Words {
            words,
            prefix,
            column,
        } => {
            let weight = column.map(|c| match c {
                Column::Title => 'A',
                Column::Text => 'B',
            });
            out.push('(');
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    out.push_str(" <-> ");
                }
                // Words hold letters, digits and `_` only: nothing to escape inside the
                // quotes, which keep `tsquery` from reading one as an operator.
                out.push('\'');
                out.push_str(&w.to_lowercase());
                out.push('\'');
                let last = i + 1 == words.len();
                if (*prefix && last) || weight.is_some() {
                    out.push(':');
                    if *prefix && last {
                        out.push('*');
                    }
                    if let Some(w) = weight {
                        out.push(w);
                    }
                }
            }
            out.push(')');
        }
        Node::And(a, b) | Node::Or(a, b) | Node::Not(a, b) => {
            let op = match node {
                Node::And(..) => " & ",
                Node::Or(..) => " | ",
                _ => " & !",
            };
            out.push('(');
            write(a, out);
            out.push_str(op);
            write(b, out);
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_query_language_becomes_a_tsquery() {
        let cases = [
            ("harbour", "('harbour')"),
            ("Harbour reopens", "(('harbour') & ('reopens'))"),
            ("\"the harbour\"", "('the' <-> 'harbour')"),
            ("harb*", "('harb':*)"),
            ("a OR b c", "(('a') | (('b') & ('c')))"),
            ("a AND b", "(('a') & ('b'))"),
            ("a NOT b", "(('a') & !('b'))"),
            ("(a OR b) AND c", "((('a') | ('b')) & ('c'))"),
            ("a NOT b c", "(('a') & !(('b') & ('c')))"),
            ("title:port", "('port':A)"),
            ("title:\"red sea\"", "('red':A <-> 'sea':A)"),
            ("text:harb*", "('harb':*B)"),
            ("\"Zakharova's claim\"", "('zakharova' <-> 's' <-> 'claim')"),
            ("Ünïcode", "('ünïcode')"),
        ];
        for (query, expected) in cases {
            assert_eq!(to_tsquery(query).unwrap(), expected, "{query}");
        }
    }

    #[test]
    fn near_and_what_fts5_refuses_are_refused_with_a_reason() {
        // The parser's own refusals are tested beside it (`query.rs`); NEAR is refused here.
        for (query, reason) in [
            ("NEAR(a b, 3)", "NEAR"),
            ("x NEAR (a b)", "NEAR"),
            ("\"open", "unterminated"),
        ] {
            let e = to_tsquery(query).unwrap_err();
            assert!(e.contains(reason), "{query}: {e}");
        }
    }

    #[test]
    fn no_search_text_reaches_the_tsquery_unquoted() {
        // Whatever the input, every lexeme is a quoted run of word characters.
        for query in ["a'b", "x & y", "x | !y", "'quoted'", "a\\b"] {
            if let Ok(t) = to_tsquery(query) {
                assert!(!t.contains("''") && !t.contains('\\'), "{query} -> {t}");
            }
        }
    }
}
