//! The argument tagger's view of a document: for each cue, the sentences around it, whose
//! tokens are tagged as *that cue's* source and content.
//!
//! Tagging arguments per cue (rather than all roles in one pass) lets one token belong to
//! several relations: the cue and source of a claim quoted inside another claim are also
//! part of the outer content (14% of PolNeAR dev cues sit inside another relation's content).
//! Features are relative to the cue: side, distance, sentence offset, what lies between
//! (quote marks, commas, other cues), the cue's own words, and the clause each token is in
//! (what opens it, whether a clause boundary separates it from the cue).

use std::cell::RefCell;
use std::ops::Range;

use claimlens_core::Token;

use super::features::{is_quote, quote_state, shape};
use super::lexicon::CueLexicon;
use crate::pos::PosClass;

mod features;

/// Sentences before the cue's sentence that a window takes in (PolNeAR train, with the
/// quotation rules of [`ArgContext::window`]: 99.9% of content fragments start inside).
const SENTENCES_BEFORE: usize = 1;
/// Sentences after the cue's sentence: 98.9% of content fragments end inside with one, 99.6%
/// with three; on a held-out fifth of train both score the same (evaluation.md), and one
/// tags two fifths fewer tokens per cue.
const SENTENCES_AFTER: usize = 1;
/// Hard token limits on each side, so run-on "sentences" of hostile input stay linear.
const MAX_LEFT: usize = 120;
const MAX_RIGHT: usize = 240;

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
    /// The cue-independent part of the features of the tokens around the cues being
    /// tagged: a token lies in the windows of several cues, and hashing its words again for
    /// each was most of the extraction's time. Kept for a stretch of tokens at a time, not
    /// the whole document: at about 90 bytes a token, the whole of a 10 MB document's was the
    /// stage's largest allocation (172 MB).
    token_parts: RefCell<features::PartsCache>,
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
            token_parts: RefCell::default(),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::features::Features;
    use crate::Segmenter;
    use claimlens_core::{Doc, Stage};

    fn context_of(doc: &Doc) -> (Vec<u32>, Vec<u32>, Vec<PosClass>) {
        let seq =
            super::super::sequence::document_sequence(&doc.paragraphs, &doc.sentences, &doc.tokens)
                .unwrap();
        let pos = super::super::features::word_classes(doc.text(), &doc.tokens, &seq.sentence_of);
        (seq.sentence_of, seq.paragraph_of, pos)
    }

    #[test]
    fn window_spans_one_sentence_before_and_one_after() {
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
        assert_eq!(doc.slice(doc.tokens[w.end - 2].span), "Four");
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
