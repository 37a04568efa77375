//! Part-of-speech data and scoring: Penn Treebank tags from CoNLL-2003 (`word POS chunk NE`)
//! and CoNLL-U (the XPOS column), mapped to the tagger's coarse classes
//! ([`claimlens_analyzers::pos::PosClass`]); accuracy per token.

use std::path::Path;
use std::time::Instant;

use claimlens_analyzers::pos::{Model, PosClass, PosSentence};
use serde::Serialize;

use crate::error::read_text;
use crate::EvalError;

/// Reads the POS column of a CoNLL-2003 file, one sentence per blank-line block.
pub fn read_conll_pos(path: &Path) -> Result<Vec<PosSentence>, EvalError> {
    parse_columns(&read_text(path)?, path, Format::Conll2003)
}

/// Reads the XPOS column of a CoNLL-U file (multi-word token lines and empty nodes are
/// skipped: the words are what a tokenizer sees).
pub fn read_conllu_pos(path: &Path) -> Result<Vec<PosSentence>, EvalError> {
    parse_columns(&read_text(path)?, path, Format::Conllu)
}

#[derive(Clone, Copy)]
enum Format {
    Conll2003,
    Conllu,
}

fn parse_columns(text: &str, path: &Path, format: Format) -> Result<Vec<PosSentence>, EvalError> {
    let mut out = Vec::new();
    let mut sent = PosSentence::default();
    let error = |line: usize, message: String| EvalError::Format {
        path: path.to_owned(),
        line: line as u64 + 1,
        message,
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            if !sent.words.is_empty() {
                out.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let (word, tag) = match format {
            Format::Conll2003 => {
                let mut f = line.split_whitespace();
                let word = f.next().unwrap_or_default();
                if word == "-DOCSTART-" {
                    continue;
                }
                let tag = f
                    .next()
                    .ok_or_else(|| error(n, "expected `word POS chunk tag`".into()))?;
                (word, tag)
            }
            Format::Conllu => {
                if line.starts_with('#') {
                    continue;
                }
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() != 10 {
                    return Err(error(n, format!("expected 10 columns, found {}", f.len())));
                }
                if f[0].contains('-') || f[0].contains('.') {
                    continue;
                }
                (f[1], f[4])
            }
        };
        // A few CoNLL-2003 tokens carry two tags (`NN|SYM`): the first is kept.
        let first = tag.split('|').next().unwrap_or(tag);
        let class = PosClass::from_ptb(first)
            .ok_or_else(|| error(n, format!("unknown POS tag `{tag}`")))?;
        sent.words.push(word.to_owned());
        sent.classes.push(class);
    }
    if !sent.words.is_empty() {
        out.push(sent);
    }
    Ok(out)
}

/// Accuracy of a tagger on tagged sentences.
#[derive(Debug, Clone, Serialize)]
pub struct PosReport {
    /// Sentences.
    pub sentences: usize,
    /// Tokens.
    pub tokens: usize,
    /// Tokens tagged right.
    pub correct: usize,
    /// Verb tokens (the classes attribution relies on most) and how many were right.
    pub verbs: usize,
    /// Verb tokens tagged right.
    pub verbs_correct: usize,
    /// Tagging throughput on one core.
    pub words_per_sec: f64,
}

impl PosReport {
    /// Share of tokens tagged right.
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.tokens.max(1) as f64
    }

    /// Share of gold verb tokens tagged with the right verb form.
    pub fn verb_accuracy(&self) -> f64 {
        self.verbs_correct as f64 / self.verbs.max(1) as f64
    }
}

/// Tags every sentence and counts agreements with the gold classes.
pub fn evaluate_pos(model: &Model, sentences: &[PosSentence]) -> PosReport {
    let mut report = PosReport {
        sentences: sentences.len(),
        tokens: 0,
        correct: 0,
        verbs: 0,
        verbs_correct: 0,
        words_per_sec: 0.0,
    };
    let mut seconds = 0.0;
    for s in sentences {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let t = Instant::now();
        let predicted = model.tag_words(&words);
        seconds += t.elapsed().as_secs_f64();
        for (p, g) in predicted.iter().zip(&s.classes) {
            report.tokens += 1;
            report.correct += (p == g) as usize;
            if g.is_verb() {
                report.verbs += 1;
                report.verbs_correct += (p == g) as usize;
            }
        }
    }
    report.words_per_sec = report.tokens as f64 / seconds.max(1e-9);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats() {
        let conll = "-DOCSTART- -X- -X- O\n\nRivals NNS B-NP O\nsaid VBD B-VP O\n. NN|SYM O O\n\n";
        let s = parse_columns(conll, Path::new("x"), Format::Conll2003).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words, ["Rivals", "said", "."]);
        assert_eq!(
            s[0].classes,
            [PosClass::Noun, PosClass::VerbPast, PosClass::Noun]
        );
        let conllu = "# text = It's up.\n1-2\tIt's\t_\t_\t_\t_\t_\t_\t_\t_\n\
                      1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n\
                      2\t's\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_\n\
                      3\tup\tup\tADV\tRB\t_\t0\troot\t_\t_\n\n";
        let s = parse_columns(conllu, Path::new("x"), Format::Conllu).unwrap();
        assert_eq!(s[0].words, ["It", "'s", "up"]);
        assert_eq!(s[0].classes[1], PosClass::VerbPresent);
        let bad = parse_columns("a ZZZ O O\n", Path::new("x"), Format::Conll2003);
        assert!(bad.unwrap_err().to_string().contains("unknown POS tag"));
    }
}
