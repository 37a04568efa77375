//! The SemEval-2023 Task 3 folder layout: article files `article<ID>.txt`, paragraph labels
//! (`ID<TAB>line<TAB>tech,tech`, line = 1-based line of the article file) and span label
//! files (`ID<TAB>technique<TAB>start<TAB>end`, code-point offsets), read into articles
//! with byte spans. Read by the techniques evaluation and by `claimlens train techniques`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use claimlens_analyzers::techniques::catalogue;
use claimlens_core::Span;

use crate::EvalError;

/// One article with its labels.
#[derive(Debug, Clone)]
pub struct Article {
    /// The `ID` of `article<ID>.txt`.
    pub id: String,
    /// The file's text.
    pub text: String,
    /// Gold spans: (technique index, byte span), from the span files.
    pub spans: Vec<(u8, Span)>,
    /// Gold paragraph labels: 1-based line → technique indices (every labelled line, even
    /// with no technique).
    pub lines: BTreeMap<u32, BTreeSet<u8>>,
}

/// A labelled folder.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Articles in id order.
    pub articles: Vec<Article>,
    /// Labels naming no technique of the catalogue (skipped), e.g. a misspelt name.
    pub unknown_labels: usize,
}

fn format_error(path: &Path, line: usize, message: String) -> EvalError {
    EvalError::Format {
        path: path.to_owned(),
        line: line as u64,
        message,
    }
}

fn read_text(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))
}

/// Labels the training files misspell, with the technique each means (the data's README
/// says how to read them).
const MISSPELLINGS: &[(&str, &str)] = &[("Appeal_to_Fear-Prejudi-čce", "Appeal_to_Fear-Prejudice")];

/// The technique a label of the data names: its catalogue index, reading a known
/// misspelling as the technique it means.
fn technique_index(label: &str) -> Option<usize> {
    let name = MISSPELLINGS
        .iter()
        .find(|(wrong, _)| *wrong == label)
        .map_or(label, |(_, right)| right);
    catalogue::index_of(name)
}

/// Reads the articles of `articles`, the paragraph labels `labels` and, if given, the span
/// label files in `spans`. Articles without paragraph labels are left out.
pub fn read(articles: &Path, labels: &Path, spans: Option<&Path>) -> Result<Data, EvalError> {
    if !articles.is_dir() {
        return Err(EvalError::MissingData(articles.to_owned()));
    }
    let mut lines: BTreeMap<String, BTreeMap<u32, BTreeSet<u8>>> = BTreeMap::new();
    let mut unknown = 0;
    for (i, row) in read_text(labels)?.lines().enumerate() {
        if row.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 2 || f.len() > 3 {
            return Err(format_error(
                labels,
                i + 1,
                "expected ID<TAB>line<TAB>techniques".into(),
            ));
        }
        let line: u32 = f[1]
            .trim()
            .parse()
            .map_err(|_| format_error(labels, i + 1, format!("line `{}` is not a number", f[1])))?;
        let set = lines
            .entry(f[0].trim().to_owned())
            .or_default()
            .entry(line)
            .or_default();
        for name in f
            .get(2)
            .copied()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match technique_index(name) {
                Some(t) => {
                    set.insert(t as u8);
                }
                None => unknown += 1,
            }
        }
    }
    let mut out = Data::default();
    for (id, lines) in lines {
        let path = articles.join(format!("article{id}.txt"));
        let text = read_text(&path)?;
        let mut gold = Vec::new();
        if let Some(dir) = spans {
            let path = dir.join(format!("article{id}-labels-subtask-3.txt"));
            let bytes = byte_offsets(&text);
            let table = read_text(&path)?;
            for (i, row) in table
                .lines()
                .enumerate()
                .filter(|(_, r)| !r.trim().is_empty())
            {
                let f: Vec<&str> = row.split('\t').map(str::trim).collect();
                let bad = |m: &str| format_error(&path, i + 1, m.to_owned());
                if f.len() != 4 {
                    return Err(bad("expected ID<TAB>technique<TAB>start<TAB>end"));
                }
                let (Ok(a), Ok(b)) = (f[2].parse::<usize>(), f[3].parse::<usize>()) else {
                    return Err(bad("start or end is not a number"));
                };
                if a > b || b >= bytes.len() {
                    return Err(bad("span outside the article"));
                }
                match technique_index(f[1]) {
                    Some(t) => gold.push((t as u8, Span::new(bytes[a], bytes[b]))),
                    None => unknown += 1,
                }
            }
        }
        out.articles.push(Article {
            id,
            text,
            spans: gold,
            lines,
        });
    }
    out.unknown_labels = unknown;
    Ok(out)
}

/// Byte offset of every code point, and of the end.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect()
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, byte: u32) -> u32 {
    text.as_bytes()[..byte as usize]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_converts_code_points_and_rejects_bad_rows() {
        let dir = std::env::temp_dir().join(format!("claimlens-tech-{}", std::process::id()));
        let (arts, spans) = (dir.join("a"), dir.join("s"));
        std::fs::create_dir_all(&arts).unwrap();
        std::fs::create_dir_all(&spans).unwrap();
        std::fs::write(
            arts.join("article7.txt"),
            "Café news\n\nThe vile traitors lied.\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("p.txt"),
            "7\t1\t\n7\t3\tLoaded_Language,Bogus_Name,Appeal_to_Fear-Prejudi-čce\n",
        )
        .unwrap();
        std::fs::write(
            spans.join("article7-labels-subtask-3.txt"),
            "7\tLoaded_Language\t15\t19\n",
        )
        .unwrap();
        let data = read(&arts, &dir.join("p.txt"), Some(&spans)).unwrap();
        let a = &data.articles[0];
        assert_eq!(data.unknown_labels, 1);
        assert_eq!(a.lines.len(), 2);
        let fear = catalogue::index_of("Appeal_to_Fear-Prejudice").unwrap() as u8;
        assert!(a.lines[&3].contains(&fear), "the misspelt label is read");
        assert_eq!(&a.text[a.spans[0].1.range()], "vile");
        assert_eq!(line_of(&a.text, a.spans[0].1.start), 3);
        std::fs::write(dir.join("bad.txt"), "7\tthree\tDoubt\n").unwrap();
        assert!(matches!(
            read(&arts, &dir.join("bad.txt"), None),
            Err(EvalError::Format { .. })
        ));
        std::fs::write(
            spans.join("article7-labels-subtask-3.txt"),
            "7\tDoubt\t15\t999\n",
        )
        .unwrap();
        assert!(read(&arts, &dir.join("p.txt"), Some(&spans)).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
