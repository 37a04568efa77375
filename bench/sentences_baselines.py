#!/usr/bin/env python3
"""Sentence-boundary baselines (pySBD, spaCy blank-en + sentencizer) on UD English EWT.

Comparison baseline for claimlens' Rust sentence splitter; not part of CI.

Document reconstruction (identical to the Rust eval):
  * every `# newdoc` comment starts a new document;
  * a document's text is its sentences' `# text` values joined by one space " ",
    or by "\\n" when the next sentence carries a `# newpar` comment; the first
    sentence of a document is not preceded by anything.
Gold boundaries: end offset (Python str index = Unicode code points) of each
sentence's `# text` inside the document, excluding the document end.
Predicted boundaries: end offset of each predicted sentence span after stripping
trailing whitespace from the span, excluding the document end. A span that is
whitespace only contributes no boundary; boundaries are a set per document (a
repeated offset counts once). TP = predicted boundary equal to a gold boundary.
Counts are micro-averaged over all documents.
"""
import argparse
import platform
import sys
import time

from common import print_header, tool_list, version, write_json


def parse_conllu(path):
    """Return a list of documents; each document is a list of (text, starts_paragraph)."""
    docs = []
    cur = None
    sent_text = None
    newpar = False
    in_sentence = False

    def finish_sentence():
        nonlocal sent_text, newpar, in_sentence, cur
        if sent_text is not None:
            if cur is None:  # sentence before any `# newdoc`: open an implicit document
                cur = []
                docs.append(cur)
            cur.append((sent_text, newpar))
        sent_text, newpar, in_sentence = None, False, False

    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                if in_sentence:
                    finish_sentence()
                continue
            in_sentence = True
            if line.startswith("#"):
                body = line[1:].lstrip()
                if body.startswith("newdoc"):
                    cur = []
                    docs.append(cur)
                elif body.startswith("newpar"):
                    newpar = True
                elif line.startswith("# text = "):
                    sent_text = line[len("# text = "):]  # verbatim, no stripping
    if in_sentence:
        finish_sentence()
    return [d for d in docs if d]


def build_doc(sentences):
    """Return (text, gold_boundaries) following the reconstruction rule."""
    parts = []
    pos = 0
    ends = []
    for i, (s, starts_par) in enumerate(sentences):
        if i > 0:
            sep = "\n" if starts_par else " "
            parts.append(sep)
            pos += len(sep)
        parts.append(s)
        pos += len(s)
        ends.append(pos)
    text = "".join(parts)
    assert pos == len(text)
    gold = set(e for e in ends if e != len(text))
    return text, gold


def stripped_ends(text, spans):
    """spans: iterable of (start, end) char offsets. Return set of boundaries."""
    out = set()
    n = len(text)
    for start, end in spans:
        e = end
        while e > start and text[e - 1].isspace():
            e -= 1
        if e == start:  # whitespace-only span
            continue
        if e != n:
            out.add(e)
    return out


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.pred_sentences = 0
        self.seconds = 0.0

    def add(self, pred, gold):
        tp = len(pred & gold)
        self.tp += tp
        self.fp += len(pred) - tp
        self.fn += len(gold) - tp

    def summary(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": p, "recall": r, "f1": f,
                "predicted_sentences": self.pred_sentences,
                "seconds": self.seconds}


def run_pysbd(docs):
    import pysbd
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    c = Counts()
    t0 = time.perf_counter()
    for text, gold in docs:
        spans = seg.segment(text)
        c.pred_sentences += len(spans)
        c.add(stripped_ends(text, [(s.start, s.end) for s in spans]), gold)
    c.seconds = time.perf_counter() - t0
    return c


def run_spacy(docs):
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    c = Counts()
    t0 = time.perf_counter()
    for (text, gold), doc in zip(docs, nlp.pipe((t for t, _ in docs), batch_size=64)):
        spans = [(s.start_char, s.end_char) for s in doc.sents]
        c.pred_sentences += len(spans)
        c.add(stripped_ends(text, spans), gold)
    c.seconds = time.perf_counter() - t0
    return c


def main():
    ap = argparse.ArgumentParser(
        description="Sentence-boundary P/R/F1 of pySBD and spaCy (blank en + sentencizer) "
                    "on UD English EWT (document reconstruction: see module docstring).")
    ap.add_argument("--conllu", required=True, help="path to a UD CoNLL-U file, e.g. en_ewt-ud-dev.conllu")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--tools", default="pysbd,spacy", help="comma list of tools (default: pysbd,spacy)")
    args = ap.parse_args()

    raw_docs = parse_conllu(args.conllu)
    docs = [build_doc(d) for d in raw_docs]
    n_sent = sum(len(d) for d in raw_docs)
    n_gold = sum(len(g) for _, g in docs)
    n_chars = sum(len(t) for t, _ in docs)
    n_par = sum(1 for d in raw_docs for i, (_, p) in enumerate(d) if i > 0 and p)

    runners = {"pysbd": run_pysbd, "spacy": run_spacy}
    results = {}
    for name in tool_list(args.tools):
        results[name] = runners[name](docs).summary()

    print(f"UD file: {args.conllu}")
    print(f"docs={len(docs)} sentences={n_sent} gold boundaries (doc ends excluded)={n_gold} "
          f"newline joins={n_par} chars={n_chars}")
    hdr = f"{'tool':<26} {'P':>7} {'R':>7} {'F1':>7} {'tp':>6} {'fp':>6} {'fn':>6} {'pred_sents':>10} {'sec':>7}"
    print_header(hdr)
    labels = {"pysbd": f"pysbd {version('pysbd')}", "spacy": f"spacy {version('spacy')} sentencizer"}
    for name, r in results.items():
        print(f"{labels[name]:<26} {r['precision']:7.4f} {r['recall']:7.4f} {r['f1']:7.4f} "
              f"{r['tp']:6d} {r['fp']:6d} {r['fn']:6d} {r['predicted_sentences']:10d} {r['seconds']:7.2f}")

    if args.json:
        out = {
            "task": "sentence_boundaries",
            "data": args.conllu,
            "docs": len(docs),
            "sentences": n_sent,
            "gold_boundaries": n_gold,
            "chars": n_chars,
            "rule": "docs split at # newdoc; join ' ' or '\\n' before a # newpar sentence; "
                    "boundaries = code-point end offsets, doc end excluded, predicted spans right-stripped",
            "python": platform.python_version(),
            "versions": {"pysbd": version("pysbd"), "spacy": version("spacy")},
            "settings": {"pysbd": "Segmenter(language='en', clean=False, char_span=True)",
                         "spacy": "spacy.blank('en') + sentencizer (default punct_chars), nlp.pipe batch_size=64"},
            "results": results,
        }
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
