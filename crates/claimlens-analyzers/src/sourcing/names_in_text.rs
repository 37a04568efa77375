//! Names read from the text around a source rather than from the source itself: the full
//! name the text gives a one-word speaker name (and each half of a group's), and the name a
//! relative pronoun follows.

use claimlens_core::{Doc, Span};

use super::{at_sentence_start, speakers};

/// The one full name the text gives a one-word speaker name anywhere, as a capitalised run of
/// up to three words ending with it that does not open a sentence ("… nominee Donald Trump
/// said" makes the "Trump" of a headline "Donald Trump"; a sentence-initial "Yesterday Trump"
/// is no name). Titles drop as in a source ("President Donald Trump" → "Donald Trump"). Two
/// different full names ("Bill Clinton", "Hillary Clinton") leave the name as it is.
pub(super) fn full_name_in_text(doc: &Doc, name: &str) -> Option<String> {
    if name.contains(' ') || name.chars().count() < 2 {
        return None;
    }
    let text = doc.text();
    let tokens = &doc.tokens;
    let mut found: Option<String> = None;
    for (i, t) in tokens.iter().enumerate() {
        if doc.slice(t.span) != name {
            continue;
        }
        let (mut j, mut words) = (i, 0);
        while j > 0 && words < 3 {
            let p = &tokens[j - 1];
            let w = doc.slice(p.span);
            let gap = &text[p.span.end as usize..tokens[j].span.start as usize];
            if !gap.chars().all(|c| c == ' ') {
                break;
            }
            // The period of an initial ("Loretta E. Lynch") belongs to the run.
            let initial_period = w == "."
                && j >= 2
                && doc.slice(tokens[j - 2].span).chars().count() == 1
                && doc
                    .slice(tokens[j - 2].span)
                    .chars()
                    .all(char::is_uppercase);
            if initial_period {
                j -= 1;
                continue;
            }
            let wordlike = w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'));
            if !(wordlike && speakers::capitalised(w)) {
                break;
            }
            j -= 1;
            words += 1;
        }
        if words == 0 || at_sentence_start(doc, tokens[j].span) {
            continue;
        }
        let run_text = &text[tokens[j].span.start as usize..t.span.end as usize];
        let run: Vec<&str> = run_text
            .split_whitespace()
            .map(speakers::name_word)
            .collect();
        let full = speakers::clean_name(&run);
        if !full.contains(' ') {
            continue;
        }
        match &found {
            Some(f) if *f != full => return None,
            _ => found = Some(full),
        }
    }
    found
}

/// [`full_name_in_text`] once per distinct name, for at most [`TextNames::MAX`] names: each
/// lookup reads the whole text, and a document may hold thousands of one-word sources.
#[derive(Default)]
pub(super) struct TextNames(std::collections::HashMap<String, Option<String>>);

impl TextNames {
    const MAX: usize = 64;

    pub(super) fn full_name(&mut self, doc: &Doc, name: &str) -> Option<String> {
        if let Some(found) = self.0.get(name) {
            return found.clone();
        }
        if self.0.len() >= Self::MAX {
            return None;
        }
        let found = full_name_in_text(doc, name);
        self.0.insert(name.to_owned(), found.clone());
        found
    }
}

/// The capitalised run just before a relative pronoun: "Donald Trump, who said" → "Donald
/// Trump". Looks back at most a few words within the sentence.
pub(super) fn preceding_name(doc: &Doc, span: Span) -> Option<String> {
    let start = span.start as usize;
    let mut from = start.saturating_sub(120);
    while !doc.text().is_char_boundary(from) {
        from += 1;
    }
    let before = &doc.text()[from..start];
    let trimmed = before.trim_end().trim_end_matches(',').trim_end();
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let mut run = Vec::new();
    for (i, raw) in words.iter().rev().enumerate() {
        let w = speakers::name_word(raw);
        // The run's last word loses its possessive ("Trump's aide, who"); one further left
        // keeps it, so the name can start after it ("NBC's Dante Chinni, who").
        let w = match i {
            0 => w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w),
            _ => w,
        };
        if w.chars().next().is_some_and(char::is_uppercase) && run.len() < 4 {
            run.push(w);
        } else {
            break;
        }
    }
    run.reverse();
    (!run.is_empty()).then(|| speakers::clean_name(&run))
}

/// Where a document's quotations are open, from one scan of its text: a position is inside a
/// quotation when its paragraph holds more opening than closing curly quotation marks before
/// it, or an odd number of straight double quotes. Built once per document (on first need),
/// so asking for every source costs a binary search, not a rescan of its paragraph.
pub(super) struct Quotations {
    /// (byte position, inside from there on), positions ascending; a later entry at the same
    /// position wins.
    changes: Vec<(u32, bool)>,
}

impl Quotations {
    pub(super) fn new(doc: &Doc) -> Quotations {
        let text = doc.text();
        // Quotation state starts afresh at each paragraph (and at the text's start).
        let mut starts: Vec<usize> = std::iter::once(0)
            .chain(doc.paragraphs.iter().map(|p| p.span.start as usize))
            .collect();
        starts.dedup();
        let mut changes = Vec::new();
        for (k, &from) in starts.iter().enumerate() {
            let to = starts.get(k + 1).copied().unwrap_or(text.len()).max(from);
            changes.push((from as u32, false));
            let (mut open, mut straight, mut inside) = (0i32, 0u32, false);
            for (i, c) in text[from..to].char_indices() {
                match c {
                    '“' => open += 1,
                    '”' => open -= 1,
                    '"' => straight += 1,
                    _ => continue,
                }
                let now = open > 0 || straight % 2 == 1;
                if now != inside {
                    inside = now;
                    changes.push(((from + i + c.len_utf8()) as u32, now));
                }
            }
        }
        Quotations { changes }
    }

    /// Whether `span` starts inside a quotation.
    pub(super) fn inside(&self, span: Span) -> bool {
        let k = self.changes.partition_point(|&(at, _)| at <= span.start);
        k > 0 && self.changes[k - 1].1
    }
}

/// "Grassley and Leahy": a group of two names, each given in full as a one-name speaker
/// would be (`full_of`: the earlier, later or in-text full name), when at least one half has
/// one ("Charles E. Grassley and Patrick J. Leahy"). Only two capitalised names; "Washington
/// and its allies" stays as written.
pub(super) fn full_group_name(
    name: &str,
    mut full_of: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    let (a, b) = name.split_once(" and ")?;
    let is_name = |h: &str| {
        !h.is_empty()
            && h.split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    if !is_name(a) || !is_name(b) || b.contains(" and ") {
        return None;
    }
    let (fa, fb) = (full_of(a), full_of(b));
    if fa.is_none() && fb.is_none() {
        return None;
    }
    Some(format!(
        "{} and {}",
        fa.as_deref().unwrap_or(a),
        fb.as_deref().unwrap_or(b)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::Stage;

    #[test]
    fn a_group_of_two_names_gives_each_half_in_full() {
        let full = |half: &str| match half {
            "Grassley" => Some("Charles E. Grassley".to_owned()),
            "Leahy" => Some("Patrick J. Leahy".to_owned()),
            _ => None,
        };
        assert_eq!(
            full_group_name("Grassley and Leahy", full).as_deref(),
            Some("Charles E. Grassley and Patrick J. Leahy")
        );
        assert_eq!(
            full_group_name("Obama and Leahy", full).as_deref(),
            Some("Obama and Patrick J. Leahy")
        );
        assert_eq!(full_group_name("Obama and Biden", full), None);
        assert_eq!(full_group_name("Washington and its allies", full), None);
        assert_eq!(full_group_name("Leahy", full), None);
    }

    #[test]
    fn quotations_are_told_from_the_writers_voice() {
        let text =
            "I think it is wrong. “I never said that,” she said.\n\nThen \"I left\", he said.";
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let at = |n: usize| {
            let s = text.match_indices('I').nth(n).unwrap().0;
            Span::new(s, s + 1)
        };
        let quotations = Quotations::new(&doc);
        assert!(!quotations.inside(at(0)));
        assert!(quotations.inside(at(1)));
        assert!(quotations.inside(at(2)));
        // A quotation left open does not run on into the next paragraph.
        let text = "“It never ends, I said.\n\nI disagree.";
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let quotations = Quotations::new(&doc);
        let last_i = text.rfind('I').unwrap();
        assert!(quotations.inside(Span::new(
            text.find('I').unwrap(),
            text.find('I').unwrap() + 1
        )));
        assert!(!quotations.inside(Span::new(last_i, last_i + 1)));
    }

    #[test]
    fn a_one_word_name_takes_the_one_full_name_the_text_gives() {
        let full = |text: &str, name: &str| {
            let mut doc = Doc::new("t", text);
            Segmenter.run(&mut doc);
            full_name_in_text(&doc, name)
        };
        let text = "Trump said he would win. The Republican nominee Donald J. Trump spoke later.";
        assert_eq!(full(text, "Trump").as_deref(), Some("Donald J. Trump"));
        let text = "Trump spoke. Aides to President Donald Trump agreed.";
        assert_eq!(full(text, "Trump").as_deref(), Some("Donald Trump"));
        // A capitalised word opening a sentence is no first name.
        assert_eq!(full("Trump spoke. Yesterday Trump left.", "Trump"), None);
        // Two people of that name: no guess.
        let text = "Clinton spoke. Voters cheered Bill Clinton and Hillary Clinton.";
        assert_eq!(full(text, "Clinton"), None);
        assert_eq!(
            full(
                "Clinton spoke. A rally for the Clinton campaign.",
                "Clinton"
            ),
            None
        );
    }
}
