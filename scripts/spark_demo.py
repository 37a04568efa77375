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
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The helper modules beside this script are imported without leaving a __pycache__ folder in
# the checkout.
sys.dont_write_bytecode = True
from near_duplicates import (  # noqa: E402
    band_keys, banding_for, first_seen_clusters, minhash, shingles,
)
from spark_demo_corpus import make_corpus  # noqa: E402

try:
    from pyspark.sql import SparkSession, functions as F, types as T
except ImportError:
    sys.exit("PySpark is not installed for this Python: pip install pyspark (Java 17 too)")

REPO = Path(__file__).resolve().parent.parent

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


def write_tables(spark, docs, errors, parquet):
    """Writes the documents, annotations, links and rejected tables as Parquet under
    `parquet` and returns them read back, as DataFrames."""
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
    for name, frame in tables.items():
        frame.write.mode("overwrite").parquet(str(parquet / name))
    return {name: spark.read.parquet(str(parquet / name)) for name in tables}


def cluster_documents(spark, documents, threshold, check):
    """Near-duplicate clusters of the `documents` DataFrame (doc_id, source_id, published,
    text): {doc_id: its cluster's first-seen doc_id}, each document's component label, and
    figures for the summary."""
    cluster_started = time.monotonic()
    bands, rows = banding_for(threshold)
    if threshold == 0.5:
        check((bands, rows) == (42, 3), f"banding at 0.5 is the store's 42 x 3 ({bands} x {rows})")

    def signed(v):
        """A 64-bit hash as Spark's signed long."""
        return v - (1 << 64) if v >= 1 << 63 else v

    def sketch(row):
        sh = shingles(row["text"])
        keys = band_keys(minhash(sh), bands, rows) if sh else []
        return (row["doc_id"], [signed(s) for s in sh], [(b, signed(k)) for b, k in keys])

    sketched = documents.select("doc_id", "text").rdd.map(sketch).persist()
    shingle_sets = spark.createDataFrame(
        sketched.map(lambda s: (s[0], s[1])),
        "doc_id string, shingles array<long>")
    band_rows = spark.createDataFrame(
        sketched.flatMap(lambda s: [(s[0], b, k) for b, k in s[2]]),
        "doc_id string, band int, key long")
    # Candidate pairs: documents sharing any band key. A bucket holding very many documents
    # (one boilerplate text everywhere) makes pairs quadratic in its size: docs/scale.md.
    buckets = band_rows.groupBy("band", "key").agg(
        F.sort_array(F.collect_set("doc_id")).alias("docs"))
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
    edges = scored.where(F.col("jaccard") >= threshold)
    n_candidates, n_edges = scored.count(), edges.count()

    # Connected components by label propagation: every document starts as its own label and
    # takes the least label among itself and its neighbours until nothing changes.
    both_ways = edges.select("a", "b").union(
        edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    labels = documents.select("doc_id", F.col("doc_id").alias("label"))
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
        labels.join(documents.select("doc_id", "source_id", "published"), "doc_id")
        .rdd.map(lambda r: (r["label"], ((r["published"] is None, r["published"] or "",
                                          r["source_id"]), r["doc_id"])))
    )
    component_edges = (
        scored.join(labels, scored.a == labels.doc_id)
        .rdd.map(lambda r: (r["label"], ((r["a"], r["b"]), r["jaccard"])))
    )
    first_of = dict(
        members.cogroup(component_edges)
        .flatMap(lambda c: first_seen_clusters(list(c[1][0]), dict(c[1][1]), threshold).items())
        .collect()
    )
    stats = {"bands": bands, "rows": rows, "candidates": n_candidates, "edges": n_edges,
             "rounds": rounds, "seconds": time.monotonic() - cluster_started}
    return first_of, labels, stats


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
    # The executors import the near-duplicate functions; on a cluster this ships the file.
    sc.addPyFile(str(Path(__file__).resolve().parent / "near_duplicates.py"))
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
    parquet = work / "parquet"
    back = write_tables(spark, docs, errors, parquet)

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
    per_layer = {
        r["layer"]: r["count"] for r in back["annotations"].groupBy("layer").count().collect()
    }
    check(per_layer == {k: v for k, v in from_json.items() if v}, "annotations per layer in "
          "Parquet equal the JSON's")
    links_back = back["links"].count()

    # --- 5. near-duplicate clusters ------------------------------------------------------
    first_of, labels, stats = cluster_documents(spark, back["documents"], args.threshold, check)

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
    where = f" at {parquet}" if args.work else ""
    print(f"  Parquet{where}: documents {documents_back}, annotations "
          f"{sum(per_layer.values())}, links {links_back}, rejected {rejected_back}")
    print("  annotations per layer: " + ", ".join(f"{k} {v}" for k, v in sorted(per_layer.items())))
    print(f"  clusters: {stats['bands']} bands x {stats['rows']} rows, "
          f"{stats['candidates']} candidate pairs, {stats['edges']} at Jaccard >= "
          f"{args.threshold}, {stats['rounds']} propagation rounds, {big_components} components "
          f"of 2+, {len(found)} clusters of 2+ found, {len(expected)} planted "
          f"({stats['seconds']:.1f} s)")
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
