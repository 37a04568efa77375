//! How far a content may run past where the argument tagger stopped it, inside its sentence:
//! after a colon cue, and over a relative clause inside the content's subject.

use std::ops::Range;

use claimlens_core::Token;

use crate::pos::PosClass;

/// Where a content that the argument tagger cut short inside its sentence may run on to: the
/// end of the sentence, or the last comma before a cue that closes the sentence ("…, sources
/// who reviewed them told POLITICO", "…, according to the AP": another relation's source and
/// cue). A cue with its own words after it ("…, Zakharova said there were reports …") is a
/// relation nested in the content and stays inside it.
pub(super) struct ContentReach<'a> {
    /// The document text and its tokens.
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// The sentence of each token.
    pub sentence_of: &'a [u32],
    /// Every cue of the document, in order.
    pub cues: &'a [Range<usize>],
}

impl ContentReach<'_> {
    fn word(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.range()]
    }

    /// The end (exclusive, without closing punctuation) a content extended from token `from`
    /// may take, or `None` when a cue closing the sentence has no comma before it.
    fn end_from(&self, from: usize) -> Option<usize> {
        let sentence = self.sentence_of[from];
        let mut end = from;
        while end < self.tokens.len() && self.sentence_of[end] == sentence {
            end += 1;
        }
        // At most this many tokens after a cue make it a trailing attribution.
        const TRAILING: usize = 4;
        let closing = self
            .cues
            .iter()
            .find(|c| c.start >= from && c.start < end && end.saturating_sub(c.end) <= TRAILING);
        if let Some(next) = closing {
            end = (from..next.start).rev().find(|&i| self.word(i) == ",")?;
        }
        while end > from && matches!(self.word(end - 1), "." | "!" | "?" | "," | ";") {
            end -= 1;
        }
        Some(end)
    }

    /// "Press TV reports: Speaking during a briefing in Moscow, Zakharova said …": what a
    /// colon cue introduces is the whole sentence after it, not the clause that opens it, so a
    /// content that stops at a comma inside that sentence runs on.
    pub fn colon_content_to_sentence_end<T>(
        &self,
        cue: &Range<usize>,
        fragments: &mut [(Range<usize>, T)],
    ) -> bool {
        if cue.is_empty() || self.word(cue.end - 1) != ":" {
            return false;
        }
        let [(range, _)] = fragments else {
            return false;
        };
        if range.start < cue.end || range.end >= self.tokens.len() || self.word(range.end) != "," {
            return false;
        }
        if self.sentence_of[range.end] != self.sentence_of[range.start] {
            return false;
        }
        match self.end_from(range.end) {
            Some(end) if end > range.end => {
                range.end = end;
                true
            }
            _ => false,
        }
    }

    /// "… said there were reports that the terrorists, which have been accused of X, are
    /// establishing arms caches": a content cut before a relative clause inside its subject
    /// goes on after the clause when a finite verb follows the clause's closing comma (the
    /// subject's own verb).
    pub fn over_relative_clause<T>(
        &self,
        pos: &[PosClass],
        cue: &Range<usize>,
        fragments: &mut [(Range<usize>, T)],
    ) -> bool {
        let [(range, _)] = fragments else {
            return false;
        };
        let n = self.tokens.len();
        if range.start < cue.end || range.end + 2 >= n || self.word(range.end) != "," {
            return false;
        }
        let relative = self.word(range.end + 1).to_ascii_lowercase();
        if !matches!(relative.as_str(), "which" | "who" | "whose" | "whom") {
            return false;
        }
        let sentence = self.sentence_of[range.start];
        let Some(close) = (range.end + 2..n)
            .take_while(|&i| self.sentence_of[i] == sentence)
            .find(|&i| self.word(i) == ",")
        else {
            return false;
        };
        let finite = close + 1 < n
            && self.sentence_of[close + 1] == sentence
            && matches!(
                pos[close + 1],
                PosClass::VerbPresent | PosClass::VerbPast | PosClass::Modal
            );
        if !finite {
            return false;
        }
        match self.end_from(close + 1) {
            Some(end) if end > range.end => {
                range.end = end;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_core::{Doc, Stage};

    /// A segmented document and the sentence of each token, as the tagger sees them.
    fn setup(text: &str) -> (Doc, Vec<u32>) {
        let mut doc = Doc::new("d", text);
        crate::Segmenter.run(&mut doc);
        let seq =
            super::super::sequence::document_sequence(&doc.paragraphs, &doc.sentences, &doc.tokens)
                .unwrap();
        assert_eq!(seq.tokens, 0..doc.tokens.len());
        (doc, seq.sentence_of)
    }

    fn at(doc: &Doc, w: &str) -> usize {
        doc.tokens
            .iter()
            .position(|t| doc.slice(t.span) == w)
            .unwrap()
    }

    #[test]
    fn a_colon_cue_introduces_its_whole_sentence() {
        let text = "Press TV reports: Speaking in Moscow, the spokeswoman said there were reports of caches.";
        let (doc, sentence_of) = setup(text);
        let cue = at(&doc, "reports")..at(&doc, ":") + 1;
        let cues = [cue.clone(), at(&doc, "said")..at(&doc, "said") + 1];
        let reach = ContentReach {
            text,
            tokens: &doc.tokens,
            sentence_of: &sentence_of,
            cues: &cues,
        };
        let mut fragments = [(at(&doc, "Speaking")..at(&doc, ","), ())];
        assert!(reach.colon_content_to_sentence_end(&cue, &mut fragments));
        let end = doc.tokens[fragments[0].0.end - 1].span.end as usize;
        assert!(
            text[..end].ends_with("reports of caches"),
            "{}",
            &text[..end]
        );
    }

    #[test]
    fn a_content_goes_on_over_a_relative_clause_but_not_into_a_closing_attribution() {
        let text = "She said the group, which was accused of fraud, is hiding arms, officials told reporters.";
        let (doc, sentence_of) = setup(text);
        let said = at(&doc, "said");
        let told = at(&doc, "told");
        let cues = [said..said + 1, told..told + 1];
        let reach = ContentReach {
            text,
            tokens: &doc.tokens,
            sentence_of: &sentence_of,
            cues: &cues,
        };
        let pos = crate::attribution::features::word_classes(text, &doc.tokens, &sentence_of);
        let mut fragments = [(at(&doc, "the")..at(&doc, ","), ())];
        assert!(reach.over_relative_clause(&pos, &cues[0], &mut fragments));
        let r = &fragments[0].0;
        let span = doc.tokens[r.start].span.start as usize..doc.tokens[r.end - 1].span.end as usize;
        assert_eq!(
            &text[span],
            "the group, which was accused of fraud, is hiding arms"
        );
        // No relative pronoun after the cut: nothing to do.
        let mut fragments = [(at(&doc, "is")..at(&doc, "arms") + 1, ())];
        assert!(!reach.over_relative_clause(&pos, &cues[0], &mut fragments));
    }
}
