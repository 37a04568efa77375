//! The argument tagger's view of a document: for each cue, the sentences around it, whose
//! tokens are tagged as *that cue's* source and content.
//!
//! Tagging arguments per cue (rather than all roles in one pass) lets one token belong to
//! several relations: the cue and source of a claim quoted inside another claim are also
//! part of the outer content (14% of PolNeAR dev cues sit inside another relation's content).
//! Features are relative to the cue: side, distance, sentence offset, what lies between
//! (quote marks, commas, other cues), the cue's own words, and the clause each token is in
//! (what opens it, whether a clause boundary separates it from the cue).

use std::ops::Range;

use claimlens_core::Token;

use super::features::{affixes, bucket, is_quote, quote_state, shape, Features, OUTSIDE};
use super::lexicon::CueLexicon;
use crate::learn::features::Hasher;
use crate::pos::PosClass;

/// Sentences before the cue's sentence that a window takes in (PolNeAR train: 98.7% of
/// contents start no earlier than one sentence before their cue).
const SENTENCES_BEFORE: usize = 1;
/// Sentences after the cue's sentence (98.4% of contents end within three).
const SENTENCES_AFTER: usize = 3;
/// Hard token limits on each side, so run-on "sentences" of hostile input stay linear.
const MAX_LEFT: usize = 120;
const MAX_RIGHT: usize = 240;

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

/// Words that open a clause or phrase after a comma or dash, where a content often ends
/// (", but …", ", which …", ", despite …", "during …"); other words are classed by shape.
const CLAUSE_OPENERS: &[&str] = &[
    "according",
    "after",
    "although",
    "and",
    "as",
    "because",
    "before",
    "but",
    "by",
    "despite",
    "during",
    "even",
    "for",
    "from",
    "if",
    "in",
    "including",
    "on",
    "or",
    "saying",
    "since",
    "so",
    "that",
    "though",
    "to",
    "when",
    "where",
    "whereas",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "with",
    "without",
    "yet",
];

/// Tokens that end a clause inside a sentence.
fn is_clause_boundary(w: &str) -> bool {
    matches!(w, "," | ";" | ":" | "—" | "–" | "―" | "(" | ")")
}

/// Per-document facts the argument features consult, computed once.
pub struct ArgContext<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sentence_of: &'a [u32],
    paragraph_of: &'a [u32],
    inq: Vec<bool>,
    is_lex: Vec<bool>,
    sent_start: Vec<u32>,
    sent_end: Vec<u32>,
    /// Prefix counts: `quotes[i]` quote marks among tokens `..i`.
    quotes: Vec<u32>,
    commas: Vec<u32>,
    /// Prefix count of cue starts, and whether each token is inside a cue.
    cue_starts: Vec<u32>,
    in_cue: Vec<bool>,
    /// Prefix count of "that" (the complementiser that opens most reported contents).
    thats: Vec<u32>,
    pos: &'a [PosClass],
    /// First token of each token's clause: the sentence start or the token after the last
    /// clause boundary before it in its sentence.
    clause_start: Vec<u32>,
    /// The clause boundary that ends each token's clause (or its sentence's end).
    clause_end: Vec<u32>,
}

fn prefix(n: usize, mut f: impl FnMut(usize) -> bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(n + 1);
    let mut c = 0u32;
    out.push(0);
    for i in 0..n {
        c += f(i) as u32;
        out.push(c);
    }
    out
}

impl<'a> ArgContext<'a> {
    /// The context of one tagging sequence (tokens with their sentence, paragraph and word
    /// class).
    pub fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentence_of: &'a [u32],
        paragraph_of: &'a [u32],
        pos: &'a [PosClass],
        lexicon: &CueLexicon,
    ) -> Self {
        let n = tokens.len();
        let word = |i: usize| &text[tokens[i].span.range()];
        let mut sent_start = vec![0u32; n];
        let mut sent_end = vec![0u32; n];
        let mut s = 0;
        while s < n {
            let mut e = s;
            while e < n && sentence_of[e] == sentence_of[s] {
                e += 1;
            }
            sent_start[s..e].fill(s as u32);
            sent_end[s..e].fill(e as u32);
            s = e;
        }
        let mut clause_start = vec![0u32; n];
        for i in 0..n {
            clause_start[i] = if i == sent_start[i] as usize || is_clause_boundary(word(i - 1)) {
                i as u32
            } else {
                clause_start[i - 1]
            };
        }
        let mut clause_end = vec![0u32; n];
        for i in (0..n).rev() {
            clause_end[i] = if is_clause_boundary(word(i)) || i + 1 == sent_end[i] as usize {
                i as u32
            } else {
                clause_end[i + 1]
            };
        }
        ArgContext {
            text,
            tokens,
            sentence_of,
            paragraph_of,
            inq: quote_state(text, tokens, paragraph_of),
            is_lex: (0..n).map(|i| lexicon.contains(word(i))).collect(),
            sent_start,
            sent_end,
            quotes: prefix(n, |i| is_quote(word(i))),
            commas: prefix(n, |i| matches!(word(i), "," | ";" | ":" | "—" | "–")),
            cue_starts: vec![0; n + 1],
            in_cue: vec![false; n],
            thats: prefix(n, |i| word(i).eq_ignore_ascii_case("that")),
            pos,
            clause_start,
            clause_end,
        }
    }

    /// Records the document's cues (token ranges, sorted): "another cue in between" features.
    pub fn set_cues(&mut self, cues: &[Range<usize>]) {
        let n = self.tokens.len();
        self.in_cue.iter_mut().for_each(|x| *x = false);
        let mut is_start = vec![false; n];
        for c in cues {
            if c.start < n {
                is_start[c.start] = true;
            }
            for x in &mut self.in_cue[c.start.min(n)..c.end.min(n)] {
                *x = true;
            }
        }
        self.cue_starts = prefix(n, |i| is_start[i]);
    }

    /// The token range a cue's arguments are sought in.
    pub fn window(&self, cue: &Range<usize>) -> Range<usize> {
        let n = self.tokens.len();
        if n == 0 || cue.start >= n {
            return 0..0;
        }
        let mut start = self.sent_start[cue.start] as usize;
        for _ in 0..SENTENCES_BEFORE {
            if start > 0 {
                start = self.sent_start[start - 1] as usize;
            }
        }
        let last = cue.end.clamp(cue.start + 1, n) - 1;
        let mut end = self.sent_end[last] as usize;
        for _ in 0..SENTENCES_AFTER {
            if end < n {
                end = self.sent_end[end] as usize;
            }
        }
        // A quotation still open at the window's end runs on to its close and the end of
        // that sentence.
        let right_limit = (cue.end + MAX_RIGHT).min(n);
        if end < right_limit
            && self.inq[end]
            && self.inq[end - 1]
            && self.paragraph_of[end] == self.paragraph_of[end - 1]
        {
            while end < right_limit
                && self.inq[end]
                && self.paragraph_of[end] == self.paragraph_of[end - 1]
            {
                end += 1;
            }
            end = self.sent_end[end - 1] as usize;
        }
        // A quotation that opens before the window belongs to it whole ("“A. B. C,” she said.").
        while start > 0
            && self.inq[start]
            && !is_quote(self.word(start))
            && self.inq[start - 1]
            && self.paragraph_of[start - 1] == self.paragraph_of[start]
            && start > cue.start.saturating_sub(MAX_LEFT)
        {
            start -= 1;
        }
        start.max(cue.start.saturating_sub(MAX_LEFT))..end.min(cue.end + MAX_RIGHT).min(n)
    }

    fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span.range()]
    }

    /// The class of a clause's first word: the word itself when it is a [`CLAUSE_OPENERS`]
    /// word, `-ing` for a participle, else its shape.
    fn opener_class(&self, i: usize) -> &'a str {
        let w = self.word(i);
        if let Some(o) = CLAUSE_OPENERS.iter().find(|o| o.eq_ignore_ascii_case(w)) {
            return o;
        }
        if w.len() > 4 && w.ends_with("ing") {
            return "-ing";
        }
        match shape(w, self.tokens[i].kind) {
            b'C' => "C",
            b'X' => "X",
            b'x' => "x",
            b'd' => "d",
            b'q' => "q",
            _ => "p",
        }
    }

    /// Extracts the features of `window`'s tokens relative to `cue` into `out`.
    pub fn extract(&self, cue: &Range<usize>, window: &Range<usize>, out: &mut Features) {
        out.values.clear();
        out.starts.clear();
        let n = self.tokens.len();
        let cue_end = cue.end.min(n).max(cue.start + 1);
        // The cue's words (up to four), its first word, and its neighbours.
        let mut cue_id = Hasher::new(0);
        for j in cue.start..cue_end.min(cue.start + 4) {
            cue_id = cue_id.word(self.word(j));
        }
        let cue_id = cue_id.finish().to_le_bytes();
        let cue_sentence = self.sentence_of[cue.start];
        let cue_paragraph = self.paragraph_of[cue.start];
        let cue_quoted = self.inq[cue.start];
        let before_cue = cue.start.checked_sub(1).map_or("<s>", |j| self.word(j));
        let after_cue = if cue_end < n {
            self.word(cue_end)
        } else {
            "</s>"
        };
        // Quotations in the cue's sentence: one closed before the cue ("“…,” she said") or one
        // after it; with one, the unquoted words around the cue are rarely content.
        let (s0, s1) = (
            self.sent_start[cue.start] as usize,
            self.sent_end[cue.start] as usize,
        );
        let quote_before = self.quotes[cue.start] > self.quotes[s0] && !cue_quoted;
        let quote_after = self.quotes[s1.max(cue_end)] > self.quotes[cue_end];
        let quotes_around = quote_before as u8 | (quote_after as u8) << 1;
        for i in window.clone() {
            out.starts.push(out.values.len());
            let v = &mut out.values;
            // Side of the cue: 0 before, 1 inside, 2 after; distance in tokens.
            let (side, distance) = if i < cue.start {
                (0u8, cue.start - i)
            } else if i < cue_end {
                (1, 0)
            } else {
                (2, i + 1 - cue_end)
            };
            let d = bucket(distance);
            let (lo, hi) = if i < cue.start {
                (i, cue.start)
            } else {
                (cue_end, i.max(cue_end))
            };
            let w0 = self.word(i);
            let kind = self.tokens[i].kind;
            let sh = shape(w0, kind);
            let sent_offset = (self.sentence_of[i] as i64 - cue_sentence as i64).clamp(-3, 5);
            let sent_offset = (sent_offset + 3) as u8;
            let para_offset = (self.paragraph_of[i] as i64 - cue_paragraph as i64).clamp(-2, 3);
            let para_offset = (para_offset + 2) as u8;
            let quotes = (self.quotes[hi] - self.quotes[lo]).min(3) as u8;
            let commas = (self.commas[hi] - self.commas[lo]).min(3) as u8;
            let cues = (self.cue_starts[hi] - self.cue_starts[lo.min(hi)]).min(2) as u8;
            let inq = self.inq[i] as u8;

            // Index 1 is the word identity the perceptron's history features combine with.
            v.push(Hasher::new(T::BiasSide).byte(side).finish());
            v.push(Hasher::new(T::WordSide).word(w0).byte(side).finish());
            v.push(Hasher::new(T::Word).word(w0).finish());
            let prev = i.checked_sub(1).map_or("<s>", |j| self.word(j));
            let next = if i + 1 < n { self.word(i + 1) } else { "</s>" };
            v.push(Hasher::new(T::PrevSide).word(prev).byte(side).finish());
            v.push(Hasher::new(T::NextSide).word(next).byte(side).finish());
            v.push(Hasher::new(T::ShapeSide).byte(sh).byte(side).finish());
            let sh_prev = i
                .checked_sub(1)
                .map_or(b'^', |j| shape(self.word(j), self.tokens[j].kind));
            let sh_next = if i + 1 < n {
                shape(next, self.tokens[i + 1].kind)
            } else {
                b'$'
            };
            v.push(
                Hasher::new(T::ShapeTrigramSide)
                    .byte(sh_prev)
                    .byte(sh)
                    .byte(sh_next)
                    .byte(side)
                    .finish(),
            );
            if let Some((prefix, suffix)) = affixes(w0) {
                v.push(Hasher::new(T::SuffixSide).word(suffix).byte(side).finish());
                v.push(Hasher::new(T::PrefixSide).word(prefix).byte(side).finish());
            }
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
            v.push(
                Hasher::new(T::CueSideDistance)
                    .raw(&cue_id)
                    .byte(side)
                    .byte(d.min(4))
                    .finish(),
            );
            v.push(Hasher::new(T::CueSide).raw(&cue_id).byte(side).finish());
            v.push(
                Hasher::new(T::CueSentence)
                    .raw(&cue_id)
                    .byte(sent_offset)
                    .finish(),
            );
            v.push(
                Hasher::new(T::QuotedPair)
                    .byte(inq)
                    .byte(cue_quoted as u8)
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
                    .byte(sh)
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
                    .byte(para_offset)
                    .byte(side)
                    .byte(inq)
                    .finish(),
            );
            if self.is_lex[i] {
                v.push(Hasher::new(T::LexiconSide).byte(side).byte(d).finish());
            }
            if distance <= 3 {
                v.push(
                    Hasher::new(T::WordNear)
                        .word(w0)
                        .byte(side)
                        .byte(distance as u8)
                        .finish(),
                );
            }
            let first = i == self.sent_start[i] as usize;
            let last = i + 1 == self.sent_end[i] as usize;
            // Contents mostly run to the end of a sentence and open with "that"; sources are
            // mostly capitalised runs: say where the token stands in each.
            v.push(
                Hasher::new(T::ToSentenceEnd)
                    .byte(bucket(self.sent_end[i] as usize - 1 - i))
                    .byte(side)
                    .byte(sent_offset)
                    .finish(),
            );
            if side == 2 {
                let that = (self.thats[hi] - self.thats[lo]).min(2) as u8;
                // "told reporters on its website that …": before the first "that" after the
                // cue, words are rarely content when one follows within the clause.
                if that == 0 {
                    let clause_end = (self.clause_end[i] as usize + 1).min(n);
                    let ahead = self.thats[clause_end] > self.thats[i];
                    v.push(
                        Hasher::new(T::ThatAhead)
                            .byte(ahead as u8)
                            .byte(d.min(4))
                            .byte(inq)
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
            v.push(
                Hasher::new(T::BigramSide)
                    .word(prev)
                    .word(w0)
                    .byte(side)
                    .finish(),
            );
            let capitalised =
                |j: usize| matches!(shape(self.word(j), self.tokens[j].kind), b'C' | b'X');
            let run = capitalised(i) as u8
                | ((i > 0 && capitalised(i - 1)) as u8) << 1
                | ((i + 1 < n && capitalised(i + 1)) as u8) << 2;
            // Word classes: where a clause (a content) starts and stops, what a source is.
            {
                let p = |j: isize| -> u8 {
                    if j < 0 || j as usize >= n {
                        OUTSIDE
                    } else {
                        self.pos[j as usize] as u8
                    }
                };
                let ii = i as isize;
                v.push(Hasher::new(T::ClassSide).byte(p(ii)).byte(side).finish());
                v.push(
                    Hasher::new(T::ClassTrigramSide)
                        .byte(p(ii - 1))
                        .byte(p(ii))
                        .byte(p(ii + 1))
                        .byte(side)
                        .finish(),
                );
                v.push(
                    Hasher::new(T::ClassDistance)
                        .byte(p(ii))
                        .byte(side)
                        .byte(d.min(4))
                        .finish(),
                );
                v.push(
                    Hasher::new(T::ClassSentence)
                        .byte(p(ii))
                        .byte(p(ii - 1))
                        .byte(sent_offset)
                        .finish(),
                );
            }
            v.push(
                Hasher::new(T::NameRun)
                    .byte(run)
                    .byte(side)
                    .byte(d.min(4))
                    .finish(),
            );
            // The clause the token is in: what opens it, and whether a clause boundary lies
            // between it and the cue (contents run on through ", but …", ", which …").
            let opener = self.clause_start[i] as usize;
            let boundary_between = if side == 2 {
                opener > cue_end
            } else {
                side == 0 && (self.clause_end[i] as usize) < cue.start
            };
            v.push(
                Hasher::new(T::ClauseOpener)
                    .word(self.opener_class(opener))
                    .byte(side)
                    .byte(inq)
                    .byte(boundary_between as u8)
                    .byte((i == opener) as u8)
                    .finish(),
            );
            let end = self.clause_end[i] as usize;
            let next_opener = if end + 1 < self.sent_end[i] as usize {
                self.opener_class(end + 1)
            } else {
                "</s>"
            };
            v.push(
                Hasher::new(T::NextClause)
                    .word(next_opener)
                    .byte(bucket(end - i).min(4))
                    .byte(side)
                    .byte(inq)
                    .finish(),
            );
            v.push(
                Hasher::new(T::QuotesAroundCue)
                    .byte(quotes_around)
                    .byte(side)
                    .byte(inq)
                    .byte(sent_offset)
                    .finish(),
            );
            v.push(
                Hasher::new(T::SentenceEdge)
                    .byte(first as u8 | (last as u8) << 1)
                    .byte(side)
                    .byte(sh)
                    .finish(),
            );
            v.push(
                Hasher::new(T::BeforeCueWord)
                    .word(before_cue)
                    .byte(side)
                    .byte(d.min(3))
                    .finish(),
            );
            v.push(
                Hasher::new(T::AfterCueWord)
                    .word(after_cue)
                    .byte(side)
                    .byte(d.min(3))
                    .finish(),
            );
        }
        out.starts.push(out.values.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::{Doc, Stage};

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

    fn context_of(doc: &Doc) -> (Vec<u32>, Vec<u32>, Vec<PosClass>) {
        let seq =
            super::super::sequence::document_sequence(&doc.paragraphs, &doc.sentences, &doc.tokens)
                .unwrap();
        let pos = super::super::features::word_classes(doc.text(), &doc.tokens, &seq.sentence_of);
        (seq.sentence_of, seq.paragraph_of, pos)
    }

    #[test]
    fn window_spans_one_sentence_before_and_three_after() {
        let mut doc = Doc::new(
            "t",
            "One. Two. Mayor said so. Four. Five. Six. Seven. Eight.",
        );
        Segmenter.run(&mut doc);
        let (sent, para, pos) = context_of(&doc);
        let lexicon = CueLexicon::new(["said".to_string()]);
        let ctx = ArgContext::new(doc.text(), &doc.tokens, &sent, &para, &pos, &lexicon);
        let said = doc
            .tokens
            .iter()
            .position(|t| doc.slice(t.span) == "said")
            .unwrap();
        let w = ctx.window(&(said..said + 1));
        assert_eq!(doc.slice(doc.tokens[w.start].span), "Two");
        assert_eq!(doc.slice(doc.tokens[w.end - 1].span), ".");
        assert_eq!(doc.slice(doc.tokens[w.end - 2].span), "Six");
        let mut f = Features::default();
        ctx.extract(&(said..said + 1), &w, &mut f);
        assert_eq!(f.len(), w.len());
    }

    #[test]
    fn a_quotation_open_at_the_window_end_runs_on_to_its_close() {
        let mut doc = Doc::new(
            "t",
            "Mayor said: “One. Two. Three. Four. Five.” Six. Seven.",
        );
        Segmenter.run(&mut doc);
        let (sent, para, pos) = context_of(&doc);
        let lexicon = CueLexicon::new(["said".to_string()]);
        let ctx = ArgContext::new(doc.text(), &doc.tokens, &sent, &para, &pos, &lexicon);
        let w = ctx.window(&(1..2));
        let last = doc.slice(doc.tokens[w.end - 1].span);
        assert_eq!(last, "”", "{:?}", doc.slice(doc.tokens[w.end - 2].span));
    }

    #[test]
    fn clauses_run_between_commas_within_a_sentence() {
        let mut doc = Doc::new("t", "He said taxes rose, but pay fell. Then, more.");
        Segmenter.run(&mut doc);
        let (sent, para, pos) = context_of(&doc);
        let ctx = ArgContext::new(
            doc.text(),
            &doc.tokens,
            &sent,
            &para,
            &pos,
            &CueLexicon::default(),
        );
        let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
        let at = |w: &str| words.iter().position(|x| *x == w).unwrap();
        assert_eq!(ctx.clause_start[at("pay")] as usize, at("but"));
        assert_eq!(ctx.clause_end[at("taxes")] as usize, at(","));
        assert_eq!(ctx.clause_start[at("Then")] as usize, at("Then"));
        assert_eq!(ctx.opener_class(at("but")), "but");
        assert_eq!(ctx.opener_class(at("pay")), "x");
    }

    #[test]
    fn windows_are_bounded_on_run_on_text() {
        let text = "word ".repeat(5000) + "said " + &"word ".repeat(5000);
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let (sent, para, pos) = context_of(&doc);
        let ctx = ArgContext::new(
            doc.text(),
            &doc.tokens,
            &sent,
            &para,
            &pos,
            &CueLexicon::default(),
        );
        let w = ctx.window(&(5000..5001));
        assert!(w.len() <= MAX_LEFT + MAX_RIGHT + 1, "{w:?}");
    }
}
