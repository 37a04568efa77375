//! Who "I" is outside any quotation: the writer, named where the text or its metadata says.
//!
//! A letters page signs each letter on a line of its own after it ("I cannot fathom how …" /
//! "Toni LeAnn Williams."); an opinion piece ends with a line about its author ("Charlotte
//! Meehan is playwright-in-residence at …"); a page's byline is in the metadata. Without
//! any of these the writer stays unnamed.

use claimlens_core::{Doc, Span};

/// Paragraphs after the pronoun's own that a letter's signature may come (a letter of a few
/// paragraphs).
const MAX_LETTER_PARAGRAPHS: usize = 4;

/// Words a signature or author name may have.
const MAX_NAME_WORDS: usize = 4;

/// Whether `text` is a person's name and nothing else: two to four capitalised words
/// (initials allowed) or a social-media handle, an optional final period.
fn is_signature(text: &str) -> bool {
    let text = text.trim().trim_end_matches('.');
    if let Some(handle) = text.strip_prefix('@') {
        return !handle.is_empty() && handle.chars().all(|c| c.is_alphanumeric() || c == '_');
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=MAX_NAME_WORDS).contains(&words.len()) && words.iter().all(|w| is_name_word(w))
}

/// "Toni", "LeAnn", "O'Malley", "Fraga-Rosenfeld", "J.", "Jr".
fn is_name_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
}

/// The signature that closes the letter holding `span`: the first paragraph from the
/// pronoun's own on that is a name alone, within a few paragraphs.
fn letter_signature(doc: &Doc, span: Span) -> Option<String> {
    let k = doc.paragraphs.partition_point(|p| p.span.end <= span.start);
    doc.paragraphs
        .iter()
        .skip(k + 1)
        .take(MAX_LETTER_PARAGRAPHS)
        .map(|p| doc.slice(p.span))
        .find(|t| is_signature(t))
        .map(|t| t.trim().trim_end_matches('.').to_owned())
}

/// The author an opinion piece names in its last paragraph: "Name is …" or "Name, …, is …".
fn closing_author(doc: &Doc) -> Option<String> {
    let last = doc.slice(doc.paragraphs.last()?.span).trim();
    let words: Vec<&str> = last.split_whitespace().take(MAX_NAME_WORDS + 1).collect();
    let is_at = words.iter().position(|w| *w == "is" || *w == "was")?;
    let name = &words[..is_at];
    let article = matches!(name.first(), Some(&("The" | "A" | "An" | "This" | "That")));
    ((2..=MAX_NAME_WORDS).contains(&name.len()) && !article && name.iter().all(|w| is_name_word(w)))
        .then(|| name.join(" "))
}

/// The rules [`writer`] names the writer by: a letter's signature, the byline, an author line.
const RULES: [&str; 3] = [
    "first-person:letter-signature",
    "first-person:byline",
    "first-person:author-line",
];

/// Whether a speakers rule is one of [`writer`]'s.
pub(super) fn is_writer_rule(rule: &str) -> bool {
    RULES.contains(&rule)
}

/// The writer's name for a first-person pronoun at `span` outside quotations, and the rule
/// that found it.
pub(super) fn writer(doc: &Doc, span: Span) -> Option<(String, &'static str)> {
    if let Some(name) = letter_signature(doc, span) {
        return Some((name, RULES[0]));
    }
    if let Some(author) = doc.meta.author.as_ref().filter(|a| !a.trim().is_empty()) {
        return Some((author.trim().to_owned(), RULES[1]));
    }
    closing_author(doc).map(|name| (name, RULES[2]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;
    use claimlens_core::Stage;

    fn writer_of(text: &str, pronoun_at: &str) -> Option<(String, &'static str)> {
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let start = text.find(pronoun_at).unwrap();
        writer(&doc, Span::new(start, start + 1))
    }

    #[test]
    fn a_letter_is_signed_after_it_and_an_opinion_piece_names_its_author_last() {
        let letters = "LETTERS.\n\nI cannot fathom this.\n\nToni LeAnn Williams.\n\n\
                       I am not a fan.\n\nMore of it.\n\n@casa_whitby.\n";
        let got = writer_of(letters, "I cannot");
        assert_eq!(
            got,
            Some((
                "Toni LeAnn Williams".into(),
                "first-person:letter-signature"
            ))
        );
        let got = writer_of(letters, "I am");
        assert_eq!(got.unwrap().0, "@casa_whitby");
        let op_ed = "I grew up there.\n\nIt shaped me.\n\nCharlotte Meehan is a playwright.\n";
        assert_eq!(
            writer_of(op_ed, "I grew"),
            Some(("Charlotte Meehan".into(), "first-person:author-line"))
        );
        // A byline in the metadata comes before a closing author line.
        let mut doc = Doc::new("t", op_ed);
        doc.meta.author = Some("Ann Byline".into());
        Segmenter.run(&mut doc);
        assert_eq!(
            writer(&doc, Span::new(0, 1)),
            Some(("Ann Byline".into(), "first-person:byline"))
        );
        // A closing paragraph that is no author line names no one.
        for news in [
            "I said so.\n\nThe vote is on Tuesday.\n",
            "I said so.\n\nThe White House is silent.\n",
        ] {
            assert_eq!(writer_of(news, "I said"), None, "{news}");
        }
    }
}
