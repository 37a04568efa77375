//! Self-contained HTML report (placeholder: replaced by the full report in the next commit).

use std::io::{self, Write};

use claimlens_core::{Diagnostic, Doc};

/// Writes a self-contained HTML page for the documents.
pub fn write_html<W: Write>(out: &mut W, docs: &[(Doc, Vec<Diagnostic>)]) -> io::Result<()> {
    writeln!(
        out,
        "<!doctype html><meta charset=utf-8><title>claimlens</title>"
    )?;
    for (doc, _) in docs {
        writeln!(out, "<pre>{}</pre>", escape(doc.text()))?;
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
