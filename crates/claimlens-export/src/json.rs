//! JSON and JSON Lines writers over the export model.

use std::io::{self, Write};

use serde::Serialize;

use crate::{DocView, ExportClaim, ExportDoc, ExportOptions};

/// Writes one document as pretty-printed JSON followed by a newline.
pub fn write_json<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    opts: ExportOptions,
) -> io::Result<()> {
    write_json_object(out, view, opts)?;
    out.write_all(b"\n")
}

/// Writes one document as pretty-printed JSON, without a newline (an element of an array).
/// The document is serialized as it is written: nothing the size of the output is held.
pub(crate) fn write_json_object<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    opts: ExportOptions,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &ExportDoc::new(view, opts))?;
    Ok(())
}

/// Writes one document as a single JSON line.
pub fn write_jsonl<W: Write>(
    out: &mut W,
    view: &DocView<'_>,
    opts: ExportOptions,
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &ExportDoc::new(view, opts))?;
    out.write_all(b"\n")
}

/// One line of [`write_claims_jsonl`]: a claim with the document it belongs to.
#[derive(Serialize)]
struct ClaimLine<'a> {
    /// The document's id.
    document: &'a str,
    /// Where the document came from (file name).
    source: &'a str,
    #[serde(flatten)]
    claim: ExportClaim<'a>,
}

/// Writes the document's claims, one JSON line each, by rank (the `claims` digest: see
/// docs/schema.md): a triage list that needs no other part of the export. A document without
/// claims writes nothing.
pub fn write_claims_jsonl<W: Write>(out: &mut W, view: &DocView<'_>) -> io::Result<()> {
    for c in &crate::digest::ranked_claims(view.doc) {
        let line = ClaimLine {
            document: &view.doc.id,
            source: &view.doc.origin.source,
            claim: ExportClaim::new(view, c),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
