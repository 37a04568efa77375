//! The argument tagger's features: each token of a cue's window described relative to the
//! cue (side, distance, what lies between), with its word, shape, class and clause.
//!
//! A token lies in the windows of several cues, so the cue-independent start of each of its
//! features is hashed once per stretch of tokens ([`PartsCache`]) and only the cue-relative values are
//! added per cue. FNV-1a hashes byte by byte, so a hash resumed from a stored state is the
//! very hash a computation from scratch gives: the features (and the model's output) are the
//! same as when every hash was computed whole.

use std::ops::Range;

use super::ArgContext;
use crate::attribution::features::{affixes, bucket, shape, Features, OUTSIDE};
use crate::learn::features::Hasher;

/// Argument-feature templates (their own space: a separate model). Each feature hashes its template's
/// discriminant first, so the discriminants are part of every trained model: add templates
/// at the end, never renumber or reuse one (a dropped one leaves a gap, hence the explicit
/// discriminants after gaps).
#[derive(Clone, Copy)]
#[repr(u8)]
enum T {
    WordSide = 1,
    BiasSide,
    Word,
    PrevSide,
    NextSide,
    ShapeSide,
    ShapeTrigramSide,
    SuffixSide,
    Distance,
    SentenceOffset,
    SentenceQuoted,
    CueSideDistance,
    CueSide,
    CueSentence,
    QuotedPair,
    QuotesBetween,
    CommasBetween,
    CuesBetween,
    InOtherCue,
    ParagraphOffset,
    LexiconSide,
    WordNear,
    SentenceEdge,
    BeforeCueWord,
    AfterCueWord,
    QuotesShape,
    PrefixSide,
    ToSentenceEnd = 30,
    ThatBetween,
    BigramSide,
    NameRun,
    ClauseOpener,
    NextClause,
    QuotesAroundCue,
    ThatAhead = 38,
    ClassSide = 40,
    ClassTrigramSide,
    ClassDistance,
    ClassSentence,
}

impl From<T> for u8 {
    fn from(t: T) -> u8 {
        t as u8
    }
}

impl<'a> ArgContext<'a> {
    /// Extracts the features of `window`'s tokens relative to `cue` into `out`.
    pub fn extract(&self, cue: &Range<usize>, window: &Range<usize>, out: &mut Features) {
        out.values.clear();
        out.starts.clear();
        let mut cache = self.token_parts.borrow_mut();
        let parts = cache.covering(window, self.tokens.len(), |i| self.parts_of(i));
        let c = self.cue_facts(cue);
        for i in window.clone() {
            out.starts.push(out.values.len());
            let p = &parts[i - window.start];
            let t = self.token_to_cue(&c, i, p.shape);
            // The order of the groups is the order of each token's features; index 1 (the
            // word) is the identity the perceptron's history features combine with.
            let v = &mut out.values;
            word_features(p, &t, v);
            self.between_features(&c, p, &t, v);
            self.sentence_end_features(p, &t, v);
            class_features(p, &t, v);
            self.clause_features(&c, p, &t, v);
        }
        out.starts.push(out.values.len());
    }

    /// What every token's features say about the cue.
    fn cue_facts(&self, cue: &Range<usize>) -> CueFacts {
        let n = self.tokens.len();
        let cue_end = cue.end.min(n).max(cue.start + 1);
        // The cue's words (up to four), its first word, and its neighbours.
        let mut cue_id = Hasher::new(0);
        for j in cue.start..cue_end.min(cue.start + 4) {
            cue_id = cue_id.word(self.word(j));
        }
        let quoted = self.inq[cue.start];
        // Quotations in the cue's sentence: one closed before the cue ("“…,” she said") or one
        // after it; with one, the unquoted words around the cue are rarely content.
        let (s0, s1) = (
            self.sent_start[cue.start] as usize,
            self.sent_end[cue.start] as usize,
        );
        let quote_before = self.quotes[cue.start] > self.quotes[s0] && !quoted;
        let quote_after = self.quotes[s1.max(cue_end)] > self.quotes[cue_end];
        let id = cue_id.finish().to_le_bytes();
        let before = cue.start.checked_sub(1).map_or("<s>", |j| self.word(j));
        let after = if cue_end < n {
            self.word(cue_end)
        } else {
            "</s>"
        };
        CueFacts {
            start: cue.start,
            end: cue_end,
            side_distance: Hasher::new(T::CueSideDistance).raw(&id),
            side: Hasher::new(T::CueSide).raw(&id),
            sentence_offset: Hasher::new(T::CueSentence).raw(&id),
            sentence: self.sentence_of[cue.start],
            paragraph: self.paragraph_of[cue.start],
            quoted,
            before: Hasher::new(T::BeforeCueWord).word(before),
            after: Hasher::new(T::AfterCueWord).word(after),
            quotes_around: quote_before as u8 | (quote_after as u8) << 1,
        }
    }

    /// Where token `i` stands relative to the cue.
    fn token_to_cue(&self, c: &CueFacts, i: usize, shape: u8) -> TokenToCue {
        let (side, distance) = if i < c.start {
            (0u8, c.start - i)
        } else if i < c.end {
            (1, 0)
        } else {
            (2, i + 1 - c.end)
        };
        let (lo, hi) = if i < c.start {
            (i, c.start)
        } else {
            (c.end, i.max(c.end))
        };
        let sent_offset = (self.sentence_of[i] as i64 - c.sentence as i64).clamp(-3, 5);
        let para_offset = (self.paragraph_of[i] as i64 - c.paragraph as i64).clamp(-2, 3);
        TokenToCue {
            i,
            side,
            distance,
            d: bucket(distance),
            lo,
            hi,
            sent_offset: (sent_offset + 3) as u8,
            para_offset: (para_offset + 2) as u8,
            quotes: (self.quotes[hi] - self.quotes[lo]).min(3) as u8,
            inq: self.inq[i] as u8,
            shape,
        }
    }

    fn shape_of(&self, j: usize) -> u8 {
        shape(self.word(j), self.tokens[j].kind)
    }

    /// The words before and after token `i`, or sentence-boundary markers.
    fn neighbours(&self, i: usize) -> (&'a str, &'a str) {
        let prev = i.checked_sub(1).map_or("<s>", |j| self.word(j));
        let next = if i + 1 < self.tokens.len() {
            self.word(i + 1)
        } else {
            "</s>"
        };
        (prev, next)
    }

    /// The cue-independent start of token `i`'s features (see [`TokenParts`]).
    fn parts_of(&self, i: usize) -> TokenParts {
        let n = self.tokens.len();
        let w0 = self.word(i);
        let sh = self.shape_of(i);
        let (prev, next) = self.neighbours(i);
        let sh_prev = i.checked_sub(1).map_or(b'^', |j| self.shape_of(j));
        let sh_next = if i + 1 < n {
            self.shape_of(i + 1)
        } else {
            b'$'
        };
        let p = |j: isize| -> u8 {
            if j < 0 || j as usize >= n {
                OUTSIDE
            } else {
                self.pos[j as usize] as u8
            }
        };
        let ii = i as isize;
        let capitalised = |s: u8| matches!(s, b'C' | b'X');
        let run = capitalised(sh) as u8
            | ((i > 0 && capitalised(sh_prev)) as u8) << 1
            | ((i + 1 < n && capitalised(sh_next)) as u8) << 2;
        let opener = self.clause_start[i] as usize;
        let end = self.clause_end[i] as usize;
        let next_opener = if end + 1 < self.sent_end[i] as usize {
            self.opener_class(end + 1)
        } else {
            "</s>"
        };
        let first = i == self.sent_start[i] as usize;
        let last = i + 1 == self.sent_end[i] as usize;
        TokenParts {
            shape: sh,
            word: Hasher::new(T::Word).word(w0).finish(),
            word_side: Hasher::new(T::WordSide).word(w0),
            prev_side: Hasher::new(T::PrevSide).word(prev),
            next_side: Hasher::new(T::NextSide).word(next),
            shape_side: Hasher::new(T::ShapeSide).byte(sh),
            shape_trigram: Hasher::new(T::ShapeTrigramSide)
                .byte(sh_prev)
                .byte(sh)
                .byte(sh_next),
            affixes: affixes(w0).map(|(prefix, suffix)| {
                (
                    Hasher::new(T::SuffixSide).word(suffix),
                    Hasher::new(T::PrefixSide).word(prefix),
                )
            }),
            word_near: Hasher::new(T::WordNear).word(w0),
            to_sentence_end: Hasher::new(T::ToSentenceEnd)
                .byte(bucket(self.sent_end[i] as usize - 1 - i)),
            bigram: Hasher::new(T::BigramSide).word(prev).word(w0),
            class_side: Hasher::new(T::ClassSide).byte(p(ii)),
            class_trigram: Hasher::new(T::ClassTrigramSide)
                .byte(p(ii - 1))
                .byte(p(ii))
                .byte(p(ii + 1)),
            class_distance: Hasher::new(T::ClassDistance).byte(p(ii)),
            class_sentence: Hasher::new(T::ClassSentence).byte(p(ii)).byte(p(ii - 1)),
            name_run: Hasher::new(T::NameRun).byte(run),
            clause_opener: Hasher::new(T::ClauseOpener).word(self.opener_class(opener)),
            is_opener: i == opener,
            next_clause: Hasher::new(T::NextClause)
                .word(next_opener)
                .byte(bucket(end - i).min(4)),
            sentence_edge: Hasher::new(T::SentenceEdge).byte(first as u8 | (last as u8) << 1),
        }
    }

    /// Distance to the cue, and what lies between: sentences, quotation marks, commas, other
    /// cues, paragraphs.
    fn between_features(&self, c: &CueFacts, p: &TokenParts, t: &TokenToCue, v: &mut Vec<u32>) {
        let (i, side, d, sent_offset, inq, quotes) =
            (t.i, t.side, t.d, t.sent_offset, t.inq, t.quotes);
        let commas = (self.commas[t.hi] - self.commas[t.lo]).min(3) as u8;
        let cues = (self.cue_starts[t.hi] - self.cue_starts[t.lo.min(t.hi)]).min(2) as u8;
        v.push(Hasher::new(T::Distance).byte(side).byte(d).finish());
        v.push(
            Hasher::new(T::SentenceOffset)
                .byte(side)
                .byte(sent_offset)
                .finish(),
        );
        v.push(
            Hasher::new(T::SentenceQuoted)
                .byte(sent_offset)
                .byte(inq)
                .byte(quotes)
                .finish(),
        );
        v.push(c.side_distance.byte(side).byte(d.min(4)).finish());
        v.push(c.side.byte(side).finish());
        v.push(c.sentence_offset.byte(sent_offset).finish());
        v.push(
            Hasher::new(T::QuotedPair)
                .byte(inq)
                .byte(c.quoted as u8)
                .byte(side)
                .finish(),
        );
        v.push(
            Hasher::new(T::QuotesBetween)
                .byte(quotes)
                .byte(side)
                .byte(d.min(5))
                .finish(),
        );
        v.push(
            Hasher::new(T::QuotesShape)
                .byte(quotes)
                .byte(t.shape)
                .byte(side)
                .finish(),
        );
        v.push(
            Hasher::new(T::CommasBetween)
                .byte(commas)
                .byte(side)
                .byte(sent_offset)
                .finish(),
        );
        v.push(
            Hasher::new(T::CuesBetween)
                .byte(cues)
                .byte(side)
                .byte(sent_offset)
                .finish(),
        );
        if side != 1 && self.in_cue[i] {
            v.push(Hasher::new(T::InOtherCue).byte(side).finish());
        }
        v.push(
            Hasher::new(T::ParagraphOffset)
                .byte(t.para_offset)
                .byte(side)
                .byte(inq)
                .finish(),
        );
        if self.is_lex[i] {
            v.push(Hasher::new(T::LexiconSide).byte(side).byte(d).finish());
        }
        if t.distance <= 3 {
            v.push(p.word_near.byte(side).byte(t.distance as u8).finish());
        }
    }

    /// Contents mostly run to the end of a sentence and open with "that": how far the end is,
    /// and where the token stands to the "that"s after the cue.
    fn sentence_end_features(&self, p: &TokenParts, t: &TokenToCue, v: &mut Vec<u32>) {
        let (i, side, sent_offset) = (t.i, t.side, t.sent_offset);
        v.push(p.to_sentence_end.byte(side).byte(sent_offset).finish());
        if side == 2 {
            let that = (self.thats[t.hi] - self.thats[t.lo]).min(2) as u8;
            // "told reporters on its website that …": before the first "that" after the
            // cue, words are rarely content when one follows within the clause.
            if that == 0 {
                let clause_end = (self.clause_end[i] as usize + 1).min(self.tokens.len());
                let ahead = self.thats[clause_end] > self.thats[i];
                v.push(
                    Hasher::new(T::ThatAhead)
                        .byte(ahead as u8)
                        .byte(t.d.min(4))
                        .byte(t.inq)
                        .finish(),
                );
            }
            v.push(
                Hasher::new(T::ThatBetween)
                    .byte(that)
                    .byte(sent_offset)
                    .finish(),
            );
        }
        v.push(p.bigram.byte(side).finish());
    }

    /// The clause the token is in: what opens it, and whether a clause boundary lies between
    /// it and the cue (contents run on through ", but …", ", which …"); then the quotations
    /// around the cue, the sentence edges, and the words either side of the cue.
    fn clause_features(&self, c: &CueFacts, p: &TokenParts, t: &TokenToCue, v: &mut Vec<u32>) {
        let (i, side, inq) = (t.i, t.side, t.inq);
        let boundary_between = if side == 2 {
            self.clause_start[i] as usize > c.end
        } else {
            side == 0 && (self.clause_end[i] as usize) < c.start
        };
        v.push(
            p.clause_opener
                .byte(side)
                .byte(inq)
                .byte(boundary_between as u8)
                .byte(p.is_opener as u8)
                .finish(),
        );
        v.push(p.next_clause.byte(side).byte(inq).finish());
        v.push(
            Hasher::new(T::QuotesAroundCue)
                .byte(c.quotes_around)
                .byte(side)
                .byte(inq)
                .byte(t.sent_offset)
                .finish(),
        );
        v.push(p.sentence_edge.byte(side).byte(t.shape).finish());
        v.push(c.before.byte(side).byte(t.d.min(3)).finish());
        v.push(c.after.byte(side).byte(t.d.min(3)).finish());
    }
}

/// The word, its neighbours, shape and affixes, each with the side of the cue.
fn word_features(p: &TokenParts, t: &TokenToCue, v: &mut Vec<u32>) {
    let side = t.side;
    v.push(Hasher::new(T::BiasSide).byte(side).finish());
    v.push(p.word_side.byte(side).finish());
    v.push(p.word);
    v.push(p.prev_side.byte(side).finish());
    v.push(p.next_side.byte(side).finish());
    v.push(p.shape_side.byte(side).finish());
    v.push(p.shape_trigram.byte(side).finish());
    if let Some((suffix, prefix)) = p.affixes {
        v.push(suffix.byte(side).finish());
        v.push(prefix.byte(side).finish());
    }
}

/// Word classes (where a clause, a content, starts and stops, what a source is), and
/// whether the token is in a run of capitalised words (sources mostly are).
fn class_features(p: &TokenParts, t: &TokenToCue, v: &mut Vec<u32>) {
    let (side, d) = (t.side, t.d);
    v.push(p.class_side.byte(side).finish());
    v.push(p.class_trigram.byte(side).finish());
    v.push(p.class_distance.byte(side).byte(d.min(4)).finish());
    v.push(p.class_sentence.byte(t.sent_offset).finish());
    v.push(p.name_run.byte(side).byte(d.min(4)).finish());
}

/// Tokens whose [`TokenParts`] are worked out at once when a window reaches past the cached
/// stretch. Cues come in text order and a window spans at most a few hundred tokens, so each
/// token's parts are computed about once, and the cache stays under a megabyte.
const PARTS_STRETCH: usize = 8_192;

/// The [`TokenParts`] of a stretch of consecutive tokens.
#[derive(Default)]
pub(super) struct PartsCache {
    start: usize,
    parts: Vec<TokenParts>,
}

impl PartsCache {
    /// The parts of the tokens of `window` (of `n` tokens in all), computing a new stretch
    /// from the window's start when the cached one does not hold them.
    fn covering(
        &mut self,
        window: &Range<usize>,
        n: usize,
        parts_of: impl Fn(usize) -> TokenParts,
    ) -> &[TokenParts] {
        let cached = self.start..self.start + self.parts.len();
        if window.start < cached.start || window.end > cached.end {
            let end = n.min(window.start + PARTS_STRETCH.max(window.len()));
            self.start = window.start;
            self.parts.clear();
            self.parts.extend((window.start..end).map(parts_of));
        }
        &self.parts[window.start - self.start..window.end - self.start]
    }
}

/// A token's features hashed up to their first cue-relative value (template and
/// cue-independent values, in each feature's order), and what else they need of the token
/// alone. Each is finished per cue by adding the cue-relative values.
pub(super) struct TokenParts {
    shape: u8,
    /// The bare word: no cue-relative value at all.
    word: u32,
    word_side: Hasher,
    prev_side: Hasher,
    next_side: Hasher,
    shape_side: Hasher,
    shape_trigram: Hasher,
    /// Suffix and prefix, for words of more than three characters.
    affixes: Option<(Hasher, Hasher)>,
    word_near: Hasher,
    to_sentence_end: Hasher,
    bigram: Hasher,
    class_side: Hasher,
    class_trigram: Hasher,
    class_distance: Hasher,
    class_sentence: Hasher,
    name_run: Hasher,
    clause_opener: Hasher,
    /// Whether the token opens its clause.
    is_opener: bool,
    next_clause: Hasher,
    sentence_edge: Hasher,
}

/// The cue whose arguments are being tagged, as its window's features see it.
struct CueFacts {
    start: usize,
    /// End (exclusive), at least one token after the start.
    end: usize,
    /// The cue features, hashed up to the cue's id (a hash of its first four words).
    side_distance: Hasher,
    side: Hasher,
    sentence_offset: Hasher,
    sentence: u32,
    paragraph: u32,
    /// Whether the cue is inside a quotation.
    quoted: bool,
    /// The features of the words just before and just after the cue, hashed up to the word.
    before: Hasher,
    after: Hasher,
    /// Bit 0: a quotation closes before the cue in its sentence; bit 1: one follows it.
    quotes_around: u8,
}

/// Where a token of the window stands relative to the cue.
struct TokenToCue {
    i: usize,
    /// 0 before the cue, 1 inside, 2 after.
    side: u8,
    /// Tokens to the cue (0 inside it), and its [`bucket`].
    distance: usize,
    d: u8,
    /// The token range between the token and the cue, for the prefix counts.
    lo: usize,
    hi: usize,
    /// Sentences from the cue's (clamped to -3..=5, shifted to 0..=8).
    sent_offset: u8,
    /// Paragraphs from the cue's (clamped to -2..=3, shifted to 0..=5).
    para_offset: u8,
    /// Quotation marks between the token and the cue (at most 3).
    quotes: u8,
    /// Whether the token is inside a quotation.
    inq: u8,
    shape: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template ids the committed model was trained with.
    #[test]
    fn template_ids_are_pinned() {
        assert_eq!(
            (
                T::WordSide as u8,
                T::PrefixSide as u8,
                T::ToSentenceEnd as u8,
                T::QuotesAroundCue as u8,
                T::ThatAhead as u8,
                T::ClassSentence as u8
            ),
            (1, 27, 30, 36, 38, 43)
        );
    }
}
