//! Feature templates of the attribution tagger (hashing in [`crate::learn::features`]).

use claimlens_core::{Token, TokenKind};

use super::lexicon::CueLexicon;
pub use crate::learn::features::Features;
use crate::learn::features::Hasher;
use crate::pos::PosClass;

/// The word-class byte of a position before the first or after the last token.
pub const OUTSIDE: u8 = 0xfe;

/// Word classes of a document's tokens, sentence by sentence, from the embedded
/// part-of-speech model (all [`PosClass::Other`] if it failed to load, so a broken model
/// file degrades tagging rather than stopping it; a test loads it).
pub fn word_classes(text: &str, tokens: &[Token], sentence_of: &[u32]) -> Vec<PosClass> {
    match crate::pos::Model::embedded() {
        Ok(model) => model.tag_tokens(text, tokens, sentence_of),
        Err(_) => vec![PosClass::Other; tokens.len()],
    }
}

/// Coarse word shape: `Xx`, `x`, `X`, `d`, `p` (punct), `q` (quote), `o` (other).
pub fn shape(tok: &str, kind: TokenKind) -> u8 {
    if is_quote(tok) {
        return b'q';
    }
    match kind {
        TokenKind::Number => b'd',
        TokenKind::Punct => b'p',
        TokenKind::Symbol | TokenKind::Url => b'o',
        TokenKind::Word => {
            let mut chars = tok.chars();
            let first = chars.next().unwrap_or(' ');
            if first.is_uppercase() {
                if tok
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                    && tok.len() > 1
                {
                    b'X'
                } else {
                    b'C'
                }
            } else {
                b'x'
            }
        }
    }
}

/// Quote marks, including the doubled ASCII quotes of PTB-style text.
pub fn is_quote(tok: &str) -> bool {
    matches!(tok, "“" | "”" | "\"" | "«" | "»" | "„" | "``" | "''")
}

fn opens_quote(tok: &str) -> Option<bool> {
    match tok {
        "“" | "«" | "„" | "``" => Some(true),
        "”" | "»" | "''" => Some(false),
        _ => None,
    }
}

/// Whether each token is inside a quotation (quote marks included). News style reopens a
/// quotation in every paragraph it runs over, so the state resets at paragraph starts.
pub fn quote_state(text: &str, tokens: &[Token], paragraph_of: &[u32]) -> Vec<bool> {
    let n = tokens.len();
    let mut inq = vec![false; n];
    let mut state = false;
    for i in 0..n {
        if i == 0 || paragraph_of[i] != paragraph_of[i - 1] {
            state = false;
        }
        let w = &text[tokens[i].span.range()];
        match opens_quote(w) {
            Some(true) => {
                state = true;
                inq[i] = true;
            }
            Some(false) => {
                inq[i] = state;
                state = false;
            }
            None if w == "\"" => {
                state = !state;
                inq[i] = true;
            }
            None => inq[i] = state,
        }
    }
    inq
}

/// The first and last three characters of a word longer than three characters.
pub fn affixes(w: &str) -> Option<(&str, &str)> {
    let nchars = w.chars().count();
    (nchars > 3).then(|| {
        let suffix_start = w.char_indices().nth(nchars - 3).map_or(0, |(b, _)| b);
        let prefix_end = w.char_indices().nth(3).map_or(w.len(), |(b, _)| b);
        (&w[..prefix_end], &w[suffix_start..])
    })
}

/// Distance buckets: 0, 1, 2, 3–5, 6–10, 11–20, more.
pub fn bucket(d: usize) -> u8 {
    match d {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=5 => 3,
        6..=10 => 4,
        11..=20 => 5,
        _ => 6,
    }
}

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

/// The word without an inflection ending (-s, -es, -ies, -ed, -ied, -ing) and a final -e, so "warns",
/// "warned" and "warning" (and "argue", "argues", "argued") share one stem. Case is kept
/// (the hasher lowercases); a slice, so nothing is allocated.
pub fn stem(w: &str) -> &str {
    let b = w.as_bytes();
    let ends =
        |suf: &[u8]| b.len() > suf.len() && b[b.len() - suf.len()..].eq_ignore_ascii_case(suf);
    let keep = |n: usize| b.len() - n >= 3;
    // "denied"/"denies" -> "deni"; "-es" only after a sibilant ("discusses" -> "discuss").
    let two = ends(b"ied")
        || ends(b"ies")
        || (ends(b"ed") && keep(2))
        || ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| ends(s.as_bytes()));
    let strip = if ends(b"ing") && keep(3) {
        3
    } else if two {
        2
    } else if ends(b"s") && !ends(b"ss") && !ends(b"us") && !ends(b"is") && keep(1) {
        1
    } else {
        0
    };
    let mut end = b.len() - strip;
    if end >= 4 && b[end - 1].eq_ignore_ascii_case(&b'e') {
        end -= 1;
    }
    if !w.is_char_boundary(end) {
        return w;
    }
    &w[..end]
}

/// Extracts the features of `tokens` of `text`. `sentence_of[i]` and `paragraph_of[i]` are
/// token i's sentence and paragraph (both contiguous), `pos[i]` its word class.
pub fn extract(
    text: &str,
    tokens: &[Token],
    sentence_of: &[u32],
    paragraph_of: &[u32],
    pos: &[PosClass],
    lexicon: &CueLexicon,
    out: &mut Features,
) {
    out.values.clear();
    out.starts.clear();
    let n = tokens.len();
    let word = |i: usize| &text[tokens[i].span.range()];

    let para_start = |i: usize| i == 0 || paragraph_of[i] != paragraph_of[i - 1];
    let inq = quote_state(text, tokens, paragraph_of);
    let mut para_first = vec![0usize; n];
    for i in 1..n {
        para_first[i] = if para_start(i) { i } else { para_first[i - 1] };
    }
    // Nearest lexicon word to the left and right within the sentence.
    let is_lex: Vec<bool> = (0..n).map(|i| lexicon.contains(word(i))).collect();
    let mut left = vec![None; n];
    let mut last: Option<usize> = None;
    for i in 0..n {
        if i > 0 && sentence_of[i] != sentence_of[i - 1] {
            last = None;
        }
        left[i] = last;
        if is_lex[i] {
            last = Some(i);
        }
    }
    let mut right = vec![None; n];
    let mut next: Option<usize> = None;
    for i in (0..n).rev() {
        if i + 1 < n && sentence_of[i] != sentence_of[i + 1] {
            next = None;
        }
        right[i] = next;
        if is_lex[i] {
            next = Some(i);
        }
    }
    // Sentence extents and properties.
    let mut sent_start = vec![0usize; n];
    let mut sent_end = vec![0usize; n];
    let mut sent_flags = vec![0u8; n];
    let mut s = 0;
    while s < n {
        let mut e = s;
        let mut flags = 0u8;
        while e < n && sentence_of[e] == sentence_of[s] {
            if is_quote(word(e)) {
                flags |= 1;
            }
            if is_lex[e] {
                flags |= 2;
            }
            e += 1;
        }
        for i in s..e {
            sent_start[i] = s;
            sent_end[i] = e;
            sent_flags[i] = flags;
        }
        s = e;
    }

    for i in 0..n {
        out.starts.push(out.values.len());
        let w0 = word(i);
        let kind = tokens[i].kind;
        let sh = shape(w0, kind);
        let v = &mut out.values;
        let ctx = |d: isize| -> Option<&str> {
            let j = i as isize + d;
            (j >= 0 && (j as usize) < n).then(|| word(j as usize))
        };
        v.push(Hasher::new(T::Bias).finish());
        v.push(Hasher::new(T::Word).word(w0).finish());
        for (tpl, d) in [
            (T::PrevWord, -1),
            (T::NextWord, 1),
            (T::PrevPrevWord, -2),
            (T::NextNextWord, 2),
        ] {
            v.push(Hasher::new(tpl).word(ctx(d).unwrap_or("<s>")).finish());
        }
        v.push(
            Hasher::new(T::PrevAndWord)
                .word(ctx(-1).unwrap_or("<s>"))
                .word(w0)
                .finish(),
        );
        v.push(
            Hasher::new(T::WordAndNext)
                .word(w0)
                .word(ctx(1).unwrap_or("</s>"))
                .finish(),
        );
        v.push(Hasher::new(T::Shape).byte(sh).finish());
        let sh_prev = if i > 0 {
            shape(word(i - 1), tokens[i - 1].kind)
        } else {
            b'^'
        };
        let sh_next = if i + 1 < n {
            shape(word(i + 1), tokens[i + 1].kind)
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
        v.push(Hasher::new(T::InQuote).byte(inq[i] as u8).finish());
        v.push(
            Hasher::new(T::InQuoteShape)
                .byte(inq[i] as u8)
                .byte(sh)
                .finish(),
        );
        if let Some(open) = opens_quote(w0) {
            v.push(Hasher::new(T::QuoteEdge).byte(open as u8).finish());
        }
        if is_lex[i] {
            v.push(Hasher::new(T::Lexicon).finish());
        }
        let lbucket = left[i].map_or(7, |j| bucket(i - j));
        let rbucket = right[i].map_or(7, |j| bucket(j - i));
        v.push(Hasher::new(T::LexiconLeft).byte(lbucket).finish());
        v.push(Hasher::new(T::LexiconRight).byte(rbucket).finish());
        v.push(
            Hasher::new(T::InQuoteLexicon)
                .byte(inq[i] as u8)
                .byte(lbucket)
                .byte(rbucket)
                .finish(),
        );
        if let Some(j) = left[i] {
            v.push(
                Hasher::new(T::LexiconLeftWord)
                    .word(word(j))
                    .byte(lbucket)
                    .finish(),
            );
        }
        if let Some(j) = right[i] {
            v.push(
                Hasher::new(T::LexiconRightWord)
                    .word(word(j))
                    .byte(rbucket)
                    .finish(),
            );
        }
        let sent_pos = bucket(i - sent_start[i]);
        v.push(Hasher::new(T::SentencePosition).byte(sent_pos).finish());
        v.push(
            Hasher::new(T::WordSentencePosition)
                .word(w0)
                .byte(sent_pos.min(2))
                .finish(),
        );
        v.push(
            Hasher::new(T::SentenceEnd)
                .byte(bucket(sent_end[i] - 1 - i))
                .finish(),
        );
        v.push(Hasher::new(T::SentenceHas).byte(sent_flags[i]).finish());
        // Paragraph context: where the paragraph starts, how the previous one ended ("reports:"),
        // and whether this one opens with a quote.
        let p_first = para_first[i];
        v.push(
            Hasher::new(T::ParagraphStart)
                .byte(bucket(i - p_first))
                .finish(),
        );
        if p_first > 0 {
            let prev_end = word(p_first - 1);
            let prev_shape = shape(prev_end, tokens[p_first - 1].kind);
            v.push(
                Hasher::new(T::PrevParagraphEnd)
                    .byte(prev_shape)
                    .word(if prev_shape == b'x' { "" } else { prev_end })
                    .finish(),
            );
        }
        v.push(
            Hasher::new(T::ParagraphQuoted)
                .byte(is_quote(word(p_first)) as u8)
                .byte(inq[i] as u8)
                .finish(),
        );
        // Word classes: a reporting verb is a verb, a source a name or pronoun before it.
        {
            let p = |d: isize| -> u8 {
                let j = i as isize + d;
                if j < 0 || j as usize >= n {
                    OUTSIDE
                } else {
                    pos[j as usize] as u8
                }
            };
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
                    .byte(is_lex[i] as u8)
                    .finish(),
            );
            let lex_at = |d: isize| -> u8 {
                let j = i as isize + d;
                (j >= 0 && (j as usize) < n && is_lex[j as usize]) as u8
            };
            // The class with the stem tells "plans" the verb from "plans" the noun.
            v.push(Hasher::new(T::ClassStem).byte(p(0)).word(stem(w0)).finish());
            // A neighbouring cue-lexicon word and its class: "further wrote", "has said".
            {
                v.push(
                    Hasher::new(T::ClassNextLexicon)
                        .byte(p(0))
                        .byte(p(1))
                        .byte(lex_at(1))
                        .finish(),
                );
                v.push(
                    Hasher::new(T::ClassPrevLexicon)
                        .byte(p(-1))
                        .byte(lex_at(-1))
                        .byte(p(0))
                        .finish(),
                );
            }
            // The function word after a word ("said that", "vowed to", "wrote:", a quote,
            // "told the"), else the next word's class.
            {
                let next = ctx(1).unwrap_or("</s>");
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
            }
            {
                // The nearest name, noun or pronoun to the left within the sentence: a
                // reporting verb follows its source.
                let mut src = (OUTSIDE, 7u8);
                let mut j = i;
                while j > sent_start[i] && i - j < 8 {
                    j -= 1;
                    let c = pos[j];
                    if matches!(c, PosClass::Propn | PosClass::Pron | PosClass::Noun) {
                        src = (c as u8, bucket(i - j));
                        break;
                    }
                    if matches!(c, PosClass::Punct) {
                        break;
                    }
                }
                v.push(
                    Hasher::new(T::ClassSourceLeft)
                        .byte(p(0))
                        .byte(src.0)
                        .byte(src.1)
                        .finish(),
                );
            }
            // The class inside or outside a quotation, near a paragraph start or not.
            v.push(
                Hasher::new(T::ClassInQuoteParagraph)
                    .byte(p(0))
                    .byte(inq[i] as u8)
                    .byte(bucket(i - para_first[i]).min(3))
                    .finish(),
            );
        }
        let comma = (ctx(-1) == Some(",")) as u8 | (((ctx(1) == Some(",")) as u8) << 1);
        v.push(Hasher::new(T::Comma).raw(&[comma]).finish());
        // The stem alone and with its neighbours: "warns", "warned" and "warning" share
        // weights, so a rare inflection of a cue verb gets its other forms' evidence.
        let st = stem(w0);
        let (prev, next) = (ctx(-1).unwrap_or("<s>"), ctx(1).unwrap_or("</s>"));
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
    out.starts.push(out.values.len());
}

#[cfg(test)]
mod tests {
    use super::*;

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
    use claimlens_core::Span;

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
        extract(
            text,
            &tokens,
            &[0, 0, 0],
            &[0, 0, 0],
            &pos,
            &lexicon,
            &mut f,
        );
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
            extract(text, &tokens, &[0; 3], &[0; 3], &pos, &lexicon, &mut f);
            let next_is_cue = Hasher::new(T::ClassNextLexicon)
                .byte(PosClass::Adv as u8)
                .byte(PosClass::VerbPast as u8)
                .byte(1)
                .finish();
            assert_eq!(f.of(1).contains(&next_is_cue), expected);
        }
    }

    #[test]
    fn inflections_share_a_stem() {
        for w in ["warns", "warned", "warning", "warn"] {
            assert_eq!(stem(w), "warn", "{w}");
        }
        for w in ["argue", "argues", "argued", "arguing"] {
            assert_eq!(stem(w), "argu", "{w}");
        }
        assert_eq!(stem("denies"), stem("denied"));
        assert_eq!(stem("Says"), "Say");
        for w in ["said", "is", "as", "discuss", "focus", "", "é", "ßs"] {
            assert_eq!(stem(w), w, "{w}");
        }
        assert_eq!(stem("discusses"), "discuss");
    }
}
