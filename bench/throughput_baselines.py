#!/usr/bin/env python3
"""Per-core throughput of spaCy (blank en tokenizer + sentencizer) and pySBD.

Comparison baseline for claimlens' Rust pipeline; not part of CI.

Corpus: --format text (articles separated by a line containing only "\\f") or
--format jsonl (one object with a "text" field per line); see make_corpus.py.
Each tool runs in its own child process (so peak RSS is per tool):
  * the articles are read into memory first (not timed);
  * the model is built (not timed; reported as load seconds);
  * the timed loop is: spaCy  -> for doc in nlp.pipe(texts, batch_size=B, n_process=1):
                                     count tokens, count doc.sents
                        pySBD  -> Segmenter(language="en", clean=False, char_span=True).segment(text)
                                  on the first --pysbd-mb MB only (it is slow).
MB/s = UTF-8 bytes of article text / wall seconds of the timed loop (MB = 10^6 bytes).
words/s = whitespace-separated words (str.split()) / the same seconds.
Peak RSS = resource.getrusage(RUSAGE_SELF).ru_maxrss (KiB on Linux) / 1024 -> MiB,
reported next to the RSS before the timed loop (corpus texts + model already loaded).
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

from common import print_header, tool_list, version, write_json

MB = 1_000_000


def read_articles(path, fmt, limit_mb=None):
    """Return a list of article texts; stop once limit_mb MB of text were taken."""
    limit = None if limit_mb is None else int(limit_mb * MB)
    texts = []
    total = 0

    def take(t):
        nonlocal total
        if limit is not None and total >= limit:
            return False
        if t:
            texts.append(t)
            total += len(t.encode("utf-8"))
        return True

    with open(path, encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            for line in fh:
                if not line.strip():
                    continue
                if not take(json.loads(line)["text"]):
                    break
        else:
            buf = []
            for line in fh:
                if line in ("\f\n", "\f\r\n", "\f"):
                    art = "".join(buf)
                    if art.endswith("\n"):  # the writer's separator newline
                        art = art[:-1]
                    buf = []
                    if not take(art):
                        break
                else:
                    buf.append(line)
            else:
                if buf and "".join(buf).strip():
                    take("".join(buf))
    return texts


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(args):
    limit = args.limit_mb if args.tool == "spacy" else (
        args.pysbd_mb if args.limit_mb is None else min(args.pysbd_mb, args.limit_mb))
    texts = read_articles(args.corpus, args.format, limit)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    n_words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    if args.tool == "spacy":
        import spacy
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        setting = f"spacy.blank('en') + sentencizer; nlp.pipe(batch_size={args.batch_size}, n_process=1)"
    else:
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        setting = "pysbd.Segmenter(language='en', clean=False, char_span=True)"
    load_s = time.perf_counter() - t0
    rss_before = maxrss_mib()

    tokens = None
    sentences = 0
    t0 = time.perf_counter()
    if args.tool == "spacy":
        tokens = 0
        for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=1):
            tokens += len(doc)
            for _ in doc.sents:
                sentences += 1
    else:
        for t in texts:
            sentences += len(seg.segment(t))
    secs = time.perf_counter() - t0

    return {
        "tool": args.tool,
        "version": version("spacy" if args.tool == "spacy" else "pysbd"),
        "setting": setting,
        "articles": len(texts),
        "bytes": n_bytes,
        "mb": n_bytes / MB,
        "words": n_words,
        "tokens": tokens,
        "sentences": sentences,
        "load_seconds": load_s,
        "seconds": secs,
        "mb_per_s": n_bytes / MB / secs if secs else None,
        "words_per_s": n_words / secs if secs else None,
        "tokens_per_s": (tokens / secs) if (tokens is not None and secs) else None,
        "rss_before_loop_mib": rss_before,
        "peak_rss_mib": maxrss_mib(),
    }


def main():
    ap = argparse.ArgumentParser(
        description="Per-core throughput (MB/s, words/s, peak RSS) of spaCy blank-en + sentencizer "
                    "and pySBD over a corpus built by make_corpus.py.")
    ap.add_argument("--corpus", required=True, help="corpus file (text with \\f separator lines, or JSONL)")
    ap.add_argument("--format", choices=["text", "jsonl"], default=None,
                    help="corpus format (default: jsonl if the name ends in .jsonl, else text)")
    ap.add_argument("--limit-mb", type=float, default=None,
                    help="process only the first N MB of article text (spaCy; also caps pySBD)")
    ap.add_argument("--pysbd-mb", type=float, default=1.0,
                    help="MB of article text for pySBD (default 1; 0 skips pySBD)")
    ap.add_argument("--batch-size", type=int, default=256, help="nlp.pipe batch_size (default 256)")
    ap.add_argument("--tools", default="spacy,pysbd", help="comma list (default spacy,pysbd)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--worker", dest="tool", choices=["spacy", "pysbd"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.format is None:
        args.format = "jsonl" if args.corpus.endswith(".jsonl") else "text"

    if args.tool:  # child process: run one tool, print JSON
        print(json.dumps(worker(args)))
        return 0

    load_avg_before = os.getloadavg()
    results = []
    for tool in tool_list(args.tools):
        if tool == "pysbd" and args.pysbd_mb <= 0:
            continue
        cmd = [sys.executable, os.path.abspath(__file__), "--corpus", args.corpus, "--format", args.format,
               "--pysbd-mb", str(args.pysbd_mb), "--batch-size", str(args.batch_size), "--worker", tool]
        if args.limit_mb is not None:
            cmd += ["--limit-mb", str(args.limit_mb)]
        proc = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    load_avg_after = os.getloadavg()

    print(f"corpus: {args.corpus} ({args.format}); limit-mb={args.limit_mb}; pysbd-mb={args.pysbd_mb}; "
          f"python {platform.python_version()}; loadavg before/after: "
          f"{load_avg_before[0]:.2f}/{load_avg_after[0]:.2f} on {os.cpu_count()} cpus")
    hdr = (f"{'tool':<14} {'articles':>8} {'MB':>7} {'sec':>8} {'MB/s':>7} {'words/s':>10} "
           f"{'tokens':>11} {'tok/s':>10} {'sentences':>10} {'RSS0 MiB':>9} {'peak MiB':>9}")
    print_header(hdr)
    for r in results:
        label = f"{r['tool']} {r['version']}"
        tok = f"{r['tokens']:11d}" if r["tokens"] is not None else f"{'-':>11}"
        tps = f"{r['tokens_per_s']:10.0f}" if r["tokens_per_s"] is not None else f"{'-':>10}"
        print(f"{label:<14} {r['articles']:8d} {r['mb']:7.2f} {r['seconds']:8.2f} {r['mb_per_s']:7.3f} "
              f"{r['words_per_s']:10.0f} {tok} {tps} {r['sentences']:10d} "
              f"{r['rss_before_loop_mib']:9.1f} {r['peak_rss_mib']:9.1f}")
    print("RSS0 = ru_maxrss before the timed loop (corpus texts + model loaded); "
          "peak = ru_maxrss at the end; each tool in its own process.")

    if args.json:
        out = {
            "task": "throughput",
            "corpus": args.corpus,
            "format": args.format,
            "limit_mb": args.limit_mb,
            "pysbd_mb": args.pysbd_mb,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_before": load_avg_before,
            "loadavg_after": load_avg_after,
            "mb_definition": "10^6 bytes of UTF-8 article text",
            "rss_unit": "MiB (ru_maxrss KiB / 1024)",
            "results": results,
        }
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
