//! The boundary sweep: renders the text of each block with its elements as well-formed nested
//! `<span>` / `<mark>` markup, however they overlap (see the module documentation of `html`).

use std::io::{self, Write};

use claimlens_core::{CharIndex, Doc};

use super::blocks::{Block, BlockKind, El, Kind};
use super::links::Links;
use super::style::{mark_class, technique_families};
use super::Esc;

/// The sweep's state over one document's text section.
pub(super) struct Sweep<'a, W: Write> {
    w: &'a mut W,
    /// Document number (1-based), used in ids.
    n: usize,
    doc: &'a Doc,
    idx: &'a CharIndex<'a>,
    els: &'a [El],
    /// What each annotation's highlight links to (written on its first fragment).
    links: &'a Links,
    /// Currently open elements, innermost last.
    stack: Vec<usize>,
    /// Whether the element's first fragment (the one with the id) was written.
    opened: Vec<bool>,
    /// The document's technique families, whose places name their highlight classes.
    families: Vec<&'a str>,
}

impl<'a, W: Write> Sweep<'a, W> {
    pub(super) fn new(
        w: &'a mut W,
        n: usize,
        doc: &'a Doc,
        idx: &'a CharIndex<'a>,
        els: &'a [El],
        links: &'a Links,
    ) -> Self {
        Sweep {
            w,
            n,
            doc,
            idx,
            els,
            links,
            stack: Vec::new(),
            opened: vec![false; els.len()],
            families: technique_families(doc),
        }
    }

    /// Renders the blocks in order, each as a `<p>` with its text and elements.
    pub(super) fn run(mut self, blocks: &[Block]) -> io::Result<()> {
        let els = self.els;
        let text = self.doc.text();
        let mut by_start: Vec<usize> = (0..els.len()).collect();
        by_start.sort_by_key(|&x| (els[x].s, x));
        let mut positions: Vec<u32> = els
            .iter()
            .flat_map(|e| [e.s, e.e])
            .chain(blocks.iter().flat_map(|b| [b.s, b.e]))
            .collect();
        positions.sort_unstable();
        positions.dedup();

        // Elements with s <= p < e (non-empty), whether or not they are rendered right now.
        let mut active: Vec<usize> = Vec::new();
        // Elements to (re)open at the current position.
        let mut pending: Vec<usize> = Vec::new();
        let mut si = 0; // next element in `by_start`
        let mut bi = 0; // next block
        let mut cur: Option<Block> = None;
        for (pi, &p) in positions.iter().enumerate() {
            // 1. Close the elements that end here, and everything opened inside them.
            if let Some(lowest) = self.stack.iter().position(|&x| els[x].e == p) {
                while self.stack.len() > lowest {
                    let x = self.pop()?;
                    if els[x].e != p {
                        pending.push(x);
                    }
                }
            }
            active.retain(|&x| els[x].e != p);
            let sj = si + by_start[si..].partition_point(|&x| els[x].s == p);
            let starting = &by_start[si..sj];
            si = sj;
            // 2. Zero-length elements at the end of a block belong to that block.
            // 3. Block end: close everything (it stays active and is reopened in the next one).
            if cur.is_some_and(|b| b.e == p) {
                self.empties(starting)?;
                self.close_block()?;
                pending.clear();
                cur = None;
            }
            // 4. Block start: reopen whatever is active.
            if cur.is_none() && blocks.get(bi).is_some_and(|b| b.s == p) {
                let b = blocks[bi];
                bi += 1;
                self.open_block(b)?;
                cur = Some(b);
                pending.clear();
                pending.extend_from_slice(&active);
            }
            // 5. Elements starting here.
            for &x in starting {
                if els[x].e > p {
                    active.push(x);
                    if cur.is_some() {
                        pending.push(x);
                    }
                }
            }
            if cur.is_some() {
                self.open_pending(&mut pending)?;
                self.empties(starting)?;
            } else {
                pending.clear();
            }
            // A zero-length block ends where it starts.
            if cur.is_some_and(|b| b.s == b.e) {
                self.close_block()?;
                cur = None;
            }
            // 6. The text up to the next boundary.
            if let (Some(b), Some(&q)) = (cur, positions.get(pi + 1)) {
                let q = q.min(b.e);
                if q > p {
                    write!(self.w, "{}", Esc(&text[p as usize..q as usize]))?;
                }
            }
        }
        if cur.is_some() {
            self.close_block()?;
        }
        Ok(())
    }

    fn close_block(&mut self) -> io::Result<()> {
        while !self.stack.is_empty() {
            self.pop()?;
        }
        self.w.write_all(b"</p>\n")
    }

    fn open_block(&mut self, b: Block) -> io::Result<()> {
        let (cs, ce) = (self.idx.char_offset(b.s), self.idx.char_offset(b.e));
        match b.kind {
            BlockKind::Para(i) => write!(
                self.w,
                "<p class=\"para\" dir=\"auto\" data-par=\"{}\" data-start=\"{cs}\" data-end=\"{ce}\">",
                i + 1
            ),
            BlockKind::Gap => write!(
                self.w,
                "<p class=\"para gap\" dir=\"auto\" data-start=\"{cs}\" data-end=\"{ce}\">"
            ),
            BlockKind::Whole => write!(
                self.w,
                "<p class=\"para whole\" dir=\"auto\" data-start=\"{cs}\" data-end=\"{ce}\">"
            ),
        }
    }

    /// Opens the pending elements: sentences below annotations, longer ones outside shorter
    /// ones.
    fn open_pending(&mut self, pending: &mut Vec<usize>) -> io::Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let els = self.els;
        // Keep sentences below every mark so that a sentence's background never hides a
        // highlight: reopen marks above a sentence that starts now.
        if pending.iter().any(|&x| els[x].is_sent()) {
            if let Some(lowest) = self.stack.iter().position(|&x| !els[x].is_sent()) {
                while self.stack.len() > lowest {
                    let x = self.pop()?;
                    pending.push(x);
                }
            }
        }
        pending.sort_by_key(|&x| (!els[x].is_sent(), std::cmp::Reverse(els[x].e), x));
        pending.dedup();
        for x in std::mem::take(pending) {
            self.open(x, false)?;
            self.stack.push(x);
        }
        Ok(())
    }

    /// Writes the zero-length elements among `starting` that were not written yet.
    fn empties(&mut self, starting: &[usize]) -> io::Result<()> {
        for &x in starting {
            if self.els[x].s == self.els[x].e && !self.opened[x] {
                self.open(x, true)?;
                self.close(x)?;
            }
        }
        Ok(())
    }

    fn pop(&mut self) -> io::Result<usize> {
        let x = self.stack.pop().expect("pop on a non-empty stack");
        self.close(x)?;
        Ok(x)
    }

    fn close(&mut self, x: usize) -> io::Result<()> {
        self.w.write_all(match self.els[x].kind {
            Kind::Sent(_) => b"</span>",
            Kind::Mark(..) | Kind::Extra(_) => b"</mark>",
        })
    }

    /// Writes the opening tag of element `x`: its first fragment carries the id, later ones
    /// the class `cont`.
    fn open(&mut self, x: usize, empty: bool) -> io::Result<()> {
        let el = self.els[x];
        let first = !std::mem::replace(&mut self.opened[x], true);
        match el.kind {
            Kind::Sent(i) => self.open_sentence(el, i, first),
            Kind::Mark(k, j) => self.open_mark(el, k, j, first, empty),
            Kind::Extra(i) => self.open_extra(el, i, first, empty),
        }
    }

    fn open_sentence(&mut self, el: El, i: usize, first: bool) -> io::Result<()> {
        let n = self.n;
        let cont = if first { "" } else { " cont" };
        let rule = self.doc.sentences[i].end_rule.as_str();
        write!(
            self.w,
            "<span class=\"sent s{}{cont}\" data-a=\"d{n}-s{i}\"",
            i % 2
        )?;
        if first {
            write!(self.w, " id=\"d{n}-s{i}\"")?;
        }
        write!(
            self.w,
            " data-n=\"{}\" data-start=\"{}\" data-end=\"{}\" title=\"sentence {}, rule {rule}, {}–{}\">",
            i + 1,
            el.cs,
            el.ce,
            i + 1,
            el.cs,
            el.ce
        )
    }

    /// An annotation's mark; its depth class (how many marks it sits inside, at most 3 more)
    /// makes room for the underlines of the marks around it.
    fn open_mark(
        &mut self,
        el: El,
        k: usize,
        j: usize,
        first: bool,
        empty: bool,
    ) -> io::Result<()> {
        let n = self.n;
        let cont = if first { "" } else { " cont" };
        let layer = &self.doc.layers()[k];
        let a = &layer.annotations[j];
        let depth = 1 + self
            .stack
            .iter()
            .filter(|&&y| !self.els[y].is_sent())
            .count()
            .min(3);
        write!(
            self.w,
            "<mark class=\"m l{k} {} d{depth}{cont}{}\" data-a=\"d{n}-a{k}-{j}\"",
            mark_class(&layer.name, a, &self.families),
            if empty { " empty" } else { "" }
        )?;
        if first {
            write!(self.w, " id=\"d{n}-a{k}-{j}\"")?;
            self.write_card_data(k, j)?;
        }
        write!(
            self.w,
            " data-layer=\"{}\" data-label=\"{}\" data-start=\"{}\" data-end=\"{}\" title=\"{}: {} — {}:{}",
            Esc(&layer.name),
            Esc(&a.label),
            el.cs,
            el.ce,
            Esc(claimlens_schema::layer_title(&layer.name)),
            Esc(&a.label),
            Esc(&a.reason.stage),
            Esc(&a.reason.rule),
        )?;
        if let Some(score) = a.reason.score {
            write!(self.w, ", score {score:.2}")?;
        }
        write!(self.w, " ({}–{})\">", el.cs, el.ce)
    }

    /// What the info card of annotation `j` of layer `k` shows besides its label and text:
    /// the layer's title, the reason (stage, rule, score as a percentage) and the highlights
    /// it links to, as `data-links="id|role;id|role"`.
    fn write_card_data(&mut self, k: usize, j: usize) -> io::Result<()> {
        let n = self.n;
        let layer = &self.doc.layers()[k];
        let a = &layer.annotations[j];
        write!(
            self.w,
            " data-title=\"{}\" data-stage=\"{}\" data-rule=\"{}\"",
            Esc(claimlens_schema::layer_title(&layer.name)),
            Esc(&a.reason.stage),
            Esc(&a.reason.rule)
        )?;
        if let Some(score) = a.reason.score {
            // Rounded half away from zero, as a reader (and a script) would.
            let percent = (f64::from(score) * 100.0).round();
            write!(self.w, " data-score=\"{percent}%\"")?;
        }
        let links = self.links.of((k, j));
        if !links.is_empty() {
            let list: Vec<String> = links
                .iter()
                .map(|(role, (tk, tj))| {
                    // The separators cannot come from a stored role.
                    let role = role.replace([';', '|'], ",");
                    format!("d{n}-a{tk}-{tj}|{role}")
                })
                .collect();
            write!(self.w, " data-links=\"{}\"", Esc(&list.join(";")))?;
        }
        Ok(())
    }

    fn open_extra(&mut self, el: El, i: usize, first: bool, empty: bool) -> io::Result<()> {
        let n = self.n;
        let cont = if first { "" } else { " cont" };
        write!(
            self.w,
            "<mark class=\"m x{cont}{}\" data-a=\"d{n}-x{i}\"",
            if empty { " empty" } else { "" }
        )?;
        if first {
            write!(self.w, " id=\"d{n}-x{i}\"")?;
        }
        write!(
            self.w,
            " data-start=\"{}\" data-end=\"{}\" title=\"source chain step ({}–{})\">",
            el.cs, el.ce, el.cs, el.ce
        )
    }
}
