//! Tokens packed into one BLOB per document (the `tokens` table).
//!
//! A token is a span and a kind. Tokens follow each other closely, so each is written as
//! the gap from the previous token's end and its length, both LEB128 varints, then a kind
//! byte: about three bytes a token instead of a dozen columns in a row of its own. The first
//! byte is the format version. Gaps are zig-zag encoded, so tokens that overlap or go back
//! (never produced by segmentation, but a `Doc` allows them) still round-trip.

use claimlens_core::{Span, Token, TokenKind};

/// The packing format this module writes.
const FORMAT: u8 = 1;

/// The stored code of a kind. Stable: it is in every store written since version 3.
fn kind_code(kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Word => 0,
        TokenKind::Number => 1,
        TokenKind::Punct => 2,
        TokenKind::Symbol => 3,
        TokenKind::Url => 4,
    }
}

fn kind_of(code: u8) -> Option<TokenKind> {
    Some(match code {
        0 => TokenKind::Word,
        1 => TokenKind::Number,
        2 => TokenKind::Punct,
        3 => TokenKind::Symbol,
        4 => TokenKind::Url,
        _ => return None,
    })
}

/// Packs tokens.
pub(crate) fn pack(tokens: &[Token]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + tokens.len() * 3);
    out.push(FORMAT);
    let mut previous_end = 0i64;
    for t in tokens {
        let gap = i64::from(t.span.start) - previous_end;
        write_varint(&mut out, ((gap << 1) ^ (gap >> 63)) as u64);
        write_varint(&mut out, u64::from(t.span.end.saturating_sub(t.span.start)));
        out.push(kind_code(t.kind));
        previous_end = i64::from(t.span.end);
    }
    out
}

/// Unpacks what [`pack`] wrote; `None` when the bytes are not a packing this code knows
/// (damage, or a newer format).
pub(crate) fn unpack(bytes: &[u8]) -> Option<Vec<Token>> {
    let (&format, mut rest) = bytes.split_first()?;
    if format != FORMAT {
        return None;
    }
    let mut tokens = Vec::with_capacity(rest.len() / 3);
    let mut previous_end = 0i64;
    while !rest.is_empty() {
        let zigzag = read_varint(&mut rest)?;
        let gap = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let len = read_varint(&mut rest)?;
        let (&code, tail) = rest.split_first()?;
        rest = tail;
        let start = u32::try_from(previous_end.checked_add(gap)?).ok()?;
        let end = start.checked_add(u32::try_from(len).ok()?)?;
        tokens.push(Token {
            span: Span::new(start as usize, end as usize),
            kind: kind_of(code)?,
        });
        previous_end = i64::from(end);
    }
    Some(tokens)
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(start: usize, end: usize, kind: TokenKind) -> Token {
        Token {
            span: Span::new(start, end),
            kind,
        }
    }

    #[test]
    fn tokens_round_trip_in_about_three_bytes_each() {
        let tokens = vec![
            tok(0, 3, TokenKind::Word),
            tok(4, 8, TokenKind::Number),
            tok(8, 9, TokenKind::Punct),
            tok(300, 70_000, TokenKind::Url),
            tok(70_000, 70_001, TokenKind::Symbol),
        ];
        let packed = pack(&tokens);
        assert!(packed.len() <= 1 + 3 * tokens.len() + 4);
        assert_eq!(unpack(&packed).unwrap(), tokens);
        assert_eq!(unpack(&pack(&[])).unwrap(), []);
    }

    #[test]
    fn overlapping_tokens_still_round_trip() {
        let tokens = vec![tok(5, 9, TokenKind::Word), tok(2, 4, TokenKind::Word)];
        assert_eq!(unpack(&pack(&tokens)).unwrap(), tokens);
    }

    #[test]
    fn damaged_or_unknown_packings_are_refused_not_misread() {
        assert!(unpack(&[]).is_none());
        assert!(unpack(&[9, 0, 1, 0]).is_none());
        assert!(unpack(&[FORMAT, 0, 1]).is_none());
        assert!(unpack(&[FORMAT, 0, 1, 77]).is_none());
        assert!(unpack(&[FORMAT, 0xff, 0xff]).is_none());
    }
}
