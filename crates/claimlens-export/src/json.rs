//! JSON and JSON Lines writers over the export model.

use std::io::{self, Write};

use crate::{DocView, ExportDoc, ExportOptions};

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
