//! Sentence boundaries from tokens, one paragraph at a time.
//!
//! A paragraph end is always a boundary. Inside a paragraph a boundary follows
//! * terminal punctuation (`.`, `!`, `?`, `...`, `…`) plus any closing quotes or brackets
//!   attached to it, when the next token can start a sentence (not lowercase, not a comma);
//! * an abbreviation that can end a sentence (`U.S.`, `Inc.`) when a common sentence starter
//!   follows; title abbreviations and initials (`Gen.`, `J.`) never end one;
//! * a dateline (`MOSCOW (Reuters) -`) at the start of a paragraph;
//! * a line break after a short line without terminal punctuation (headlines, list items), a
//!   line ending in a colon, or before a bulleted line; other line breaks are wrapping.

use claimlens_core::{tokens_within, BoundaryRule, Paragraph, Sentence, Span, Token, TokenKind};

use super::lexicon::{abbreviation, is_sentence_starter, Abbrev};

/// Appends the sentences of every paragraph. `tokens` must be the tokens of `text`.
pub(crate) fn sentences(
    text: &str,
    paragraphs: &[Paragraph],
    tokens: &[Token],
    out: &mut Vec<Sentence>,
) {
    for (p_index, p) in paragraphs.iter().enumerate() {
        let ctx = Paragraph_ {
            text,
            tokens: &tokens[tokens_within(tokens, p.span)],
            index: p_index as u32,
        };
        ctx.split(out);
    }
}

#[allow(non_camel_case_types)] // private helper named after the type it reads
struct Paragraph_<'a> {
    text: &'a str,
    tokens: &'a [Token],
    index: u32,
}

impl Paragraph_<'_> {
    fn tok(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.range()]
    }

    fn split(&self, out: &mut Vec<Sentence>) {
        let n = self.tokens.len();
        if n == 0 {
            return;
        }
        let mut sent_start = 0;
        let mut i = 0;
        if let Some(d) = self.dateline_end() {
            self.emit(out, 0, d, BoundaryRule::Dateline);
            sent_start = d + 1;
            i = d + 1;
        }
        let max_line = self.longest_line();
        while i < n {
            let mut boundary: Option<(usize, BoundaryRule)> = None;
            if let Some((last, rule)) = self.terminal_boundary(i) {
                boundary = Some((last, rule));
            } else if i + 1 < n {
                if let Some(rule) = self.line_break_boundary(i, sent_start, max_line) {
                    boundary = Some((i, rule));
                }
            }
            match boundary {
                Some((last, rule)) if last + 1 < n => {
                    self.emit(out, sent_start, last, rule);
                    sent_start = last + 1;
                    i = last + 1;
                }
                Some(_) => break,
                None => i += 1,
            }
        }
        if sent_start < n {
            let rule = if self.tokens[n - 1].span.end as usize == self.text.len() {
                BoundaryRule::EndOfText
            } else {
                BoundaryRule::ParagraphBreak
            };
            self.emit(out, sent_start, n - 1, rule);
        }
    }

    fn emit(&self, out: &mut Vec<Sentence>, first: usize, last: usize, rule: BoundaryRule) {
        out.push(Sentence {
            span: Span {
                start: self.tokens[first].span.start,
                end: self.tokens[last].span.end,
            },
            paragraph: self.index,
            end_rule: rule,
        });
    }

    /// If token `i` ends a sentence by punctuation, the index of the sentence's last token
    /// (after absorbing closing quotes) and the rule.
    fn terminal_boundary(&self, i: usize) -> Option<(usize, BoundaryRule)> {
        let tok = self.tokens[i];
        let s = self.tok(i);
        let abbrev = match tok.kind {
            TokenKind::Punct if is_terminal(s) => None,
            TokenKind::Word if s.len() > 1 && s.ends_with('.') => {
                Some(abbreviation(&s[..s.len() - 1]).unwrap_or(Abbrev::Other))
            }
            _ => return None,
        };
        if abbrev == Some(Abbrev::Prefix) || self.is_list_number_period(i) {
            return None;
        }
        let mut last = i;
        while last + 1 < self.tokens.len() && self.is_closer(last + 1) {
            last += 1;
        }
        let next = last + 1;
        if next >= self.tokens.len() {
            return Some((last, BoundaryRule::ParagraphBreak));
        }
        let starts = match abbrev {
            Some(_) => self.abbreviation_may_end(next),
            // A bare full stop, `!` or `?` before a lowercase word still ends the sentence
            // (informal text starts sentences in lowercase); after a closing quote the
            // lowercase word is the cue of a quotation ("“Why?” he asked").
            None if last == i && matches!(s, "." | "!" | "?") => {
                self.can_start_sentence(next) || self.tokens[next].kind == TokenKind::Word
            }
            None => self.can_start_sentence(next),
        };
        // “Is it fair?” Smith asked. — a capitalised speaker and a speech verb continue the
        // sentence after a quoted question or exclamation.
        if last > i && matches!(s, "?" | "!" | "?!") && self.speaker_then_verb(next) {
            return None;
        }
        let rule = if last > i {
            BoundaryRule::ClosingQuote
        } else {
            BoundaryRule::TerminalPunctuation
        };
        starts.then_some((last, rule))
    }

    /// A closing quote or bracket glued to the previous token (`.”`, `?)`).
    fn is_closer(&self, j: usize) -> bool {
        let glued = self.tokens[j].span.start == self.tokens[j - 1].span.end;
        match self.tok(j) {
            "”" | "»" | "’" | ")" | "]" | "›" => glued || self.tok(j) == "”",
            "\"" | "'" => glued,
            _ => false,
        }
    }

    /// Up to three capitalised words followed by a speech verb, starting at token `j`.
    fn speaker_then_verb(&self, j: usize) -> bool {
        let n = self.tokens.len();
        let mut k = j;
        while k < n
            && k < j + 3
            && self.tokens[k].kind == TokenKind::Word
            && self.first_char(k).is_uppercase()
        {
            k += 1;
        }
        k > j && k < n && is_speech_verb(self.tok(k))
    }

    /// The period of a numbered list item (`1.` at the start of a line or paragraph).
    fn is_list_number_period(&self, i: usize) -> bool {
        i >= 1
            && i < self.tokens.len()
            && self.tok(i) == "."
            && self.tokens[i - 1].kind == TokenKind::Number
            && self.tok(i - 1).len() <= 3
            && self.tokens[i - 1].span.end == self.tokens[i].span.start
            && self.starts_line(i - 1)
    }

    /// True when token `j` is the first of its line (or of the paragraph).
    fn starts_line(&self, j: usize) -> bool {
        j == 0
            || self.text[self.tokens[j - 1].span.end as usize..self.tokens[j].span.start as usize]
                .contains('\n')
    }

    fn first_char(&self, j: usize) -> char {
        self.tok(j).chars().next().unwrap_or(' ')
    }

    fn can_start_sentence(&self, j: usize) -> bool {
        let c = self.first_char(j);
        match self.tokens[j].kind {
            TokenKind::Word => !c.is_lowercase(),
            TokenKind::Number | TokenKind::Symbol | TokenKind::Url => true,
            TokenKind::Punct => {
                is_opener(self.tok(j))
                    && (j + 1 >= self.tokens.len() || !self.first_char(j + 1).is_lowercase())
            }
        }
    }

    fn abbreviation_may_end(&self, j: usize) -> bool {
        let j = if self.tokens[j].kind == TokenKind::Punct && is_opener(self.tok(j)) {
            if j + 1 >= self.tokens.len() {
                return false;
            }
            j + 1
        } else {
            j
        };
        let word = self.tok(j);
        self.first_char(j).is_uppercase() && is_sentence_starter(word)
    }

    /// Line-break boundary after token `i`, when the gap to the next token holds a newline.
    fn line_break_boundary(
        &self,
        i: usize,
        sent_start: usize,
        max_line: usize,
    ) -> Option<BoundaryRule> {
        let gap =
            &self.text[self.tokens[i].span.end as usize..self.tokens[i + 1].span.start as usize];
        if !gap.contains('\n') {
            return None;
        }
        let s = self.tok(i);
        if s == ":" {
            return Some(BoundaryRule::Colon);
        }
        if is_bullet(self.tok(i + 1)) || self.is_list_number_period(i + 2) {
            return Some(BoundaryRule::LineBreak);
        }
        if self.first_char(i + 1).is_lowercase() {
            return None;
        }
        // Wrapped prose has lines of similar length; a markedly short line is a break.
        let line_start = self.text[..self.tokens[i].span.end as usize]
            .rfind('\n')
            .map_or(self.tokens[sent_start].span.start as usize, |k| k + 1);
        let line_len = self.tokens[i].span.end as usize - line_start;
        (line_len * 10 < max_line * 7).then_some(BoundaryRule::LineBreak)
    }

    fn longest_line(&self) -> usize {
        let (Some(first), Some(last)) = (self.tokens.first(), self.tokens.last()) else {
            return 0;
        };
        self.text[first.span.start as usize..last.span.end as usize]
            .split('\n')
            .map(str::len)
            .max()
            .unwrap_or(0)
    }

    /// Index of the dash that closes a dateline opening the paragraph, if any:
    /// `MOSCOW (Reuters) -`, `WASHINGTON, Feb. 5 (AP) —`, `LONDON —`.
    fn dateline_end(&self) -> Option<usize> {
        let n = self.tokens.len().min(16);
        let first = self.tok(0);
        let caps = |w: &str| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(|c| c.is_lowercase())
        };
        if self.tokens[0].kind != TokenKind::Word || !caps(first) {
            return None;
        }
        let mut in_parens = false;
        for j in 1..n {
            let s = self.tok(j);
            match s {
                "-" | "—" | "–" | "--" if !in_parens => {
                    return (j + 1 < self.tokens.len()).then_some(j);
                }
                "(" => in_parens = true,
                ")" => in_parens = false,
                "," | "/" => {}
                _ if in_parens => {}
                _ if caps(s) => {}
                _ if self.tokens[j].kind == TokenKind::Number => {}
                _ if is_month(s) => {}
                _ => return None,
            }
        }
        None
    }
}

fn is_terminal(s: &str) -> bool {
    matches!(s, "." | "!" | "?" | "…" | "。" | "؟")
        || (s.len() > 1 && s.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')) && s != "--")
}

fn is_opener(s: &str) -> bool {
    matches!(
        s,
        "“" | "‘" | "\"" | "'" | "(" | "[" | "«" | "„" | "¿" | "¡"
    )
}

fn is_speech_verb(s: &str) -> bool {
    matches!(
        s,
        "said"
            | "says"
            | "asked"
            | "asks"
            | "added"
            | "adds"
            | "told"
            | "tells"
            | "wrote"
            | "writes"
            | "shouted"
            | "replied"
            | "replies"
            | "continued"
            | "explained"
            | "insisted"
            | "noted"
            | "stated"
            | "warned"
            | "tweeted"
            | "exclaimed"
            | "recalled"
            | "argued"
            | "claimed"
            | "cried"
            | "demanded"
            | "wondered"
            | "pointed"
            | "declared"
    )
}

fn is_bullet(s: &str) -> bool {
    matches!(s, "-" | "*" | "•" | "·" | "–" | "—" | "▪" | "‣")
}

fn is_month(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    .iter()
    .any(|m| m.eq_ignore_ascii_case(s))
}
