#!/usr/bin/env python3
"""Article-extraction baselines (trafilatura, readability-lxml) on the article-extraction benchmark.

Comparison baseline for claimlens' Rust extractor; not part of CI.

Data: --data DIR with html/<id>.html.gz and ground-truth.json ({id: {"articleBody": ...}}).
Every page listed in ground-truth.json is scored (121 pages in the shared copy).

Extractors (settings reported in the JSON):
  * trafilatura.extract(html, favor_precision=False, include_comments=False); every other
    argument at its default (output_format="txt", fast=False i.e. fallback extractors on,
    favor_recall=False, include_tables=True, include_formatting/links/images=False,
    deduplicate=False, with_metadata=False). html is the page decoded as UTF-8 (str).
  * readability-lxml: Document(html).summary(html_partial=True), turned into text with
    html_text.extract_text(...), as in the upstream benchmark's run_readability.py.
    Skipped (reported as such) if readability or html_text cannot be imported.

Metric: our own implementation of the conventions of scrapinghub/article-extraction-benchmark
evaluate.py (as we read them):
  * tokens = re.findall(r"\\w+", text) (Unicode, case kept);
  * shingles = 4-token tuples at positions 0 .. len(tokens)-4; a text with 1..3 tokens gives
    one shorter shingle (all its tokens), an empty text gives none; counted as multisets;
  * per page tp = sum over shingles of min(gold, pred) counts, fp = pred excess, fn = gold excess,
    then tp, fp, fn are divided by tp+fp+fn (so every page weighs the same; ratios unchanged);
  * page precision = 1 if fp == fn == 0 (also when both texts are empty), 0 if tp == fp == 0,
    else tp/(tp+fp); page recall likewise with fn;
  * P = mean of page precision over pages with tp+fp > 0, i.e. a page whose prediction is
    EMPTY (None or no \\w token) is left out of the precision mean (upstream behaviour) but
    counts as recall 0; R = mean of page recall over pages with tp+fn > 0; F1 = 2PR/(P+R).
  * We also report "precision_empty_as_0" / "f1_empty_as_0" where an empty prediction counts as
    precision 0 on every page with non-empty gold (a stricter variant), and how many were empty.
pages/s = pages / wall seconds of the extraction loop (HTML already decompressed in memory;
one untimed warm-up call per extractor on the first page).
"""
import argparse
import gzip
import json
import os
import platform
import re
import sys
import time
from collections import Counter

from common import print_header, tool_list, version, write_json

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
N = 4


def shingles(text):
    toks = TOKEN_RE.findall(text or "")
    out = Counter()
    for i in range(max(1, len(toks) - N + 1)):
        sh = tuple(toks[i:i + N])
        if sh:
            out[sh] += 1
    return out


def tp_fp_fn(gold, pred):
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    s = tp + fp + fn
    if s:
        return tp / s, fp / s, fn / s
    return 0.0, 0.0, 0.0


def page_precision(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def page_recall(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def score(triples):
    precs = [page_precision(*t) for t in triples if t[0] + t[1] > 0]
    recs = [page_recall(*t) for t in triples if t[0] + t[2] > 0]
    p, r = mean(precs), mean(recs)
    f = 2 * p * r / (p + r) if p + r else 0.0
    # stricter variant: empty prediction on a page with gold text -> precision 0
    precs0 = [page_precision(*t) if t[0] + t[1] > 0 else 0.0 for t in triples if t[0] + t[1] + t[2] > 0]
    p0 = mean(precs0)
    f0 = 2 * p0 * r / (p0 + r) if p0 + r else 0.0
    return {"precision": p, "recall": r, "f1": f,
            "pages_in_precision_mean": len(precs), "pages_in_recall_mean": len(recs),
            "precision_empty_as_0": p0, "f1_empty_as_0": f0}


def make_extractors(wanted):
    ex = {}
    skipped = {}
    if "trafilatura" in wanted:
        try:
            import trafilatura

            def run_traf(html):
                return trafilatura.extract(html, favor_precision=False, include_comments=False)
            ex["trafilatura"] = (run_traf, f"trafilatura {version('trafilatura')}",
                                 "trafilatura.extract(html, favor_precision=False, include_comments=False); "
                                 "other args default (output_format='txt', fast=False, include_tables=True)")
        except Exception as e:  # pragma: no cover
            skipped["trafilatura"] = repr(e)
    if "readability" in wanted:
        try:
            from readability import Document
            import html_text

            def run_read(html):
                return html_text.extract_text(Document(html).summary(html_partial=True))
            ex["readability"] = (run_read, f"readability-lxml {version('readability-lxml')}",
                                 "html_text.extract_text(readability.Document(html).summary(html_partial=True)) "
                                 f"(html-text {version('html-text')})")
        except Exception as e:
            skipped["readability"] = repr(e)
    return ex, skipped


def main():
    ap = argparse.ArgumentParser(
        description="Score trafilatura and readability-lxml on the article-extraction benchmark "
                    "(4-token shingle P/R/F1, upstream evaluate.py conventions) and time them.")
    ap.add_argument("--data", required=True, help="folder with html/*.html.gz and ground-truth.json")
    ap.add_argument("--tools", default="trafilatura,readability", help="comma list (default trafilatura,readability)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--dump-dir", help="optionally write each tool's extracted texts as OUT/<tool>.json "
                                       "(keep it outside the repo or in the git-ignored bench/out/)")
    args = ap.parse_args()

    with open(os.path.join(args.data, "ground-truth.json"), encoding="utf-8") as fh:
        gt = json.load(fh)
    ids = sorted(gt)
    pages = {}
    for pid in ids:
        with gzip.open(os.path.join(args.data, "html", f"{pid}.html.gz"), "rb") as fh:
            pages[pid] = fh.read().decode("utf-8")
    html_bytes = sum(len(h.encode("utf-8")) for h in pages.values())

    wanted = tool_list(args.tools)
    extractors, skipped = make_extractors(wanted)
    results = {}
    for name, (fn, label, setting) in extractors.items():
        fn(pages[ids[0]])  # warm-up, not timed
        preds = {}
        errors = 0
        t0 = time.perf_counter()
        for pid in ids:
            try:
                preds[pid] = fn(pages[pid])
            except Exception:
                preds[pid] = None
                errors += 1
        secs = time.perf_counter() - t0
        triples = [tp_fp_fn(gt[pid].get("articleBody", ""), preds[pid]) for pid in ids]
        r = score(triples)
        r.update({
            "label": label, "setting": setting, "pages": len(ids), "seconds": secs,
            "pages_per_s": len(ids) / secs if secs else None,
            "html_mb_per_s": html_bytes / 1e6 / secs if secs else None,
            "empty_predictions": sum(1 for pid in ids if not TOKEN_RE.search(preds[pid] or "")),
            "errors": errors,
        })
        results[name] = r
        if args.dump_dir:
            os.makedirs(args.dump_dir, exist_ok=True)
            with open(os.path.join(args.dump_dir, f"{name}.json"), "w", encoding="utf-8") as fh:
                json.dump({pid: {"articleBody": preds[pid]} for pid in ids}, fh, ensure_ascii=False, indent=1)

    print(f"data: {args.data}; pages={len(ids)}; html={html_bytes / 1e6:.1f} MB; python {platform.python_version()}")
    hdr = (f"{'tool':<24} {'P':>6} {'R':>6} {'F1':>6} {'P(e=0)':>7} {'F1(e=0)':>7} {'empty':>5} "
           f"{'err':>4} {'sec':>7} {'pages/s':>8}")
    print_header(hdr)
    for name, r in results.items():
        print(f"{r['label']:<24} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
              f"{r['precision_empty_as_0']:7.3f} {r['f1_empty_as_0']:7.3f} {r['empty_predictions']:5d} "
              f"{r['errors']:4d} {r['seconds']:7.2f} {r['pages_per_s']:8.2f}")
    for name, why in skipped.items():
        print(f"{name}: skipped ({why})")
    print("P/R: means over pages (upstream convention: empty predictions are left out of the P mean); "
          "P(e=0)/F1(e=0): empty prediction counted as precision 0.")

    if args.json:
        out = {
            "task": "article_extraction",
            "data": args.data,
            "pages": len(ids),
            "html_bytes": html_bytes,
            "python": platform.python_version(),
            "metric": "4-token \\w+ shingle multisets; per-page tp/fp/fn normalised to sum 1; "
                      "P = mean page precision over pages with tp+fp>0, R = mean page recall over pages "
                      "with tp+fn>0, F1 = harmonic mean (scrapinghub article-extraction-benchmark conventions)",
            "results": results,
            "skipped": skipped,
        }
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
