//! Compact segmentation layers: paragraphs, sentences and tokens.
//!
//! These are the only layers that every document has and that later stages iterate over in
//! their hot loops, so they are plain structs (a span plus a small enum) rather than general
//! [`crate::Annotation`]s. Only the segmentation stage creates them.

use crate::Span;

/// Why a sentence ended where it did: the segmenter rule that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BoundaryRule {
    /// `.`, `!`, `?` or an ellipsis followed by a likely sentence start.
    TerminalPunctuation,
    /// A closing quote or bracket after terminal punctuation.
    ClosingQuote,
    /// A paragraph break (blank line or end of a block).
    ParagraphBreak,
    /// A line break inside a paragraph after a line that reads as a headline or list item.
    LineBreak,
    /// A dateline such as `MOSCOW (Reuters) -` or `WASHINGTON —` opens the text.
    Dateline,
    /// A colon before a line break, which closes a lead-in line.
    Colon,
    /// The end of the text.
    EndOfText,
}

impl BoundaryRule {
    /// Stable identifier used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            BoundaryRule::TerminalPunctuation => "terminal-punctuation",
            BoundaryRule::ClosingQuote => "closing-quote",
            BoundaryRule::ParagraphBreak => "paragraph-break",
            BoundaryRule::LineBreak => "line-break",
            BoundaryRule::Dateline => "dateline",
            BoundaryRule::Colon => "colon",
            BoundaryRule::EndOfText => "end-of-text",
        }
    }
}

/// A paragraph: a block of text between blank lines (or HTML block elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    /// Extent, without surrounding white space.
    pub span: Span,
}

/// A sentence and the rule that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Extent, without surrounding white space.
    pub span: Span,
    /// Index of the paragraph it belongs to.
    pub paragraph: u32,
    /// The rule that ended it.
    pub end_rule: BoundaryRule,
}

/// Coarse token class, decided by the tokenizer from the token's characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (possibly with inner apostrophes, hyphens or periods, as in `U.S.`).
    Word,
    /// Digits, possibly with separators and decimals (`1,000.5`, `10`).
    Number,
    /// Punctuation and quote marks.
    Punct,
    /// Currency and other symbols (`$`, `€`, `%`, emoji).
    Symbol,
    /// URLs, e-mail addresses and @handles.
    Url,
}

impl TokenKind {
    /// Stable identifier used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Punct => "punct",
            TokenKind::Symbol => "symbol",
            TokenKind::Url => "url",
        }
    }
}

/// A token: 12 bytes, no owned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Extent.
    pub span: Span,
    /// Coarse class.
    pub kind: TokenKind,
}

/// Index range of the tokens lying wholly inside `span` (tokens sorted and non-overlapping,
/// as segmentation guarantees). Binary search: O(log n).
pub fn tokens_within(tokens: &[Token], span: Span) -> std::ops::Range<usize> {
    let first = tokens.partition_point(|t| t.span.start < span.start);
    let end = first + tokens[first..].partition_point(|t| t.span.end <= span.end);
    first..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tokens_inside_a_span() {
        let tok = |s, e| Token {
            span: Span::new(s, e),
            kind: TokenKind::Word,
        };
        let tokens = [tok(0, 3), tok(4, 7), tok(8, 11), tok(13, 15)];
        assert_eq!(tokens_within(&tokens, Span::new(4, 11)), 1..3);
        assert_eq!(tokens_within(&tokens, Span::new(0, 15)), 0..4);
        assert_eq!(tokens_within(&tokens, Span::new(12, 12)), 3..3);
    }
}
