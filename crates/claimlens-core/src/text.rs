//! Short texts that are usually static: annotation labels and reason rules.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// A label or a rule: a string from the binary (`"PERSON"`, `"verb:say"`) in nearly every
/// annotation, an owned one for the few that name something in the text (a speaker's
/// canonical name) or carry evidence (a claim's strongest features). Sixteen bytes, where a
/// `Cow<'static, str>` takes 24: an owned text is one pointer to its boxed string, placed
/// where the static text's length would be.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Owned(Box<Box<str>>),
}

impl Text {
    /// A static text, stored without a copy.
    pub const fn from_static(text: &'static str) -> Text {
        Text(Repr::Static(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Owned(s) => s,
        }
    }

    /// Heap bytes of an owned text (none for a static one).
    pub fn heap_bytes(&self) -> usize {
        match &self.0 {
            Repr::Static(_) => 0,
            Repr::Owned(s) => std::mem::size_of::<Box<str>>() + s.len(),
        }
    }

    /// The text as a `Cow`, borrowed from the binary when it was static.
    pub fn to_cow(&self) -> Cow<'static, str> {
        match &self.0 {
            Repr::Static(s) => Cow::Borrowed(s),
            Repr::Owned(s) => Cow::Owned(s.to_string()),
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from_static("")
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text::from_static(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Owned(Box::new(text.into_boxed_str())))
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Text {
        match text {
            Cow::Borrowed(s) => Text::from_static(s),
            Cow::Owned(s) => Text::from(s),
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.as_str().to_owned()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_and_owned_texts_compare_as_their_strings() {
        let a = Text::from("PERSON");
        let b = Text::from(String::from("PERSON"));
        assert_eq!(a, b);
        assert_eq!(a, "PERSON");
        assert_eq!(b.as_str(), "PERSON");
        assert_eq!(a.heap_bytes(), 0);
        assert!(b.heap_bytes() >= 6);
        assert!(matches!(a.to_cow(), Cow::Borrowed("PERSON")));
        let (a, b) = (Text::from("a"), Text::from(String::from("b")));
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Less);
    }

    #[test]
    fn a_text_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Text>(), 16);
    }
}
