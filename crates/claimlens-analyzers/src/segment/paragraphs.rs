//! Paragraph detection: blocks separated by blank lines or form feeds.
//!
//! A text with no blank line at all but several lines (web dumps, UD-style one paragraph per
//! line) is read as one paragraph per line.

use claimlens_core::{Paragraph, Span};

/// Appends the paragraphs of `text` to `out`, trimmed of surrounding white space.
pub(crate) fn paragraphs(text: &str, out: &mut Vec<Paragraph>) {
    let bytes = text.as_bytes();
    let per_line = !has_blank_line(bytes);
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\x0c' => {
                push_trimmed(text, start, i, out);
                i += 1;
                start = i;
            }
            b'\n' => {
                if per_line {
                    push_trimmed(text, start, i, out);
                    i += 1;
                    start = i;
                } else if let Some(after) = blank_run_end(bytes, i) {
                    push_trimmed(text, start, i, out);
                    i = after;
                    start = i;
                } else {
                    i += 1;
                }
            }
            _ => {
                i = match memchr::memchr2(b'\n', b'\x0c', &bytes[i..]) {
                    Some(k) => i + k,
                    None => bytes.len(),
                };
            }
        }
    }
    push_trimmed(text, start, bytes.len(), out);
}

/// If a blank line starts at the newline at `i`, the offset just after the blank run.
fn blank_run_end(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut blank = false;
    loop {
        let mut k = j;
        while k < bytes.len() && matches!(bytes[k], b' ' | b'\t' | b'\r') {
            k += 1;
        }
        if k < bytes.len() && bytes[k] == b'\n' {
            blank = true;
            j = k + 1;
        } else {
            return blank.then_some(j);
        }
    }
}

fn has_blank_line(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\n', bytes).any(|i| blank_run_end(bytes, i).is_some())
        || memchr::memchr(b'\x0c', bytes).is_some()
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Paragraph>) {
    let slice = &text[start..end];
    let trimmed_start = slice.trim_start();
    if trimmed_start.is_empty() {
        return;
    }
    let s = start + (slice.len() - trimmed_start.len());
    let e = s + trimmed_start.trim_end().len();
    out.push(Paragraph {
        span: Span::new(s, e),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        paragraphs(text, &mut out);
        out.iter().map(|p| &text[p.span.range()]).collect()
    }

    #[test]
    fn blank_lines_split() {
        assert_eq!(
            paras("A b.\nc d.\n\n \r\nE f.\n"),
            vec!["A b.\nc d.", "E f."]
        );
        assert_eq!(paras("One.\nTwo.\nThree."), vec!["One.", "Two.", "Three."]);
        assert_eq!(paras("  \n\n "), Vec::<&str>::new());
        assert_eq!(paras("a\x0cb"), vec!["a", "b"]);
    }
}
