//! Property tests of the segmenter: span invariants on arbitrary and news-like text, and
//! linear running time on pathological input.

use std::time::{Duration, Instant};

use claimlens_analyzers::Segmenter;
use claimlens_core::{Paragraph, Sentence, Span, Token};
use proptest::prelude::*;

/// Runs the segmenter and checks every invariant; returns a description of the first
/// violation.
fn check_invariants(text: &str) -> Result<(), String> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut sentences: Vec<Sentence> = Vec::new();
    Segmenter::segment_into(text, &mut paragraphs, &mut tokens, &mut sentences);
    check_spans(text, &paragraphs, &tokens, &sentences)
}

fn check_spans(
    text: &str,
    paragraphs: &[Paragraph],
    tokens: &[Token],
    sentences: &[Sentence],
) -> Result<(), String> {
    let show = |s: Span| format!("{}..{} {:?}", s.start, s.end, &text[s.range()]);
    let trimmed = |s: Span| {
        let t = &text[s.range()];
        !t.is_empty() && t.trim() == t
    };

    // Paragraphs: sorted, disjoint, non-empty, trimmed.
    for (i, p) in paragraphs.iter().enumerate() {
        if !p.span.is_valid_for(text) {
            return Err(format!(
                "paragraph {i} {:?} is not valid for the text",
                p.span
            ));
        }
        if !trimmed(p.span) {
            return Err(format!(
                "paragraph {i} empty or untrimmed: {}",
                show(p.span)
            ));
        }
        if i > 0 && paragraphs[i - 1].span.end > p.span.start {
            return Err(format!(
                "paragraph {i} overlaps or precedes the previous one"
            ));
        }
    }

    // Tokens: sorted, disjoint, non-empty, on char boundaries, no white space inside.
    for (i, t) in tokens.iter().enumerate() {
        if !t.span.is_valid_for(text) {
            return Err(format!("token {i} {:?} is not valid for the text", t.span));
        }
        if t.span.is_empty() {
            return Err(format!("token {i} is empty at {}", t.span.start));
        }
        let s = &text[t.span.range()];
        if s.contains(char::is_whitespace) {
            return Err(format!("token {i} contains white space: {}", show(t.span)));
        }
        if i > 0 && tokens[i - 1].span.end > t.span.start {
            return Err(format!(
                "token {i} {} overlaps or precedes token {} {}",
                show(t.span),
                i - 1,
                show(tokens[i - 1].span)
            ));
        }
    }

    // Every non-white-space char is covered by exactly one token (tokens are sorted and
    // disjoint, so walking both in order checks "exactly one").
    let mut k = 0;
    for (pos, c) in text.char_indices() {
        let pos = pos as u32;
        while k < tokens.len() && tokens[k].span.end <= pos {
            k += 1;
        }
        let covered = k < tokens.len() && tokens[k].span.start <= pos;
        if c.is_whitespace() == covered {
            return Err(format!(
                "char {c:?} at byte {pos} is {} by a token",
                if covered { "covered" } else { "not covered" }
            ));
        }
    }

    // Sentences: sorted, disjoint, non-empty, trimmed, inside their paragraph.
    for (i, s) in sentences.iter().enumerate() {
        if !s.span.is_valid_for(text) {
            return Err(format!(
                "sentence {i} {:?} is not valid for the text",
                s.span
            ));
        }
        if !trimmed(s.span) {
            return Err(format!("sentence {i} empty or untrimmed: {}", show(s.span)));
        }
        if i > 0 && sentences[i - 1].span.end > s.span.start {
            return Err(format!(
                "sentence {i} {} overlaps or precedes the previous one",
                show(s.span)
            ));
        }
        if i > 0 && sentences[i - 1].paragraph > s.paragraph {
            return Err(format!("sentence {i} has a smaller paragraph index"));
        }
        match paragraphs.get(s.paragraph as usize) {
            Some(p) if p.span.contains(s.span) => {}
            Some(p) => {
                return Err(format!(
                    "sentence {i} {} is outside its paragraph {}",
                    show(s.span),
                    show(p.span)
                ))
            }
            None => {
                return Err(format!(
                    "sentence {i} names missing paragraph {}",
                    s.paragraph
                ))
            }
        }
    }

    // Sentences partition the tokens: each token lies in exactly one sentence, and sentence
    // edges are token edges.
    let mut k = 0;
    for (i, t) in tokens.iter().enumerate() {
        while k < sentences.len() && sentences[k].span.end <= t.span.start {
            k += 1;
        }
        match sentences.get(k) {
            Some(s) if s.span.contains(t.span) => {}
            _ => return Err(format!("token {i} {} is in no sentence", show(t.span))),
        }
    }
    for (i, s) in sentences.iter().enumerate() {
        let starts = tokens
            .binary_search_by_key(&s.span.start, |t| t.span.start)
            .is_ok();
        let ends = tokens
            .binary_search_by_key(&s.span.end, |t| t.span.end)
            .is_ok();
        if !starts || !ends {
            return Err(format!("sentence {i} {} cuts a token", show(s.span)));
        }
    }
    Ok(())
}

/// Pieces of news text, including the ones the segmenter has rules for.
const PIECES: &[&str] = &[
    "The",
    "mayor",
    "said",
    "said",
    "asked",
    "he",
    "Smith",
    "it",
    "rained",
    "no",
    "No.",
    "U.S.",
    "U.S",
    "Gen.",
    "Dr.",
    "Inc.",
    "Jan.",
    "J.",
    "e.g.",
    "etc.",
    "Washington",
    "D.C.",
    "a",
    "don't",
    "Kazem’s",
    "al-Sham",
    "MOSCOW",
    "LONDON,",
    "(Reuters)",
    "(AP)",
    "Feb.",
    "5",
    "1.",
    "2.",
    "3.2%",
    "1,000.50",
    "10:30",
    "$5",
    "€",
    "https://example.org/a?b=1",
    "www.x.org",
    "me@example.com",
    "@user_1",
    "a@b",
    "@",
    ".",
    ".",
    ".",
    "!",
    "?",
    "?!",
    "...",
    "…",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "(",
    ")",
    "[",
    "]",
    "«",
    "»",
    "„",
    "-",
    "--",
    "—",
    "–",
    ":",
    ";",
    ",",
    "•",
    "*",
    "¿",
    "¡",
    "。",
    "؟",
    "👩‍🔬",
    "🤷🏽‍♀️",
    "🙏🏼",
    "1️⃣",
    "قال",
    "المتحدث",
    "café",
    "Zoë",
    "e\u{0301}",
    "\u{0301}",
    "\u{200d}",
    "\u{feff}",
    "ß",
    "İstanbul",
    "ǅ",
    "日本語",
    "x",
];

/// Separators, including every kind of line and paragraph break.
const SEPARATORS: &[&str] = &[
    "", " ", " ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\t", "\x0c", "\x0b", "\u{a0}",
    "\u{2028}", "\u{2029}", "\u{3000}", "\u{85}", "\n \n", "\n- ", "\n1. ",
];

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PIECES),
            prop::sample::select(SEPARATORS),
        ),
        0..120,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (piece, sep) in parts {
            s.push_str(piece);
            s.push_str(sep);
        }
        s
    })
}

/// Characters the segmenter treats specially, for dense random strings.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '.',
            '.',
            '!',
            '?',
            '“',
            '”',
            '"',
            '\'',
            '’',
            '(',
            ')',
            '-',
            ':',
            ',',
            '@',
            '/',
            '&',
            '_',
            '…',
            ' ',
            ' ',
            '\n',
            '\n',
            '\r',
            '\t',
            '\x0b',
            '\x0c',
            '\u{a0}',
            '\u{2028}',
            '\u{85}',
            '\u{200d}',
            '\u{fe0f}',
            '\u{1f3fd}',
            '\u{20e3}',
            '\u{301}',
            '\u{200c}',
            '😀',
            'ß',
            'ǅ',
            'İ',
            'ق',
            '。',
            '0',
            '1',
            'a',
            'A',
            'n',
            't',
            's',
            'S',
            'U',
            'w',
        ]),
        any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_on_arbitrary_unicode(text in any::<String>()) {
        let r = check_invariants(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn invariants_hold_on_printable_text(text in "\\PC{0,400}") {
        let r = check_invariants(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn invariants_hold_on_tricky_characters(chars in prop::collection::vec(tricky_char(), 0..300)) {
        let text: String = chars.into_iter().collect();
        let r = check_invariants(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn invariants_hold_on_news_like_text(text in news_like()) {
        let r = check_invariants(&text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn segmentation_is_deterministic_and_reuses_buffers(a in news_like(), b in news_like()) {
        // segment_into clears its outputs: segmenting b into a's buffers equals a fresh run.
        let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
        Segmenter::segment_into(&a, &mut p, &mut t, &mut s);
        Segmenter::segment_into(&b, &mut p, &mut t, &mut s);
        let (mut p2, mut t2, mut s2) = (Vec::new(), Vec::new(), Vec::new());
        Segmenter::segment_into(&b, &mut p2, &mut t2, &mut s2);
        prop_assert_eq!(p, p2);
        prop_assert_eq!(t, t2);
        prop_assert_eq!(s, s2);
    }
}

#[test]
fn pathological_repetitions_keep_invariants() {
    for unit in [
        "“",
        "”",
        "\"",
        "'",
        ".",
        "!",
        "?",
        "…",
        "-",
        "—",
        "(",
        ")",
        "\n",
        "\n\n",
        " \n",
        "a.",
        "A. ",
        "U.S. ",
        "No. ",
        "1. ",
        "“.",
        ".”",
        "?” ",
        "a(",
        "@",
        "a@",
        "\u{200d}",
        "\u{301}",
        "👩‍🔬",
        "\r\n",
        "\x0c",
        ": \n",
    ] {
        let text = unit.repeat(10_000);
        if let Err(e) = check_invariants(&text) {
            panic!("{unit:?} x 10000: {e}");
        }
    }
}

/// Segments `text` and fails if it takes longer than `budget`.
fn assert_fast(name: &str, text: &str, budget: Duration) {
    let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    Segmenter::segment_into(text, &mut p, &mut t, &mut s);
    let took = started.elapsed();
    assert!(
        took < budget,
        "{name}: {} bytes took {took:?} (budget {budget:?}): not linear?",
        text.len()
    );
}

/// Budget for segmenting 1 MB: well under a second optimized; unoptimized test builds are
/// some ten times slower.
fn budget() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(5)
    } else {
        Duration::from_secs(1)
    }
}

#[test]
fn runtime_is_linear_on_one_megabyte_of_quote_periods() {
    let unit = "“.";
    let text = unit.repeat((1 << 20) / unit.len());
    assert_fast("“. repeated", &text, budget());
    check_invariants(&text).unwrap();
}

#[test]
fn runtime_is_linear_on_other_pathological_megabytes() {
    for unit in [
        ".",
        "“",
        "\n",
        "a.",
        "U.S.",
        "No. ",
        "?” Smith ",
        "a@",
        "x/",
        "- \n",
        "LONDON ",
        "www.",
        // "a(" and other letter-punctuation runs are quadratic: tests/regressions.rs.
    ] {
        let text = unit.repeat((1 << 20) / unit.len());
        assert_fast(&format!("{unit:?} repeated"), &text, budget());
    }
}
