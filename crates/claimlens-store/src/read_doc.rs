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

/// Why a stored document could not be rebuilt (rows that no writer of this store produces).
pub(crate) enum ReadError {
    Sqlite(rusqlite::Error),
    Damaged(String),
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Sqlite(e)
    }
}

fn damaged<T>(what: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError::Damaged(what.into()))
}

/// A stored name (a stage, a link role or layer): an error rather than a panic when the
/// process has already met more distinct names than it keeps.
fn stored_name(text: &str) -> Result<Name, ReadError> {
    Name::try_new(text)
        .ok_or_else(|| ReadError::Damaged(format!("too many distinct names ({text:?})")))
}

/// The document stored under `doc_id`, `None` when there is none.
pub(crate) fn read_document(conn: &Connection, doc_id: &str) -> Result<Option<Doc>, ReadError> {
    let row = conn
        .query_row(
            "SELECT doc, source_id, source, record, format, encoding, title, outlet, url,
                    author, published, language, fetched_url, fetched_at, text
             FROM documents WHERE doc_id = ?1",
            [doc_id],
            |r| {
                let mut doc = Doc::new(r.get::<_, String>(1)?, r.get::<_, String>(14)?);
                doc.origin.source = r.get(2)?;
                doc.origin.record = r.get(3)?;
                doc.origin.format = intern(&r.get::<_, String>(4)?);
                doc.origin.encoding = intern(&r.get::<_, Option<String>>(5)?.unwrap_or_default());
                let m = &mut doc.meta;
                m.title = r.get(6)?;
                m.outlet = r.get(7)?;
                m.url = r.get(8)?;
                m.author = r.get(9)?;
                m.published = r.get(10)?;
                m.language = r.get(11)?;
                m.fetched_url = r.get(12)?;
                m.fetched_at = r.get(13)?;
                Ok((r.get::<_, i64>(0)?, doc))
            },
        )
        .optional()?;
    let Some((key, mut doc)) = row else {
        return Ok(None);
    };
    let packed: Option<Vec<u8>> = conn
        .query_row("SELECT packed FROM tokens WHERE doc = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(packed) = packed {
        match crate::tokens::unpack(&packed) {
            Some(tokens) if tokens.iter().all(|t| t.span.is_valid_for(doc.text())) => {
                doc.tokens = tokens
            }
            _ => return damaged(format!("the tokens of document {doc_id} cannot be read")),
        }
    }
    let mut layers = read_layers(conn, key)?;
    let mut links = read_links(conn, key)?;
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
            layer::SENTENCES => doc.sentences = sentences(&l, doc_id)?,
            _ => {
                if let Err(e) = doc.insert_layer(l) {
                    return damaged(format!("document {doc_id}: {e}"));
                }
            }
        }
    }
    Ok(Some(doc))
}

/// Every stored layer of a document with its annotations (links not yet attached), in the
/// order the document had them.
fn read_layers(conn: &Connection, key: i64) -> Result<Vec<(String, Layer)>, ReadError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, stage, position FROM layers WHERE doc = ?1 ORDER BY position, name",
    )?;
    let mut layers: Vec<(Option<i64>, String, Layer)> = stmt
        .query_map([key], |r| {
            let name: String = r.get(0)?;
            let stage: String = r.get(1)?;
            Ok((
                r.get(2)?,
                name.clone(),
                Layer::new(Cow::Owned(name), Cow::Owned(stage)),
            ))
        })?
        .collect::<Result<_, _>>()?;
    // Before version 3 the order was not stored: segmentation first, then the catalogue's
    // (pipeline) order, which is the order the pipeline adds them in.
    let catalogue = |name: &str| {
        claimlens_schema::LAYERS
            .iter()
            .position(|l| l.name == name)
            .unwrap_or(usize::MAX)
    };
    layers.sort_by(|a, b| {
        (a.0.is_none(), a.0, catalogue(&a.1), &a.1).cmp(&(
            b.0.is_none(),
            b.0,
            catalogue(&b.1),
            &b.1,
        ))
    });
    let index: HashMap<String, usize> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| (l.1.clone(), i))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT layer, idx, type, start_byte, end_byte, stage, rule, score, attrs
         FROM annotations WHERE doc = ?1 ORDER BY layer, idx",
    )?;
    let mut rows = stmt.query([key])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        let idx: i64 = r.get(1)?;
        let (start, end): (i64, i64) = (r.get(3)?, r.get(4)?);
        let Some(&i) = index.get(&name) else {
            return damaged(format!(
                "an annotation of layer {name}, which is not stored"
            ));
        };
        let layer = &mut layers[i].2;
        if idx != layer.annotations.len() as i64 || !(0 <= start && start <= end) {
            return damaged(format!(
                "annotation {name}[{idx}] is out of order or inverted"
            ));
        }
        let reason = Reason {
            stage: stored_name(&r.get::<_, String>(5)?)?,
            rule: r.get::<_, Option<String>>(6)?.unwrap_or_default().into(),
            score: r.get::<_, Option<f64>>(7)?.map(|s| s as f32),
        };
        let mut a = Annotation::new(
            Span::new(start as usize, end as usize),
            r.get::<_, String>(2)?,
            reason,
        );
        a.attrs = attrs(&r.get::<_, String>(8)?)
            .ok_or_else(|| ReadError::Damaged(format!("the attributes of {name}[{idx}]")))?
            .into_boxed_slice();
        layer.push(a);
    }
    Ok(layers.into_iter().map(|(_, n, l)| (n, l)).collect())
}

type Links = HashMap<(String, u32), Vec<Link>>;

/// Every link of a document by source annotation, in stored order.
fn read_links(conn: &Connection, key: i64) -> Result<Links, ReadError> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_layer, from_idx, role, to_layer, to_idx
         FROM links WHERE doc = ?1 ORDER BY from_layer, from_idx, position",
    )?;
    let mut links = Links::new();
    let mut rows = stmt.query(params![key])?;
    while let Some(r) = rows.next()? {
        links.entry((r.get(0)?, r.get(1)?)).or_default().push(Link {
            role: stored_name(&r.get::<_, String>(2)?)?,
            layer: stored_name(&r.get::<_, String>(3)?)?,
            index: r.get(4)?,
        });
    }
    Ok(links)
}

fn paragraphs(l: &Layer) -> Vec<Paragraph> {
    l.annotations
        .iter()
        .map(|a| Paragraph { span: a.span })
        .collect()
}

fn sentences(l: &Layer, doc_id: &str) -> Result<Vec<Sentence>, ReadError> {
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
