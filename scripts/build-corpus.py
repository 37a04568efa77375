#!/usr/bin/env python3
"""Builds a large JSONL corpus for ingest and export measurements from the real articles in
../shared/data (read at run time; nothing is copied into the repository): PolNeAR train and
dev, the SemEval-2023 persuasion train articles and the article-extraction benchmark's
hand-extracted bodies. Each record is a base article lightly perturbed, as republished copies
are: one to three sentences dropped, two paragraphs swapped in some, a sign-off line of the
outlet appended in some, and a made-up outlet and date. Every record's text differs (a record
whose text repeats an earlier one is drawn again), so none is skipped as already stored.
Deterministic for a seed.

    python3 scripts/build-corpus.py --records 100000 --out /tmp/corpus-100k.jsonl
"""
import argparse
import datetime
import glob
import gzip
import hashlib
import json
import os
import random
import re

OUTLETS = ["Herald", "Courier", "The Gazette", "Daily Ledger", "Evening Post", "Observer",
           "Tribune", "Chronicle", "Wire Service", "Metro News", "Sentinel", "Dispatch"]


def base_articles(shared):
    texts = []
    for pattern in ["polnear/train/text/*.txt", "polnear/dev/text/*.txt",
                    "semeval2023-persuasion-en/train-articles/*.txt"]:
        for path in sorted(glob.glob(os.path.join(shared, pattern))):
            with open(path, encoding="utf-8", errors="replace") as f:
                texts.append(f.read())
    truth = os.path.join(shared, "article-extraction/ground-truth.json")
    if os.path.exists(truth):
        with open(truth, encoding="utf-8") as f:
            for _, page in sorted(json.load(f).items()):
                body = page.get("articleBody") or ""
                if len(body) > 500:
                    texts.append(body)
    return [t for t in texts if t.strip()]


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def perturb(text, rng, outlet):
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    sentences = [(pi, s) for pi, p in enumerate(paragraphs) for s in SENTENCE_END.split(p)]
    for _ in range(rng.randint(1, 3)):
        if len(sentences) > 4:
            del sentences[rng.randrange(len(sentences))]
    out, last = [], None
    for pi, s in sentences:
        if pi != last:
            out.append([])
            last = pi
        out[-1].append(s)
    body = "\n\n".join(" ".join(p) for p in out)
    if rng.random() < 0.4:
        body += f"\n\nThis story was first published by {outlet}."
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../shared/data"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    bases = base_articles(args.shared)
    seen = set()
    start = datetime.date(2026, 1, 1)
    tmp = args.out + ".partial"
    opener = gzip.open if args.out.endswith(".gz") else open
    with opener(tmp, "wt", encoding="utf-8") as out:
        n = 0
        while n < args.records:
            base = rng.randrange(len(bases))
            outlet = rng.choice(OUTLETS)
            text = perturb(bases[base], rng, outlet)
            digest = hashlib.sha256(text.encode()).digest()
            if digest in seen:
                continue
            seen.add(digest)
            day = start + datetime.timedelta(days=rng.randrange(365))
            record = {"id": f"r{n:07d}", "outlet": outlet, "published": day.isoformat(),
                      "base": base, "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    os.replace(tmp, args.out)
    print(f"{args.records} records from {len(bases)} base articles -> {args.out}")


if __name__ == "__main__":
    main()
