//! The store's query language (FTS5's: words, `"phrases"`, `OR`, `NOT`, `AND`, parentheses,
//! `prefix*`, `title:` / `text:`), read once into a [`Node`] tree that each engine writes in
//! its own terms: a `tsquery` on PostgreSQL, a query of the ranking index beside SQLite.
//! FTS5 itself reads the text as typed, so what this parser refuses, FTS5 refuses too.

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
pub(crate) fn word_char(c: char) -> bool {
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
pub(crate) enum Node {
    /// Words that must occur in this order (one word, or a phrase), the last one possibly a
    /// prefix, optionally only in one column.
    Words {
        words: Vec<String>,
        prefix: bool,
        column: Option<Column>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// The left side without the right.
    Not(Box<Node>, Box<Node>),
}

/// A column of the full-text index a word may be looked for in alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Title,
    Text,
}

/// Whether `query` uses FTS5's `NEAR(…)`, which no other engine here reads the same way.
/// Checked before lexing: the `,` of `NEAR(a b, 5)` is no token of the language.
pub(crate) fn mentions_near(query: &str) -> bool {
    query.match_indices("NEAR").any(|(at, _)| {
        let before = query[..at].chars().next_back();
        let after = query[at + 4..].trim_start();
        !before.is_some_and(word_char) && after.starts_with('(')
    })
}

/// `query` as a tree, or why it cannot be read (NEAR is not checked: see [`mentions_near`]).
pub(crate) fn parse(query: &str) -> Result<Node, String> {
    let tokens = lex(query)?;
    let mut parser = Parser { tokens, at: 0 };
    let node = parser.or()?;
    if let Some(t) = parser.tokens.get(parser.at) {
        return Err(format!("unexpected {}", t.describe()));
    }
    Ok(node)
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

    /// `a AND b`.
    fn and(&mut self) -> Result<Node, String> {
        let mut node = self.not()?;
        while self.keyword("AND") {
            self.at += 1;
            node = Node::And(Box::new(node), Box::new(self.not()?));
        }
        Ok(node)
    }

    /// `a NOT b`, left to right: tighter than `AND`, looser than `a b`.
    fn not(&mut self) -> Result<Node, String> {
        let mut node = self.juxtaposed()?;
        while self.keyword("NOT") {
            self.at += 1;
            node = Node::Not(Box::new(node), Box::new(self.juxtaposed()?));
        }
        Ok(node)
    }

    /// `a b`: FTS5's implicit AND binds tightest of all, so `a NOT b c` excludes only the
    /// documents with both `b` and `c`. It joins words and phrases only: FTS5 refuses a
    /// parenthesised group beside anything but an operator (`(a OR b) c`).
    fn juxtaposed(&mut self) -> Result<Node, String> {
        let group = matches!(self.peek(), Some(Token::Open));
        let mut node = self.primary(None)?;
        while let Some(next) = self.peek() {
            if matches!(next, Token::Close) || ["AND", "OR", "NOT"].iter().any(|k| self.keyword(k))
            {
                break;
            }
            if group || matches!(next, Token::Open) {
                return Err(format!("syntax error near {}", next.describe()));
            }
            node = Node::And(Box::new(node), Box::new(self.primary(None)?));
        }
        Ok(node)
    }

    fn primary(&mut self, column: Option<Column>) -> Result<Node, String> {
        let token = self.peek().cloned().ok_or("the search ends too early")?;
        self.at += 1;
        match token {
            Token::Open => {
                if column.is_some() {
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
                if column.is_some() {
                    return Err("one column filter at a time".into());
                }
                let column = match w.as_str() {
                    "title" => Column::Title,
                    "text" => Column::Text,
                    _ => return Err(format!("no such column: {w}")),
                };
                self.primary(Some(column))
            }
            Token::Word(w) if matches!(w.as_str(), "AND" | "OR" | "NOT") => {
                Err(format!("syntax error near \"{w}\""))
            }
            Token::Word(w) => Ok(self.words(vec![w], column)),
            Token::Phrase(p) => {
                let words: Vec<String> = p
                    .split(|c: char| !word_char(c))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                if words.is_empty() {
                    return Err("an empty phrase".into());
                }
                Ok(self.words(words, column))
            }
            other => Err(format!("syntax error near {}", other.describe())),
        }
    }

    fn words(&mut self, words: Vec<String>, column: Option<Column>) -> Node {
        let prefix = matches!(self.peek(), Some(Token::Star));
        if prefix {
            self.at += 1;
        }
        Node::Words {
            words,
            prefix,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fts5_refuses_is_refused_with_a_reason() {
        for (query, reason) in [
            ("\"open", "unterminated"),
            ("a - b", "syntax error"),
            ("(a OR b", "unbalanced"),
            ("a)", "unexpected"),
            ("OR a", "syntax error"),
            ("author:x", "no such column"),
            ("title:(a b)", "takes a word"),
            ("(a OR b) c", "syntax error"),
            ("a (b)", "syntax error"),
            ("\"  \"", "empty phrase"),
            ("a NOT", "ends too early"),
        ] {
            let e = parse(query).unwrap_err();
            assert!(e.contains(reason), "{query}: {e}");
        }
    }

    #[test]
    fn near_is_told_from_a_word_near() {
        assert!(mentions_near("NEAR(a b, 3)"));
        assert!(mentions_near("x NEAR (a b)"));
        assert!(!mentions_near("NEARBY(a)"));
        assert!(!mentions_near("near the port"));
    }
}
