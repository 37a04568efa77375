//! Reading a stored document back into a [`Doc`]: the inverse of `rows.rs` and the writer.
//!
//! Everything the JSON export shows is stored, so a document read back exports byte for
//! byte as it did before it was written (a test checks this on the real pipeline's output).
//! Documents written before schema version 3 lack tokens, the fetch metadata, the encoding
//! and the order of layers; they come back without the first three and with their layers
//! in the catalogue's order.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use claimlens_core::{
    Annotation, AttrValue, BoundaryRule, Doc, Layer, Link, Name, Paragraph, Reason, Sentence, Span,
};
use claimlens_schema::layer;
use rusqlite::{params, Connection, OptionalExtension};

/// Why a stored document could not be rebuilt: the back-end's error `E`, or rows that no
/// writer of this store produces.
pub(crate) enum ReadError<E> {
    Store(E),
    Damaged(String),
}

impl From<rusqlite::Error> for ReadError<rusqlite::Error> {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Store(e)
    }
}

fn damaged<T, E>(what: impl Into<String>) -> Result<T, ReadError<E>> {
    Err(ReadError::Damaged(what.into()))
}

/// A stored name (a stage, a link role or layer): an error rather than a panic when the
/// process has already met more distinct names than it keeps.
fn stored_name<E>(text: &str) -> Result<Name, ReadError<E>> {
    Name::try_new(text)
        .ok_or_else(|| ReadError::Damaged(format!("too many distinct names ({text:?})")))
}

/// The `documents` columns a document is rebuilt from, as every back-end reads them.
pub(crate) struct Header {
    pub(crate) source_id: String,
    pub(crate) source: String,
    pub(crate) record: Option<u64>,
    pub(crate) format: String,
    pub(crate) encoding: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) fetched_url: Option<String>,
    pub(crate) fetched_at: Option<String>,
    pub(crate) text: String,
}

impl Header {
    fn into_doc(self) -> Doc {
        let mut doc = Doc::new(self.source_id, self.text);
        doc.origin.source = self.source;
        doc.origin.record = self.record;
        doc.origin.format = intern(&self.format);
        doc.origin.encoding = intern(&self.encoding.unwrap_or_default());
        let m = &mut doc.meta;
        m.title = self.title;
        m.outlet = self.outlet;
        m.url = self.url;
        m.author = self.author;
        m.published = self.published;
        m.language = self.language;
        m.fetched_url = self.fetched_url;
        m.fetched_at = self.fetched_at;
        doc
    }
}

/// A `layers` row.
pub(crate) struct LayerRow {
    pub(crate) name: String,
    pub(crate) stage: String,
    pub(crate) position: Option<i64>,
}

/// An `annotations` row.
pub(crate) struct AnnotationRecord {
    pub(crate) layer: String,
    pub(crate) idx: i64,
    pub(crate) label: String,
    pub(crate) start_byte: i64,
    pub(crate) end_byte: i64,
    pub(crate) stage: String,
    pub(crate) rule: Option<String>,
    pub(crate) score: Option<f64>,
    pub(crate) attrs: String,
}

/// A `links` row.
pub(crate) struct LinkRecord {
    pub(crate) from_layer: String,
    pub(crate) from_idx: u32,
    pub(crate) role: String,
    pub(crate) to_layer: String,
    pub(crate) to_idx: u32,
}

type Links = HashMap<(String, u32), Vec<Link>>;

/// Rebuilds a document from its rows, whichever back-end read them: the header and tokens
/// first, then annotations in `(layer, idx)` order and links in `(from_layer, from_idx,
/// position)` order, then [`Assembler::finish`].
pub(crate) struct Assembler {
    doc_id: String,
    doc: Doc,
    layers: Vec<(String, Layer)>,
    index: HashMap<String, usize>,
    links: Links,
}

impl Assembler {
    pub(crate) fn new<E>(
        doc_id: &str,
        header: Header,
        packed_tokens: Option<&[u8]>,
        mut layer_rows: Vec<LayerRow>,
    ) -> Result<Assembler, ReadError<E>> {
        let mut doc = header.into_doc();
        if let Some(packed) = packed_tokens {
            match crate::tokens::unpack(packed) {
                Some(tokens) if tokens.iter().all(|t| t.span.is_valid_for(doc.text())) => {
                    doc.tokens = tokens
                }
                _ => return damaged(format!("the tokens of document {doc_id} cannot be read")),
            }
        }
        // Before version 3 the order was not stored: segmentation first, then the
        // catalogue's (pipeline) order, which is the order the pipeline adds them in.
        let catalogue = |name: &str| {
            claimlens_schema::LAYERS
                .iter()
                .position(|l| l.name == name)
                .unwrap_or(usize::MAX)
        };
        layer_rows.sort_by(|a, b| {
            (
                a.position.is_none(),
                a.position,
                catalogue(&a.name),
                &a.name,
            )
                .cmp(&(
                    b.position.is_none(),
                    b.position,
                    catalogue(&b.name),
                    &b.name,
                ))
        });
        let index = layer_rows
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.clone(), i))
            .collect();
        let layers = layer_rows
            .into_iter()
            .map(|l| {
                let layer = Layer::new(Cow::Owned(l.name.clone()), Cow::Owned(l.stage));
                (l.name, layer)
            })
            .collect();
        Ok(Assembler {
            doc_id: doc_id.to_owned(),
            doc,
            layers,
            index,
            links: Links::new(),
        })
    }

    pub(crate) fn annotation<E>(&mut self, r: AnnotationRecord) -> Result<(), ReadError<E>> {
        let name = &r.layer;
        let idx = r.idx;
        let (start, end) = (r.start_byte, r.end_byte);
        let Some(&i) = self.index.get(name) else {
            return damaged(format!(
                "an annotation of layer {name}, which is not stored"
            ));
        };
        let layer = &mut self.layers[i].1;
        if idx != layer.annotations.len() as i64 || !(0 <= start && start <= end) {
            return damaged(format!(
                "annotation {name}[{idx}] is out of order or inverted"
            ));
        }
        let reason = Reason {
            stage: stored_name(&r.stage)?,
            rule: r.rule.unwrap_or_default().into(),
            score: r.score.map(|s| s as f32),
        };
        let mut a = Annotation::new(Span::new(start as usize, end as usize), r.label, reason);
        a.attrs = attrs(&r.attrs)
            .ok_or_else(|| ReadError::Damaged(format!("the attributes of {name}[{idx}]")))?
            .into_boxed_slice();
        layer.push(a);
        Ok(())
    }

    pub(crate) fn link<E>(&mut self, r: LinkRecord) -> Result<(), ReadError<E>> {
        let link = Link {
            role: stored_name(&r.role)?,
            layer: stored_name(&r.to_layer)?,
            index: r.to_idx,
        };
        self.links
            .entry((r.from_layer, r.from_idx))
            .or_default()
            .push(link);
        Ok(())
    }

    pub(crate) fn finish<E>(self) -> Result<Doc, ReadError<E>> {
        let Assembler {
            doc_id,
            mut doc,
            mut layers,
            mut links,
            ..
        } = self;
        for (name, annotations) in &mut layers {
            for (idx, a) in annotations.annotations.iter_mut().enumerate() {
                if let Some(l) = links.remove(&(name.clone(), idx as u32)) {
                    a.links = l.into_boxed_slice();
                }
            }
        }
        if let Some(((from, idx), _)) = links.into_iter().next() {
            return damaged(format!(
                "document {doc_id}: a link from {from}[{idx}], which is not stored"
            ));
        }
        for (name, l) in layers {
            match name.as_str() {
                layer::PARAGRAPHS => doc.paragraphs = paragraphs(&l),
                layer::SENTENCES => doc.sentences = sentences(&l, &doc_id)?,
                _ => {
                    if let Err(e) = doc.insert_layer(l) {
                        return damaged(format!("document {doc_id}: {e}"));
                    }
                }
            }
        }
        Ok(doc)
    }
}

/// The document stored under `doc_id`, `None` when there is none.
pub(crate) fn read_document(
    conn: &Connection,
    doc_id: &str,
) -> Result<Option<Doc>, ReadError<rusqlite::Error>> {
    let row = conn
        .query_row(
            "SELECT doc, source_id, source, record, format, encoding, title, outlet, url,
                    author, published, language, fetched_url, fetched_at, text
             FROM documents WHERE doc_id = ?1",
            [doc_id],
            |r| {
                let header = Header {
                    source_id: r.get(1)?,
                    source: r.get(2)?,
                    record: r.get(3)?,
                    format: r.get(4)?,
                    encoding: r.get(5)?,
                    title: r.get(6)?,
                    outlet: r.get(7)?,
                    url: r.get(8)?,
                    author: r.get(9)?,
                    published: r.get(10)?,
                    language: r.get(11)?,
                    fetched_url: r.get(12)?,
                    fetched_at: r.get(13)?,
                    text: r.get(14)?,
                };
                Ok((r.get::<_, i64>(0)?, header))
            },
        )
        .optional()?;
    let Some((key, header)) = row else {
        return Ok(None);
    };
    let packed: Option<Vec<u8>> = conn
        .query_row("SELECT packed FROM tokens WHERE doc = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    let layer_rows = conn
        .prepare_cached("SELECT name, stage, position FROM layers WHERE doc = ?1")?
        .query_map([key], |r| {
            Ok(LayerRow {
                name: r.get(0)?,
                stage: r.get(1)?,
                position: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut doc = Assembler::new(doc_id, header, packed.as_deref(), layer_rows)?;
    let mut stmt = conn.prepare_cached(
        "SELECT layer, idx, type, start_byte, end_byte, stage, rule, score, attrs
         FROM annotations WHERE doc = ?1 ORDER BY layer, idx",
    )?;
    let mut rows = stmt.query([key])?;
    while let Some(r) = rows.next()? {
        doc.annotation(AnnotationRecord {
            layer: r.get(0)?,
            idx: r.get(1)?,
            label: r.get(2)?,
            start_byte: r.get(3)?,
            end_byte: r.get(4)?,
            stage: r.get(5)?,
            rule: r.get(6)?,
            score: r.get(7)?,
            attrs: r.get(8)?,
        })?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT from_layer, from_idx, role, to_layer, to_idx
         FROM links WHERE doc = ?1 ORDER BY from_layer, from_idx, position",
    )?;
    let mut rows = stmt.query(params![key])?;
    while let Some(r) = rows.next()? {
        doc.link(LinkRecord {
            from_layer: r.get(0)?,
            from_idx: r.get(1)?,
            role: r.get(2)?,
            to_layer: r.get(3)?,
            to_idx: r.get(4)?,
        })?;
    }
    doc.finish().map(Some)
}

fn paragraphs(l: &Layer) -> Vec<Paragraph> {
    l.annotations
        .iter()
        .map(|a| Paragraph { span: a.span })
        .collect()
}

fn sentences<E>(l: &Layer, doc_id: &str) -> Result<Vec<Sentence>, ReadError<E>> {
    l.annotations
        .iter()
        .map(|a| {
            let paragraph = match a.attr("paragraph") {
                Some(AttrValue::Int(p)) => u32::try_from(*p).ok(),
                _ => None,
            };
            match (paragraph, boundary_rule(&a.reason.rule)) {
                (Some(paragraph), Some(end_rule)) => Ok(Sentence {
                    span: a.span,
                    paragraph,
                    end_rule,
                }),
                _ => damaged(format!("a sentence of document {doc_id} cannot be read")),
            }
        })
        .collect()
}

/// The boundary rule a sentence row names (the inverse of `BoundaryRule::as_str`).
fn boundary_rule(name: &str) -> Option<BoundaryRule> {
    use BoundaryRule::*;
    // Written as a match on the variant so a rule added to the core fails to compile here
    // until it is listed.
    let all = |r: BoundaryRule| match r {
        TerminalPunctuation | ClosingQuote | ParagraphBreak | LineBreak | Dateline | Colon
        | EndOfText => r,
    };
    [
        TerminalPunctuation,
        ClosingQuote,
        ParagraphBreak,
        LineBreak,
        Dateline,
        Colon,
        EndOfText,
    ]
    .into_iter()
    .map(all)
    .find(|r| r.as_str() == name)
}

/// Attributes from their stored JSON object. A `null` (a non-finite float, which JSON cannot
/// hold) comes back as NaN, which the export writes as `null` again.
fn attrs(json: &str) -> Option<Vec<(Name, AttrValue)>> {
    let serde_json::Value::Object(object) = serde_json::from_str(json).ok()? else {
        return None;
    };
    object
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => AttrValue::Str(s.into()),
                serde_json::Value::Bool(b) => AttrValue::Bool(b),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) if !n.is_f64() => AttrValue::Int(i),
                    _ => AttrValue::Float(n.as_f64()?),
                },
                serde_json::Value::Null => AttrValue::Float(f64::NAN),
                _ => return None,
            };
            Some((Name::try_new(&k)?, value))
        })
        .collect()
}

/// A `&'static str` for an origin field (`Origin::format` and `encoding` are static names
/// the ingest chooses from a short list). Each distinct value is allocated once for the life
/// of the process, so memory stays bounded by the number of formats and encodings.
fn intern(value: &str) -> &'static str {
    static KNOWN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&s) = known.get(value) {
        return s;
    }
    let s: &'static str = Box::leak(value.to_owned().into_boxed_str());
    known.insert(s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_boundary_rule_is_read_back_from_its_name() {
        for rule in [
            BoundaryRule::TerminalPunctuation,
            BoundaryRule::ClosingQuote,
            BoundaryRule::ParagraphBreak,
            BoundaryRule::LineBreak,
            BoundaryRule::Dateline,
            BoundaryRule::Colon,
            BoundaryRule::EndOfText,
        ] {
            assert_eq!(boundary_rule(rule.as_str()), Some(rule));
        }
        assert_eq!(boundary_rule("nonsense"), None);
    }

    #[test]
    fn attributes_keep_their_json_types() {
        let a = attrs(r#"{"n":2,"f":2.0,"s":"x","b":true,"odd":null}"#).unwrap();
        let get = |k: &str| a.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(get("n"), AttrValue::Int(2));
        assert_eq!(get("f"), AttrValue::Float(2.0));
        assert_eq!(get("s"), AttrValue::Str("x".into()));
        assert_eq!(get("b"), AttrValue::Bool(true));
        assert!(matches!(get("odd"), AttrValue::Float(f) if f.is_nan()));
        assert!(attrs("[1]").is_none());
        assert!(attrs(r#"{"nested":[1]}"#).is_none());
    }

    #[test]
    fn interned_names_are_shared() {
        let a = intern("windows-1252");
        let b = intern(&String::from("windows-1252"));
        assert!(std::ptr::eq(a, b));
    }
}
