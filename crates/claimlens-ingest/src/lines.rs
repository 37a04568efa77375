//! Line reading with a length cap, so one enormous line costs bounded memory.

use std::io::{self, BufRead};

/// One line from [`BoundedLines`].
#[derive(Debug)]
pub(crate) enum Line {
    /// A line within the cap, without its `\n` (a trailing `\r` is kept for the caller).
    Ok(Vec<u8>),
    /// A line over the cap: its bytes were discarded; `size` is its full length.
    TooLong { size: u64 },
}

/// Reads `\n`-terminated lines; lines longer than `cap` are skipped without being buffered.
pub(crate) struct BoundedLines<R> {
    reader: R,
    cap: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(reader: R, cap: usize) -> Self {
        BoundedLines {
            reader,
            cap,
            buf: Vec::new(),
        }
    }

    /// The length cap in bytes.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The next line, `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buf.clear();
        let mut size: u64 = 0;
        let mut overflow = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if size == 0 {
                    return Ok(None);
                }
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            size += take as u64;
            if !overflow {
                if self.buf.len() + take > self.cap {
                    overflow = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            let consumed = if done { take + 1 } else { take };
            self.reader.consume(consumed);
            if done {
                break;
            }
        }
        if overflow {
            Ok(Some(Line::TooLong { size }))
        } else {
            Ok(Some(Line::Ok(std::mem::take(&mut self.buf))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: usize) -> Vec<String> {
        let mut r = BoundedLines::new(std::io::BufReader::with_capacity(4, input), cap);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Ok(b) => String::from_utf8(b).unwrap(),
                Line::TooLong { size } => format!("<too long: {size}>"),
            });
        }
        out
    }

    #[test]
    fn splits_and_caps() {
        assert_eq!(
            lines(b"ab\n\nabcdefghij\nxyz", 5),
            vec!["ab", "", "<too long: 10>", "xyz"]
        );
        assert_eq!(lines(b"", 5), Vec::<String>::new());
        assert_eq!(lines(b"a\n", 5), vec!["a"]);
    }
}
