#!/usr/bin/env python3
"""Build a >= N MB throughput corpus by cycling through real news article texts.

Sources (read-only, under --data, default /work/shared/data):
  polnear/train/text/*.txt, polnear/dev/text/*.txt,
  semeval2023-persuasion-en/train-articles/*.txt,
  article-extraction/ground-truth.json  ("articleBody" of every page).
Order is deterministic: all sources are keyed by their relative path
("article-extraction/ground-truth.json#<id>" for the JSON bodies) and sorted;
the whole sorted set is repeated until the UTF-8 size of article text reaches
--mb * 1,000,000 bytes (the last repetition may be partial). Empty texts are skipped.

Output formats (the corpus is written outside the repo by default):
  jsonl: one {"id": "<key>#<rep>", "text": ...} object per line;
  text:  each article's text followed by "\\n\\f\\n", i.e. articles are separated
         by a line containing only a form feed; the reader in
         throughput_baselines.py removes exactly that one "\\n" again, so the
         text round-trips byte for byte.
Comparison baseline tooling, not part of CI. Never write the corpus into the repo.
"""
import argparse
import glob
import json
import os
import sys

MB = 1_000_000


def load_articles(data):
    items = []
    patterns = [
        "polnear/train/text/*.txt",
        "polnear/dev/text/*.txt",
        "semeval2023-persuasion-en/train-articles/*.txt",
    ]
    for pat in patterns:
        for path in glob.glob(os.path.join(data, pat)):
            with open(path, encoding="utf-8", newline="") as fh:
                items.append((os.path.relpath(path, data), fh.read()))
    gt_path = os.path.join(data, "article-extraction", "ground-truth.json")
    with open(gt_path, encoding="utf-8") as fh:
        gt = json.load(fh)
    for page_id, rec in gt.items():
        items.append((f"article-extraction/ground-truth.json#{page_id}", rec.get("articleBody") or ""))
    items = [(k, t) for k, t in items if t.strip()]
    items.sort(key=lambda kv: kv[0])
    return items


def main():
    ap = argparse.ArgumentParser(description="Build a >= N MB benchmark corpus from real article texts.")
    ap.add_argument("--out", default=None,
                    help="output file (default /tmp/claimlens-corpus.jsonl, or .txt for --format text)")
    ap.add_argument("--mb", type=float, default=100.0, help="target size in MB (10^6 bytes of UTF-8 article text)")
    ap.add_argument("--format", choices=["jsonl", "text", "both"], default="jsonl",
                    help="jsonl (default), text (form-feed separated), or both (text goes to OUT with .txt suffix)")
    ap.add_argument("--data", default="/work/shared/data", help="shared data folder")
    args = ap.parse_args()

    if args.out is None:
        args.out = "/tmp/claimlens-corpus.txt" if args.format == "text" else "/tmp/claimlens-corpus.jsonl"
    outs = {}
    if args.format in ("jsonl", "both"):
        outs["jsonl"] = args.out
    if args.format == "text":
        outs["text"] = args.out
    elif args.format == "both":
        outs["text"] = os.path.splitext(args.out)[0] + ".txt"
    repo = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    for p in outs.values():
        rp = os.path.realpath(p)
        if rp.startswith(repo + os.sep):
            # bench/out/ is git-ignored, everything else in the repo is not
            if not rp.startswith(os.path.join(repo, "bench", "out") + os.sep):
                sys.exit(f"refusing to write corpus text into the repo: {p}")

    articles = load_articles(args.data)
    if not articles:
        sys.exit("no articles found under " + args.data)
    target = int(args.mb * MB)
    set_bytes = sum(len(t.encode("utf-8")) for _, t in articles)

    fhs = {fmt: open(path, "w", encoding="utf-8", newline="") for fmt, path in outs.items()}
    total = 0
    records = 0
    rep = 0
    try:
        while total < target:
            for key, text in articles:
                if total >= target:
                    break
                if "jsonl" in fhs:
                    fhs["jsonl"].write(json.dumps({"id": f"{key}#{rep}", "text": text}, ensure_ascii=False))
                    fhs["jsonl"].write("\n")
                if "text" in fhs:
                    fhs["text"].write(text)
                    fhs["text"].write("\n\f\n")
                total += len(text.encode("utf-8"))
                records += 1
            rep += 1
    finally:
        for fh in fhs.values():
            fh.close()

    by_source = {}
    for key, _ in articles:
        src = key.split("/")[0] if not key.startswith("polnear") else "/".join(key.split("/")[:2])
        by_source[src] = by_source.get(src, 0) + 1
    print(f"distinct articles: {len(articles)} ({', '.join(f'{k}: {v}' for k, v in sorted(by_source.items()))})")
    print(f"one pass over the set: {set_bytes:,} bytes of article text")
    print(f"repetitions: {rep} (last may be partial); records written: {records:,}")
    print(f"article text bytes: {total:,} ({total / MB:.1f} MB)")
    for fmt, path in outs.items():
        print(f"{fmt}: {path} ({os.path.getsize(path):,} bytes on disk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
