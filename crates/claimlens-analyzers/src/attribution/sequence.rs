//! Turning a segmented document into tagger sequences (one per paragraph).

use std::ops::Range;

use claimlens_core::{tokens_within, Paragraph, Sentence, Token};

/// A document's tokens as one tagging sequence: attributions run over paragraph breaks
/// ("X reports:" then quoted paragraphs), so decoding sees the whole document.
pub struct Sequence {
    /// Index range into the document's tokens.
    pub tokens: Range<usize>,
    /// Sentence index of each token (document-wide).
    pub sentence_of: Vec<u32>,
    /// Paragraph index of each token.
    pub paragraph_of: Vec<u32>,
}

/// The document's single sequence (`None` when it has no tokens).
pub fn document_sequence(
    paragraphs: &[Paragraph],
    sentences: &[Sentence],
    tokens: &[Token],
) -> Option<Sequence> {
    let parts = sequences(paragraphs, sentences, tokens);
    let first = parts.first()?.tokens.start;
    let end = parts.last()?.tokens.end;
    let mut sentence_of = Vec::with_capacity(end - first);
    let mut paragraph_of = Vec::with_capacity(end - first);
    for (p, seq) in parts.into_iter().enumerate() {
        paragraph_of.resize(paragraph_of.len() + seq.sentence_of.len(), p as u32);
        sentence_of.extend(seq.sentence_of);
    }
    // Tokens outside every paragraph do not exist (paragraphs cover all non-space text).
    Some(Sequence {
        tokens: first..first + sentence_of.len(),
        sentence_of,
        paragraph_of,
    })
}

/// Token ranges of the paragraphs of a sequence (`paragraph_of` is contiguous).
pub fn paragraph_ranges(paragraph_of: &[u32]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=paragraph_of.len() {
        if i == paragraph_of.len() || paragraph_of[i] != paragraph_of[i - 1] {
            out.push(start..i);
            start = i;
        }
    }
    out
}

/// The ranges the cue tagger decodes: each paragraph, a paragraph longer than `max` tokens
/// cut before the last sentence that starts within `max` tokens of the part's start (or at
/// `max` tokens when one sentence is longer).
pub fn decoding_ranges(paragraph_of: &[u32], sentence_of: &[u32], max: usize) -> Vec<Range<usize>> {
    let max = max.max(1);
    let mut out = Vec::new();
    for p in paragraph_ranges(paragraph_of) {
        let mut start = p.start;
        while p.end - start > max {
            let limit = start + max;
            let cut = (start + 1..=limit)
                .rev()
                .find(|&i| sentence_of[i] != sentence_of[i - 1])
                .unwrap_or(limit);
            out.push(start..cut);
            start = cut;
        }
        out.push(start..p.end);
    }
    out
}

/// Splits a segmented document into paragraph sequences.
pub fn sequences(
    paragraphs: &[Paragraph],
    sentences: &[Sentence],
    tokens: &[Token],
) -> Vec<Sequence> {
    let mut out = Vec::with_capacity(paragraphs.len());
    let mut s = 0;
    for (p_index, p) in paragraphs.iter().enumerate() {
        let std::ops::Range {
            start: first,
            end: t,
        } = tokens_within(tokens, p.span);
        let mut sentence_of = Vec::with_capacity(t - first);
        for tok in &tokens[first..t] {
            while s + 1 < sentences.len() && sentences[s].span.end <= tok.span.start {
                s += 1;
            }
            sentence_of.push(s as u32);
        }
        if t > first {
            let len = sentence_of.len();
            out.push(Sequence {
                tokens: first..t,
                sentence_of,
                paragraph_of: vec![p_index as u32; len],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_are_cut_between_sentences_else_at_the_limit() {
        // Paragraph 0: sentences of 3, 3 and 2 tokens; paragraph 1: one sentence of 7.
        let paragraph_of = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
        let sentence_of = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3];
        assert_eq!(
            decoding_ranges(&paragraph_of, &sentence_of, 100),
            vec![0..8, 8..15]
        );
        assert_eq!(
            decoding_ranges(&paragraph_of, &sentence_of, 5),
            vec![0..3, 3..8, 8..13, 13..15]
        );
        assert_eq!(
            decoding_ranges(&paragraph_of, &sentence_of, 7),
            vec![0..6, 6..8, 8..15]
        );
    }
}
