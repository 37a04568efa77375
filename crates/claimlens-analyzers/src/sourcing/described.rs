//! Definite descriptions of organisations and polls resolved by their head word: "the fund"
//! after "the International Monetary Fund", "the poll" after "a new Bloomberg poll".
//!
//! A description of a person ("the senator") can only be matched to people by kind and
//! gender; one of an institution carries its name's own last word. So before falling back
//! to the latest speaker of the right kind, a description such as "the fund" looks for the
//! latest name in the text before it that ends with the word, capitalised ("… Monetary
//! Fund") or as a lower-case head after a capitalised run ("Bloomberg poll"): institutions
//! and polls are often described after being named without having spoken yet. (Matching the
//! head against earlier speakers' names instead found headline fragments such as "New Poll"
//! on PolNeAR dev.)

use claimlens_core::{Doc, Span};

use super::at_sentence_start;
use super::name_words::is_organisation_head;
use super::speakers::capitalised;

/// Head words of things that speak in news and are named by their maker ("the Quinnipiac
/// poll found …"), besides the organisation heads of [`is_organisation_head`].
fn is_speaking_work(head: &str) -> bool {
    matches!(head, "poll" | "survey" | "fund" | "bank")
}

/// The head word of a short definite description ("the fund", "this poll", "the appeals
/// court"), lower-case, when it is one this module resolves: the mention opens with "the",
/// "this" or "that", has at most four words, all lower-case after the determiner, and ends
/// with an organisation's or a speaking work's head word.
pub(super) fn head_of(mention: &str) -> Option<String> {
    let ws: Vec<&str> = mention.split_whitespace().collect();
    let (first, rest) = ws.split_first()?;
    if !matches!(first.to_lowercase().as_str(), "the" | "this" | "that")
        || rest.is_empty()
        || rest.len() > 3
        || rest.iter().any(|w| capitalised(w))
    {
        return None;
    }
    let head = rest.last()?.to_lowercase();
    (is_organisation_head(&head) || is_speaking_work(&head)).then_some(head)
}

/// How many tokens before a description its name is looked for (a long article's worth).
const LOOKBACK: usize = 4096;

/// A name [`name_in_text`] found: the whole name, and for a lower-case head the capitalised
/// run before it ("NATO" of "NATO alliance"), which may be a speaker's name by itself.
pub(super) struct Found {
    pub name: String,
    pub run: Option<String>,
}

/// The latest name before `mention` in the text that ends with `head`: a capitalised run
/// whose last word is the head ("International Monetary Fund"), or a capitalised run
/// followed by the head in lower case ("Bloomberg poll"). A run that only opens a sentence
/// ("The fund") names nothing.
pub(super) fn name_in_text(doc: &Doc, mention: Span, head: &str) -> Option<Found> {
    let tokens = &doc.tokens;
    let end = tokens.partition_point(|t| t.span.end <= mention.start);
    let text = doc.text();
    // Whether token `k` follows token `k - 1` after exactly one space (one name's words).
    let spaced = |k: usize| {
        k > 0
            && k < tokens.len()
            && &text[tokens[k - 1].span.end as usize..tokens[k].span.start as usize] == " "
    };
    let word = |k: usize| doc.slice(tokens[k].span);
    // Bounded, so a document of thousands of descriptions stays linear in its length.
    for i in (end.saturating_sub(LOOKBACK).max(1)..end).rev() {
        let w = word(i);
        if !w.eq_ignore_ascii_case(head) {
            continue;
        }
        // The capitalised words right before the head.
        let mut start = i;
        while spaced(start) && capitalised(word(start - 1)) {
            start -= 1;
        }
        let words_before = i - start;
        // A capitalised determiner opens the sentence and is no part of the name; alone
        // ("The Fund") it names nothing.
        let determiner = matches!(
            word(start).to_lowercase().as_str(),
            "the" | "this" | "that" | "a" | "an"
        );
        // One capitalised word opening a sentence or a headline is capitalised for that
        // ("After campaign officials …", "New Poll Shows …"), not as a name.
        let sentence_capital = at_sentence_start(doc, tokens[start].span);
        if words_before == 0 || (words_before == 1 && (determiner || sentence_capital)) {
            continue;
        }
        let first = start + usize::from(determiner);
        let at = |a: usize, b: usize| {
            text[tokens[a].span.start as usize..tokens[b].span.end as usize].to_owned()
        };
        // "Court of Appeals for the Sixth Circuit": a capitalised head goes on through "of",
        // "for" or "on" and the capitalised words after them.
        let mut last = i;
        if capitalised(w) {
            let next = |k: usize| spaced(k).then(|| word(k));
            while let Some("of" | "for" | "on") = next(last + 1) {
                let mut k = last + 2;
                if next(k) == Some("the") {
                    k += 1;
                }
                if !next(k).is_some_and(capitalised) {
                    break;
                }
                while next(k + 1).is_some_and(capitalised) {
                    k += 1;
                }
                last = k;
            }
        }
        return Some(Found {
            name: at(first, last),
            run: (!capitalised(w)).then(|| at(first, i - 1)),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;
    use claimlens_core::Stage;

    fn doc(text: &str) -> Doc {
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        doc
    }

    fn span_of(doc: &Doc, needle: &str) -> Span {
        let start = doc.text().rfind(needle).unwrap();
        Span::new(start, start + needle.len())
    }

    #[test]
    fn heads_of_short_definite_descriptions() {
        assert_eq!(head_of("the fund").as_deref(), Some("fund"));
        assert_eq!(head_of("this poll").as_deref(), Some("poll"));
        assert_eq!(head_of("The appeals court").as_deref(), Some("court"));
        assert_eq!(head_of("the senator"), None);
        assert_eq!(head_of("the Trump campaign"), None);
        assert_eq!(head_of("a fund"), None);
    }

    #[test]
    fn finds_the_latest_name_ending_with_the_head() {
        let d = doc("The International Monetary Fund cut its forecast. Officials at the fund said growth would slow.");
        let m = span_of(&d, "the fund");
        let found = name_in_text(&d, m, "fund").unwrap();
        assert_eq!(found.name, "International Monetary Fund");
        assert_eq!(found.run, None);
        let d = doc(
            "The U.S. Court of Appeals for the Sixth Circuit ruled. The appeals court said no.",
        );
        let m = span_of(&d, "The appeals court");
        let found = name_in_text(&d, m, "court").unwrap();
        assert_eq!(found.name, "U.S. Court of Appeals for the Sixth Circuit");
        let d = doc("A new Bloomberg poll shows a tie. The poll found voters split.");
        let m = span_of(&d, "The poll");
        let found = name_in_text(&d, m, "poll").unwrap();
        assert_eq!(found.name, "Bloomberg poll");
        assert_eq!(found.run.as_deref(), Some("Bloomberg"));
        let d = doc("The poll was small. New Poll Shows a Tie. Then the poll closed.");
        let m = span_of(&d, "the poll");
        assert!(name_in_text(&d, m, "poll").is_none());
    }
}
