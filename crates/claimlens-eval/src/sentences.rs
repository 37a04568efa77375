//! Sentence-boundary evaluation on CoNLL-U treebanks (UD English EWT).
//!
//! Each `# newdoc` is rebuilt as one text: its sentences' `# text` lines joined by one space,
//! or by a newline where `# newpar` starts a paragraph. Gold boundaries are the code-point
//! offsets where sentences end, the document end excluded; predicted boundaries are the ends
//! of the segmenter's sentences (trimmed of white space), the document end excluded. Both are
//! sets per document; counts are summed over documents (micro average).

use std::path::Path;
use std::time::Instant;

use claimlens_analyzers::Segmenter;
use claimlens_core::{CharIndex, Doc, Stage};
use serde::Serialize;

use crate::{Counts, EvalError};

/// A document rebuilt from a treebank.
#[derive(Debug, Default, Clone)]
pub struct GoldDoc {
    /// `# newdoc id`.
    pub id: String,
    /// The rebuilt text.
    pub text: String,
    /// Sentence end offsets in code points, document end excluded, sorted.
    pub boundaries: Vec<u32>,
}

/// Reads a CoNLL-U file into rebuilt documents.
pub fn read_conllu(path: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let content = crate::error::read_text(path)?;
    parse_conllu(&content, path)
}

/// Parses CoNLL-U text (see the module docs for how documents are rebuilt).
pub fn parse_conllu(content: &str, path: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut newpar = false;
    let mut ends: Vec<u32> = Vec::new(); // per doc, including the final end
    let mut char_len: u32 = 0;
    let finish = |docs: &mut Vec<GoldDoc>, ends: &mut Vec<u32>| {
        if let Some(doc) = docs.last_mut() {
            ends.pop(); // the document end is not a boundary
            doc.boundaries = std::mem::take(ends);
        }
    };
    for (line_no, line) in content.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# newdoc") {
            finish(&mut docs, &mut ends);
            let id = rest.trim_start().strip_prefix("id =").unwrap_or("").trim();
            docs.push(GoldDoc {
                id: id.to_owned(),
                ..GoldDoc::default()
            });
            char_len = 0;
        } else if line.starts_with("# newpar") {
            newpar = true;
        } else if let Some(text) = line.strip_prefix("# text = ") {
            if docs.is_empty() {
                return Err(EvalError::Format {
                    path: path.to_owned(),
                    line: line_no as u64 + 1,
                    message: "sentence before any `# newdoc`".to_owned(),
                });
            }
            let doc = docs.last_mut().expect("checked above");
            if !doc.text.is_empty() {
                doc.text.push(if newpar { '\n' } else { ' ' });
                char_len += 1;
            }
            doc.text.push_str(text);
            char_len += text.chars().count() as u32;
            ends.push(char_len);
            newpar = false;
        }
    }
    finish(&mut docs, &mut ends);
    Ok(docs)
}

/// The scores of a sentence-boundary evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceReport {
    /// Documents evaluated.
    pub docs: usize,
    /// Gold boundaries.
    pub gold_boundaries: u64,
    /// Boundary counts.
    pub counts: Counts,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Seconds spent segmenting.
    pub seconds: f64,
}

/// Segments each gold document and scores the boundaries.
pub fn evaluate_sentences(docs: &[GoldDoc]) -> SentenceReport {
    let mut counts = Counts::default();
    let mut seconds = 0.0;
    for gold in docs {
        let mut doc = Doc::new(gold.id.clone(), gold.text.clone());
        let t = Instant::now();
        Segmenter.run(&mut doc);
        seconds += t.elapsed().as_secs_f64();
        counts.add(Counts::from_sorted_sets(
            &predicted_boundaries(&doc),
            &gold.boundaries,
        ));
    }
    SentenceReport {
        docs: docs.len(),
        gold_boundaries: counts.tp + counts.fn_,
        precision: counts.precision(),
        recall: counts.recall(),
        f1: counts.f1(),
        counts,
        seconds,
    }
}

/// Sentence end offsets in code points, document end excluded, sorted and de-duplicated.
pub fn predicted_boundaries(doc: &Doc) -> Vec<u32> {
    let idx = CharIndex::new(doc.text());
    let doc_end = doc.text().trim_end().len() as u32;
    let mut ends: Vec<u32> = doc
        .sentences
        .iter()
        .filter(|s| s.span.end < doc_end)
        .map(|s| idx.char_offset(s.span.end))
        .collect();
    ends.dedup();
    ends
}

impl std::fmt::Display for SentenceReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "sentence boundaries ({} documents, {} gold boundaries)",
            self.docs, self.gold_boundaries
        )?;
        write!(f, "  claimlens  {}", self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar id = p1\n# text = Hello there.\n1\tHello\n\n# text = It’s me.\n1\tIt\n\n# newpar id = p2\n# text = New para\n1\tNew\n\n# newdoc id = d2\n# text = Only one.\n1\tOnly\n";

    #[test]
    fn rebuilds_documents() {
        let docs = parse_conllu(SAMPLE, Path::new("x")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "Hello there. It’s me.\nNew para");
        assert_eq!(docs[0].boundaries, vec![12, 21]);
        assert!(docs[1].boundaries.is_empty());
    }

    #[test]
    fn scores_the_segmenter() {
        let docs = parse_conllu(SAMPLE, Path::new("x")).unwrap();
        let r = evaluate_sentences(&docs);
        assert_eq!(r.counts.tp, 2);
        assert_eq!(r.counts.fp, 0);
    }
}
