//! Sinks: documents in, one output stream out, in the chosen format. The framing lives here —
//! a single JSON document is an object and several an array, JSONL is a line each, the text
//! report separates documents by a blank line, and the HTML page gathers at most
//! [`HTML_DOC_LIMIT`] documents — so the CLI, a server or a library caller produce the same
//! bytes.

use std::io::{self, Write};

use claimlens_core::{Diagnostic, Doc};

use crate::json::write_json_object;
use crate::{
    write_claims_jsonl, write_html, write_json, write_jsonl, write_text, DocView, ExportOptions,
    TextOptions,
};

/// Most documents gathered into one HTML report; the page is for reading, not for corpora.
pub const HTML_DOC_LIMIT: usize = 500;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Readable terminal report.
    Text,
    /// One JSON object per document (an array when there are several).
    Json,
    /// One JSON object per line, per document.
    Jsonl,
    /// One JSON object per claim, by rank within each document ([`write_claims_jsonl`]).
    ClaimsJsonl,
    /// One self-contained HTML page with highlighted layers.
    Html,
}

/// What a sink writes and how.
#[derive(Debug, Clone, Copy)]
pub struct SinkOptions {
    /// The format.
    pub format: OutputFormat,
    /// JSON options.
    pub export: ExportOptions,
    /// Text report options.
    pub text: TextOptions,
}

/// What a finished sink wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinkReport {
    /// Documents received.
    pub documents: u64,
    /// Documents received but left out of the HTML page (beyond [`HTML_DOC_LIMIT`]).
    pub left_out: u64,
}

/// Writes documents to `out` as they come (HTML gathers them for one page).
pub struct Sink<W: Write> {
    out: W,
    opts: SinkOptions,
    report: SinkReport,
    html_docs: Vec<(Doc, Vec<Diagnostic>)>,
    /// The first JSON document, held until a second one shows whether to write an array.
    /// The document is held rather than its JSON, which is many times its size.
    json_pending: Option<(Doc, Vec<Diagnostic>)>,
}

impl<W: Write> Sink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W, opts: SinkOptions) -> Sink<W> {
        Sink {
            out,
            opts,
            report: SinkReport::default(),
            html_docs: Vec::new(),
            json_pending: None,
        }
    }

    /// Writes (or, for HTML, keeps) one analyzed document.
    pub fn write(&mut self, doc: Doc, diagnostics: Vec<Diagnostic>) -> io::Result<()> {
        let out = &mut self.out;
        match self.opts.format {
            OutputFormat::Text => {
                if self.report.documents > 0 {
                    writeln!(out)?;
                }
                write_text(out, &DocView::new(&doc, &diagnostics), self.opts.text)?;
            }
            OutputFormat::Jsonl => {
                write_jsonl(out, &DocView::new(&doc, &diagnostics), self.opts.export)?
            }
            OutputFormat::ClaimsJsonl => {
                write_claims_jsonl(out, &DocView::new(&doc, &diagnostics))?
            }
            OutputFormat::Json => match (self.report.documents, self.json_pending.take()) {
                (0, _) => self.json_pending = Some((doc, diagnostics)),
                (_, Some((first, first_diagnostics))) => {
                    out.write_all(b"[\n")?;
                    write_json_element(out, &first, &first_diagnostics, self.opts.export)?;
                    drop(first);
                    out.write_all(b",\n")?;
                    write_json_element(out, &doc, &diagnostics, self.opts.export)?;
                }
                (_, None) => {
                    out.write_all(b",\n")?;
                    write_json_element(out, &doc, &diagnostics, self.opts.export)?;
                }
            },
            OutputFormat::Html => {
                if self.html_docs.len() < HTML_DOC_LIMIT {
                    self.html_docs.push((doc, diagnostics));
                } else {
                    self.report.left_out += 1;
                }
            }
        }
        self.report.documents += 1;
        Ok(())
    }

    /// Closes the output (the JSON array, the HTML page), flushes it, and says what was
    /// written.
    pub fn finish(mut self) -> io::Result<SinkReport> {
        match self.opts.format {
            OutputFormat::Json => match self.json_pending.take() {
                Some((doc, diagnostics)) => write_json(
                    &mut self.out,
                    &DocView::new(&doc, &diagnostics),
                    self.opts.export,
                )?,
                None if self.report.documents > 1 => self.out.write_all(b"\n]\n")?,
                None => {}
            },
            OutputFormat::Html if !self.html_docs.is_empty() => {
                let views: Vec<DocView<'_>> = self
                    .html_docs
                    .iter()
                    .map(|(d, diags)| DocView::new(d, diags))
                    .collect();
                write_html(&mut self.out, &views)?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(self.report)
    }
}

/// One document of a JSON array.
fn write_json_element<W: Write>(
    out: &mut W,
    doc: &Doc,
    diagnostics: &[Diagnostic],
    opts: ExportOptions,
) -> io::Result<()> {
    write_json_object(out, &DocView::new(doc, diagnostics), opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: OutputFormat, docs: usize) -> String {
        let opts = SinkOptions {
            format,
            export: ExportOptions::default(),
            text: TextOptions::default(),
        };
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out, opts);
        for i in 0..docs {
            sink.write(Doc::new(format!("d{i}"), "Text."), Vec::new())
                .unwrap();
        }
        let report = sink.finish().unwrap();
        assert_eq!(report.documents, docs as u64);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_an_object_for_one_document_and_an_array_for_several() {
        let one: serde_json::Value = serde_json::from_str(&run(OutputFormat::Json, 1)).unwrap();
        assert_eq!(one["id"], "d0");
        let three: serde_json::Value = serde_json::from_str(&run(OutputFormat::Json, 3)).unwrap();
        assert_eq!(three.as_array().unwrap().len(), 3);
        assert_eq!(run(OutputFormat::Json, 0), "");
        assert_eq!(run(OutputFormat::Jsonl, 2).lines().count(), 2);
    }

    #[test]
    fn json_array_elements_are_the_documents_written_alone() {
        let alone = |i: usize| {
            let mut out = Vec::new();
            let doc = Doc::new(format!("d{i}"), "Text.");
            write_json(&mut out, &DocView::new(&doc, &[]), ExportOptions::default()).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(run(OutputFormat::Json, 1), alone(0));
        let elements: Vec<String> = (0..3).map(|i| alone(i).trim_end().to_owned()).collect();
        assert_eq!(
            run(OutputFormat::Json, 3),
            format!("[\n{}\n]\n", elements.join(",\n"))
        );
    }
}
