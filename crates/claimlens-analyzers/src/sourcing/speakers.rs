//! Speaker resolution: each attribution source becomes a mention of a canonical speaker.
//!
//! * A **named** source ("Russia's Foreign Ministry spokeswoman Maria Zakharova") yields the
//!   name (its last run of capitalised words) and the role that precedes it.
//! * A **surname** or any shorter form ("Zakharova") resolves to an earlier full name that
//!   ends with or contains it; a one-word name no earlier source gave in full (a headline's
//!   "Trump") to the one full name a later source gives ("Donald Trump").
//! * A **pronoun** ("he", "she") or **role description** ("the Russian official", "the
//!   spokeswoman") resolves to the nearest preceding named speaker.
//! * **Anonymous** sources ("officials", "a source familiar with") stay unresolved on purpose.

use super::name_words::{
    ends_organisation_name, is_calendar_word, is_non_person_head, is_organisation_head,
    is_party_tag, is_title, is_title_at, ANONYMOUS,
};
use crate::first_names::{gender_of_first_name, Gender};

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
fn words(s: &str) -> Vec<&str> {
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

/// What a pronoun or a description can denote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denotes {
    /// "he", "she", "I", "the woman", "the senator".
    Person,
    /// "it", "the company", "the newspaper".
    Organisation,
    /// "they", "them": an organisation or several people, never one person.
    Group,
    /// "we": a person speaking for a group, or the group.
    Either,
    /// "the senators", "the two men": several people named together.
    People,
}

fn denotes(mention: &str, kind: MentionKind) -> Denotes {
    let ws = words(mention);
    let last = ws
        .last()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    match kind {
        MentionKind::Pronoun => match last.as_str() {
            "he" | "she" | "him" | "her" | "his" | "hers" | "i" | "me" | "my" | "himself"
            | "herself" => Denotes::Person,
            "it" | "its" | "itself" => Denotes::Organisation,
            "they" | "them" | "their" | "theirs" | "themselves" => Denotes::Group,
            _ => Denotes::Either,
        },
        _ if ends_organisation_name(&last) => Denotes::Organisation,
        _ if names_people(&last) => Denotes::People,
        _ => Denotes::Person,
    }
}

/// Whether a description's head word is a plural of people ("the senators", "the two men",
/// "the candidates"): it can only refer back to a coordination of named people.
fn names_people(head: &str) -> bool {
    matches!(head, "men" | "women" | "people")
        || (head.len() > 3
            && head.ends_with('s')
            && !head.ends_with("ss")
            && !head.ends_with("us")
            && !head.contains(['\'', '’']))
}

/// Whether a canonical speaker name names an organisation rather than a person: an article
/// before it ("The New Yorker"), an organisation's last word ("… Committee", "… Times"), or an
/// acronym ("FBI", "CNN").
pub(crate) fn names_organisation(name: &str) -> bool {
    let ws: Vec<&str> = name.split_whitespace().collect();
    let acronym = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
    };
    ws.first().is_some_and(|w| w.eq_ignore_ascii_case("the"))
        || ws.last().is_some_and(|w| ends_organisation_name(w))
        || (ws.len() == 1 && acronym(ws[0]))
        || ws
            .windows(2)
            .any(|p| ends_organisation_name(p[0]) && matches!(p[1], "of" | "on" | "for"))
}

/// Whether a canonical speaker name names several people: a coordination ("Charles E.
/// Grassley and Patrick J. Leahy"). One capitalised plural ("Republicans") is not taken as
/// one: it cannot be told from a surname ending in s ("Sanders"), and taking it lost more
/// than it gained on PolNeAR dev.
fn names_group(name: &str) -> bool {
    name.split_whitespace().any(|w| w == "and" || w == "&")
}

/// "his campaign", "her administration": an organisation named after the person a possessive
/// pronoun refers to, as news names it ("the Trump campaign"). Returns the pronoun and the
/// organisation's head word. Only heads that news conventionally names after a person; "his
/// company" is some company, not "the Clarke company".
pub(crate) fn possessed_organisation(source: &str) -> Option<(&str, &str)> {
    let mut ws = source.split_whitespace();
    let (pronoun, head) = (ws.next()?, ws.next()?);
    if ws.next().is_some() {
        return None;
    }
    let possessive = matches!(pronoun.to_lowercase().as_str(), "his" | "her" | "their");
    let named_after = is_named_after_person(
        head.to_lowercase()
            .trim_end_matches(|c: char| !c.is_alphabetic()),
    );
    (possessive && named_after).then_some((pronoun, head))
}

/// Organisations news names after a person ("the Trump campaign", "the Obama
/// administration"), by their lower-case head word.
fn is_named_after_person(head: &str) -> bool {
    matches!(head, "campaign" | "administration" | "government")
}

/// "Trump campaign" for "his campaign" when "his" is Donald Trump: the person's last name and
/// the head word, lower case as news writes it. `None` for a group or an organisation.
pub(crate) fn organisation_named_after(person: &str, head: &str) -> Option<String> {
    if names_group(person) || names_organisation(person) {
        return None;
    }
    let surname = person.split_whitespace().last()?;
    let head = head.to_lowercase();
    let head = head.trim_end_matches(|c: char| !c.is_alphabetic());
    Some(format!("{surname} {head}"))
}

/// "I", "me", "my": one person speaking of themselves.
pub(crate) fn is_first_person_singular(mention: &str) -> bool {
    matches!(
        mention.trim().to_lowercase().as_str(),
        "i" | "me" | "my" | "mine" | "myself"
    )
}

/// "you" as a source: in news the reader, the audience or anyone ("you can't trust them"),
/// not an earlier speaker; it is left unresolved (every one of the 7 labelled on PolNeAR dev
/// is `NONE`).
pub(crate) fn is_generic_you(mention: &str) -> bool {
    matches!(
        mention.trim().to_lowercase().as_str(),
        "you" | "your" | "yours"
    )
}

/// The antecedent of a pronoun or description among the speakers resolved so far (`recent`,
/// latest last): for a description whose head word is a role an earlier speaker was given
/// ("the judge" after "U.S. District Judge Frank Nervo", "the Indiana governor" after "Gov.
/// Mike Pence"; `role_of` gives a speaker's stated roles), the latest such speaker; else the
/// latest one it can denote ("she" skips "The New Yorker", "the company" skips "Maria
/// Lopez"); none when no earlier speaker agrees (an organisation is no "she", whoever spoke
/// last).
pub(crate) fn antecedent<'a, 'r>(
    mention: &str,
    kind: MentionKind,
    recent: &'a [(String, u32)],
    role_of: impl Fn(&str) -> Option<&'r str>,
) -> Option<&'a (String, u32)> {
    let wanted = denotes(mention, kind);
    if kind == MentionKind::Role && wanted == Denotes::Person {
        let head = words(mention)
            .last()
            .map(|w| role_word(w.trim_end_matches("'s").trim_end_matches("’s")))
            .unwrap_or_default();
        let holds_role = |name: &str| {
            role_of(name).is_some_and(|role| role.split_whitespace().any(|w| role_word(w) == head))
        };
        if let Some(found) = recent.iter().rev().find(|(n, _)| holds_role(n)) {
            return Some(found);
        }
    }
    recent
        .iter()
        .rev()
        .find(|(n, _)| can_denote(mention, kind, n, &role_of))
}

/// Whether the pronoun or description `mention` can refer to the speaker `name`: the kind of
/// thing it denotes ("she" a person, "it" an organisation), and the gender when both tell
/// one ("she" skips "Brian Fallon" and "the spokesman" skips "Maria Lopez"; a speaker whose
/// gender neither a first name nor a stated role tells, "Trump", "Sen. Warren", agrees with
/// both).
pub(crate) fn can_denote<'r>(
    mention: &str,
    kind: MentionKind,
    name: &str,
    role_of: impl Fn(&str) -> Option<&'r str>,
) -> bool {
    let agrees = match denotes(mention, kind) {
        Denotes::Either => true,
        Denotes::Group => names_organisation(name) || names_group(name),
        Denotes::Person => !names_organisation(name) && !names_group(name),
        Denotes::Organisation => names_organisation(name),
        Denotes::People => names_group(name),
    };
    agrees
        && match (
            mention_gender(mention, kind),
            speaker_gender(name, role_of(name)),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

/// The gender a title or a role noun tells: "spokeswoman", "Mrs." female, "congressman",
/// "Mr." male. "Chairman" and the like are left out: news uses them of women.
fn title_gender(w: &str) -> Option<Gender> {
    let w = w.trim_end_matches('.').to_lowercase();
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    match w {
        "spokeswoman" | "congresswoman" | "businesswoman" | "councilwoman" | "chairwoman"
        | "actress" | "queen" | "princess" | "mrs" | "ms" | "miss" | "madam" => {
            Some(Gender::Female)
        }
        "spokesman" | "congressman" | "businessman" | "councilman" | "king" | "prince" | "mr" => {
            Some(Gender::Male)
        }
        _ => None,
    }
}

/// The gender a word of a pronoun or a description tells: a title's, or "she", "woman",
/// "mother", … (not read in a speaker's stated role, which can be a whole relative clause:
/// "who has backed Hillary Clinton since her 2008 bid").
fn word_gender(w: &str) -> Option<Gender> {
    if let Some(g) = title_gender(w) {
        return Some(g);
    }
    match w.to_lowercase().as_str() {
        "she" | "her" | "hers" | "herself" | "woman" | "mother" | "wife" | "daughter"
        | "sister" | "lady" | "girl" | "grandmother" | "widow" => Some(Gender::Female),
        "he" | "him" | "his" | "himself" | "man" | "father" | "husband" | "son" | "brother"
        | "boy" | "grandfather" | "widower" => Some(Gender::Male),
        _ => None,
    }
}

/// The gender of a pronoun ("she") or of a description's words ("the spokeswoman").
fn mention_gender(mention: &str, kind: MentionKind) -> Option<Gender> {
    match kind {
        MentionKind::Pronoun | MentionKind::Role => {
            words(mention).into_iter().find_map(word_gender)
        }
        _ => None,
    }
}

/// The gender of a speaker: a stated role's gendered word ("spokeswoman", "Mrs."), else the
/// first name of a name of two words or more (a one-word name is as often a surname:
/// "Warren", "Jordan").
fn speaker_gender(name: &str, role: Option<&str>) -> Option<Gender> {
    if let Some(g) = role.and_then(|r| r.split_whitespace().find_map(title_gender)) {
        return Some(g);
    }
    let mut ws = name.split_whitespace();
    let first = ws.next()?;
    ws.next()?;
    gender_of_first_name(first)
}

/// A role word as a description would say it: lowercase, abbreviations written out ("Gov."
/// → "governor").
fn role_word(w: &str) -> String {
    let w = w.trim_end_matches('.').to_lowercase();
    match w.as_str() {
        "gov" => "governor".into(),
        "sen" => "senator".into(),
        "rep" => "representative".into(),
        "atty" => "attorney".into(),
        "gen" => "general".into(),
        "sec" | "secy" => "secretary".into(),
        "pres" => "president".into(),
        "supt" => "superintendent".into(),
        _ => w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gendered_pronouns_and_descriptions_skip_speakers_of_the_other_gender() {
        let recent: Vec<(String, u32)> =
            ["Hillary Clinton", "Jordan Smith", "Lopez", "Brian Fallon"]
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), i as u32))
                .collect();
        let roles = |name: &str| match name {
            "Lopez" => Some("Foreign Ministry spokeswoman"),
            // A stated role can be a relative clause: its pronouns say nothing of the speaker.
            "Brian Fallon" => Some("who has backed Hillary Clinton since her first bid"),
            _ => None,
        };
        let of = |mention: &str, kind: MentionKind, upto: usize| {
            antecedent(mention, kind, &recent[..upto], roles).map(|(n, _)| n.as_str())
        };
        assert_eq!(of("he", MentionKind::Pronoun, 4), Some("Brian Fallon"));
        // "Lopez" has no first name, but her stated role is a woman's; "Jordan" is either.
        assert_eq!(of("she", MentionKind::Pronoun, 4), Some("Lopez"));
        assert_eq!(of("he", MentionKind::Pronoun, 3), Some("Jordan Smith"));
        assert_eq!(of("she", MentionKind::Pronoun, 2), Some("Jordan Smith"));
        assert_eq!(of("his", MentionKind::Pronoun, 1), None);
        assert_eq!(
            of("The spokesman", MentionKind::Role, 3),
            Some("Jordan Smith")
        );
        assert_eq!(of("the woman", MentionKind::Role, 4), Some("Lopez"));
    }

    #[test]
    fn pronouns_and_descriptions_refer_to_speakers_they_can_denote() {
        let recent: Vec<(String, u32)> = ["Maria Lopez", "The New Yorker", "FBI"]
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i as u32))
            .collect();
        let roles = |name: &str| (name == "FBI").then_some("the federal police");
        let of = |mention: &str, kind: MentionKind| {
            antecedent(mention, kind, &recent, roles).map(|(n, _)| n.as_str())
        };
        assert_eq!(of("she", MentionKind::Pronoun), Some("Maria Lopez"));
        assert_eq!(of("it", MentionKind::Pronoun), Some("FBI"));
        assert_eq!(of("they", MentionKind::Pronoun), Some("FBI"));
        assert_eq!(
            antecedent("they", MentionKind::Pronoun, &recent[..1], roles),
            None,
            "one person is no 'they'"
        );
        let pair = vec![("Ann Lee and Bo Tan".to_string(), 0)];
        let found = antecedent("They", MentionKind::Pronoun, &pair, roles);
        assert_eq!(found.map(|(n, _)| n.as_str()), Some("Ann Lee and Bo Tan"));
        assert!(is_generic_you("You") && !is_generic_you("we"));
        assert_eq!(of("the woman", MentionKind::Role), Some("Maria Lopez"));
        assert_eq!(of("the magazine", MentionKind::Role), Some("FBI"));
        assert_eq!(
            antecedent("he", MentionKind::Pronoun, &recent[1..], roles),
            None
        );
        // A description naming an earlier speaker's role finds that speaker.
        let recent: Vec<(String, u32)> = vec![("Mike Pence".into(), 0), ("Ann Lee".into(), 1)];
        let roles = |name: &str| (name == "Mike Pence").then_some("Indiana Gov.");
        let found = antecedent("The Indiana governor", MentionKind::Role, &recent, roles);
        assert_eq!(found.map(|(n, _)| n.as_str()), Some("Mike Pence"));
        let found = antecedent("the woman", MentionKind::Role, &recent, roles);
        assert_eq!(found.map(|(n, _)| n.as_str()), Some("Ann Lee"));
        // A plural of people takes only people named together, or no one.
        let recent: Vec<(String, u32)> = vec![
            ("Chuck Grassley and Patrick Leahy".into(), 0),
            ("Vermont".into(), 1),
            ("FBI".into(), 2),
        ];
        let of = |mention: &str, upto: usize| {
            antecedent(mention, MentionKind::Role, &recent[..upto], roles).map(|(n, _)| n.as_str())
        };
        assert_eq!(
            of("the senators", 3),
            Some("Chuck Grassley and Patrick Leahy")
        );
        assert_eq!(
            of("The two men", 3),
            Some("Chuck Grassley and Patrick Leahy")
        );
        assert_eq!(of("the candidates", 0), None);
        assert_eq!(
            of("the president's", 2),
            Some("Vermont"),
            "a possessive, not a plural"
        );
        assert_eq!(of("the campus", 2), Some("Vermont"));
        assert!(names_organisation("The New Yorker"));
        assert!(names_organisation("Democratic National Committee"));
        assert!(!names_organisation("Loretta E. Lynch"));
        assert!(!names_organisation("Jeh Johnson"));
    }

    #[test]
    fn names_lose_their_titles_and_keep_their_initials() {
        let named = |source: &str| classify(source, false);
        let (_, name, role) = named("Attorney General Loretta E. Lynch");
        assert_eq!(name.as_deref(), Some("Loretta E. Lynch"));
        assert_eq!(role.as_deref(), Some("Attorney General"));
        for (source, expected) in [
            ("FDIC Chairman Martin Gruenberg", "Martin Gruenberg"),
            ("House Speaker Paul Ryan", "Paul Ryan"),
            ("Secretary of State John F. Kerry", "John F. Kerry"),
            ("NBC’s Dante Chinni", "Dante Chinni"),
            ("Republican Donald J. Trump", "Donald J. Trump"),
            ("Joseph F. Dunford Jr.", "Joseph F. Dunford Jr."),
            // Organisations keep their first words.
            (
                "Republican National Committee",
                "Republican National Committee",
            ),
            ("Senate Majority Leader", "Leader"),
        ] {
            assert_eq!(named(source).1.as_deref(), Some(expected), "{source}");
        }
        assert_eq!(name_word("“E.,"), "E.");
        assert_eq!(name_word("said."), "said");
        assert_eq!(name_word("U.S.,"), "U.S.");
    }

    #[test]
    fn coordinated_names_are_one_group_speaker() {
        let (k, name, role) = classify("Britain and France", false);
        assert_eq!(k, MentionKind::Named);
        assert_eq!(name.as_deref(), Some("Britain and France"));
        assert_eq!(role, None);
        let (_, name, role) = classify("Sens. Charles E. Grassley and Patrick J. Leahy", false);
        assert_eq!(
            name.as_deref(),
            Some("Charles E. Grassley and Patrick J. Leahy")
        );
        assert_eq!(role.as_deref(), Some("Sens"));
        assert_eq!(
            classify("Bill and Hillary Clinton", false).1.as_deref(),
            Some("Bill and Hillary Clinton")
        );
        assert!(names_group("Britain and France"));
    }

    #[test]
    fn a_name_with_its_allies_is_a_group_and_descriptors_are_no_name() {
        let (k, name, _) = classify("Washington and its allies", true);
        assert_eq!(k, MentionKind::Named);
        assert_eq!(
            classify("Officials and their allies", true).0,
            MentionKind::Anonymous
        );
        assert_eq!(name.as_deref(), Some("Washington and its allies"));
        assert!(names_group("Washington and its allies"));
        let name = |s: &str| classify(s, false).1;
        assert_eq!(
            name("Liberal Oscar-winner Susan Sarandon").as_deref(),
            Some("Susan Sarandon")
        );
        assert_eq!(
            name("Jean-Pierre Raffarin").as_deref(),
            Some("Jean-Pierre Raffarin")
        );
        assert_eq!(name("Bashar al-Assad").as_deref(), Some("Bashar al-Assad"));
    }

    #[test]
    fn a_possessive_campaign_is_named_after_its_person() {
        assert_eq!(
            possessed_organisation("His campaign"),
            Some(("His", "campaign"))
        );
        assert_eq!(possessed_organisation("his company"), None);
        assert_eq!(possessed_organisation("his campaign staff"), None);
        assert_eq!(
            organisation_named_after("Bernie Sanders", "campaign").as_deref(),
            Some("Sanders campaign")
        );
        assert_eq!(
            organisation_named_after("Obama and Hillary Clinton", "campaign"),
            None
        );
        assert_eq!(
            classify("Hillary Clinton’s campaign", true).1.as_deref(),
            Some("Clinton campaign")
        );
        assert_eq!(classify("Clinton's team", false).0, MentionKind::Anonymous);
        assert_eq!(organisation_named_after("The FBI", "campaign"), None);
    }

    #[test]
    fn organisation_names_joined_by_of_stay_whole() {
        let name = |s: &str| classify(s, false).1;
        assert_eq!(
            name("the Commission on Presidential Debates").as_deref(),
            Some("Commission on Presidential Debates")
        );
        assert_eq!(
            name("the Association of Flight Attendants").as_deref(),
            Some("Association of Flight Attendants")
        );
        assert!(names_organisation("Association of Flight Attendants"));
        assert!(!names_organisation("Patrick J. Leahy"));
        // A title of office is no organisation: the name still drops it.
        assert_eq!(
            name("Secretary of State John F. Kerry").as_deref(),
            Some("John F. Kerry")
        );
        assert_eq!(
            name("University of Michigan economist Justin Wolfers").as_deref(),
            Some("Justin Wolfers")
        );
    }

    #[test]
    fn classifies_sources() {
        let (k, name, role) = classify(
            "Russia’s Foreign Ministry spokeswoman Maria Zakharova",
            false,
        );
        assert_eq!(k, MentionKind::Named);
        assert_eq!(name.as_deref(), Some("Maria Zakharova"));
        assert_eq!(
            role.as_deref(),
            Some("Russia’s Foreign Ministry spokeswoman")
        );
        let (k, name, _) = classify(
            "Head of Damascus-based Syrian Human Rights Network, Ahmad Kazem,",
            true,
        );
        assert_eq!(
            (k, name.as_deref()),
            (MentionKind::Named, Some("Ahmad Kazem"))
        );
        assert_eq!(classify("he", false).0, MentionKind::Pronoun);
        let (_, name, role) = classify("port authority spokeswoman Dr. Elena Vassallo", false);
        assert_eq!(name.as_deref(), Some("Elena Vassallo"));
        assert_eq!(role.as_deref(), Some("port authority spokeswoman Dr."));
        assert_eq!(classify("a statement", false).0, MentionKind::Anonymous);
        let (_, name, role) = classify(
            "Michael Oppenheimer, a professor at Princeton University",
            true,
        );
        assert_eq!(name.as_deref(), Some("Michael Oppenheimer"));
        assert_eq!(role.as_deref(), Some("a professor at Princeton University"));
        assert_eq!(
            classify("Paul Ryan, R-Wis.,", true).1.as_deref(),
            Some("Paul Ryan")
        );
        assert_eq!(
            classify("Donald Trump's", true).1.as_deref(),
            Some("Donald Trump")
        );
        assert_eq!(classify("which", false).0, MentionKind::Pronoun);
        assert_eq!(
            classify("Sen. Jim Clyburn, D-S.C.,", true).1.as_deref(),
            Some("Jim Clyburn")
        );
        assert_eq!(
            classify("Massachusetts Sen. Elizabeth Warren", true)
                .1
                .as_deref(),
            Some("Elizabeth Warren")
        );
        assert_eq!(
            classify("The Trump campaign", true).1.as_deref(),
            Some("Trump campaign")
        );
        assert_eq!(classify("The ad", true).0, MentionKind::Anonymous);
        assert_eq!(classify("The Russian official", true).0, MentionKind::Role);
        assert_eq!(
            classify("senior administration officials", false).0,
            MentionKind::Anonymous
        );
        assert_eq!(classify("Critics", true).0, MentionKind::Anonymous);
        assert_eq!(
            classify("Pentagon officials", true).0,
            MentionKind::Anonymous
        );
    }

    #[test]
    fn resolves_a_surname_to_the_one_full_name_given_later() {
        let given = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let names = given(&["Trump", "Donald Trump", "Trump"]);
        assert_eq!(
            later_full_name("Trump", &names).map(String::as_str),
            Some("Donald Trump")
        );
        // Two people share the surname: left as it is.
        let names = given(&["Clinton", "Hillary Clinton", "Bill Clinton"]);
        assert_eq!(later_full_name("Clinton", &names), None);
        // A word ending, not a word: "Rump" is not "Trump".
        assert_eq!(later_full_name("rump", &given(&["Donald Trump"])), None);
        // Only one-word names are expanded, and never to themselves.
        assert_eq!(
            later_full_name("Donald Trump", &given(&["Donald Trump"])),
            None
        );
        assert_eq!(later_full_name("Trump", &given(&["Trump"])), None);
    }

    #[test]
    fn expands_surnames() {
        let known = vec!["Maria Zakharova".to_string(), "Ahmad Kazem".to_string()];
        assert_eq!(
            expand_name("Kazem", &known).map(String::as_str),
            Some("Ahmad Kazem")
        );
        assert_eq!(expand_name("Putin", &known), None);
    }
}
