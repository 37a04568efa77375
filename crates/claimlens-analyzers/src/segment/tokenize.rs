//! News-grade tokenizer: byte offsets only, no allocation per token.
//!
//! Text is cut at white space into chunks; each chunk is scanned once:
//! * runs of letters/digits, joined by `' ’ - . , : / & _` only when an alphanumeric follows
//!   on both sides (`don't`, `al-Sham`, `U.S`, `1,000.50`, `10:30`, `and/or`, `AT&T`);
//! * clitics split off the end of a word, as in the Penn Treebank (`it|'s`, `do|n't`);
//! * a period after an abbreviation stays on it (`Gen.`, `U.S.`, `J.`); otherwise it is punct;
//! * runs of the same sentence punctuation are one token (`...`, `?!`, `--`);
//! * URLs, e-mail addresses and @handles are one token, minus trailing punctuation;
//! * other symbols (currency, `%`, emoji with their joiners and modifiers) are symbol tokens.

use claimlens_core::{Span, Token, TokenKind};

use super::lexicon::{abbreviation, is_numeric_prefix};

/// Appends the tokens of `text` to `out`.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        // Skip white space (ASCII fast path).
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_whitespace() || b == 0x0b {
                i += 1;
                continue;
            }
        } else {
            let c = next_char(text, i);
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_whitespace() || b == 0x0b {
                    break;
                }
                i += 1;
            } else {
                let c = next_char(text, i);
                if c.is_whitespace() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        tokenize_chunk(text, start, i, out);
    }
}

#[inline]
fn next_char(text: &str, i: usize) -> char {
    // Safe: callers only pass char boundaries.
    text[i..].chars().next().unwrap_or('\u{0}')
}

#[inline]
fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Character classes the scanner distinguishes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Letter, digit or combining mark.
    Alnum,
    /// May join two alphanumeric runs into one token.
    Joiner,
    /// Sentence punctuation that groups with repeats of itself.
    Repeat,
    /// Any other punctuation: one token each.
    Punct,
    /// Symbols and emoji.
    Symbol,
}

fn class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Alnum,
        '\'' | '’' | '-' | '.' | ',' | ':' | '/' | '&' | '_' | '\u{2011}' => Class::Joiner,
        '!' | '?' => Class::Repeat,
        '"' | '(' | ')' | '[' | ']' | '{' | '}' | ';' | '“' | '”' | '‘' | '«' | '»' | '„' | '‚'
        | '‹' | '›' | '…' | '—' | '–' | '¿' | '¡' | '*' | '•' | '·' | '<' | '>' | '|' | '\\'
        | '、' | '。' | '，' | '؛' | '؟' | '،' => Class::Punct,
        c if c.is_alphanumeric() || is_mark(c) => Class::Alnum,
        c if c.is_ascii_punctuation() => Class::Punct,
        _ => Class::Symbol,
    }
}

/// Combining marks and joiners that continue the preceding letter (accents, Arabic harakat).
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F | 0x200C)
}

/// Emoji modifiers that stay attached to the preceding symbol.
fn is_symbol_continuation(c: char) -> bool {
    matches!(c as u32, 0x200D | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0x20E3)
}

/// Joiners valid between which kinds of neighbours.
fn joins(j: char, before: char, after: char) -> bool {
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    match j {
        ',' | ':' => digits,
        _ => class(before) == Class::Alnum && class(after) == Class::Alnum,
    }
}

/// URL, www or @handle prefix at the start of `s`; e-mail addresses are decided by [`Emails`].
fn looks_like_url(s: &str) -> bool {
    let lower_prefix =
        |p: &str| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if lower_prefix("http://") || lower_prefix("https://") || lower_prefix("www.") {
        return s.len() > 7;
    }
    if let Some(rest) = s.strip_prefix('@') {
        return rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    }
    false
}

/// Where an e-mail address (`local@domain.tld`) starts inside one chunk.
///
/// Checking "is the rest of the chunk an address?" at every word start would rescan the
/// chunk each time (quadratic on `a%a%a%…`), so one backward pass marks every start once.
struct Emails {
    chunk_start: usize,
    /// `starts[k]`: an address starts at `chunk_start + k`. Empty when the chunk has no `@`.
    starts: Vec<bool>,
}

impl Emails {
    fn new(text: &str, start: usize, end: usize) -> Emails {
        let bytes = &text.as_bytes()[start..end];
        if memchr::memchr(b'@', bytes).is_none() {
            return Emails {
                chunk_start: start,
                starts: Vec::new(),
            };
        }
        let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let mut starts = vec![false; bytes.len()];
        // State carried leftwards: whether the run to the right reaches an '@' with a valid
        // domain, and whether the domain after the nearest '@' so far is valid.
        let mut reach = false;
        let mut dot_seen = false;
        for k in (0..bytes.len()).rev() {
            let b = bytes[k];
            if b == b'@' {
                let domain = &bytes[k + 1..];
                let first_ok = domain.first().is_some_and(u8::is_ascii_alphanumeric);
                reach = first_ok && dot_seen;
                dot_seen = false;
            } else {
                dot_seen |= b == b'.';
                if local(b) {
                    starts[k] = reach;
                } else {
                    reach = false;
                }
            }
        }
        Emails {
            chunk_start: start,
            starts,
        }
    }

    fn starts_at(&self, i: usize) -> bool {
        self.starts
            .get(i - self.chunk_start)
            .copied()
            .unwrap_or(false)
    }
}

/// Trailing characters that are never part of a URL or handle token.
fn is_url_trailer(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '"' | '\'' | '”' | '’' | '»' | '…'
    )
}

fn push(out: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    out.push(Token {
        span: Span::new(start, end),
        kind,
    });
}

fn tokenize_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let emails = Emails::new(text, start, end);
    let mut i = start;
    while i < end {
        let c = next_char(text, i);
        if c == '@' && looks_like_url(&text[i..end]) {
            i = push_url(text, i, end, out);
            continue;
        }
        match class(c) {
            Class::Alnum => {
                if c.is_ascii_alphanumeric()
                    && (emails.starts_at(i) || looks_like_url(&text[i..end]))
                {
                    i = push_url(text, i, end, out);
                } else {
                    i = push_word(text, i, end, out);
                }
            }
            Class::Repeat | Class::Joiner if matches!(c, '!' | '?' | '.' | '-') => {
                let mut j = i + 1;
                while j < end {
                    let d = text.as_bytes()[j];
                    let same = match c {
                        '!' | '?' => d == b'!' || d == b'?',
                        _ => d == c as u8,
                    };
                    if !same {
                        break;
                    }
                    j += 1;
                }
                push(out, i, j, TokenKind::Punct);
                i = j;
            }
            Class::Joiner | Class::Punct | Class::Repeat => {
                let j = i + c.len_utf8();
                push(out, i, j, TokenKind::Punct);
                i = j;
            }
            Class::Symbol => {
                let mut j = i + c.len_utf8();
                while j < end {
                    let d = next_char(text, j);
                    if is_symbol_continuation(d) {
                        j += d.len_utf8();
                        // A zero-width joiner glues the next emoji too.
                        if d == '\u{200D}' && j < end {
                            let e = next_char(text, j);
                            if class(e) == Class::Symbol {
                                j += e.len_utf8();
                            }
                        }
                    } else {
                        break;
                    }
                }
                push(out, i, j, TokenKind::Symbol);
                i = j;
            }
        }
    }
}

fn push_url(text: &str, start: usize, end: usize, out: &mut Vec<Token>) -> usize {
    let mut url_end = end;
    while let Some(c) = prev_char(text, url_end) {
        if url_end > start + 1 && is_url_trailer(c) {
            url_end -= c.len_utf8();
        } else {
            break;
        }
    }
    push(out, start, url_end, TokenKind::Url);
    url_end
}

/// Scans one alphanumeric run with its joiners; returns where scanning continues.
fn push_word(text: &str, start: usize, end: usize, out: &mut Vec<Token>) -> usize {
    let mut i = start;
    let mut last = next_char(text, i);
    i += last.len_utf8();
    while i < end {
        let c = next_char(text, i);
        match class(c) {
            Class::Alnum => {
                i += c.len_utf8();
                last = c;
            }
            Class::Joiner => {
                let after_pos = i + c.len_utf8();
                if after_pos < end && joins(c, last, next_char(text, after_pos)) {
                    i = after_pos;
                    last = c;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    let word = &text[start..i];
    // A period right after an abbreviation belongs to it ("No." only before a number, so that
    // "the answer is no." keeps its full stop).
    if i < end && text.as_bytes()[i] == b'.' && abbreviation(word).is_some() {
        let after = i + 1;
        let ellipsis = after < end && text.as_bytes()[after] == b'.';
        let numeric_only = is_numeric_prefix(word) && !next_word_is_number(text, after);
        if !ellipsis && !numeric_only {
            push(out, start, after, TokenKind::Word);
            return after;
        }
    }
    let split = clitic_start(word).map_or(i, |k| start + k);
    let kind = if word.as_bytes()[0].is_ascii_digit() {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    push(out, start, split, kind);
    if split < i {
        push(out, split, i, TokenKind::Word);
    }
    i
}

/// True when the first non-space character at or after `pos` is a digit.
fn next_word_is_number(text: &str, pos: usize) -> bool {
    text[pos..]
        .trim_start()
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit)
}

/// Byte offset inside `word` where an English clitic starts (`n't`, `'s`, `'re`, ...).
fn clitic_start(word: &str) -> Option<usize> {
    let b = word.as_bytes();
    let n = b.len();
    let apostrophe_at = |k: usize| -> Option<usize> {
        // ASCII apostrophe is one byte, the curly one three; return the clitic's start.
        if k >= 1 && b[k - 1] == b'\'' {
            Some(k - 1)
        } else if k >= 3 && &b[k - 3..k] == "’".as_bytes() {
            Some(k - 3)
        } else {
            None
        }
    };
    let ends_ci = |suffix: &str| {
        n >= suffix.len() && b[n - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    for suffix in ["s", "re", "ve", "ll", "d", "m"] {
        if ends_ci(suffix) {
            if let Some(k) = apostrophe_at(n - suffix.len()) {
                if suffix == "s" || k > 0 {
                    return (k > 0).then_some(k);
                }
            }
        }
    }
    if ends_ci("t") {
        if let Some(k) = apostrophe_at(n - 1) {
            if k >= 2 && b[k - 1].eq_ignore_ascii_case(&b'n') {
                return Some(k - 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        for t in &out {
            assert!(t.span.is_valid_for(text));
        }
        out.iter().map(|t| &text[t.span.range()]).collect()
    }

    #[test]
    fn news_tokens() {
        assert_eq!(
            toks("Gen. J. Smith said the U.S. pledged $5 million (about 10%)."),
            vec![
                "Gen.", "J.", "Smith", "said", "the", "U.S.", "pledged", "$", "5", "million", "(",
                "about", "10", "%", ")", "."
            ]
        );
        assert_eq!(
            toks("“We don't know,” Kazem’s aide said..."),
            vec![
                "“", "We", "do", "n't", "know", ",", "”", "Kazem", "’s", "aide", "said", "..."
            ]
        );
        assert_eq!(
            toks("al-Sham's 1,000.50 at 10:30 — really?!"),
            vec!["al-Sham", "'s", "1,000.50", "at", "10:30", "—", "really", "?!"]
        );
    }

    #[test]
    fn urls_emails_and_emoji() {
        assert_eq!(
            toks("See https://example.org/a?b=1. Mail me@example.com, @user_1!"),
            vec![
                "See",
                "https://example.org/a?b=1",
                ".",
                "Mail",
                "me@example.com",
                ",",
                "@user_1",
                "!"
            ]
        );
        assert_eq!(toks("great👩‍🔬!"), vec!["great", "👩‍🔬", "!"]);
        assert_eq!(toks("قال المتحدث."), vec!["قال", "المتحدث", "."]);
    }
}
