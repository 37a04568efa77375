//! Typed annotation layers added by analyzers.

use std::borrow::Cow;

use crate::{Name, Span, Text};

/// Why an annotation exists: which stage produced it, which rule, lexicon entry or model fired,
/// and how confident it is when a score applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Name of the producing stage (e.g. `"segment"`).
    pub stage: Name,
    /// The rule id, lexicon entry or model name that fired (e.g. `"terminal-punct"`).
    pub rule: Text,
    /// Model probability or rule confidence in `[0, 1]`, when the producer has one.
    pub score: Option<f32>,
}

impl Reason {
    /// A reason for a deterministic rule.
    pub fn rule(stage: impl Into<Name>, rule: impl Into<Text>) -> Reason {
        Reason {
            stage: stage.into(),
            rule: rule.into(),
            score: None,
        }
    }

    /// A reason for a scored decision (a model output or a weighted rule).
    pub fn scored(stage: impl Into<Name>, rule: impl Into<Text>, score: f32) -> Reason {
        Reason {
            stage: stage.into(),
            rule: rule.into(),
            score: Some(score),
        }
    }
}

/// A scalar attribute value attached to an annotation.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// Text (a canonical name, an ISO date, ...). A value from a closed set (a kind, a
    /// role, a rule name) is borrowed from the binary, so the many annotations that carry one
    /// hold no copy of it: a layer's memory is mostly such attributes.
    Str(Cow<'static, str>),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A flag.
    Bool(bool),
}

impl From<&'static str> for AttrValue {
    fn from(s: &'static str) -> Self {
        AttrValue::Str(Cow::Borrowed(s))
    }
}
impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::Str(Cow::Owned(s))
    }
}
impl From<Cow<'static, str>> for AttrValue {
    fn from(s: Cow<'static, str>) -> Self {
        AttrValue::Str(s)
    }
}
impl From<i64> for AttrValue {
    fn from(v: i64) -> Self {
        AttrValue::Int(v)
    }
}
impl From<f64> for AttrValue {
    fn from(v: f64) -> Self {
        AttrValue::Float(v)
    }
}
impl From<bool> for AttrValue {
    fn from(v: bool) -> Self {
        AttrValue::Bool(v)
    }
}

/// A typed pointer from one annotation to another, e.g. an attribution's `source` role
/// pointing at an entity mention. `layer` + `index` identify the target inside the same `Doc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The role the target plays (`"source"`, `"cue"`, `"content"`, `"antecedent"`, ...).
    pub role: Name,
    /// Name of the target's layer.
    pub layer: Name,
    /// Index of the target inside that layer's `annotations`.
    pub index: u32,
}

/// One standoff annotation: a span of the original text, a label, a reason, and optional
/// attributes and links.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Where in `Doc::text` (byte offsets).
    pub span: Span,
    /// The annotation's type within its layer (`"PERSON"`, `"CUE"`, `"Loaded_Language"`, ...).
    pub label: Text,
    /// Why it exists.
    pub reason: Reason,
    /// Extra scalar attributes, in insertion order. A boxed slice, not a vector: an
    /// annotation is built once and then only read, and a long document holds hundreds of
    /// thousands, so the vector's capacity word and its spare room are not kept.
    pub attrs: Box<[(Name, AttrValue)]>,
    /// Links to other annotations of the same document (a boxed slice, as `attrs`).
    pub links: Box<[Link]>,
}

impl Annotation {
    /// A bare annotation with no attributes or links.
    pub fn new(span: Span, label: impl Into<Text>, reason: Reason) -> Annotation {
        Annotation {
            span,
            label: label.into(),
            reason,
            attrs: Box::default(),
            links: Box::default(),
        }
    }

    /// Builder: adds an attribute.
    pub fn with_attr(mut self, key: impl Into<Name>, value: impl Into<AttrValue>) -> Annotation {
        self.attrs = extended(
            std::mem::take(&mut self.attrs),
            [(key.into(), value.into())],
        );
        self
    }

    /// Builder: adds a link.
    pub fn with_link(mut self, link: Link) -> Annotation {
        self.push_link(link);
        self
    }

    /// Builder: adds links in one step. An annotation that links to many others (an entity
    /// group to each of its mentions) gets them here rather than one `with_link` at a time,
    /// which resizes the exactly sized slice once per link.
    pub fn with_links(mut self, links: impl IntoIterator<Item = Link>) -> Annotation {
        self.links = extended(std::mem::take(&mut self.links), links);
        self
    }

    /// Adds a link to an annotation already built (a relative place to its anchor, once both
    /// are placed).
    pub fn push_link(&mut self, link: Link) {
        self.links = extended(std::mem::take(&mut self.links), [link]);
    }

    /// Looks up an attribute by key.
    pub fn attr(&self, key: &str) -> Option<&AttrValue> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A text attribute by key as stored: a value borrowed from the binary stays borrowed
    /// when the caller keeps it, so copying a kind or a role costs nothing.
    pub fn attr_cow(&self, key: &str) -> Option<Cow<'static, str>> {
        match self.attr(key)? {
            AttrValue::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A text attribute by key; `None` when absent or not text.
    pub fn attr_str(&self, key: &str) -> Option<&str> {
        match self.attr(key)? {
            AttrValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// `items` with `more` appended, exactly sized. An annotation gets a handful of attributes
/// and links, usually one at a time, so growing to the new length is cheap next to the memory
/// a spare slot would hold for the document's life.
fn extended<T>(items: Box<[T]>, more: impl IntoIterator<Item = T>) -> Box<[T]> {
    let mut items = items.into_vec();
    let more = more.into_iter();
    items.reserve_exact(more.size_hint().0);
    items.extend(more);
    items.into_boxed_slice()
}

/// A named group of annotations produced by one stage (spaCy's `doc.spans[name]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Layer name, unique within a `Doc` (`"entities"`, `"attributions"`, ...).
    pub name: Cow<'static, str>,
    /// The stage that produced it.
    pub producer: Cow<'static, str>,
    /// The annotations, kept sorted by `(span.start, span.end)` by [`Layer::sort`].
    pub annotations: Vec<Annotation>,
}

impl Layer {
    /// An empty layer.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        producer: impl Into<Cow<'static, str>>,
    ) -> Layer {
        Layer {
            name: name.into(),
            producer: producer.into(),
            annotations: Vec::new(),
        }
    }

    /// Appends an annotation.
    pub fn push(&mut self, a: Annotation) {
        self.annotations.push(a);
    }

    /// Heap bytes the layer holds: its annotation vector and each annotation's attributes,
    /// links and owned strings (capacities, without the allocator's own overhead).
    pub fn heap_bytes(&self) -> usize {
        // Only an owned string has heap of its own (a borrowed one is a static name).
        #[allow(clippy::ptr_arg)]
        fn cow(s: &Cow<'static, str>) -> usize {
            match s {
                Cow::Borrowed(_) => 0,
                Cow::Owned(s) => s.capacity(),
            }
        }
        let annotation = |a: &Annotation| {
            // Names live in the process-wide table, not in the layer.
            let attrs = a.attrs.iter().map(|(_, v)| match v {
                AttrValue::Str(s) => cow(s),
                _ => 0,
            });
            a.label.heap_bytes()
                + a.reason.rule.heap_bytes()
                + std::mem::size_of_val(&*a.attrs)
                + attrs.sum::<usize>()
                + std::mem::size_of_val(&*a.links)
        };
        cow(&self.name)
            + cow(&self.producer)
            + self.annotations.capacity() * std::mem::size_of::<Annotation>()
            + self.annotations.iter().map(annotation).sum::<usize>()
    }

    /// Sorts annotations by position. Call before any other annotation links into the layer,
    /// because links address annotations by index.
    pub fn sort(&mut self) {
        self.annotations
            .sort_by_key(|a| (a.span.start, std::cmp::Reverse(a.span.end)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(index: u32) -> Link {
        Link {
            role: "mention".into(),
            layer: "entities".into(),
            index,
        }
    }

    #[test]
    fn attributes_and_links_keep_their_order_and_exact_size() {
        let a = Annotation::new(Span::new(0, 4), "ORG", Reason::rule("test", "r"))
            .with_attr("kind", "named")
            .with_attr("count", 3i64)
            .with_link(link(7))
            .with_links((0..1000).map(link));
        assert_eq!(a.attr_str("kind"), Some("named"));
        assert_eq!(a.attr("count"), Some(&AttrValue::Int(3)));
        assert!(matches!(a.attr_cow("kind"), Some(Cow::Borrowed("named"))));
        assert_eq!(a.links.len(), 1001);
        assert_eq!(a.links[0].index, 7);
        assert_eq!(a.links[1000].index, 999);
        assert_eq!(a.links[1].role, "mention");
    }
}
