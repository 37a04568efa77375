"""Republication clusters: pairwise precision and recall of `claimlens clusters`, beside
datasketch's MinHashLSH at the same threshold, on a labelled set built from real articles.

The labelled set is SYNTHETIC BY CONSTRUCTION: every real article (SemEval-2023 persuasion
train articles by default) is kept as an "original" from one outlet, and 0 to 3 lightly
perturbed copies are made of it, each from another outlet and published 1 to 3 days later.
Each copy gets one or two of: a sentence dropped, a sentence replaced by one from another
article, the copying outlet's boilerplate line appended, the last paragraph cut. The true
clusters are therefore known: an original and its copies. (Real articles of the source set
that happen to be near-duplicates of each other would count against both tools alike.)

Everything is deterministic (seeded per article). Data and results go to --work (/tmp by
default); nothing from the data set is written into the repository.

Usage (from the repo root, after `cargo build --release -p claimlens-cli` and
`python3 -m venv /tmp/clusters-venv && /tmp/clusters-venv/bin/pip install datasketch`):

    /tmp/clusters-venv/bin/python bench/republication_clusters.py \
        --articles /work/shared/data/semeval2023-persuasion-en/train-articles \
        --claimlens target/release/claimlens --work /tmp/clusters-bench
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from itertools import combinations

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGH"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[^\W_]+")  # alphanumeric runs, lower-cased below: claimlens' words


def boilerplate(outlet):
    """The line an outlet appends to everything it republishes (shared across stories)."""
    return (f"This story was republished by {outlet}. Subscribe to the {outlet} newsletter "
            "for the latest news every morning and follow us on social media.")


def sentences(text):
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def drop_sentence(text, rng, others):
    parts = sentences(text)
    if len(parts) < 3:
        return text
    del parts[rng.randrange(1, len(parts))]
    return " ".join(parts)


def replace_sentence(text, rng, others):
    parts = sentences(text)
    donor = sentences(rng.choice(others))
    if len(parts) < 3 or not donor:
        return text
    parts[rng.randrange(1, len(parts))] = rng.choice(donor)
    return " ".join(parts)


def cut_last_paragraph(text, rng, others):
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) < 3:
        return text
    return "\n\n".join(paragraphs[:-1])


EDITS = [drop_sentence, replace_sentence, cut_last_paragraph, "boilerplate"]


def build(articles_dir, seed):
    """(documents, true cluster of each document): documents are dicts ready for JSONL."""
    names = sorted(n for n in os.listdir(articles_dir) if n.endswith(".txt"))
    texts = []
    for n in names:
        with open(os.path.join(articles_dir, n), encoding="utf-8") as f:
            texts.append(f.read().strip())
    start = datetime.date(2026, 11, 1)
    docs, seen = [], set()

    def add(key, story, outlet, day, text):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in seen or not text.strip():
            return  # the store keeps one document per text
        seen.add(digest)
        docs.append({"id": key, "title": key, "outlet": outlet,
                     "published": (start + datetime.timedelta(days=day)).isoformat(),
                     "text": text, "story": story})

    for i, text in enumerate(texts):
        rng = random.Random(f"{seed}:{i}")
        outlet = rng.choice(OUTLETS)
        day = rng.randrange(0, 26)
        add(f"a{i:03d}", i, outlet, day, text)
        others = texts[:i] + texts[i + 1:]
        copiers = rng.sample([o for o in OUTLETS if o != outlet], rng.choice([0, 1, 2, 3]))
        for c, copier in enumerate(copiers):
            copy = text
            for edit in rng.sample(EDITS, rng.choice([1, 2])):
                copy = (f"{copy}\n\n{boilerplate(copier)}" if edit == "boilerplate"
                        else edit(copy, rng, others))
            add(f"a{i:03d}-c{c}", i, copier, day + 1 + c, copy)
    return docs


def shingles(text, k=5):
    """claimlens' shingles: runs of k lower-cased words (a shorter text is one shingle)."""
    words = WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[j:j + k]) for j in range(len(words) - k + 1)}


def pairs(clusters):
    out = set()
    for members in clusters:
        out.update(combinations(sorted(members), 2))
    return out


def score(predicted, truth):
    p, t = pairs(predicted), pairs(truth)
    tp = len(p & t)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pred_pairs": len(p), "true_pairs": len(t), "precision": precision,
            "recall": recall, "f1": f1}


def run_claimlens(exe, db, threshold):
    """Clusters of keys (titles) from `claimlens clusters`, and the seconds of its first page
    (every call clusters the whole store; later pages only re-page it)."""
    clusters, offset, seconds = [], 0, None
    while True:
        started = time.perf_counter()
        out = subprocess.run(
            [exe, "clusters", "--db", db, "--threshold", str(threshold), "--format", "json",
             "--limit", "500", "--offset", str(offset), "--no-progress"],
            check=True, capture_output=True, text=True).stdout
        if seconds is None:
            seconds = time.perf_counter() - started
        page = json.loads(out)
        clusters += [[m["title"] for m in c["timeline"]] for c in page["items"]]
        offset += len(page["items"])
        if offset >= page["total"] or not page["items"]:
            return clusters, seconds


def run_datasketch(db, threshold, num_perm=128):
    """datasketch MinHashLSH (its own bands and rows for the threshold) on the same texts read
    from the same store, in publication order: each document queries the index, then is
    inserted; clusters are the connected components of the candidates it returns (its
    usual use, no exact check), and also the first-seen rule over its candidates with the
    exact Jaccard check (the candidate generator compared, not the rule)."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT title, text FROM documents ORDER BY published IS NULL, published, "
        "ingested_at, doc_id").fetchall()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    hashed = []
    for key, text in rows:
        s = shingles(text)
        m = MinHash(num_perm=num_perm)
        m.update_batch([x.encode("utf-8") for x in s])
        hashed.append((key, s, m))
    hashing = time.perf_counter() - started

    started = time.perf_counter()
    for key, s, m in hashed:
        parent[key] = key
        for other in lsh.query(m):
            parent[find(other)] = find(key)
        lsh.insert(key, m)
    components_seconds = hashing + time.perf_counter() - started

    # First-seen rule: candidates among first-seen documents only, exact Jaccard checked.
    started = time.perf_counter()
    sets, first_of = {}, {}
    heads_lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for key, s, m in hashed:
        best, best_j = None, -1.0
        for head in heads_lsh.query(m):
            h = sets[head]
            j = len(s & h) / len(s | h)
            if j >= threshold and j > best_j:
                best, best_j = head, j
        if best is None:
            first_of[key] = key
            if s:
                heads_lsh.insert(key, m)
                sets[key] = s
        else:
            first_of[key] = best
    first_seen_seconds = hashing + time.perf_counter() - started
    components, by_head = {}, {}
    for key in parent:
        components.setdefault(find(key), []).append(key)
        by_head.setdefault(first_of[key], []).append(key)
    return (list(components.values()), components_seconds, list(by_head.values()),
            first_seen_seconds, lsh.b, lsh.r)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", required=True, help="folder of real article .txt files")
    ap.add_argument("--claimlens", default="target/release/claimlens")
    ap.add_argument("--work", default="/tmp/clusters-bench", help="where data and store go")
    ap.add_argument("--thresholds", default="0.5", help="comma-separated Jaccard thresholds")
    ap.add_argument("--seed", default="2026-12-03")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    docs = build(args.articles, args.seed)
    corpus = os.path.join(args.work, "corpus.jsonl")
    with open(corpus, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({k: v for k, v in d.items() if k != "story"}) + "\n")
    truth = {}
    for d in docs:
        truth.setdefault(d["story"], []).append(d["title"])
    stories = len(truth)
    copies = len(docs) - stories
    print(f"{len(docs)} documents: {stories} real articles, {copies} perturbed copies "
          f"({sum(1 for t in truth.values() if len(t) > 1)} stories with copies)")

    db = os.path.join(args.work, "corpus.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    started = time.perf_counter()
    subprocess.run([args.claimlens, "ingest", "--db", db, corpus, "--no-progress"],
                   check=True, capture_output=True)
    print(f"ingest: {time.perf_counter() - started:.1f} s")

    figures = {"documents": len(docs), "stories": stories, "copies": copies, "runs": []}
    print(f"{'threshold':>9}  {'tool':<44} {'P':>6} {'R':>6} {'F1':>6} {'pairs':>6} {'docs/s':>8}")
    for threshold in [float(t) for t in args.thresholds.split(",")]:
        ours, seconds = run_claimlens(args.claimlens, db, threshold)
        components, c_secs, first_seen, f_secs, b, r = run_datasketch(db, threshold)
        for tool, clusters, secs in [
            ("claimlens clusters", ours, seconds),
            (f"datasketch MinHashLSH b={b} r={r}, components", components, c_secs),
            ("datasketch candidates + first-seen rule", first_seen, f_secs),
        ]:
            s = score(clusters, list(truth.values()))
            s.update(tool=tool, threshold=threshold, seconds=secs,
                     docs_per_s=len(docs) / secs)
            figures["runs"].append(s)
            print(f"{threshold:>9.2f}  {tool:<44} {s['precision']:6.3f} {s['recall']:6.3f} "
                  f"{s['f1']:6.3f} {s['pred_pairs']:>6} {s['docs_per_s']:8.0f}")
    print(f"true pairs: {figures['runs'][0]['true_pairs']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
