//! What the text section renders: the elements (sentences, annotations, and the spans a source
//! chain points at that no annotation covers) with their byte and code-point spans, and the
//! blocks (paragraphs, and the gaps between them that must be shown) that the sweep renders
//! them in.

use claimlens_core::{CharIndex, Doc, Span};

use super::fix_span;
use crate::SourceChain;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A sentence, by index.
    Sent(usize),
    /// An annotation: (layer index, annotation index).
    Mark(usize, usize),
    /// A span a source chain points at that no annotation covers exactly (an outlet's name),
    /// by index in the document's list of such spans.
    Extra(usize),
}

/// A sentence or an annotation to render: byte span (fixed to the text) and code-point span.
#[derive(Debug, Clone, Copy)]
pub(super) struct El {
    pub(super) s: u32,
    pub(super) e: u32,
    pub(super) cs: u32,
    pub(super) ce: u32,
    pub(super) kind: Kind,
}

impl El {
    pub(super) fn is_sent(&self) -> bool {
        matches!(self.kind, Kind::Sent(_))
    }
}

/// The spans of chain steps that no annotation covers exactly, each once, in chain order.
pub(super) fn unannotated_spans(chains: &[SourceChain]) -> Vec<Span> {
    let mut seen = std::collections::HashSet::new();
    chains
        .iter()
        .flat_map(|c| &c.steps)
        .flat_map(|s| &s.spans)
        .filter(|r| r.target.is_none() && seen.insert(r.span))
        .map(|r| r.span)
        .collect()
}

pub(super) fn elements(doc: &Doc, idx: &CharIndex<'_>, extras: &[Span]) -> Vec<El> {
    let text = doc.text();
    let mut els = Vec::with_capacity(
        doc.sentences.len()
            + doc
                .layers()
                .iter()
                .map(|l| l.annotations.len())
                .sum::<usize>(),
    );
    let mut push = |span: Span, kind: Kind| {
        let (s, e) = fix_span(span, text);
        els.push(El {
            s,
            e,
            cs: idx.char_offset(s),
            ce: idx.char_offset(e),
            kind,
        });
    };
    for (i, s) in doc.sentences.iter().enumerate() {
        push(s.span, Kind::Sent(i));
    }
    for (k, layer) in doc.layers().iter().enumerate() {
        for (j, a) in layer.annotations.iter().enumerate() {
            push(a.span, Kind::Mark(k, j));
        }
    }
    for (i, &span) in extras.iter().enumerate() {
        push(span, Kind::Extra(i));
    }
    els
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// A paragraph, by index.
    Para(usize),
    /// Text between paragraphs; rendered only when it is not white space or when an element
    /// could not be shown in any paragraph.
    Gap,
    /// The whole text, when there are no paragraphs.
    Whole,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    pub(super) s: u32,
    pub(super) e: u32,
    pub(super) kind: BlockKind,
}

/// The rendered blocks in text order: paragraphs, and the gaps between them that must be shown.
pub(super) fn blocks(doc: &Doc, els: &[El]) -> Vec<Block> {
    let text = doc.text();
    let len = text.len() as u32;
    let mut paras: Vec<(u32, u32, usize)> = doc
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (s, e) = fix_span(p.span, text);
            (s, e, i)
        })
        .collect();
    paras.sort_by_key(|&(s, e, i)| (s, std::cmp::Reverse(e), i));
    // Partition [0, len) into paragraphs and gaps (overlapping paragraphs are clipped).
    let mut all = Vec::with_capacity(paras.len() * 2 + 1);
    let mut cursor = 0;
    for (s, e, i) in paras {
        let s = s.max(cursor);
        if e <= s {
            continue;
        }
        if s > cursor {
            all.push(Block {
                s: cursor,
                e: s,
                kind: BlockKind::Gap,
            });
        }
        all.push(Block {
            s,
            e,
            kind: BlockKind::Para(i),
        });
        cursor = e;
    }
    if all.is_empty() {
        return vec![Block {
            s: 0,
            e: len,
            kind: BlockKind::Whole,
        }];
    }
    if cursor < len {
        all.push(Block {
            s: cursor,
            e: len,
            kind: BlockKind::Gap,
        });
    }
    let mut show: Vec<bool> = all
        .iter()
        .map(|b| match b.kind {
            BlockKind::Gap => !text[b.s as usize..b.e as usize].trim().is_empty(),
            _ => true,
        })
        .collect();
    // An element that no paragraph can show makes its gap visible.
    for el in els {
        let touches = |b: &Block| {
            if el.s == el.e {
                b.s <= el.s && el.s <= b.e
            } else {
                b.s < el.e && el.s < b.e
            }
        };
        let first = all.partition_point(|b| b.e < el.s);
        let last = first + all[first..].partition_point(|b| b.s <= el.e);
        let near = first..last;
        if !all[near.clone()]
            .iter()
            .any(|b| b.kind != BlockKind::Gap && touches(b))
        {
            for i in near {
                if all[i].kind == BlockKind::Gap && touches(&all[i]) {
                    show[i] = true;
                }
            }
        }
    }
    all.into_iter()
        .zip(show)
        .filter_map(|(b, show)| show.then_some(b))
        .collect()
}
