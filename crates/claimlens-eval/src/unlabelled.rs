//! The unlabelled corpus for word clusters: raw text from the shared data sets, leaving out
//! everything an evaluation scores (PolNeAR dev, CoNLL-2003 valid, UD EWT, the extraction
//! benchmark), so cluster features cannot leak test text into a tagger.
//!
//! Sources, read in a fixed order (sorted file names) so training is deterministic:
//! PolNeAR train texts, SemEval-2023 train articles, EUvsDisinfo case titles, summaries and
//! disproofs, ClaimBuster and CLEF 2019 debate sentences, and CoNLL-2003 train words (one
//! sentence per paragraph, so headlines without a full stop stay separate sentences).
//! Texts repeated across sources (EUvsDisinfo titles appear in both tables) count once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::read_text;
use crate::EvalError;

/// One unlabelled text and the source it came from.
#[derive(Debug, Clone)]
pub struct UnlabelledText {
    /// Short source name (`polnear-train`, `conll2003-train`, …).
    pub source: &'static str,
    /// The text.
    pub text: String,
}

/// Reads every source under `data` (the shared `data/` directory), deduplicating texts.
pub fn read_unlabelled(data: &Path) -> Result<Vec<UnlabelledText>, EvalError> {
    let mut texts = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |source: &'static str, text: String| {
        let text = text.trim();
        if !text.is_empty() && seen.insert(text.to_owned()) {
            texts.push(UnlabelledText {
                source,
                text: text.to_owned(),
            });
        }
    };
    for path in sorted_files(&data.join("polnear/train/text"), "txt")? {
        push("polnear-train", read_text(&path)?);
    }
    for path in sorted_files(
        &data.join("semeval2023-persuasion-en/train-articles"),
        "txt",
    )? {
        push("semeval2023-train", read_text(&path)?);
    }
    let euvs = data.join("euvsdisinfo");
    for text in csv_fields(
        &euvs.join("cases_2015_2017.csv"),
        &["title", "summary", "disproof"],
    )? {
        push("euvsdisinfo", text);
    }
    for text in csv_fields(&euvs.join("case_titles_to_2021.csv"), &["title"])? {
        push("euvsdisinfo", text);
    }
    let checks = data.join("checkworthiness");
    for file in ["claimbuster_kfold_25ncs.csv", "clef2019_t1_train.csv"] {
        for text in csv_fields(&checks.join(file), &["text"])? {
            push("checkworthiness", text);
        }
    }
    let conll = data.join("conll2003/train.txt");
    for text in conll_sentences_by_document(&read_text(&conll)?) {
        push("conll2003-train", text);
    }
    Ok(texts)
}

/// Files with extension `ext` in `dir`, sorted by name.
fn sorted_files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|e| EvalError::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| EvalError::io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == ext) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The named columns of every record of a CSV file with a header, in record order.
fn csv_fields(path: &Path, columns: &[&str]) -> Result<Vec<String>, EvalError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let format = |line: u64, message: String| EvalError::Format {
        path: path.to_owned(),
        line,
        message,
    };
    let header = reader.headers().map_err(|e| format(1, e.to_string()))?;
    let mut indices = Vec::new();
    for column in columns {
        let i = header
            .iter()
            .position(|h| h == *column)
            .ok_or_else(|| format(1, format!("no `{column}` column")))?;
        indices.push(i);
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format(line, e.to_string())
        })?;
        for &i in &indices {
            if let Some(field) = record.get(i) {
                out.push(field.to_owned());
            }
        }
    }
    Ok(out)
}

/// CoNLL-2003 words as plain text: one text per `-DOCSTART-` document, words joined by
/// spaces, sentences separated by blank lines.
fn conll_sentences_by_document(conll: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut doc = String::new();
    let mut sentence_open = false;
    for line in conll.lines() {
        let Some(word) = line.split_whitespace().next() else {
            if sentence_open {
                doc.push_str("\n\n");
                sentence_open = false;
            }
            continue;
        };
        if word == "-DOCSTART-" {
            docs.push(std::mem::take(&mut doc));
            sentence_open = false;
            continue;
        }
        if sentence_open {
            doc.push(' ');
        }
        doc.push_str(word);
        sentence_open = true;
    }
    docs.push(doc);
    docs.retain(|d| !d.trim().is_empty());
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_words_become_one_text_per_document() {
        let conll = "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n\n-DOCSTART- -X- O O\n\nRome NNP B-NP B-LOC\n";
        assert_eq!(
            conll_sentences_by_document(conll),
            ["EU rejects\n\nPeter\n\n", "Rome"]
        );
    }

    #[test]
    fn csv_columns_by_header_name() {
        let dir = std::env::temp_dir().join(format!("claimlens-unlabelled-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.csv");
        std::fs::write(&path, "id,text,label\n1,\"Hello, world\",0\n2,Second,1\n").unwrap();
        assert_eq!(
            csv_fields(&path, &["text"]).unwrap(),
            ["Hello, world", "Second"]
        );
        assert!(csv_fields(&path, &["missing"]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
