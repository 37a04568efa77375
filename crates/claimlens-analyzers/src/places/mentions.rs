//! Finding place-name mentions: capitalised word sequences looked up in the gazetteer,
//! longest match first, then filtered by rules that tell a place from a person or an
//! organisation name.
//!
//! Words are the document's word tokens cut at hyphens and possessive clitics, so
//! "Damascus-based" yields "Damascus" and "Russia's" yields "Russia". Each start position
//! tries at most [`MAX_NAME_WORDS`] words, so the cost is linear in the text length.

use std::collections::HashSet;

use claimlens_core::{Doc, Span, TokenKind};

use super::words::{
    contains, demonym_country, ADMIN_WORDS, CITY_WORDS, FEATURE_WORDS, NAME_CONNECTORS, NOT_PLACES,
    OFFICE_TITLES, PLACE_MODIFIERS, TITLES, US_STATE_ABBREVIATIONS,
};
use crate::gazetteer::{fold_into, Gazetteer, NameEntry, PlaceKind, MAX_NAME_WORDS};

mod entity_names;

use entity_names::trimmed_the;
pub(super) use entity_names::{entities, Entity};

/// A word of the text. A document has one per word, all alive while places are found, so it
/// is kept small: its folded form is borrowed from the document's [`Vocabulary`] (48 bytes
/// and a heap copy of the form each, before, were nine bytes per byte of text).
#[derive(Debug, Clone)]
pub(super) struct Word<'v> {
    pub span: Span,
    /// Folded form.
    pub key: &'v str,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Joined to the previous word by a hyphen inside one token.
    pub hyphen_before: bool,
    /// Something other than white space (punctuation, a number) separates it from the
    /// previous word.
    pub gap_before: bool,
    /// First word of its sentence.
    pub sentence_start: bool,
    /// Index of its sentence.
    pub sentence: u32,
}

/// The distinct folded forms of a document's words, which its [`Word`]s borrow.
pub(super) type Vocabulary = HashSet<Box<str>>;

/// A cue word next to a mention that says which kind of place is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    /// "Idlib province", "the province of Idlib".
    Admin,
    /// "Aleppo city", "the town of Douma".
    City,
    /// "the capital Damascus", "the capital, Damascus".
    Capital,
}

/// A gazetteer hit that survived the filters.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    /// The name, plus an admin word that follows it ("Idlib province").
    pub span: Span,
    /// Candidate places.
    pub candidates: Vec<NameEntry>,
    /// Kind cue from the neighbouring words.
    pub cue: Option<Cue>,
    /// How it was found: `capitalised-name`, `entity` or `state-abbreviation`.
    pub found_by: &'static str,
    /// Index of the mention that qualifies this one after a comma ("Damascus, Oregon").
    pub qualifier: Option<usize>,
    /// Indices of the mentions next to it in a list ("Georgia and Ukraine").
    pub list_mates: Vec<usize>,
    /// The folded name, which identifies repeated mentions of one name.
    pub key: String,
}

/// Cuts the word tokens into words (see the module docs), calling `emit` with each word's
/// folded form and the word with a placeholder form.
fn cut_words(doc: &Doc, mut emit: impl FnMut(&str, Word<'static>)) {
    let text = doc.text();
    let mut sentence = 0usize;
    let mut gap = true;
    let mut last_sentence_seen = usize::MAX;
    let mut key = String::new();
    for t in &doc.tokens {
        while sentence + 1 < doc.sentences.len() && doc.sentences[sentence].span.end <= t.span.start
        {
            sentence += 1;
        }
        let s = &text[t.span.range()];
        let clitic = s.starts_with(['\'', '’']);
        if t.kind != TokenKind::Word || clitic {
            gap = true;
            continue;
        }
        let mut offset = 0usize;
        for (k, part) in s.split('-').enumerate() {
            let start = t.span.start as usize + offset;
            offset += part.len() + 1;
            // A sentence's final period comes off; an abbreviation's ("U.S.") stays.
            let part = match part.strip_suffix('.') {
                Some(stem) if !stem.contains('.') => stem,
                _ => part,
            };
            if part.is_empty() {
                gap = true;
                continue;
            }
            fold_into(part, &mut key);
            let sentence_start = last_sentence_seen != sentence;
            last_sentence_seen = sentence;
            emit(
                &key,
                Word {
                    span: Span::new(start, start + part.len()),
                    key: "",
                    cap: part.chars().next().is_some_and(char::is_uppercase),
                    hyphen_before: k > 0,
                    gap_before: gap && k == 0,
                    sentence_start,
                    sentence: sentence as u32,
                },
            );
            gap = false;
        }
    }
}

/// The folded forms of a document's words, and how many words there are.
pub(super) fn vocabulary(doc: &Doc) -> (Vocabulary, usize) {
    let mut vocabulary = Vocabulary::new();
    let mut count = 0;
    cut_words(doc, |key, _| {
        count += 1;
        if !vocabulary.contains(key) {
            vocabulary.insert(key.into());
        }
    });
    (vocabulary, count)
}

/// The document's `count` words, their forms borrowed from its `vocabulary`. Sized exactly:
/// grown by doubling, the table of a 32 MB document had its old and new copies alive at once
/// (a quarter of a gigabyte).
pub(super) fn words<'v>(doc: &Doc, vocabulary: &'v Vocabulary, count: usize) -> Vec<Word<'v>> {
    let mut out: Vec<Word<'v>> = Vec::with_capacity(count);
    cut_words(doc, |key, word| {
        let key: &'v str = vocabulary.get(key).map_or("", |k| k);
        out.push(Word { key, ..word });
    });
    out
}

/// Sentences written in title case (headlines), where capitalisation says nothing: at least
/// two words other than the first are capitalised although the document uses them in lower
/// case elsewhere ("Attack", "Kills"), and most longer words are capitalised.
fn title_case_sentences(
    words: &[Word<'_>],
    sentences: usize,
    lowercase: &HashSet<&str>,
) -> Vec<bool> {
    let n = sentences.max(1);
    let (mut long, mut caps, mut common_caps) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
    for w in words {
        let sentence = w.sentence as usize;
        if w.key.len() >= 4 && sentence < n {
            long[sentence] += 1;
            caps[sentence] += u32::from(w.cap);
            common_caps[sentence] +=
                u32::from(w.cap && !w.sentence_start && lowercase.contains(w.key));
        }
    }
    (0..n)
        .map(|s| common_caps[s] >= 2 && caps[s] * 3 >= long[s] * 2)
        .collect()
}

/// Context shared by the filters.
struct Scan<'a> {
    g: &'a Gazetteer,
    words: &'a [Word<'a>],
    title_case: Vec<bool>,
    lowercase: HashSet<&'a str>,
    surnames: HashSet<String>,
    entities: &'a [Entity],
}

/// What [`find`] returns.
pub(super) struct Found {
    /// Place mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Countries that nationality adjectives point to, with the adjective ("syrian").
    pub demonyms: Vec<([u8; 2], String)>,
}

/// Finds the place mentions of a document.
pub(super) fn find(doc: &Doc, g: &Gazetteer, entities: &[Entity]) -> Found {
    let (vocabulary, count) = vocabulary(doc);
    let words = words(doc, &vocabulary, count);
    let demonyms = words
        .iter()
        .filter(|w| w.cap)
        .filter_map(|w| Some((demonym_country(w.key)?, w.key.to_owned())))
        .collect();
    let lowercase: HashSet<&str> = words
        .iter()
        .filter(|w| !w.cap && !w.key.is_empty())
        .map(|w| w.key)
        .collect();
    let title_case = title_case_sentences(&words, doc.sentences.len(), &lowercase);
    let mut scan = Scan {
        g,
        words: &words,
        title_case,
        lowercase,
        surnames: HashSet::new(),
        entities,
    };
    scan.surnames = scan.person_surnames(doc);
    let mut out = Vec::new();
    let mut key = String::new();
    let mut i = 0;
    while i < words.len() {
        let in_place_entity = scan.entity_at(words[i].span, |e| e.place_like).is_some();
        if !words[i].cap && !in_place_entity {
            i += 1;
            continue;
        }
        let Some(end) = scan.longest_match(i, &mut key) else {
            i += 1;
            continue;
        };
        if let Some(m) = scan.accept(doc, i, end, &key) {
            out.push(m);
        }
        i = end + 1;
    }
    scan.add_state_abbreviations(doc, &mut out);
    scan.add_unmatched_entities(doc, &mut out);
    // Longest first at each start; a mention overlapping an earlier one (an entity span
    // that extends a gazetteer match, "the United States" and "United States policy") is
    // dropped, so mentions are disjoint and in text order.
    out.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut last_end = 0;
    out.retain(|m| {
        let keep = m.span.start >= last_end;
        if keep {
            last_end = m.span.end;
        }
        keep
    });
    let gap = |a: &Mention, b: &Mention| {
        doc.text()
            .get(a.span.end as usize..b.span.start as usize)
            .unwrap_or("")
            .trim()
    };
    for k in 1..out.len() {
        let between = gap(&out[k - 1], &out[k]);
        if between == "," {
            out[k - 1].qualifier = Some(k);
        }
        // "the provinces of Aleppo, Idlib and Hama": a kind cue carries along a list.
        let list = matches!(between, "," | "and" | ", and" | "or" | ", or" | "&");
        // A comma alone joins list items only in lists of three or more ("Aleppo, Idlib,
        // Lattakia and Hama"); in "Alexandria, Virginia" the second name qualifies the first.
        let separator = |a: usize, b: usize| {
            matches!(
                gap(&out[a], &out[b]),
                "," | "and" | ", and" | "or" | ", or" | "&"
            )
        };
        let long_list =
            (k >= 2 && separator(k - 2, k - 1)) || (k + 1 < out.len() && separator(k, k + 1));
        let list = list && (between != "," || long_list);
        if list {
            out[k].list_mates.push(k - 1);
            out[k - 1].list_mates.push(k);
        }
        if list && out[k].cue.is_none() && out[k - 1].cue != Some(Cue::Capital) {
            out[k].cue = out[k - 1].cue;
        }
    }
    Found {
        mentions: out,
        demonyms,
    }
}

impl Scan<'_> {
    fn entity_at(&self, span: Span, pred: impl Fn(&Entity) -> bool) -> Option<&Entity> {
        let k = self.entities.partition_point(|e| e.span.end <= span.start);
        self.entities[k..]
            .iter()
            .take_while(|e| e.span.start < span.end)
            .find(|e| pred(e) && e.span.start <= span.start && span.end <= e.span.end)
    }

    /// Index of the last word of the longest gazetteer name starting at word `i`; `key`
    /// holds that name's folded form.
    fn longest_match(&self, i: usize, key: &mut String) -> Option<usize> {
        let words = self.words;
        let mut buf = String::new();
        let mut best = None;
        for j in i..words.len().min(i + MAX_NAME_WORDS) {
            let w = &words[j];
            if j > i {
                if w.gap_before || w.sentence != words[i].sentence {
                    break;
                }
                if !w.cap && !w.hyphen_before && !contains(NAME_CONNECTORS, w.key) {
                    break;
                }
                buf.push(' ');
            }
            buf.push_str(w.key);
            let last_ok = w.cap || w.hyphen_before || j == i;
            if last_ok && self.g.contains_key(&buf) {
                best = Some(j);
                key.clone_from(&buf);
            }
        }
        best
    }

    /// Last words of multi-word capitalised names that are not places ("Barack Obama",
    /// "Elizabeth Warren"), and of `PERSON` entities: standing alone elsewhere, those words
    /// refer to the person.
    fn person_surnames(&self, doc: &Doc) -> HashSet<String> {
        let words = self.words;
        let mut out = HashSet::new();
        let mut i = 0;
        while i < words.len() {
            if !words[i].cap {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < words.len()
                && words[j + 1].cap
                && !words[j + 1].gap_before
                && words[j + 1].sentence == words[i].sentence
            {
                j += 1;
            }
            let mut first = i;
            if words[first].sentence_start
                && (self.lowercase.contains(words[first].key)
                    || contains(NOT_PLACES, words[first].key))
            {
                first += 1;
            }
            // "President Obama", "Mr. Warren": the name after a title is a person's.
            if j > first && contains(TITLES, words[first].key) {
                out.insert(words[j].key.to_owned());
            } else if j > first
                && !self
                    .title_case
                    .get(words[i].sentence as usize)
                    .copied()
                    .unwrap_or(false)
                && !contains(PLACE_MODIFIERS, words[first].key)
            {
                let whole: Vec<&str> = words[first..=j].iter().map(|w| w.key).collect();
                if !self.g.contains_key(&whole.join(" ")) {
                    out.insert(words[j].key.to_owned());
                }
            }
            i = j + 1;
        }
        for e in self.entities.iter().filter(|e| e.person) {
            if let Some(last) = doc.slice(e.span).split_whitespace().last() {
                let last = last
                    .strip_suffix("'s")
                    .or_else(|| last.strip_suffix("’s"))
                    .unwrap_or(last);
                let mut k = String::new();
                fold_into(last, &mut k);
                out.insert(k);
            }
        }
        out
    }

    /// Applies the filters to the match of words `i..=end`; returns the mention if kept.
    fn accept(&self, doc: &Doc, i: usize, end: usize, key: &str) -> Option<Mention> {
        let words = self.words;
        let span = Span::new(words[i].span.start as usize, words[end].span.end as usize);
        let mut candidates = self.g.lookup(key);
        // An acronym ("NATO", "EU", "U.N.") is a place only as a country's short form ("US").
        let letters: Vec<char> = doc
            .slice(span)
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        if letters.len() <= 5 && letters.iter().all(|c| c.is_uppercase()) {
            candidates.retain(|e| self.g.place(e.place).kind == PlaceKind::Country);
            if candidates.is_empty() {
                return None;
            }
        }
        // Countries and continents need no support from the document.
        let is_country = candidates.iter().any(|e| {
            matches!(
                self.g.place(e.place).kind,
                PlaceKind::Country | PlaceKind::Continent
            ) && !e.alternate
        });
        let exact_entity = self
            .entity_at(span, |e| e.place_like)
            .is_some_and(|e| e.span == span || trimmed_the(doc, e.span) == span);
        // A person's name is not a place, unless the gazetteer holds the whole multi-word
        // "person" as one place name ("Khan Shaykhun", which a news tagger reads as a
        // name): a full multi-word match is stronger evidence than the tagger's type.
        // A place before a title of office inside the person's mention ("Kansas Sen. Pat
        // Roberts") still names the place.
        if let Some(person) = self.entity_at(span, |e| e.person) {
            let whole = end > i && (person.span == span || trimmed_the(doc, person.span) == span);
            let title_modifier =
                self.before_office_title(end) && words[end + 1].span.end <= person.span.end;
            if !(whole || title_modifier) || !self.plausible_non_country(i, end, key) {
                return None;
            }
        }
        // "Fishers' Solidarity Group": an organisation named for its members; the plural
        // before the possessive names them, not the town of Fishers.
        let text = doc.text();
        let members = text[span.end as usize..].starts_with(['\'', '’'])
            && text[..span.end as usize].ends_with('s')
            && self
                .entity_at(span, |e| e.organisation)
                .is_some_and(|org| org.span.end as usize > span.end as usize + 1);
        if members {
            return None;
        }
        if !exact_entity {
            if contains(NOT_PLACES, key) {
                return None;
            }
            if !is_country && !self.plausible_non_country(i, end, key) {
                return None;
            }
        }
        let has_division = candidates
            .iter()
            .any(|e| self.g.place(e.place).kind == PlaceKind::Admin1);
        // "Clayton County": a division the gazetteer does not hold (counties, districts).
        let next_admin_word = words
            .get(end + 1)
            .is_some_and(|n| !n.gap_before && n.cap && contains(ADMIN_WORDS, n.key));
        if next_admin_word && !has_division && !is_country {
            return None;
        }
        // "the Congo river", "the Jordan Valley", "the Sea of Japan": a natural feature's
        // name (the gazetteer holds no features; a feature the gazetteer holds whole, such
        // as "Golan Heights", would have matched as the longer name).
        let feature_after = words
            .get(end + 1)
            .is_some_and(|n| !n.gap_before && contains(FEATURE_WORDS, n.key));
        let feature_before = i >= 2
            && !words[i].gap_before
            && !words[i - 1].gap_before
            && words[i - 1].key == "of"
            && words[i - 2].cap
            && contains(FEATURE_WORDS, words[i - 2].key);
        if feature_after || feature_before {
            return None;
        }
        let (span, cue) = self.cue(span, i, end, has_division);
        Some(Mention {
            span,
            candidates,
            cue,
            found_by: if exact_entity {
                "entity"
            } else {
                "capitalised-name"
            },
            qualifier: None,
            list_mates: Vec::new(),
            key: key.to_owned(),
        })
    }

    /// Rules for names that are not country names, which collide far more often with
    /// person and organisation names ("Warren", "Obama", "Damascus University").
    fn plausible_non_country(&self, i: usize, end: usize, key: &str) -> bool {
        let words = self.words;
        let single = i == end;
        if single && self.lowercase.contains(key) {
            return false; // "police" elsewhere: a common word here too
        }
        if single && self.surnames.contains(key) {
            return false;
        }
        if i > 0 && !words[i].gap_before && contains(TITLES, words[i - 1].key) {
            return false;
        }
        if self
            .title_case
            .get(words[i].sentence as usize)
            .copied()
            .unwrap_or(false)
        {
            return true;
        }
        let prev_joins = i > 0
            && !words[i].gap_before
            && !words[i].hyphen_before
            && words[i - 1].cap
            && words[i - 1].sentence == words[i].sentence
            && !contains(PLACE_MODIFIERS, words[i - 1].key)
            && !(words[i - 1].sentence_start && self.lowercase.contains(words[i - 1].key));
        // "Jisr al-Shugur", "Center for Transatlantic Relations": the name goes on past the
        // match.
        let continues = words.get(end + 2).is_some_and(|n2| {
            let n = &words[end + 1];
            !n.gap_before
                && !n.cap
                && n2.cap
                && !n2.gap_before
                && ((contains(NAME_CONNECTORS, n.key) && n2.hyphen_before)
                    || matches!(n.key, "of" | "for"))
        });
        if continues {
            return false;
        }
        let next = words.get(end + 1);
        let next_joins = !self.before_office_title(end)
            && next.is_some_and(|n| {
                n.cap
                    && !n.gap_before
                    && !n.hyphen_before
                    && n.sentence == words[end].sentence
                    && !contains(ADMIN_WORDS, n.key)
                    && !contains(CITY_WORDS, n.key)
            });
        !prev_joins && !next_joins
    }

    /// Whether word `end` is directly followed by a title of office in the same sentence
    /// ("Ohio Gov.", "Minnesota Attorney General"): a place used as a title modifier.
    fn before_office_title(&self, end: usize) -> bool {
        let words = self.words;
        words.get(end + 1).is_some_and(|n| {
            n.cap
                && !n.gap_before
                && !n.hyphen_before
                && n.sentence == words[end].sentence
                && contains(OFFICE_TITLES, n.key)
        })
    }

    /// Kind cues around the mention; an admin word after a division's name joins the span.
    fn cue(&self, span: Span, i: usize, end: usize, has_division: bool) -> (Span, Option<Cue>) {
        let words = self.words;
        let next = words
            .get(end + 1)
            .filter(|n| !n.gap_before && n.sentence == words[end].sentence);
        if let Some(n) = next {
            // Only a name that is a division's takes the admin word: not "U.S. District Court".
            if contains(ADMIN_WORDS, n.key) && has_division {
                return (
                    Span::new(span.start as usize, n.span.end as usize),
                    Some(Cue::Admin),
                );
            }
            if contains(CITY_WORDS, n.key) {
                return (span, Some(Cue::City));
            }
        }
        let before = |k: usize| -> Option<&str> {
            let w = words.get(i.checked_sub(k)?)?;
            (w.sentence == words[i].sentence).then_some(w.key)
        };
        match (before(2), before(1)) {
            (Some(w), Some("of")) if contains(ADMIN_WORDS, w) => (span, Some(Cue::Admin)),
            (Some(w), Some("of")) if contains(CITY_WORDS, w) => (span, Some(Cue::City)),
            (_, Some("capital")) => (span, Some(Cue::Capital)),
            _ => (span, None),
        }
    }

    /// "Norfolk, Va.": an AP state abbreviation right after a place name and a comma.
    fn add_state_abbreviations(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        let mut added = Vec::new();
        let mut k = 0;
        for w in self.words.iter().filter(|w| w.cap && !w.hyphen_before) {
            let Some(&(_, code)) = US_STATE_ABBREVIATIONS.iter().find(|(a, _)| *a == w.key) else {
                continue;
            };
            let end = w.span.end as usize;
            let period = text[..end].ends_with('.') || text[end..].starts_with('.');
            let before = text[..w.span.start as usize].trim_end();
            let Some(before) = before.strip_suffix(',') else {
                continue;
            };
            // The mention ending just before the comma (mentions are in text order).
            while k < out.len() && (out[k].span.end as usize) < before.trim_end().len() {
                k += 1;
            }
            let after_place = out
                .get(k)
                .is_some_and(|m| m.span.end as usize == before.trim_end().len());
            let Some(place) = self.g.admin1_index(*b"US", code) else {
                continue;
            };
            if period && after_place {
                let end = if text[..end].ends_with('.') {
                    end
                } else {
                    end + 1
                };
                added.push(Mention {
                    span: Span::new(w.span.start as usize, end),
                    candidates: vec![NameEntry {
                        place,
                        alternate: true,
                    }],
                    cue: Some(Cue::Admin),
                    found_by: "state-abbreviation",
                    qualifier: None,
                    list_mates: Vec::new(),
                    key: w.key.to_owned(),
                });
            }
        }
        out.extend(added);
    }
}
