//! What both taggers read of one document, built the same way at training and at prediction
//! so that a model is decoded on exactly the inputs it was trained on.

use claimlens_core::Token;

use super::arguments::ArgContext;
use super::features::{word_classes, CueFeatures, Features};
use super::lexicon::CueLexicon;
use super::sequence::Sequence;
use crate::pos::PosClass;

/// A document's tagging sequence with its tokens and their word classes.
pub struct SequenceInput<'a> {
    /// The document text.
    pub text: &'a str,
    /// The sequence's tokens (a slice of the document's).
    pub tokens: &'a [Token],
    /// Sentence and paragraph of each token.
    pub seq: &'a Sequence,
    /// Word class of each token.
    pub pos: Vec<PosClass>,
}

impl<'a> SequenceInput<'a> {
    /// The input over `seq`, where `doc_tokens` are all the document's tokens.
    pub fn new(text: &'a str, doc_tokens: &'a [Token], seq: &'a Sequence) -> Self {
        let tokens = &doc_tokens[seq.tokens.clone()];
        let pos = word_classes(text, tokens, &seq.sentence_of);
        SequenceInput {
            text,
            tokens,
            seq,
            pos,
        }
    }

    /// The cue tagger's features of every token, into `out`.
    pub fn cue_features(&self, lexicon: &CueLexicon, out: &mut Features) {
        self.cue_feature_source(lexicon)
            .extract(0..self.tokens.len(), out);
    }

    /// The cue tagger's features, to extract a range of tokens at a time.
    pub fn cue_feature_source(&self, lexicon: &CueLexicon) -> CueFeatures<'_> {
        CueFeatures::new(
            self.text,
            self.tokens,
            &self.seq.sentence_of,
            &self.seq.paragraph_of,
            &self.pos,
            lexicon,
        )
    }

    /// The context the argument tagger reads its per-cue windows from.
    pub fn argument_context(&self, lexicon: &CueLexicon) -> ArgContext<'_> {
        ArgContext::new(
            self.text,
            self.tokens,
            &self.seq.sentence_of,
            &self.seq.paragraph_of,
            &self.pos,
            lexicon,
        )
    }
}
