//! The cue tagger's features: per token, the word and its neighbours, quotation state, the
//! nearest cue-lexicon words, sentence and paragraph position, word classes and stems.

use claimlens_core::Token;

use super::{affixes, bucket, is_quote, opens_quote, quote_state, shape, stem, Features, OUTSIDE};
use crate::attribution::lexicon::CueLexicon;
use crate::learn::features::Hasher;
use crate::pos::PosClass;

/// Feature templates. Each feature hashes its template's
/// discriminant first, so the discriminants are part of every trained model: add templates
/// at the end, never renumber or reuse one (a dropped one leaves a gap, hence the explicit
/// discriminants after gaps).
#[derive(Clone, Copy)]
#[repr(u8)]
enum T {
    Bias = 1,
    Word,
    PrevWord,
    NextWord,
    PrevPrevWord,
    NextNextWord,
    PrevAndWord,
    WordAndNext,
    Shape,
    ShapeTrigram,
    Suffix3,
    InQuote,
    InQuoteShape,
    QuoteEdge,
    Lexicon,
    LexiconLeft,
    LexiconRight,
    LexiconLeftWord,
    LexiconRightWord,
    SentencePosition,
    SentenceEnd,
    SentenceHas,
    Comma,
    InQuoteLexicon,
    Prefix3,
    WordSentencePosition,
    ParagraphStart,
    PrevParagraphEnd,
    ParagraphQuoted,
    Stem,
    StemPrevWord,
    StemNextWord,
    PrevWordStemNextWord,
    Class,
    PrevClassClass,
    ClassNextClass,
    ClassTrigram,
    ClassLexicon,
    ClassStem,
    ClassNextLexicon,
    ClassPrevLexicon,
    ClassNextFunctionWord,
    ClassSourceLeft,
    // 44 (the class trigram two tokens back) was tried and dropped.
    ClassInQuoteParagraph = 45,
}

impl From<T> for u8 {
    fn from(t: T) -> u8 {
        t as u8
    }
}

/// The cue tagger's features of one sequence, extracted a range of tokens at a time. A
/// token's features depend on the whole sequence (its neighbours, its sentence, the previous
/// paragraph) but not on the range asked for, so the features of a paragraph are exactly
/// that paragraph's part of the whole sequence's: a document is tagged paragraph by paragraph
/// without holding the features of all its tokens (some 70 hashes, 280 bytes, per token).
pub struct CueFeatures<'a> {
    doc: DocFacts<'a>,
}

impl<'a> CueFeatures<'a> {
    /// The facts the features consult, for the sequence `tokens` (the tokens with their sentence and paragraph numbers, word classes and the cue
    /// lexicon).
    pub fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentence_of: &[u32],
        paragraph_of: &[u32],
        pos: &'a [PosClass],
        lexicon: &CueLexicon,
    ) -> Self {
        CueFeatures {
            doc: DocFacts::new(text, tokens, sentence_of, paragraph_of, pos, lexicon),
        }
    }

    /// The features of the tokens `range` of the sequence, into `out` as a sequence of their
    /// own.
    pub fn extract(&self, range: std::ops::Range<usize>, out: &mut Features) {
        out.values.clear();
        out.starts.clear();
        for i in range {
            out.starts.push(out.values.len());
            // The order of the groups is the order of each token's features; index 1 (the
            // word) is the identity the perceptron's history features combine with.
            let v = &mut out.values;
            let doc = &self.doc;
            doc.word_features(i, v);
            doc.quote_and_lexicon_features(i, v);
            doc.sentence_and_paragraph_features(i, v);
            doc.class_features(i, v);
            doc.stem_features(i, v);
        }
        out.starts.push(out.values.len());
    }
}

/// What the features of a token consult beyond the token itself, computed once per sequence.
struct DocFacts<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: &'a [PosClass],
    /// Whether each token is inside a quotation.
    inq: Vec<bool>,
    /// Whether each token is a cue-lexicon word.
    is_lex: Vec<bool>,
    /// The nearest cue-lexicon word to the left and to the right within the sentence.
    /// (Token indexes are `u32` here: these vectors live as long as the sequence is tagged.)
    left: Vec<Option<u32>>,
    right: Vec<Option<u32>>,
    /// First token of the token's paragraph.
    para_first: Vec<u32>,
    /// The token's sentence: first token, end (exclusive), and flags (1: has a quote mark,
    /// 2: has a cue-lexicon word).
    sent_start: Vec<u32>,
    sent_end: Vec<u32>,
    sent_flags: Vec<u8>,
}

impl<'a> DocFacts<'a> {
    fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentence_of: &[u32],
        paragraph_of: &[u32],
        pos: &'a [PosClass],
        lexicon: &CueLexicon,
    ) -> Self {
        let n = tokens.len();
        let word = |i: usize| &text[tokens[i].span.range()];
        let mut para_first = vec![0u32; n];
        for i in 1..n {
            let para_start = paragraph_of[i] != paragraph_of[i - 1];
            para_first[i] = if para_start {
                i as u32
            } else {
                para_first[i - 1]
            };
        }
        let is_lex: Vec<bool> = (0..n).map(|i| lexicon.contains(word(i))).collect();
        let (left, right) = nearest_lexicon_words(sentence_of, &is_lex);
        let mut facts = DocFacts {
            text,
            tokens,
            pos,
            inq: quote_state(text, tokens, paragraph_of),
            is_lex,
            left,
            right,
            para_first,
            sent_start: vec![0; n],
            sent_end: vec![0; n],
            sent_flags: vec![0; n],
        };
        facts.find_sentences(sentence_of);
        facts
    }

    /// Fills in each token's sentence extent and flags.
    fn find_sentences(&mut self, sentence_of: &[u32]) {
        let n = self.tokens.len();
        let mut s = 0;
        while s < n {
            let mut e = s;
            let mut flags = 0u8;
            while e < n && sentence_of[e] == sentence_of[s] {
                if is_quote(self.word(e)) {
                    flags |= 1;
                }
                if self.is_lex[e] {
                    flags |= 2;
                }
                e += 1;
            }
            for i in s..e {
                self.sent_start[i] = s as u32;
                self.sent_end[i] = e as u32;
                self.sent_flags[i] = flags;
            }
            s = e;
        }
    }

    fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span.range()]
    }

    /// The word `d` tokens from token `i`, if there is one.
    fn ctx(&self, i: usize, d: isize) -> Option<&'a str> {
        let j = i as isize + d;
        (j >= 0 && (j as usize) < self.tokens.len()).then(|| self.word(j as usize))
    }

    /// The word class `d` tokens from token `i`, [`OUTSIDE`] past either end.
    fn class(&self, i: usize, d: isize) -> u8 {
        let j = i as isize + d;
        if j < 0 || j as usize >= self.tokens.len() {
            OUTSIDE
        } else {
            self.pos[j as usize] as u8
        }
    }

    /// Whether the token `d` from token `i` is a cue-lexicon word.
    fn lexicon_at(&self, i: usize, d: isize) -> u8 {
        let j = i as isize + d;
        (j >= 0 && (j as usize) < self.tokens.len() && self.is_lex[j as usize]) as u8
    }

    /// Shape of token `j`.
    fn shape_of(&self, j: usize) -> u8 {
        shape(self.word(j), self.tokens[j].kind)
    }

    /// The word, its neighbours, its shape and affixes.
    fn word_features(&self, i: usize, v: &mut Vec<u32>) {
        let w0 = self.word(i);
        let sh = self.shape_of(i);
        v.push(Hasher::new(T::Bias).finish());
        v.push(Hasher::new(T::Word).word(w0).finish());
        for (tpl, d) in [
            (T::PrevWord, -1),
            (T::NextWord, 1),
            (T::PrevPrevWord, -2),
            (T::NextNextWord, 2),
        ] {
            v.push(
                Hasher::new(tpl)
                    .word(self.ctx(i, d).unwrap_or("<s>"))
                    .finish(),
            );
        }
        v.push(
            Hasher::new(T::PrevAndWord)
                .word(self.ctx(i, -1).unwrap_or("<s>"))
                .word(w0)
                .finish(),
        );
        v.push(
            Hasher::new(T::WordAndNext)
                .word(w0)
                .word(self.ctx(i, 1).unwrap_or("</s>"))
                .finish(),
        );
        v.push(Hasher::new(T::Shape).byte(sh).finish());
        let sh_prev = if i > 0 { self.shape_of(i - 1) } else { b'^' };
        let sh_next = if i + 1 < self.tokens.len() {
            self.shape_of(i + 1)
        } else {
            b'$'
        };
        v.push(
            Hasher::new(T::ShapeTrigram)
                .byte(sh_prev)
                .byte(sh)
                .byte(sh_next)
                .finish(),
        );
        if let Some((prefix, suffix)) = affixes(w0) {
            v.push(Hasher::new(T::Suffix3).word(suffix).finish());
            v.push(Hasher::new(T::Prefix3).word(prefix).finish());
        }
    }

    /// Inside a quotation or not, at a quote's edge, and the nearest cue-lexicon words.
    fn quote_and_lexicon_features(&self, i: usize, v: &mut Vec<u32>) {
        let w0 = self.word(i);
        let inq = self.inq[i] as u8;
        v.push(Hasher::new(T::InQuote).byte(inq).finish());
        v.push(
            Hasher::new(T::InQuoteShape)
                .byte(inq)
                .byte(self.shape_of(i))
                .finish(),
        );
        if let Some(open) = opens_quote(w0) {
            v.push(Hasher::new(T::QuoteEdge).byte(open as u8).finish());
        }
        if self.is_lex[i] {
            v.push(Hasher::new(T::Lexicon).finish());
        }
        let left = self.left[i].map(|j| j as usize);
        let right = self.right[i].map(|j| j as usize);
        let lbucket = left.map_or(7, |j| bucket(i - j));
        let rbucket = right.map_or(7, |j| bucket(j - i));
        v.push(Hasher::new(T::LexiconLeft).byte(lbucket).finish());
        v.push(Hasher::new(T::LexiconRight).byte(rbucket).finish());
        v.push(
            Hasher::new(T::InQuoteLexicon)
                .byte(inq)
                .byte(lbucket)
                .byte(rbucket)
                .finish(),
        );
        if let Some(j) = left {
            v.push(
                Hasher::new(T::LexiconLeftWord)
                    .word(self.word(j))
                    .byte(lbucket)
                    .finish(),
            );
        }
        if let Some(j) = right {
            v.push(
                Hasher::new(T::LexiconRightWord)
                    .word(self.word(j))
                    .byte(rbucket)
                    .finish(),
            );
        }
    }

    /// Where the token is in its sentence and paragraph, and what they hold.
    fn sentence_and_paragraph_features(&self, i: usize, v: &mut Vec<u32>) {
        let sent_pos = bucket(i - self.sent_start[i] as usize);
        v.push(Hasher::new(T::SentencePosition).byte(sent_pos).finish());
        v.push(
            Hasher::new(T::WordSentencePosition)
                .word(self.word(i))
                .byte(sent_pos.min(2))
                .finish(),
        );
        v.push(
            Hasher::new(T::SentenceEnd)
                .byte(bucket(self.sent_end[i] as usize - 1 - i))
                .finish(),
        );
        v.push(
            Hasher::new(T::SentenceHas)
                .byte(self.sent_flags[i])
                .finish(),
        );
        // Paragraph context: where the paragraph starts, how the previous one ended ("reports:"),
        // and whether this one opens with a quote.
        let p_first = self.para_first[i] as usize;
        v.push(
            Hasher::new(T::ParagraphStart)
                .byte(bucket(i - p_first))
                .finish(),
        );
        if p_first > 0 {
            let prev_end = self.word(p_first - 1);
            let prev_shape = self.shape_of(p_first - 1);
            v.push(
                Hasher::new(T::PrevParagraphEnd)
                    .byte(prev_shape)
                    .word(if prev_shape == b'x' { "" } else { prev_end })
                    .finish(),
            );
        }
        v.push(
            Hasher::new(T::ParagraphQuoted)
                .byte(is_quote(self.word(p_first)) as u8)
                .byte(self.inq[i] as u8)
                .finish(),
        );
    }

    /// Word classes: a reporting verb is a verb, a source a name or pronoun before it.
    fn class_features(&self, i: usize, v: &mut Vec<u32>) {
        let p = |d: isize| self.class(i, d);
        v.push(Hasher::new(T::Class).byte(p(0)).finish());
        v.push(
            Hasher::new(T::PrevClassClass)
                .byte(p(-1))
                .byte(p(0))
                .finish(),
        );
        v.push(
            Hasher::new(T::ClassNextClass)
                .byte(p(0))
                .byte(p(1))
                .finish(),
        );
        v.push(
            Hasher::new(T::ClassTrigram)
                .byte(p(-1))
                .byte(p(0))
                .byte(p(1))
                .finish(),
        );
        v.push(
            Hasher::new(T::ClassLexicon)
                .byte(p(0))
                .byte(self.is_lex[i] as u8)
                .finish(),
        );
        // The class with the stem tells "plans" the verb from "plans" the noun.
        v.push(
            Hasher::new(T::ClassStem)
                .byte(p(0))
                .word(stem(self.word(i)))
                .finish(),
        );
        // A neighbouring cue-lexicon word and its class: "further wrote", "has said".
        v.push(
            Hasher::new(T::ClassNextLexicon)
                .byte(p(0))
                .byte(p(1))
                .byte(self.lexicon_at(i, 1))
                .finish(),
        );
        v.push(
            Hasher::new(T::ClassPrevLexicon)
                .byte(p(-1))
                .byte(self.lexicon_at(i, -1))
                .byte(p(0))
                .finish(),
        );
        // The function word after a word ("said that", "vowed to", "wrote:", a quote,
        // "told the"), else the next word's class.
        let next = self.ctx(i, 1).unwrap_or("</s>");
        let func = if is_quote(next) {
            "\""
        } else {
            ["that", "to", ":", ",", "it", "the", "a"]
                .into_iter()
                .find(|f| next.eq_ignore_ascii_case(f))
                .unwrap_or("")
        };
        v.push(
            Hasher::new(T::ClassNextFunctionWord)
                .byte(p(0))
                .word(func)
                .byte(if func.is_empty() { p(1) } else { OUTSIDE })
                .finish(),
        );
        let (source_class, source_distance) = self.source_to_the_left(i);
        v.push(
            Hasher::new(T::ClassSourceLeft)
                .byte(p(0))
                .byte(source_class)
                .byte(source_distance)
                .finish(),
        );
        // The class inside or outside a quotation, near a paragraph start or not.
        v.push(
            Hasher::new(T::ClassInQuoteParagraph)
                .byte(p(0))
                .byte(self.inq[i] as u8)
                .byte(bucket(i - self.para_first[i] as usize).min(3))
                .finish(),
        );
    }

    /// The class and distance bucket of the nearest name, noun or pronoun to the left within
    /// the sentence (a reporting verb follows its source); ([`OUTSIDE`], 7) when none is
    /// within eight tokens before a punctuation mark.
    fn source_to_the_left(&self, i: usize) -> (u8, u8) {
        let mut j = i;
        while j > self.sent_start[i] as usize && i - j < 8 {
            j -= 1;
            let c = self.pos[j];
            if matches!(c, PosClass::Propn | PosClass::Pron | PosClass::Noun) {
                return (c as u8, bucket(i - j));
            }
            if matches!(c, PosClass::Punct) {
                break;
            }
        }
        (OUTSIDE, 7)
    }

    /// Commas either side, then the stem alone and with its neighbours: "warns", "warned"
    /// and "warning" share weights, so a rare inflection of a cue verb gets its other forms'
    /// evidence.
    fn stem_features(&self, i: usize, v: &mut Vec<u32>) {
        let (prev, next) = (self.ctx(i, -1), self.ctx(i, 1));
        let comma = (prev == Some(",")) as u8 | (((next == Some(",")) as u8) << 1);
        v.push(Hasher::new(T::Comma).raw(&[comma]).finish());
        let st = stem(self.word(i));
        let (prev, next) = (prev.unwrap_or("<s>"), next.unwrap_or("</s>"));
        v.push(Hasher::new(T::Stem).word(st).finish());
        v.push(Hasher::new(T::StemPrevWord).word(prev).word(st).finish());
        v.push(Hasher::new(T::StemNextWord).word(st).word(next).finish());
        v.push(
            Hasher::new(T::PrevWordStemNextWord)
                .word(prev)
                .word(st)
                .word(next)
                .finish(),
        );
    }
}

/// For each token, the nearest cue-lexicon word to its left and to its right within its
/// sentence.
fn nearest_lexicon_words(
    sentence_of: &[u32],
    is_lex: &[bool],
) -> (Vec<Option<u32>>, Vec<Option<u32>>) {
    let n = is_lex.len();
    let mut left = vec![None; n];
    let mut last: Option<u32> = None;
    for i in 0..n {
        if i > 0 && sentence_of[i] != sentence_of[i - 1] {
            last = None;
        }
        left[i] = last;
        if is_lex[i] {
            last = Some(i as u32);
        }
    }
    let mut right = vec![None; n];
    let mut next: Option<u32> = None;
    for i in (0..n).rev() {
        if i + 1 < n && sentence_of[i] != sentence_of[i + 1] {
            next = None;
        }
        right[i] = next;
        if is_lex[i] {
            next = Some(i as u32);
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Span, TokenKind};

    /// The template ids the committed model was trained with.
    #[test]
    fn template_ids_are_pinned() {
        assert_eq!(
            (
                T::Bias as u8,
                T::ClassSourceLeft as u8,
                T::ClassInQuoteParagraph as u8
            ),
            (1, 43, 45)
        );
    }
    #[test]
    fn features_differ_by_word_and_context() {
        let text = "Kazem said that";
        let tokens = [
            Token {
                span: Span::new(0, 5),
                kind: TokenKind::Word,
            },
            Token {
                span: Span::new(6, 10),
                kind: TokenKind::Word,
            },
            Token {
                span: Span::new(11, 15),
                kind: TokenKind::Word,
            },
        ];
        let lexicon = CueLexicon::new(["said".to_string()]);
        let mut f = Features::default();
        let pos = [PosClass::Propn, PosClass::VerbPast, PosClass::Adp];
        CueFeatures::new(text, &tokens, &[0, 0, 0], &[0, 0, 0], &pos, &lexicon)
            .extract(0..tokens.len(), &mut f);
        assert_eq!(f.len(), 3);
        assert_ne!(f.of(0)[1], f.of(1)[1]);
        assert_eq!(f.of(0)[0], f.of(1)[0]); // bias
        let distinct: std::collections::HashSet<u32> = f.of(1).iter().copied().collect();
        assert_eq!(distinct.len(), f.of(1).len());
    }

    #[test]
    fn a_word_before_a_cue_word_knows_it() {
        // "further said": the adverb sees that a lexicon verb follows, so the cue can start there.
        let text = "Kazem further said";
        let tokens = [(0, 5), (6, 13), (14, 18)].map(|(a, b)| Token {
            span: Span::new(a, b),
            kind: TokenKind::Word,
        });
        let pos = [PosClass::Propn, PosClass::Adv, PosClass::VerbPast];
        let mut f = Features::default();
        for (words, expected) in [(vec!["said"], true), (vec!["told"], false)] {
            let lexicon = CueLexicon::new(words.into_iter().map(str::to_string));
            CueFeatures::new(text, &tokens, &[0; 3], &[0; 3], &pos, &lexicon).extract(0..3, &mut f);
            let next_is_cue = Hasher::new(T::ClassNextLexicon)
                .byte(PosClass::Adv as u8)
                .byte(PosClass::VerbPast as u8)
                .byte(1)
                .finish();
            assert_eq!(f.of(1).contains(&next_is_cue), expected);
        }
    }
}
