//! Reader of CoNLL-2003 NER files: `word POS chunk tag` lines, `-DOCSTART-` lines between
//! documents, blank lines between sentences; IOB2 or IOB1 tags (IOB1 is converted so every
//! span starts with B).

use std::path::Path;

use claimlens_analyzers::entities::{role_of_type, NerDoc, NerSentence};
use claimlens_analyzers::learn::bio::{begin, inside, role_of, Tag, O};

use crate::error::read_text;
use crate::EvalError;

/// Reads a CoNLL-2003 file into documents.
pub fn read_conll(path: &Path) -> Result<Vec<NerDoc>, EvalError> {
    parse_conll(&read_text(path)?, path)
}

/// Parses CoNLL-2003 text; `path` only names the file in errors.
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<NerDoc>, EvalError> {
    let mut docs = vec![NerDoc::default()];
    let mut sent = NerSentence::default();
    let flush = |docs: &mut Vec<NerDoc>, sent: &mut NerSentence| {
        if !sent.words.is_empty() {
            docs.last_mut()
                .expect("at least one document")
                .sentences
                .push(std::mem::take(sent));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut docs, &mut sent);
            continue;
        }
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or_default();
        let label = fields.last().ok_or_else(|| EvalError::Format {
            path: path.to_owned(),
            line: n as u64 + 1,
            message: "expected `word ... tag`".into(),
        })?;
        if word == "-DOCSTART-" {
            flush(&mut docs, &mut sent);
            if !docs.last().expect("non-empty").sentences.is_empty() {
                docs.push(NerDoc::default());
            }
            continue;
        }
        let tag = parse_tag(label, sent.tags.last().copied()).ok_or_else(|| EvalError::Format {
            path: path.to_owned(),
            line: n as u64 + 1,
            message: format!("unknown tag `{label}`"),
        })?;
        sent.words.push(word.to_owned());
        sent.tags.push(tag);
    }
    flush(&mut docs, &mut sent);
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// One IOB1/IOB2 label as a BIO tag; `I-X` after anything but an X tag begins a span.
fn parse_tag(label: &str, prev: Option<Tag>) -> Option<Tag> {
    if label == "O" {
        return Some(O);
    }
    let (prefix, ty) = label.split_once('-')?;
    let role = role_of_type(ty)?;
    match prefix {
        "B" => Some(begin(role)),
        "I" if prev.and_then(role_of) == Some(role) => Some(inside(role)),
        "I" => Some(begin(role)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_sentences_and_tags() {
        let text = "-DOCSTART- -X- -X- O\n\nAcme NNP B-NP B-ORG\nCorp NNP I-NP I-ORG\nhired VBD B-VP O\nAnn NNP B-NP I-PER\n\n-DOCSTART- -X- O O\n\nRome NNP B-NP B-LOC\n";
        let docs = parse_conll(text, Path::new("x")).unwrap();
        assert_eq!(docs.len(), 2);
        let s = &docs[0].sentences[0];
        assert_eq!(s.words, ["Acme", "Corp", "hired", "Ann"]);
        assert_eq!(s.tags, [begin(1), inside(1), O, begin(0)]);
        assert_eq!(docs[1].sentences[0].tags, [begin(2)]);
        assert!(parse_conll("a b c X-FOO\n", Path::new("x")).is_err());
    }
}
