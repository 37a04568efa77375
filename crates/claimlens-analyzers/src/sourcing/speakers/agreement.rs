//! Whom a pronoun or a description can refer to: the kind of thing it denotes (a person, an
//! organisation, a group, several people), the gender its words or a speaker's first name or
//! stated role tell, and the antecedent among the speakers resolved so far.

use super::{words, MentionKind};
use crate::first_names::{gender_of_first_name, Gender};
use crate::sourcing::name_words::ends_organisation_name;

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
pub(super) fn names_group(name: &str) -> bool {
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
pub(super) fn is_named_after_person(head: &str) -> bool {
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
