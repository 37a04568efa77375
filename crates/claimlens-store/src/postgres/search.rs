//! Full-text search on PostgreSQL: the query language of the SQLite back-end (FTS5's: words,
//! `"phrases"`, `OR`, `NOT`, `AND`, parentheses, `prefix*`, `title:` / `text:`) read here and
//! written as a `tsquery`, matched against the generated `search` column and ranked by
//! `ts_rank_cd` (title words weigh 1.0, text words 0.4). `NEAR(…)` has no `tsquery`
//! equivalent and is refused with a message; so is anything FTS5 would refuse.

use postgres::Client;

use super::read::Params;
use crate::listing::page_bounds;
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
    // Checked before lexing: the `,` of `NEAR(a b, 5)` is no token of the language.
    let near = query.match_indices("NEAR").any(|(at, _)| {
        let before = query[..at].chars().next_back();
        let after = query[at + 4..].trim_start();
        !before.is_some_and(word_char) && after.starts_with('(')
    });
    if near {
        return Err(NEAR_REFUSED.into());
    }
    let tokens = lex(query)?;
    let mut parser = Parser { tokens, at: 0 };
    let node = parser.or()?;
    if let Some(t) = parser.tokens.get(parser.at) {
        return Err(format!("unexpected {}", t.describe()));
    }
    let mut out = String::new();
    node.write(&mut out);
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Star,
    Colon,
    Word(String),
    Phrase(String),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Open => "`(`".into(),
            Token::Close => "`)`".into(),
            Token::Star => "`*`".into(),
            Token::Colon => "`:`".into(),
            Token::Word(w) => format!("`{w}`"),
            Token::Phrase(p) => format!("\"{p}\""),
        }
    }
}

/// A character of a bare word, as FTS5 reads them: letters, digits, `_` and anything
/// outside ASCII.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || !c.is_ascii()
}

fn lex(query: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            '*' => tokens.push(Token::Star),
            ':' => tokens.push(Token::Colon),
            '"' => {
                let mut phrase = String::new();
                loop {
                    match chars.next() {
                        None => return Err("unterminated string".into()),
                        // `""` inside a phrase is a quote mark, as in FTS5.
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            phrase.push('"');
                        }
                        Some('"') => break,
                        Some(c) => phrase.push(c),
                    }
                }
                tokens.push(Token::Phrase(phrase));
            }
            c if word_char(c) => {
                let mut word = String::from(c);
                while let Some(&c) = chars.peek() {
                    if !word_char(c) {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
            c => return Err(format!("syntax error near \"{c}\"")),
        }
    }
    Ok(tokens)
}

/// A parsed search.
#[derive(Debug)]
enum Node {
    /// Words that must occur in this order (one word, or a phrase), the last one possibly a
    /// prefix, optionally only in one column (`A` title, `B` text).
    Words {
        words: Vec<String>,
        prefix: bool,
        weight: Option<char>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// The left side without the right.
    Not(Box<Node>, Box<Node>),
}

impl Node {
    fn write(&self, out: &mut String) {
        match self {
            Node::Words {
                words,
                prefix,
                weight,
            } => {
                out.push('(');
                for (i, w) in words.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" <-> ");
                    }
                    // Words hold letters, digits and `_` only: nothing to escape inside
                    // the quotes, which keep `tsquery` from reading one as an operator.
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
                            out.push(*w);
                        }
                    }
                }
                out.push(')');
            }
            Node::And(a, b) | Node::Or(a, b) | Node::Not(a, b) => {
                let op = match self {
                    Node::And(..) => " & ",
                    Node::Or(..) => " | ",
                    _ => " & !",
                };
                out.push('(');
                a.write(out);
                out.push_str(op);
                b.write(out);
                out.push(')');
            }
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == k)
    }

    /// `a OR b`: the loosest operator.
    fn or(&mut self) -> Result<Node, String> {
        let mut node = self.and()?;
        while self.keyword("OR") {
            self.at += 1;
            node = Node::Or(Box::new(node), Box::new(self.and()?));
        }
        Ok(node)
    }

    /// `a AND b`, or `a b`.
    fn and(&mut self) -> Result<Node, String> {
        let mut node = self.not()?;
        loop {
            if self.keyword("AND") {
                self.at += 1;
            } else if self.peek().is_none()
                || matches!(self.peek(), Some(Token::Close))
                || self.keyword("OR")
            {
                return Ok(node);
            }
            node = Node::And(Box::new(node), Box::new(self.not()?));
        }
    }

    /// `a NOT b`: the tightest operator, as in FTS5.
    fn not(&mut self) -> Result<Node, String> {
        let mut node = self.primary(None)?;
        while self.keyword("NOT") {
            self.at += 1;
            node = Node::Not(Box::new(node), Box::new(self.primary(None)?));
        }
        Ok(node)
    }

    fn primary(&mut self, weight: Option<char>) -> Result<Node, String> {
        let token = self.peek().cloned().ok_or("the search ends too early")?;
        self.at += 1;
        match token {
            Token::Open => {
                if weight.is_some() {
                    return Err("a column filter takes a word or a phrase".into());
                }
                let node = self.or()?;
                match self.peek() {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(node)
                    }
                    _ => Err("unbalanced parentheses".into()),
                }
            }
            Token::Word(w) if matches!(self.peek(), Some(Token::Colon)) => {
                self.at += 1;
                if weight.is_some() {
                    return Err("one column filter at a time".into());
                }
                let weight = match w.as_str() {
                    "title" => 'A',
                    "text" => 'B',
                    _ => return Err(format!("no such column: {w}")),
                };
                self.primary(Some(weight))
            }
            Token::Word(w) if matches!(w.as_str(), "AND" | "OR" | "NOT") => {
                Err(format!("syntax error near \"{w}\""))
            }
            Token::Word(w) => Ok(self.words(vec![w], weight)),
            Token::Phrase(p) => {
                let words: Vec<String> = p
                    .split(|c: char| !word_char(c))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                if words.is_empty() {
                    return Err("an empty phrase".into());
                }
                Ok(self.words(words, weight))
            }
            other => Err(format!("syntax error near {}", other.describe())),
        }
    }

    fn words(&mut self, words: Vec<String>, weight: Option<char>) -> Node {
        let prefix = matches!(self.peek(), Some(Token::Star));
        if prefix {
            self.at += 1;
        }
        Node::Words {
            words,
            prefix,
            weight,
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
            ("(a OR b) c", "((('a') | ('b')) & ('c'))"),
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
    fn what_fts5_refuses_is_refused_with_a_reason() {
        for (query, reason) in [
            ("\"open", "unterminated"),
            ("a - b", "syntax error"),
            ("(a OR b", "unbalanced"),
            ("a)", "unexpected"),
            ("OR a", "syntax error"),
            ("author:x", "no such column"),
            ("NEAR(a b, 3)", "NEAR"),
            ("x NEAR (a b)", "NEAR"),
            ("\"  \"", "empty phrase"),
            ("a NOT", "ends too early"),
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
