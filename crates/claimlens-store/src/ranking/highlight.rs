//! The matched words of a document's text, found by the ranking index's own analyzer: what
//! FTS5's `highlight()` marks, without asking FTS5 (which expands a prefix it has no prefix
//! index for again for every row: 70 ms for a page of `immigra*` on 100,000 articles).

use tantivy::tokenizer::TextAnalyzer;

use crate::query::{Column, Node};
use crate::search::CharRange;

/// The words or phrases a match shows: every `Words` of the search that may lie in the text
/// (not a title-only one, not one the search excludes), as index tokens.
pub(super) fn sought(node: &Node, words: &mut TextAnalyzer) -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    collect(node, words, &mut out);
    out
}

fn collect(node: &Node, analyzer: &mut TextAnalyzer, out: &mut Vec<(Vec<String>, bool)>) {
    match node {
        Node::Words {
            words,
            prefix,
            column,
        } => {
            if *column == Some(Column::Title) {
                return;
            }
            let tokens = super::tokens(analyzer, words);
            if !tokens.is_empty() {
                out.push((tokens, *prefix));
            }
        }
        Node::And(a, b) | Node::Or(a, b) => {
            collect(a, analyzer, out);
            collect(b, analyzer, out);
        }
        // What a search excludes is not what it found.
        Node::Not(a, _) => collect(a, analyzer, out),
    }
}

/// Code-point ranges of the occurrences in `text` of the sought words and phrases (a
/// phrase's tokens consecutive, its last one a prefix when marked so): one range per
/// phrase occurrence, overlapping ones joined.
pub(super) fn matches(
    text: &str,
    sought: &[(Vec<String>, bool)],
    analyzer: &mut TextAnalyzer,
) -> Vec<CharRange> {
    // (normalised token, byte start, byte end)
    let mut tokens: Vec<(String, usize, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        tokens.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    // Each occurrence as (first token, last token); one range for a whole phrase, and
    // overlapping occurrences joined, as FTS5's highlight() marks them.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (phrase, prefix) in sought {
        let n = phrase.len();
        if n > tokens.len() {
            continue;
        }
        for start in 0..=tokens.len() - n {
            let fits = phrase.iter().enumerate().all(|(i, want)| {
                let have = &tokens[start + i].0;
                if *prefix && i + 1 == n {
                    have.starts_with(want.as_str())
                } else {
                    have == want
                }
            });
            if fits {
                found.push((start, start + n - 1));
            }
        }
    }
    found.sort_unstable();
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    for (first, last) in found {
        match joined.last_mut() {
            Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
            _ => joined.push((first, last)),
        }
    }
    // Byte offsets to code points, in one pass over the text.
    let mut ranges = Vec::new();
    let mut chars = text.char_indices().enumerate().peekable();
    let mut point_at = |byte: usize| -> u32 {
        let mut point = 0;
        while let Some(&(p, (b, _))) = chars.peek() {
            if b >= byte {
                return p as u32;
            }
            point = p + 1;
            chars.next();
        }
        point as u32
    };
    for (first, last) in joined {
        let start = point_at(tokens[first].1);
        let end = point_at(tokens[last].2);
        ranges.push(CharRange { start, end });
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn marked(query: &str, text: &str) -> Vec<String> {
        let mut analyzer = super::super::words_analyzer();
        let sought = sought(&parse(query).unwrap(), &mut analyzer);
        let chars: Vec<char> = text.chars().collect();
        matches(text, &sought, &mut analyzer)
            .iter()
            .map(|r| chars[r.start as usize..r.end as usize].iter().collect())
            .collect()
    }

    #[test]
    fn words_phrases_and_prefixes_are_marked_in_code_points() {
        let text = "Élodie said the harbour reopens; « harbour cranes » and Harbourside.";
        assert_eq!(marked("elodie", text), ["Élodie"]);
        assert_eq!(marked("harbour", text), ["harbour", "harbour"]);
        assert_eq!(marked("\"harbour cranes\"", text), ["harbour cranes"]);
        assert_eq!(
            marked("harbour cranes", text),
            ["harbour", "harbour", "cranes"]
        );
        assert_eq!(
            marked("harbour*", text),
            ["harbour", "harbour", "Harbourside"]
        );
        assert_eq!(marked("reop* OR cranes", text), ["reopens", "cranes"]);
        assert_eq!(marked("said NOT cranes", text), ["said"]);
        assert!(marked("title:harbour", text).is_empty());
        assert_eq!(marked("text:cranes", text), ["cranes"]);
    }
}
