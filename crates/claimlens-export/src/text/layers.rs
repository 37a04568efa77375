//! The layer listing (`--layers`): each annotation of the selected layers with its offsets,
//! text, attributes, reason and links.

use std::io::{self, Write};

use claimlens_core::AttrValue;

use super::{heading, quoted, title_of, LayerDump, Style};
use crate::snippet::{cap, Snippet, SNIPPET_CHARS};
use crate::terminal::clean;
use crate::view::DocView;

/// Each selected layer's annotations with their attributes, reasons and links.
pub(super) fn write_layers<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    st: &Style,
    selected: LayerDump,
) -> io::Result<()> {
    let (doc, idx) = (view.doc, &view.index);
    let snippet = |span| Snippet::of(doc.text(), idx, span, SNIPPET_CHARS);
    for layer in doc.layers().iter().filter(|l| selected.includes(&l.name)) {
        let title = title_of(
            &layer.name,
            &format!(
                "{} from {}",
                layer.annotations.len(),
                clean(&layer.producer)
            ),
        );
        heading(out, st, &title)?;
        for a in &layer.annotations {
            let (x, y) = view.chars(a.span);
            let attrs: Vec<String> = a
                .attrs
                .iter()
                .map(|(k, v)| format!("{k}={}", attr_text(v)))
                .collect();
            writeln!(
                out,
                "  {} {} {} {}{}",
                st.paint("35", &a.label),
                st.paint("33", &format!("{x}..{y}")),
                quoted(snippet(a.span)),
                if attrs.is_empty() {
                    String::new()
                } else {
                    format!("{{{}}} ", clean(&attrs.join(", ")))
                },
                st.paint(
                    "2",
                    &format!(
                        "[{}:{}{}]",
                        a.reason.stage,
                        a.reason.rule,
                        score(a.reason.score)
                    )
                )
            )?;
            for link in &a.links {
                let target = doc
                    .layer(&link.layer)
                    .and_then(|l| l.annotations.get(link.index as usize));
                if let Some(t) = target {
                    writeln!(
                        out,
                        "      {} {}",
                        st.paint("2", &format!("{}:", link.role)),
                        quoted(snippet(t.span))
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// An attribute value as text; a long string (a canonical name) is cut like a snippet.
fn attr_text(v: &AttrValue) -> String {
    match v {
        AttrValue::Str(s) => cap(s, SNIPPET_CHARS).into_owned(),
        AttrValue::Int(i) => i.to_string(),
        AttrValue::Float(f) => format!("{f}"),
        AttrValue::Bool(b) => b.to_string(),
    }
}

fn score(s: Option<f32>) -> String {
    s.map_or(String::new(), |s| format!(" {s:.2}"))
}
