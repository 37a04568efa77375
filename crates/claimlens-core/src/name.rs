//! Interned schema names: attribute keys, link roles and layers, stage names.
//!
//! A long document carries hundreds of thousands of attributes and links, and each one names
//! its key, role or layer from a vocabulary of a few hundred words (`kind`, `source`,
//! `attribution-parts`). Held as strings they were most of a layer's memory (a `Link` was 56
//! bytes, an attribute 48); a [`Name`] is a 4-byte index into one process-wide table, in the
//! manner of spaCy's `StringStore`, so a link is 12 bytes and an attribute 32.
//!
//! Names made from `&'static str` (every name the analyzers write) are stored without a copy.
//! A name read from elsewhere (a store, a JSON record) is copied once into the table and kept
//! for the life of the process: the table grows with the number of *distinct* names a process
//! reads, a few hundred for anything claimlens wrote, never with the number of documents.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{LazyLock, OnceLock, RwLock};

/// An interned name. Equal names are the same index, so comparing two is one integer
/// comparison; ordering and display use the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(u32);

/// Names per chunk of the text table, and chunks: room for 2^22 distinct names.
const CHUNK: usize = 1024;
const CHUNKS: usize = 4096;

/// Index from text to name, taken only to add a name or find one by text.
static INDEX: LazyLock<RwLock<HashMap<&'static str, u32>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// The texts, by name: chunks filled once and never moved, so [`Name::as_str`] (called for
/// every comparison with a string and every attribute written out) reads them without a
/// lock.
static TEXTS: [OnceLock<Box<[OnceLock<&'static str>]>>; CHUNKS] =
    [const { OnceLock::new() }; CHUNKS];

fn chunk(c: usize) -> &'static [OnceLock<&'static str>] {
    TEXTS[c].get_or_init(|| (0..CHUNK).map(|_| OnceLock::new()).collect())
}

impl Name {
    /// The name of `text`, adding it to the table when new; `None` when the table is full.
    /// `stored` supplies the text to keep: the static string itself, or a leaked copy of a
    /// borrowed one.
    fn intern(text: &str, stored: impl FnOnce() -> &'static str) -> Option<Name> {
        if let Some(&i) = INDEX.read().unwrap_or_else(|e| e.into_inner()).get(text) {
            return Some(Name(i));
        }
        let mut index = INDEX.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have added it between the two locks.
        if let Some(&i) = index.get(text) {
            return Some(Name(i));
        }
        let i = index.len();
        if i >= CHUNK * CHUNKS {
            return None;
        }
        let stored = stored();
        // The text is in place before any thread can learn the name.
        let _ = chunk(i / CHUNK)[i % CHUNK].set(stored);
        index.insert(stored, i as u32);
        Some(Name(i as u32))
    }

    /// The name of `text` read from outside the program (a store, a record): `None` once the
    /// table holds 2^22 distinct names, so that input naming millions of different keys is
    /// an error for its reader rather than memory without end.
    pub fn try_new(text: &str) -> Option<Name> {
        Name::intern(text, || Box::leak(text.to_owned().into_boxed_str()))
    }

    /// The name of `text`, copying it into the table when it is new.
    ///
    /// Panics when the table is full; for names from input use [`Name::try_new`].
    pub fn new(text: &str) -> Name {
        Name::try_new(text).expect("fewer than 2^22 distinct names")
    }

    /// The name of a static string, stored without a copy.
    pub fn from_static(text: &'static str) -> Name {
        Name::intern(text, || text).expect("fewer than 2^22 distinct names")
    }

    /// The text.
    pub fn as_str(self) -> &'static str {
        let i = self.0 as usize;
        TEXTS[i / CHUNK]
            .get()
            .and_then(|c| c[i % CHUNK].get())
            .expect("a name is made only after its text is stored")
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Name {
    fn from(text: &'static str) -> Name {
        Name::from_static(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<Cow<'static, str>> for Name {
    fn from(text: Cow<'static, str>) -> Name {
        match text {
            Cow::Borrowed(s) => Name::from_static(s),
            Cow::Owned(s) => Name::new(&s),
        }
    }
}

impl From<&Cow<'static, str>> for Name {
    fn from(text: &Cow<'static, str>) -> Name {
        match text {
            Cow::Borrowed(s) => Name::from_static(s),
            Cow::Owned(s) => Name::new(s),
        }
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By text, so that keys sort as the strings they stand for (exports list attributes in key
/// order).
impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        if self.0 == other.0 {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_one_name() {
        let a = Name::from("kind");
        let b = Name::new(&String::from("kind"));
        let c = Name::from(String::from("kind"));
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.as_str(), "kind");
        assert_eq!(a, "kind");
        assert_ne!(a, Name::from("role"));
    }

    #[test]
    fn names_order_by_text() {
        let mut names = [Name::from("zeta"), Name::from("alpha"), Name::from("mid")];
        names.sort();
        let texts: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
        assert_eq!(texts, ["alpha", "mid", "zeta"]);
    }

    #[test]
    fn names_are_shared_across_threads() {
        let here = Name::new("thread-shared-name");
        let there = std::thread::spawn(|| Name::new("thread-shared-name"))
            .join()
            .unwrap();
        assert_eq!(here, there);
        assert_eq!(std::mem::size_of::<Name>(), 4);
    }
}
