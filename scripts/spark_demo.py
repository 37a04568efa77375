#!/usr/bin/env python3
"""claimlens on Spark, for real, in local mode: the scale-out recipe of docs/scale.md run end
to end on a small generated corpus.

1. Builds a JSONL corpus from the sentences of examples/*.txt: distinct stories (each a few
   sentences, checked to share little with every other story), near-duplicate copies of some
   of them (a credit line added, a sentence dropped, a dateline, a word changed: the planted
   republications), and a few broken records. Written as partitioned JSONL files.
2. Pipes every partition through `claimlens analyze --format jsonl --error-records -` with
   RDD.pipe, one analyze process per partition.
3. Checks one output line per input line: the input and output RDDs zip partition by
   partition (zip refuses partitions of unequal size), and each output line's id and record
   number are its input line's.
4. Writes the documents, annotations, links and rejected records as Parquet with Spark, reads
   them back, and checks the per-layer counts against the JSON.
5. Clusters near-duplicates the Spark way: 5-word shingles, 128-value MinHash, LSH band keys,
   a group-by on band keys for candidate pairs, exact Jaccard in Spark SQL, connected
   components by label propagation with DataFrame joins, then the store's first-seen rule
   inside each component (docs/store.md). Checks that the clusters are the planted ones.

Exits 1 when any check fails. Needs PySpark (pip install pyspark) and Java 17.

    python3 scripts/spark_demo.py --binary target/release/claimlens --records 200
"""

import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The store's clustering settings (crates/claimlens-narratives/src/near_duplicates.rs).
SHINGLE_WORDS = 5
PERMUTATIONS = 128
CANDIDATE_PROBABILITY_AT_THRESHOLD = 0.95
MASK64 = (1 << 64) - 1

OUTLETS = [
    "Harbour Wire", "Valley Courier", "Coastal Times", "Northern Ledger", "Island Herald",
    "Evening Post", "Civic Monitor", "Riverside Gazette",
]
REPORTERS = ["Ana Borg", "Luca Ferri", "Mira Holm", "Sam Okoro", "Ines Duarte", "Piet Vos"]
CITIES = ["VALLETTA", "NORTHFIELD", "ALDERTON", "PORT MAREN", "EASTBRIDGE", "LINDHOLM"]


# ---------------------------------------------------------------------------------------------
# Near-duplicate primitives: the same definitions as the store's clustering, in Python.


def words(text):
    """Lower-cased alphanumeric runs, as the store's shingler splits text."""
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def hash64(data):
    """A deterministic 64-bit hash (the same on every run and every executor, unlike
    Python's salted hash())."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def shingles(text, k=SHINGLE_WORDS):
    """The sorted, distinct hashes of the k-word runs of `text` (one shingle for a shorter
    text, none for a text without words)."""
    ws = words(text)
    if not ws:
        return []
    runs = [ws] if len(ws) <= k else [ws[i:i + k] for i in range(len(ws) - k + 1)]
    return sorted({hash64("\x1f".join(run).encode()) for run in runs})


def jaccard(a, b):
    a, b = set(a), set(b)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def fmix64(h):
    """MurmurHash3's 64-bit finaliser, as the store's MinHash permutations use it."""
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


# Permutation i of the 64-bit hash space: h -> fmix64(h*a + b), a odd, drawn deterministically.
PERMUTATION_KEYS = [
    (hash64(b"a%d" % i) | 1, hash64(b"b%d" % i)) for i in range(PERMUTATIONS)
]


def minhash(shingle_set):
    if not shingle_set:
        return [MASK64] * PERMUTATIONS
    return [
        min(fmix64((s * a + b) & MASK64) for s in shingle_set) for a, b in PERMUTATION_KEYS
    ]


def banding_for(threshold, permutations=PERMUTATIONS):
    """(bands, rows) as the store chooses them: the most rows per band whose S-curve still
    makes a pair exactly at the threshold a candidate with probability >= 0.95."""
    for rows in range(permutations, 0, -1):
        bands = permutations // rows
        if 1 - (1 - threshold ** rows) ** bands >= CANDIDATE_PROBABILITY_AT_THRESHOLD:
            return bands, rows
    return permutations, 1


def band_keys(signature, bands, rows):
    """One key per band: (band index, hash of the band's values)."""
    keys = []
    for band in range(bands):
        values = signature[band * rows:(band + 1) * rows]
        keys.append((band, hash64(b"".join(v.to_bytes(8, "little") for v in values))))
    return keys


def first_seen_clusters(members, edges, threshold):
    """The store's rule inside one component: documents in publication order; each joins the
    cluster whose first-seen document it resembles most (an LSH candidate with exact Jaccard
    >= threshold; ties to the earliest cluster), else starts one. `members` are
    (order key, doc_id); `edges` map a pair of doc_ids to their Jaccard. Returns
    {doc_id: first-seen doc_id}."""
    similar = {}
    for (a, b), j in edges.items():
        if j >= threshold:
            similar[(a, b)] = similar[(b, a)] = j
    firsts = []
    first_of = {}
    for _, doc in sorted(members):
        best = None
        for f in firsts:
            j = similar.get((doc, f))
            if j is not None and (best is None or j > best[1]):
                best = (f, j)
        if best:
            first_of[doc] = best[0]
        else:
            firsts.append(doc)
            first_of[doc] = doc
    return first_of


# ---------------------------------------------------------------------------------------------
# The corpus.


def example_sentences():
    """Sentences (six words or more) of the example articles, headlines left out."""
    pool = []
    for path in sorted((REPO / "examples").glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text().split("\n\n") if p.strip()]
        for p in paragraphs[1:]:
            for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", p):
                if len(s.split()) >= 6:
                    pool.append(" ".join(s.split()))
    return pool


def make_corpus(records, seed, threshold):
    """JSONL lines, the planted clusters {original id: [copy ids]}, the drifted copies
    {copy of a copy: original id}, and the ids of every good record. Stories share little by
    construction (exact Jaccard < 0.3 with every other story); every copy is checked to stay
    >= 0.6 from its original. A drifted copy is a copy of a copy, >= threshold from the copy
    it was made from but below it from the original: connected components put it with the
    original, the store's first-seen rule does not."""
    rng = random.Random(seed)
    pool = example_sentences()
    bad = max(3, records // 40)
    good = records - bad
    n_stories = max(2, good * 2 // 5)
    n_chains = max(1, records // 100)
    n_copies = good - n_stories - 2 * n_chains
    stories = []  # (text, shingles)
    attempts = 0
    while len(stories) < n_stories:
        attempts += 1
        if attempts > 200 * n_stories:
            sys.exit(
                f"cannot make {n_stories} distinct stories from {len(pool)} example "
                "sentences: ask for fewer --records"
            )
        picked = rng.sample(pool, 3)
        city = rng.choice(CITIES)
        # A story-specific lead keeps stories apart even where they share a sentence.
        lead = (
            f"{city} ({rng.choice(OUTLETS)}) - Officials in {city.title()} gave an update "
            f"on case {rng.randrange(1000, 9999)} on day {rng.randrange(1, 28)}."
        )
        text = "\n\n".join([lead] + picked)
        sh = shingles(text)
        if all(jaccard(sh, other) < 0.3 for _, other in stories):
            stories.append((text, sh))

    lines = []
    planted = {}
    good_ids = []

    def add(record_id, text, outlet, published, title):
        lines.append(json.dumps({
            "id": record_id, "title": title, "outlet": outlet,
            "published": published, "text": text,
        }))
        good_ids.append(record_id)

    originals = []
    texts = {text for text, _ in stories}
    for i, (text, _) in enumerate(stories):
        story_id = f"story-{i:04d}"
        day = 1 + i % 20
        month = 1 + (i // 20) % 12
        published = f"2026-{month:02d}-{day:02d}"
        add(story_id, text, rng.choice(OUTLETS), published, f"Story {i}")
        originals.append((story_id, text, month, day))

    # Copies go to about half of the stories, at least one each, 1 to 3 days later.
    republished = rng.sample(originals, max(1, min(len(originals), n_copies) // 2))
    drifted = {}
    chained = [o for o in originals if o not in republished][:n_chains]
    if len(chained) < n_chains:
        sys.exit("too few stories for the drifted copies: ask for more --records")
    for story_id, text, month, day in chained:
        copy, drift = drifted_pair(text, pool, texts, rng, threshold)
        add(f"{story_id}-copy1", copy, rng.choice(OUTLETS), f"2026-{month:02d}-{day + 1:02d}",
            f"Story {story_id} (republished)")
        add(f"{story_id}-copy1-copy", drift, rng.choice(OUTLETS),
            f"2026-{month:02d}-{day + 2:02d}", f"Story {story_id} (republished again)")
        planted[story_id] = [f"{story_id}-copy1"]
        drifted[f"{story_id}-copy1-copy"] = story_id
    for n in range(n_copies):
        story_id, text, month, day = republished[n % len(republished)]
        copies = planted.setdefault(story_id, [])
        copy_id = f"{story_id}-copy{len(copies) + 1}"
        # A copy is a near-duplicate by definition: edits that leave less than 0.6 of the
        # shingles shared (dropping a long sentence of a short story) are drawn again.
        # Each copy's text differs from every other text: the Parquet tables key documents by
        # a hash of their text, as the store does, so equal texts would be one document.
        original = shingles(text)
        for _ in range(50):
            copy = perturb(text, rng)
            if copy not in texts and jaccard(shingles(copy), original) >= 0.6:
                texts.add(copy)
                break
        else:
            sys.exit(f"cannot make a copy of {story_id} with Jaccard >= 0.6")
        published = f"2026-{month:02d}-{day + 1 + len(copies) % 3:02d}"
        add(copy_id, copy, rng.choice(OUTLETS), published, f"Story {story_id} (republished)")
        copies.append(copy_id)

    # Records analyze must refuse, each with its error line in its place.
    for n in range(bad):
        kind = n % 3
        if kind == 0:
            lines.append(json.dumps({"id": f"bad-{n}", "title": "A headline without text"}))
        elif kind == 1:
            lines.append('{"id": "truncated-%d", "text": "The mayor said' % n)
        else:
            lines.append(json.dumps({"id": f"blank-{n}", "text": "   "}))
    rng.shuffle(lines)
    return lines, planted, drifted, good_ids


def drifted_pair(text, pool, texts, rng, threshold):
    """A copy B of `text` (A) with one sentence replaced, and a copy C of B with another one
    replaced, such that J(A, B) and J(B, C) are >= threshold and J(A, C) is below it."""
    a = shingles(text)
    for _ in range(2000):
        paragraphs = text.split("\n\n")
        first, second = rng.sample(range(1, len(paragraphs)), 2)
        paragraphs[first] = rng.choice(pool)
        b = "\n\n".join(paragraphs)
        paragraphs[second] = rng.choice(pool)
        c = "\n\n".join(paragraphs)
        sb, sc = shingles(b), shingles(c)
        if (b not in texts and c not in texts and jaccard(a, sb) >= threshold
                and jaccard(sb, sc) >= threshold and jaccard(a, sc) < threshold):
            texts.update([b, c])
            return b, c
    sys.exit("cannot make a drifted copy of a story from the example sentences")


def perturb(text, rng):
    """A republication: one or two light edits, as outlets copy wire stories."""
    paragraphs = text.split("\n\n")
    edits = rng.sample(["credit", "drop", "dateline", "word"], rng.choice([1, 2]))
    for edit in edits:
        if edit == "credit":
            paragraphs.append(
                f"Reporting by {rng.choice(REPORTERS)}; editing by {rng.choice(REPORTERS)}."
            )
        elif edit == "drop" and len(paragraphs) > 3:
            paragraphs.pop(rng.randrange(1, len(paragraphs)))
        elif edit == "dateline":
            paragraphs[0] = f"(Updated) {paragraphs[0]}"
        elif edit == "word":
            i = rng.randrange(len(paragraphs))
            ws = paragraphs[i].split()
            k = rng.randrange(len(ws))
            ws[k] = ws[k].upper() if ws[k].islower() else ws[k] + "s"
            paragraphs[i] = " ".join(ws)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Flattening analyze's JSON into the store's table shapes (docs/store.md).


def document_row(doc, partition):
    meta, stats = doc.get("meta", {}), doc.get("stats", {})
    return {
        "doc_id": hashlib.sha256(doc["text"].encode()).hexdigest(),
        "source_id": doc["id"],
        "partition": partition,
        "record": doc["origin"].get("record"),
        "title": meta.get("title"),
        "outlet": meta.get("outlet"),
        "published": meta.get("published"),
        "words": stats.get("words"),
        "sentences": stats.get("sentences"),
        "text": doc["text"],
    }


def annotation_rows(doc):
    doc_id = hashlib.sha256(doc["text"].encode()).hexdigest()
    for layer in doc["layers"]:
        for idx, a in enumerate(layer["annotations"]):
            reason = a.get("reason", {})
            yield {
                "doc_id": doc_id,
                "layer": layer["name"],
                "idx": idx,
                "type": a.get("type"),
                "start_char": a["start"],
                "end_char": a["end"],
                "text": a.get("text"),
                "stage": reason.get("stage"),
                "rule": reason.get("rule"),
                "score": reason.get("score"),
                "attrs": json.dumps(a["attrs"], sort_keys=True) if "attrs" in a else None,
            }


def link_rows(doc):
    doc_id = hashlib.sha256(doc["text"].encode()).hexdigest()
    for layer in doc["layers"]:
        for idx, a in enumerate(layer["annotations"]):
            for position, link in enumerate(a.get("links", [])):
                yield {
                    "doc_id": doc_id, "from_layer": layer["name"], "from_idx": idx,
                    "position": position, "role": link["role"],
                    "to_layer": link["layer"], "to_idx": link["index"],
                }


# ---------------------------------------------------------------------------------------------


def store_clustering(binary, corpus, work, threshold, env):
    """{first-seen doc_id: every member's doc_id} of `claimlens clusters` (2 or more) after
    `claimlens ingest` of the corpus into a new store."""
    db = work / "store.db"
    for leftover in work.glob("store.db*"):
        leftover.unlink()
    subprocess.run([str(binary), "ingest", "--no-progress", "--db", str(db), str(corpus)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    clusters, offset = {}, 0
    while True:
        page = json.loads(subprocess.run(
            [str(binary), "clusters", "--db", str(db), "--format", "json", "--limit", "500",
             "--offset", str(offset), "--threshold", str(threshold)],
            env=env, check=True, capture_output=True, text=True).stdout)
        for c in page["items"]:
            clusters[c["first"]["doc_id"]] = {m["doc_id"] for m in c["timeline"]}
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return clusters


class Checks:
    def __init__(self):
        self.failed = []

    def __call__(self, ok, what):
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failed.append(what)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(REPO / "target/release/claimlens"),
                        help="the claimlens binary (default: target/release/claimlens)")
    parser.add_argument("--records", type=int, default=200, help="corpus size (default 200)")
    parser.add_argument("--partitions", type=int, default=4, help="JSONL partitions (default 4)")
    parser.add_argument("--cores", type=int, default=2, help="Spark local cores (default 2)")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="exact Jaccard from which documents are one story (default 0.5)")
    parser.add_argument("--seed", type=int, default=20261204, help="corpus generator seed")
    parser.add_argument("--work", help="folder for the corpus and Parquet (default: a temporary "
                        "folder, removed at the end)")
    args = parser.parse_args()

    binary = Path(args.binary).resolve()
    if not os.access(binary, os.X_OK):
        sys.exit(f"no claimlens binary at {binary} (cargo build --release -p claimlens-cli)")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="claimlens-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    check = Checks()

    lines, planted, drifted, good_ids = make_corpus(args.records, args.seed, args.threshold)
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    per_part = -(-len(lines) // args.partitions)
    for p in range(args.partitions):
        chunk = lines[p * per_part:(p + 1) * per_part]
        (corpus / f"part-{p:05d}.jsonl").write_text("".join(line + "\n" for line in chunk))
    print(f"corpus: {len(lines)} records ({len(good_ids)} good, {len(lines) - len(good_ids)} "
          f"broken), {len(planted)} stories republished, {len(drifted)} copies of copies "
          f"drifted from the original, in {args.partitions} files at {corpus}")

    # Spark's Python workers run this interpreter (the one PySpark is installed for).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession, functions as F, types as T
    except ImportError:
        sys.exit("PySpark is not installed for this Python: pip install pyspark (Java 17 too)")

    spark = (
        SparkSession.builder.master(f"local[{args.cores}]")
        .appName("claimlens-scale-demo")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    spark_started = time.monotonic()

    # --- 2. analyze every partition with one claimlens process -------------------------------
    # Input partitions as files on a cluster: one JSONL file (or HDFS block) per partition.
    # minPartitions keeps one partition per file here.
    # Blank lines are not records (analyze writes nothing for them), so they are dropped
    # before the pipe: every line piped then has exactly one line back.
    inputs = sc.textFile(str(corpus), minPartitions=args.partitions).filter(str.strip)
    command = [
        str(binary), "analyze", "--input-format", "jsonl", "--format", "jsonl",
        "--error-records", "--no-narratives", "--no-progress", "--jobs", "1", "-",
    ]
    # A folder without a store: analyze would otherwise read a developer's default store of
    # known narratives (--no-narratives skips it; this keeps the run independent of the host).
    env = {"XDG_DATA_HOME": str(work / "no-user-data"), "HOME": str(work)}
    analyze_started = time.monotonic()
    # checkCode: a process that dies (killed, out of memory) fails the task, which Spark
    # retries; analysis is deterministic, so a retried partition gives the same lines.
    outputs = inputs.pipe(shlex.join(command), env=env, checkCode=True).persist()
    out_count = outputs.count()
    analyze_seconds = time.monotonic() - analyze_started

    # --- 3. one line out per line in, in order --------------------------------------------
    print("checks:")
    in_count = inputs.count()
    check(out_count == in_count, f"one output line per input line ({in_count} in, {out_count} out)")
    numbered = inputs.mapPartitions(lambda it: enumerate(it, 1))
    try:
        pairs = numbered.zip(outputs)

        def mismatch(pair):
            (line_no, line), out = pair
            result = json.loads(out)
            try:
                wanted = json.loads(line).get("id")
            except ValueError:
                wanted = None  # broken JSON: its error line has no id either
            if result["schema"] == "claimlens.doc/2":
                return result["id"] != wanted or result["origin"]["record"] != line_no
            return result["id"] != wanted or result["record"] != line_no

        bad_pairs = pairs.filter(mismatch).count()
        check(bad_pairs == 0, f"each output line has its input line's id and record number "
              f"({bad_pairs} mismatched)")
    except Exception as e:  # zip refuses partitions of different sizes
        check(False, f"input and output partitions zip: {str(e).splitlines()[0]}")

    # --- 4. Parquet out, read back ----------------------------------------------------------
    parsed = outputs.mapPartitionsWithIndex(
        lambda p, it: ((p, json.loads(line)) for line in it)
    ).persist()
    docs = parsed.filter(lambda pd: pd[1]["schema"] == "claimlens.doc/2")
    errors = parsed.filter(lambda pd: pd[1]["schema"] == "claimlens.error/1")

    document_schema = T.StructType([
        T.StructField("doc_id", T.StringType(), False),
        T.StructField("source_id", T.StringType(), False),
        T.StructField("partition", T.IntegerType(), False),
        T.StructField("record", T.LongType(), True),
        T.StructField("title", T.StringType(), True),
        T.StructField("outlet", T.StringType(), True),
        T.StructField("published", T.StringType(), True),
        T.StructField("words", T.LongType(), True),
        T.StructField("sentences", T.LongType(), True),
        T.StructField("text", T.StringType(), False),
    ])
    annotation_schema = T.StructType([
        T.StructField("doc_id", T.StringType(), False),
        T.StructField("layer", T.StringType(), False),
        T.StructField("idx", T.IntegerType(), False),
        T.StructField("type", T.StringType(), True),
        T.StructField("start_char", T.LongType(), False),
        T.StructField("end_char", T.LongType(), False),
        T.StructField("text", T.StringType(), True),
        T.StructField("stage", T.StringType(), True),
        T.StructField("rule", T.StringType(), True),
        T.StructField("score", T.DoubleType(), True),
        T.StructField("attrs", T.StringType(), True),
    ])
    link_schema = T.StructType([
        T.StructField("doc_id", T.StringType(), False),
        T.StructField("from_layer", T.StringType(), False),
        T.StructField("from_idx", T.IntegerType(), False),
        T.StructField("position", T.IntegerType(), False),
        T.StructField("role", T.StringType(), False),
        T.StructField("to_layer", T.StringType(), False),
        T.StructField("to_idx", T.IntegerType(), False),
    ])
    rejected_schema = T.StructType([
        T.StructField("partition", T.IntegerType(), False),
        T.StructField("record", T.LongType(), True),
        T.StructField("source_id", T.StringType(), True),
        T.StructField("reason", T.StringType(), False),
    ])

    def as_tuple(schema):
        names = schema.fieldNames()
        return lambda row: tuple(row[n] for n in names)

    def score_as_float(row):
        if row["score"] is not None:
            row["score"] = float(row["score"])
        return row

    tables = {
        "documents": spark.createDataFrame(
            docs.map(lambda pd: document_row(pd[1], pd[0])).map(as_tuple(document_schema)),
            document_schema),
        "annotations": spark.createDataFrame(
            docs.flatMap(lambda pd: annotation_rows(pd[1])).map(score_as_float)
            .map(as_tuple(annotation_schema)), annotation_schema),
        "links": spark.createDataFrame(
            docs.flatMap(lambda pd: link_rows(pd[1])).map(as_tuple(link_schema)), link_schema),
        "rejected": spark.createDataFrame(
            errors.map(lambda pd: (pd[0], pd[1]["record"], pd[1]["id"], pd[1]["error"])),
            rejected_schema),
    }
    parquet = work / "parquet"
    for name, frame in tables.items():
        frame.write.mode("overwrite").parquet(str(parquet / name))
    back = {name: spark.read.parquet(str(parquet / name)) for name in tables}

    documents_back = back["documents"].count()
    check(documents_back == len(good_ids),
          f"documents read back from Parquet: {documents_back} of {len(good_ids)} good records")
    rejected_back = back["rejected"].count()
    check(rejected_back == len(lines) - len(good_ids),
          f"rejected records read back: {rejected_back} of {len(lines) - len(good_ids)} broken")
    from_json = dict(
        docs.flatMap(lambda pd: [(l["name"], len(l["annotations"])) for l in pd[1]["layers"]])
        .reduceByKey(lambda a, b: a + b).collect()
    )
    per_layer = {r["layer"]: r["count"] for r in back["annotations"].groupBy("layer").count().collect()}
    check(per_layer == {k: v for k, v in from_json.items() if v}, "annotations per layer in "
          "Parquet equal the JSON's")
    links_back = back["links"].count()

    # --- 5. near-duplicate clusters ------------------------------------------------------
    cluster_started = time.monotonic()
    bands, rows = banding_for(args.threshold)
    if args.threshold == 0.5:
        check((bands, rows) == (42, 3), f"banding at 0.5 is the store's 42 x 3 ({bands} x {rows})")

    def signed(v):
        """A 64-bit hash as Spark's signed long."""
        return v - (1 << 64) if v >= 1 << 63 else v

    def sketch(row):
        sh = shingles(row["text"])
        keys = band_keys(minhash(sh), bands, rows) if sh else []
        return (row["doc_id"], [signed(s) for s in sh], [(b, signed(k)) for b, k in keys])

    sketched = back["documents"].select("doc_id", "text").rdd.map(sketch).persist()
    shingle_sets = spark.createDataFrame(
        sketched.map(lambda s: (s[0], s[1])),
        "doc_id string, shingles array<long>")
    band_rows = spark.createDataFrame(
        sketched.flatMap(lambda s: [(s[0], b, k) for b, k in s[2]]),
        "doc_id string, band int, key long")
    # Candidate pairs: documents sharing any band key. A bucket holding very many documents
    # (one boilerplate text everywhere) makes pairs quadratic in its size: docs/scale.md.
    buckets = band_rows.groupBy("band", "key").agg(F.sort_array(F.collect_set("doc_id")).alias("docs"))
    candidates = (
        buckets.where(F.size("docs") > 1)
        .select(F.explode("docs").alias("a"), "docs")
        .select("a", F.explode("docs").alias("b"))
        .where(F.col("a") < F.col("b"))
        .distinct()
    )
    sa, sb = shingle_sets.alias("sa"), shingle_sets.alias("sb")
    scored = (
        candidates.join(sa, F.col("a") == F.col("sa.doc_id"))
        .join(sb, F.col("b") == F.col("sb.doc_id"))
        .select(
            "a", "b",
            (F.size(F.array_intersect("sa.shingles", "sb.shingles"))
             / F.size(F.array_union("sa.shingles", "sb.shingles"))).alias("jaccard"),
        )
        .persist()
    )
    edges = scored.where(F.col("jaccard") >= args.threshold)
    n_candidates, n_edges = scored.count(), edges.count()

    # Connected components by label propagation: every document starts as its own label and
    # takes the least label among itself and its neighbours until nothing changes.
    both_ways = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    labels = back["documents"].select("doc_id", F.col("doc_id").alias("label"))
    rounds = 0
    while True:
        rounds += 1
        proposed = (
            both_ways.join(labels, both_ways.b == labels.doc_id)
            .select(F.col("a").alias("doc_id"), F.col("label").alias("proposed"))
        )
        updated = (
            labels.join(proposed, "doc_id", "left")
            .groupBy("doc_id", "label")
            .agg(F.min("proposed").alias("proposed"))
            .select("doc_id", F.least("label", F.coalesce("proposed", "label")).alias("new"),
                    "label")
            .localCheckpoint()
        )
        changed = updated.where(F.col("new") != F.col("label")).count()
        labels = updated.select("doc_id", F.col("new").alias("label"))
        if changed == 0 or rounds >= 30:
            break
    check(changed == 0, f"label propagation converged ({rounds} rounds)")

    # Inside each component, the store's first-seen rule (publication order, then id: the
    # store breaks ties by ingest time, which a batch has no equivalent for).
    members = (
        labels.join(back["documents"].select("doc_id", "source_id", "published"), "doc_id")
        .rdd.map(lambda r: (r["label"], ((r["published"] is None, r["published"] or "",
                                          r["source_id"]), r["doc_id"])))
    )
    component_edges = (
        scored.join(labels, scored.a == labels.doc_id)
        .rdd.map(lambda r: (r["label"], ((r["a"], r["b"]), r["jaccard"])))
    )
    threshold = args.threshold
    first_of = dict(
        members.cogroup(component_edges)
        .flatMap(lambda c: first_seen_clusters(list(c[1][0]), dict(c[1][1]), threshold).items())
        .collect()
    )
    cluster_seconds = time.monotonic() - cluster_started

    source_of = dict(back["documents"].select("doc_id", "source_id").rdd.map(tuple).collect())
    clusters = {}
    for doc, first in first_of.items():
        clusters.setdefault(source_of[first], set()).add(source_of[doc])
    found = {first: members for first, members in clusters.items() if len(members) > 1}
    expected = {story: {story, *copies} for story, copies in planted.items()}
    copies_home = sum(
        1 for story, copies in planted.items() for c in copies
        if story in clusters and c in clusters[story]
    )
    n_copies = sum(len(c) for c in planted.values())
    check(copies_home == n_copies,
          f"every planted copy is in its original's cluster ({copies_home} of {n_copies})")
    check(found == expected, f"clusters of 2 or more are exactly the planted ones "
          f"({len(found)} found, {len(expected)} planted)")
    check(len(first_of) == len(good_ids), "every document is in one cluster")
    label_of = dict(labels.rdd.map(tuple).collect())
    doc_of = {source: doc for doc, source in source_of.items()}
    same_component = sum(
        1 for c, story in drifted.items() if label_of[doc_of[c]] == label_of[doc_of[story]]
    )
    alone = sum(1 for c in drifted if clusters.get(c) == {c})
    check(same_component == len(drifted) and alone == len(drifted),
          f"each copy of a copy that drifted below the threshold is in its original's component "
          f"({same_component} of {len(drifted)}) but starts its own cluster "
          f"({alone} of {len(drifted)}), as in the store")
    # The same corpus through the store: `claimlens ingest`, then `claimlens clusters` at the
    # same threshold. The store keys documents by the SHA-256 of their text, as the Parquet
    # documents table does, so the two clusterings compare document by document.
    by_first = {}
    for doc, first in first_of.items():
        by_first.setdefault(first, set()).add(doc)
    spark_clusters = {first: docs for first, docs in by_first.items() if len(docs) > 1}
    store_clusters = store_clustering(binary, corpus, work, args.threshold, env)
    check(store_clusters == spark_clusters,
          f"the store's `claimlens clusters` on the same corpus gives the same clusters "
          f"({len(store_clusters)} in the store, {len(spark_clusters)} in Spark)")
    component_sizes = {}
    for label in label_of.values():
        component_sizes[label] = component_sizes.get(label, 0) + 1
    big_components = sum(1 for n in component_sizes.values() if n > 1)

    total = time.monotonic() - started
    spark.stop()
    print("summary:")
    print(f"  records in {in_count}, lines out {out_count} ({documents_back} documents, "
          f"{rejected_back} error lines)")
    print(f"  analyze via RDD.pipe: {analyze_seconds:.1f} s for {in_count} records on "
          f"{args.partitions} partitions, {args.cores} cores "
          f"({documents_back / analyze_seconds:.0f} documents/s, including process starts)")
    print(f"  Parquet at {parquet}: documents {documents_back}, annotations "
          f"{sum(per_layer.values())}, links {links_back}, rejected {rejected_back}")
    print("  annotations per layer: " + ", ".join(f"{k} {v}" for k, v in sorted(per_layer.items())))
    print(f"  clusters: {bands} bands x {rows} rows, {n_candidates} candidate pairs, "
          f"{n_edges} at Jaccard >= {args.threshold}, {rounds} propagation rounds, "
          f"{big_components} components of 2+, {len(found)} clusters of 2+ found, "
          f"{len(expected)} planted "
          f"({cluster_seconds:.1f} s)")
    print(f"  seconds: {total:.1f} total ({spark_started - started:.1f} before Spark was up)")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    if check.failed:
        print(f"{len(check.failed)} check(s) failed", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
