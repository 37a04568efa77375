//! Speaker resolution: each attribution source becomes a mention of a canonical speaker.
//!
//! * A **named** source ("Russia's Foreign Ministry spokeswoman Maria Zakharova") yields the
//!   name (its last run of capitalised words) and the role that precedes it.
//! * A **surname** or any shorter form ("Zakharova") resolves to an earlier full name that
//!   ends with or contains it.
//! * A **pronoun** ("he", "she") or **role description** ("the Russian official", "the
//!   spokeswoman") resolves to the nearest preceding named speaker.
//! * **Anonymous** sources ("officials", "a source familiar with") stay unresolved on purpose.

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
    "he", "she", "they", "we", "i", "it", "you", "who", "his", "her",
];

/// Heads of deliberately anonymous sources.
const ANONYMOUS: &[&str] = &[
    "source",
    "sources",
    "official",
    "officials",
    "aide",
    "aides",
    "insider",
    "insiders",
    "people",
    "person",
    "someone",
    "analysts",
    "experts",
    "observers",
    "critics",
    "diplomats",
    "witnesses",
    "residents",
    "activists",
    "reports",
    "media",
    "reporters",
];

/// Words of a source, with `,` kept as its own item because a comma ends a name run
/// ("Head of the Network, Ahmad Kazem").
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for raw in s.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
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

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_title(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "gen"
            | "sen"
            | "rep"
            | "gov"
            | "president"
            | "minister"
            | "sir"
            | "lord"
            | "lady"
            | "rev"
            | "col"
            | "lt"
            | "capt"
            | "sgt"
    )
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
    if end > start {
        let run = &ws[start..end];
        let only_sentence_capital =
            at_sentence_start && start == 0 && run.len() == 1 && ws.len() > 1;
        let lone_article_capital = first_is_article && start == 0 && run.len() == 1;
        if !(only_sentence_capital || lone_article_capital) {
            // Honorifics belong to the role, not the name ("Dr. Elena Vassallo").
            let titles = run
                .iter()
                .take_while(|w| is_title(w))
                .count()
                .min(run.len() - 1);
            let name = run[titles..].join(" ");
            let role_words: Vec<&str> = ws[..start + titles]
                .iter()
                .copied()
                .filter(|w| *w != ",")
                .collect();
            let role = (!role_words.is_empty()).then(|| role_words.join(" "));
            // A capitalised modifier before a common-noun head ("The Russian official",
            // "Pentagon officials") is a description, not a name.
            if end < ws.len() {
                let kind = if definite && !head_plural {
                    MentionKind::Role
                } else {
                    MentionKind::Anonymous
                };
                return (kind, None, Some(source.trim().to_owned()));
            }
            return (MentionKind::Named, Some(name), role);
        }
    }
    // "The Russian official" after a named speaker refers back to them; "officials" and
    // "a source" stay anonymous.
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
    known.iter().rev().take(256).find(|k| {
        k.as_str() != name
            && k.len() > name.len()
            && (k.ends_with(name) || parts.iter().all(|p| words(k).contains(p)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(role.as_deref(), Some("port authority spokeswoman Dr"));
        assert_eq!(classify("a statement", false).0, MentionKind::Anonymous);
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
    fn expands_surnames() {
        let known = vec!["Maria Zakharova".to_string(), "Ahmad Kazem".to_string()];
        assert_eq!(
            expand_name("Kazem", &known).map(String::as_str),
            Some("Ahmad Kazem")
        );
        assert_eq!(expand_name("Putin", &known), None);
    }
}
