//! Speaker resolution: each attribution source becomes a mention of a canonical speaker.
//!
//! * A **named** source ("Russia's Foreign Ministry spokeswoman Maria Zakharova") yields the
//!   name (its last run of capitalised words) and the role that precedes it.
//! * A **surname** or any shorter form ("Zakharova") resolves to an earlier full name that
//!   ends with or contains it; a one-word name no earlier source gave in full (a headline's
//!   "Trump") to the one full name a later source gives ("Donald Trump").
//! * A **pronoun** ("he", "she") or **role description** ("the Russian official", "the
//!   spokeswoman") resolves to the nearest preceding named speaker it can denote
//!   ([`agreement`]: the kind of thing, and the gender, a mention and a speaker tell).
//! * **Anonymous** sources ("officials", "a source familiar with") stay unresolved on purpose.

use super::name_words::{
    ends_organisation_name, is_calendar_word, is_non_person_head, is_organisation_head,
    is_party_tag, is_title, is_title_at, ANONYMOUS,
};

mod agreement;
pub(crate) use agreement::{
    antecedent, can_denote, is_first_person_singular, is_generic_you, organisation_named_after,
    possessed_organisation,
};
use agreement::{is_named_after_person, names_group};

/// How a source refers to its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// Contains a proper name.
    Named,
    /// A personal pronoun.
    Pronoun,
    /// A definite description ("the spokeswoman").
    Role,
    /// Deliberately unnamed ("sources", "an official").
    Anonymous,
}

impl MentionKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Named => "named",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Role => "role",
            MentionKind::Anonymous => "anonymous",
        }
    }
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "it", "you", "who", "whom", "which", "that", "his", "her",
    "him", "them", "us", "me",
];

/// Relative pronouns refer to the noun right before them, not to the previous speaker.
pub fn is_relative_pronoun(mention: &str) -> bool {
    matches!(
        mention.trim().to_lowercase().as_str(),
        "who" | "whom" | "which" | "that"
    )
}

/// Where the name of a capitalised run starts: after its last title word ("Massachusetts Sen
/// Elizabeth Warren", "FDIC Chairman Martin Gruenberg") or possessive ("NBC's Dante Chinni"),
/// keeping at least one word; a run that ends like an organisation's name ("Republican
/// National Committee") is the organisation's name, whole.
fn name_start(run: &[&str]) -> usize {
    if run.last().is_some_and(|w| ends_organisation_name(w)) {
        return 0;
    }
    let after_title = (0..run.len())
        .rev()
        .find(|&i| is_title_at(run, i))
        .map_or(0, |i| i + 1);
    let after_possessive = (0..run.len().saturating_sub(1))
        .rev()
        .find(|&i| run[i].ends_with("'s") || run[i].ends_with("’s"))
        .map_or(0, |i| i + 1);
    // A capitalised compound with a lower-case second half describes the person ("Liberal
    // Oscar-winner Susan Sarandon", "Damascus-based"); "Jean-Pierre" and "al-Assad" are names.
    let after_descriptor = (0..run.len().saturating_sub(1))
        .rev()
        .find(|&i| is_descriptive_compound(run[i]))
        .map_or(0, |i| i + 1);
    after_title
        .max(after_possessive)
        .max(after_descriptor)
        .min(run.len().saturating_sub(1))
}

/// "Oscar-winner", "Damascus-based": a hyphenated word whose last part is lower case.
fn is_descriptive_compound(w: &str) -> bool {
    w.rsplit_once('-').is_some_and(|(head, tail)| {
        !head.is_empty()
            && tail.chars().count() >= 2
            && tail.chars().all(|c| c.is_lowercase())
            && !matches!(
                head.to_lowercase().as_str(),
                "al" | "el" | "bin" | "ibn" | "abu"
            )
    })
}

/// Cleans a capitalised run into a name: drops everything before [`name_start`] and trailing
/// party/state tags ("Jim Clyburn D-S.C" → "Jim Clyburn").
pub(super) fn clean_name(run: &[&str]) -> String {
    let mut words: Vec<&str> = run[name_start(run)..].to_vec();
    while words.len() > 1 && is_party_tag(words[words.len() - 1]) {
        words.pop();
    }
    strip_possessive(words.join(" "))
}

/// A possessive belongs to the phrase, not the name ("Donald Trump's" → "Donald Trump").
fn strip_possessive(name: String) -> String {
    match name.strip_suffix("'s").or_else(|| name.strip_suffix("’s")) {
        Some(n) if !n.is_empty() => n.to_owned(),
        _ => name,
    }
}

/// Words of a source as one phrase, without the commas [`words`] keeps apart; `None` for none.
fn phrase(ws: &[&str]) -> Option<String> {
    let kept: Vec<&str> = ws.iter().copied().filter(|w| *w != ",").collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// Words of a source, with `,` kept as its own item because a comma ends a name run
/// ("Head of the Network, Ahmad Kazem").
pub(super) fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for raw in s.split_whitespace() {
        let w = name_word(raw);
        if !w.is_empty() {
            out.push(w);
        }
        if raw.ends_with(',') {
            out.push(",");
        }
    }
    while out.last() == Some(&",") {
        out.pop();
    }
    out
}

/// A word of a name as written, without the punctuation around it, but keeping the period of
/// an initial or an abbreviation ("Loretta E. Lynch", "Harry Reid Jr.", "U.S."), which is part
/// of how the name is spelt.
pub(super) fn name_word(raw: &str) -> &str {
    let w = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
    let core = w.trim_end_matches(|c: char| !c.is_alphanumeric());
    let dotted = w[core.len()..].starts_with('.')
        && core.chars().next().is_some_and(char::is_uppercase)
        && (core.chars().count() == 1
            || core.contains('.')
            || matches!(core, "Jr" | "Sr" | "St" | "Mr" | "Mrs" | "Ms" | "Dr"));
    if dotted {
        &w[..core.len() + 1]
    } else {
        core
    }
}

pub(super) fn capitalised(w: &str) -> bool {
    (w.chars().next().is_some_and(char::is_uppercase) && !is_calendar_word(w))
        || arabic_article_name(w)
}

/// "al-Assad", "el-Sisi": a name after the Arabic article, written in lower case.
fn arabic_article_name(w: &str) -> bool {
    w.split_once('-').is_some_and(|(article, rest)| {
        matches!(
            article,
            "al" | "el" | "ad" | "as" | "ash" | "an" | "ar" | "at" | "az"
        ) && rest.chars().next().is_some_and(char::is_uppercase)
    })
}

/// An apposition segment that is wholly a name of two or more capitalised words
/// ("Michael Oppenheimer, a professor at Princeton University" → "Michael Oppenheimer").
fn apposition_name(ws: &[&str]) -> Option<(usize, usize)> {
    if !ws.contains(&",") {
        return None;
    }
    let mut start = 0;
    for end in (0..ws.len()).filter(|&i| ws[i] == ",").chain([ws.len()]) {
        let seg = &ws[start..end];
        let names = seg.iter().filter(|w| !is_title(w)).count();
        if names >= 2 && seg.iter().all(|w| capitalised(w)) {
            return Some((start, end));
        }
        start = end + 1;
        if start > ws.len() {
            break;
        }
    }
    None
}

/// Classifies a source string and extracts `(name, role)` for named sources.
pub fn classify(
    source: &str,
    at_sentence_start: bool,
) -> (MentionKind, Option<String>, Option<String>) {
    let ws = words(source);
    let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
    if ws.len() == 1 && PRONOUNS.contains(&lower[0].as_str()) {
        return (MentionKind::Pronoun, None, None);
    }
    if let Some((start, end)) = apposition_name(&ws) {
        let titles = name_start(&ws[start..end]);
        let name = clean_name(&ws[start..end]);
        let around: Vec<&str> = ws[..start + titles]
            .iter()
            .chain(&ws[end..])
            .copied()
            .collect();
        return (MentionKind::Named, Some(name), phrase(&around));
    }
    // Last run of capitalised words (skipping a sentence-initial capital on a common word).
    let mut end = ws.len();
    while end > 0 && !capitalised(ws[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && capitalised(ws[start - 1]) {
        start -= 1;
    }
    let first_is_article = matches!(lower.first().map(String::as_str), Some("the" | "a" | "an"));
    let head_anonymous = lower
        .last()
        .is_some_and(|w| ANONYMOUS.contains(&w.as_str()));
    let definite = lower.first().map(String::as_str) == Some("the");
    let head_plural = lower.last().is_some_and(|w| w.ends_with('s'));
    if ws.len() == 1 && ANONYMOUS.contains(&lower[0].as_str()) {
        return (MentionKind::Anonymous, None, Some(source.trim().to_owned()));
    }
    // "the Commission on Presidential Debates", "the Bank of England": an organisation's
    // name joined by "of", "on" or "for" is one name, not its last run ("Presidential
    // Debates", taken for a person).
    while start >= 2
        && matches!(lower[start - 1].as_str(), "of" | "on" | "for")
        && capitalised(ws[start - 2])
        && ends_organisation_name(ws[start - 2])
    {
        start -= 2;
        while start > 0 && capitalised(ws[start - 1]) {
            start -= 1;
        }
    }
    // "Secretary of State John F. Kerry": the run after "<title> of" opens with the rest of
    // the title.
    if end >= start + 3 && start >= 2 && lower[start - 1] == "of" && is_title(ws[start - 2]) {
        start += 1;
    }
    if end > start {
        let run = &ws[start..end];
        let only_sentence_capital =
            at_sentence_start && start == 0 && run.len() == 1 && ws.len() > 1;
        let lone_article_capital = first_is_article && start == 0 && run.len() == 1;
        // "Clinton's campaign", "Hillary Clinton's campaign": the organisation news names
        // "the Clinton campaign" (a possessive shows a name even at a sentence start).
        if end > start && end + 1 == ws.len() && !first_is_article {
            let owner = ws[end - 1];
            let head = lower[end].as_str();
            if (owner.ends_with("'s") || owner.ends_with("’s")) && is_named_after_person(head) {
                let owner = strip_possessive(owner.to_owned());
                if let Some(named) = organisation_named_after(&owner, ws[end]) {
                    return (MentionKind::Named, Some(named), None);
                }
            }
        }
        // "Washington and its allies", "Trump and his supporters": a name with the people
        // around it is one group speaker, named as written; even at a sentence start, unless
        // the capital is a common word's ("Officials and their allies").
        let common_word = run.len() == 1
            && (ANONYMOUS.contains(&lower[start].as_str()) || is_non_person_head(&lower[start]));
        if end + 2 < ws.len()
            && lower[end] == "and"
            && matches!(lower[end + 1].as_str(), "its" | "his" | "her" | "their")
            && !lone_article_capital
            && !common_word
        {
            let group = format!(
                "{} {}",
                clean_name(run),
                phrase(&ws[end..]).unwrap_or_default()
            );
            return (
                MentionKind::Named,
                Some(group),
                phrase(&ws[..start + name_start(run)]),
            );
        }
        if !(only_sentence_capital || lone_article_capital) {
            // Honorifics belong to the role, not the name ("Dr. Elena Vassallo").
            let titles = name_start(run);
            let name = clean_name(run);
            let role = phrase(&ws[..start + titles]);
            // A capitalised modifier before a common-noun head ("The Russian official",
            // "Pentagon officials") is a description, not a name.
            if end < ws.len() {
                let head = lower.last().map(String::as_str).unwrap_or("");
                if definite && is_organisation_head(head) {
                    // "The Trump campaign" names its organisation.
                    return (MentionKind::Named, phrase(&ws[1..]), None);
                }
                if is_non_person_head(head) {
                    return (MentionKind::Anonymous, None, Some(source.trim().to_owned()));
                }
                let kind = if definite && !head_plural {
                    MentionKind::Role
                } else {
                    MentionKind::Anonymous
                };
                return (kind, None, Some(source.trim().to_owned()));
            }
            // "Britain and France", "Charles E. Grassley and Patrick J. Leahy": a coordination
            // of two names is one group speaker ("they" can refer back to it), not its last
            // name with "Britain and" as a role.
            if start >= 2 && lower[start - 1] == "and" && capitalised(ws[start - 2]) {
                let mut first = start - 2;
                while first > 0 && capitalised(ws[first - 1]) {
                    first -= 1;
                }
                let other = &ws[first..start - 1];
                if !other.iter().any(|w| is_title(w)) || other.len() > 1 {
                    let titles = name_start(other);
                    let group = format!("{} and {name}", clean_name(other));
                    return (
                        MentionKind::Named,
                        Some(group),
                        phrase(&ws[..first + titles]),
                    );
                }
            }
            return (MentionKind::Named, Some(name), role);
        }
    }
    // "The Russian official" after a named speaker refers back to them; "officials",
    // "a source" and things ("the ad") stay anonymous.
    if lower.last().is_some_and(|w| is_non_person_head(w)) {
        return (MentionKind::Anonymous, None, Some(source.trim().to_owned()));
    }
    if definite && !head_plural {
        return (MentionKind::Role, None, Some(source.trim().to_owned()));
    }
    if head_anonymous || lower.iter().any(|w| w == "anonymity" || w == "familiar") {
        return (MentionKind::Anonymous, None, Some(source.trim().to_owned()));
    }
    // Only a definite description refers back ("the spokeswoman"); "a statement" does not.
    if definite {
        return (MentionKind::Role, None, Some(source.trim().to_owned()));
    }
    (MentionKind::Anonymous, None, Some(source.trim().to_owned()))
}

/// Resolves a short name against earlier canonical names: an earlier name that ends with it
/// ("Kazem" → "Ahmad Kazem") or contains all its words.
pub fn expand_name<'a>(name: &str, known: &'a [String]) -> Option<&'a String> {
    let parts: Vec<&str> = words(name).into_iter().filter(|w| *w != ",").collect();
    // The most recent names only: an article has few speakers, an adversarial input may not.
    // A group ("Obama and Hillary Clinton") is not the full name of one of its members.
    known.iter().rev().take(256).find(|k| {
        k.as_str() != name
            && !names_group(k)
            && k.len() > name.len()
            && (k.ends_with(name) || parts.iter().all(|p| words(k).contains(p)))
    })
}

/// Resolves a one-word name ("Trump") against the names the document's sources give
/// anywhere (`given`, in order), for a name no earlier source gave in full: the one longer
/// name that ends with it as a word ("Donald Trump"). Two such names ("Bill Clinton",
/// "Hillary Clinton") leave it as it is rather than guess.
pub(crate) fn later_full_name<'a>(name: &str, given: &'a [String]) -> Option<&'a String> {
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let mut found: Option<&String> = None;
    for k in given.iter().take(4096) {
        let ends_with_word =
            k.len() > name.len() && k.ends_with(name) && k[..k.len() - name.len()].ends_with(' ');
        if !ends_with_word || found == Some(k) || names_group(k) {
            continue;
        }
        if found.is_some() {
            return None;
        }
        found = Some(k);
    }
    found
}

#[cfg(test)]
mod tests;
