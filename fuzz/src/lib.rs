//! Shared checks for the claimlens fuzz targets.

use std::path::PathBuf;

use claimlens_analyzers::Segmenter;
use claimlens_ingest::{read, Format, IngestOptions, Input};

/// Segments `text` and panics if any span invariant is broken: tokens, sentences and
/// paragraphs are sorted, disjoint, non-empty and on char boundaries; tokens hold no white
/// space and cover every other char exactly once; sentences and paragraphs are trimmed,
/// sentences lie inside their paragraph and partition the tokens.
pub fn check_segmentation(text: &str) {
    let (mut paragraphs, mut tokens, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
    Segmenter::segment_into(text, &mut paragraphs, &mut tokens, &mut sentences);

    let trimmed = |s: claimlens_core::Span| {
        let t = &text[s.range()];
        !t.is_empty() && t.trim() == t
    };
    for (i, p) in paragraphs.iter().enumerate() {
        assert!(
            p.span.is_valid_for(text),
            "paragraph {i} invalid: {:?}",
            p.span
        );
        assert!(
            trimmed(p.span),
            "paragraph {i} untrimmed: {:?}",
            &text[p.span.range()]
        );
        assert!(
            i == 0 || paragraphs[i - 1].span.end <= p.span.start,
            "paragraphs overlap"
        );
    }
    for (i, t) in tokens.iter().enumerate() {
        assert!(t.span.is_valid_for(text), "token {i} invalid: {:?}", t.span);
        assert!(!t.span.is_empty(), "token {i} empty");
        let s = &text[t.span.range()];
        assert!(
            !s.contains(char::is_whitespace),
            "token {i} has white space: {s:?}"
        );
        assert!(
            i == 0 || tokens[i - 1].span.end <= t.span.start,
            "tokens overlap at {i}"
        );
    }
    let mut k = 0;
    for (pos, c) in text.char_indices() {
        let pos = pos as u32;
        while k < tokens.len() && tokens[k].span.end <= pos {
            k += 1;
        }
        let covered = k < tokens.len() && tokens[k].span.start <= pos;
        assert_ne!(
            c.is_whitespace(),
            covered,
            "char {c:?} at {pos}: token coverage"
        );
    }
    for (i, s) in sentences.iter().enumerate() {
        assert!(
            s.span.is_valid_for(text),
            "sentence {i} invalid: {:?}",
            s.span
        );
        assert!(
            trimmed(s.span),
            "sentence {i} untrimmed: {:?}",
            &text[s.span.range()]
        );
        assert!(
            i == 0 || sentences[i - 1].span.end <= s.span.start,
            "sentences overlap"
        );
        let p = paragraphs
            .get(s.paragraph as usize)
            .expect("sentence names an existing paragraph");
        assert!(
            p.span.contains(s.span),
            "sentence {i} outside its paragraph"
        );
    }
    let mut k = 0;
    for (i, t) in tokens.iter().enumerate() {
        while k < sentences.len() && sentences[k].span.end <= t.span.start {
            k += 1;
        }
        assert!(
            k < sentences.len() && sentences[k].span.contains(t.span),
            "token {i} {:?} in no sentence",
            &text[t.span.range()]
        );
    }
}

/// A scratch file for this fuzzing process: in `$CLAIMLENS_FUZZ_SCRATCH` (set by
/// scripts/fuzz-smoke.sh, which removes it afterwards), else in /dev/shm when it exists (no
/// disk IO), else in the temporary directory.
pub fn scratch_file(ext: &str) -> PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    let dir = match std::env::var_os("CLAIMLENS_FUZZ_SCRATCH") {
        Some(d) => PathBuf::from(d),
        None if shm.is_dir() => shm.to_path_buf(),
        None => std::env::temp_dir(),
    };
    dir.join(format!("claimlens-fuzz-{}.{ext}", std::process::id()))
}

/// Writes `data` to a scratch file and reads it through `claimlens_ingest::read` as `format`,
/// checking that every item is a document with non-blank text or an error naming the file.
pub fn read_bytes(data: &[u8], format: Format, ext: &str, max_doc_bytes: u64) {
    let path = scratch_file(ext);
    std::fs::write(&path, data).expect("write scratch file");
    let input = Input::file(&path);
    let opts = IngestOptions {
        format: Some(format),
        max_doc_bytes,
        ..IngestOptions::default()
    };
    let mut bound = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 2;
    if format == Format::Json {
        // Array elements are separated by commas, not lines, and objects may follow one
        // another with nothing between them (`{…}{…}`): each element starts at a comma or
        // an opening brace.
        bound += data.iter().filter(|&&b| b == b',' || b == b'{').count();
    }
    if format == Format::Warc {
        // Every document or error starts at a version line; a compressed archive may hold
        // any number of records, so only a plain one is bounded.
        bound = if data.starts_with(&[0x1f, 0x8b]) {
            usize::MAX
        } else {
            data.windows(5).filter(|w| w == b"WARC/").count() + 1
        };
    }
    let mut items = 0;
    for item in read(&input, &opts) {
        match item {
            Ok(doc) => {
                assert!(!doc.text().trim().is_empty(), "blank document");
                check_segmentation(doc.text());
            }
            Err(e) => {
                assert_eq!(e.source, input.name);
                assert!(e.to_string().starts_with(&input.name));
            }
        }
        items += 1;
        assert!(items <= bound, "more items than lines (or elements)");
    }
}
