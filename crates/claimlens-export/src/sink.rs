//! Sinks: documents in, one output stream out, in the chosen format. The framing lives here —
//! a single JSON document is an object and several an array, JSONL is a line each, the text
//! report separates documents by a blank line, and the HTML page gathers at most
//! [`HTML_DOC_LIMIT`] documents — so the CLI, a server or a library caller produce the same
//! bytes.

use std::io::{self, Write};

use claimlens_core::{Diagnostic, Doc};

use crate::{write_html, write_json, write_jsonl, write_text, DocView, ExportOptions, TextOptions};

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
    json_pending: Option<Vec<u8>>,
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
            OutputFormat::Json => {
                let mut buf = Vec::new();
                write_json(
                    &mut buf,
                    &DocView::new(&doc, &diagnostics),
                    self.opts.export,
                )?;
                match (self.report.documents, self.json_pending.take()) {
                    (0, _) => self.json_pending = Some(buf),
                    (_, Some(first)) => {
                        out.write_all(b"[\n")?;
                        out.write_all(trim_newline(&first))?;
                        out.write_all(b",\n")?;
                        out.write_all(trim_newline(&buf))?;
                    }
                    (_, None) => {
                        out.write_all(b",\n")?;
                        out.write_all(trim_newline(&buf))?;
                    }
                }
            }
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
                Some(single) => self.out.write_all(&single)?,
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

fn trim_newline(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\n").unwrap_or(b)
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
}
