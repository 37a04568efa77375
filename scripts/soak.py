#!/usr/bin/env python3
"""Soak test: thousands of hostile documents through `claimlens analyze --format jsonl`.

Builds N documents (default 10,000) in a temporary folder, deterministically from a seed:
the repository's own example articles and fuzz seeds, mutated (bytes flipped, cut, spliced,
control and escape sequences, bidi overrides, NULs, invalid and legacy-encoded bytes, UTF-16,
very long lines and words, deep HTML nesting, unterminated CSV quotes, broken JSON) and
spread over .txt, .html, .jsonl and .csv files. Runs the binary once over the folder while
sampling its resident memory, then checks that nothing was lost or duplicated:

  * every output document names its (source, record) once;
  * documents out + errors reported == documents in, where "in" is one per .txt/.html file,
    one per non-blank line of a .jsonl file and one per CSV record (files are generated so
    that this count is unambiguous: CSV records never hold a newline);
  * the exit status is 0 or 1 (documents with errors), never a crash, and the run ends.

Prints one summary line and the memory curve (RSS at each tenth of the run); exits non-zero
when a check fails. Python standard library only.

  scripts/soak.py --binary target/release/claimlens            # 10,000 documents
  scripts/soak.py --binary target/release/claimlens --docs 1000 --seed 7
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HOSTILE_SNIPPETS = [
    "\x1b]52;c;ZXZpbA==\x07",  # clipboard write
    "\x1b[2J\x1b[H",  # clear screen
    "\u202eevil\u202c",  # right-to-left override
    "\u2066isolate\u2069",
    "\x00",
    "\ufeff",
    "\u200b\u200d",
    "e\u0301\u0301\u0301",  # stacked combining marks
    "👩‍👩‍👧‍👦",
    "“quoted” ‘single’ «guillemets»",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "said that said that said that",
    "\r\n\r\n",
    "\t\t\t",
]


def base_texts():
    """Article texts written for this repository (never third-party text)."""
    texts = []
    for pattern in ["examples/*.txt", "crates/*/tests/fixtures/*.txt"]:
        for p in sorted(ROOT.glob(pattern)):
            texts.append(p.read_text(encoding="utf-8"))
    texts.append("The mayor said the port would reopen. Fishermen disagreed.")
    return texts


def mutate_text(rng, text):
    """A hostile variant of a text (still a str)."""
    choice = rng.randrange(9)
    if choice == 0:
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(HOSTILE_SNIPPETS) * rng.randrange(1, 50) + text[pos:]
    if choice == 1:
        return text[: rng.randrange(len(text) + 1)]
    if choice == 2:  # one very long sentence
        return ("word " * rng.randrange(1000, 60000)).strip()
    if choice == 3:  # one very long word
        return "x" * rng.randrange(1000, 200000)
    if choice == 4:  # many tiny sentences
        return "a. " * rng.randrange(1000, 50000)
    if choice == 5:  # quotes within quotes, never closed
        return '"He said "she said "they said ' * rng.randrange(10, 2000)
    if choice == 6:
        chars = list(text)
        for _ in range(rng.randrange(1, 40)):
            i = rng.randrange(len(chars)) if chars else 0
            chars.insert(i, chr(rng.choice([rng.randrange(0, 32), rng.randrange(0x80, 0xA0),
                                             rng.randrange(0x2000, 0x2070), rng.randrange(0x300, 0x370)])))
        return "".join(chars)
    if choice == 7:
        return text * rng.randrange(2, 40)
    return text


def mutate_bytes(rng, data):
    """A hostile variant at the byte level (may be invalid UTF-8, UTF-16, legacy)."""
    choice = rng.randrange(7)
    if choice == 0 and data:
        b = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if choice == 1:
        return data.decode("utf-8", "replace").encode("utf-16-le")  # no BOM
    if choice == 2:
        return data.decode("utf-8", "replace").encode("cp1251", "replace")
    if choice == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    if choice == 4:
        return b"\xff\xfe" + data.decode("utf-8", "replace").encode("utf-16-le")
    if choice == 5:
        return data + b"\xc3" + data[:100]  # one stray byte in valid UTF-8
    return data


def html_of(rng, text):
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    choice = rng.randrange(5)
    if choice == 0:
        depth = rng.randrange(100, 5000)
        return "<div>" * depth + paras + "</div>" * rng.randrange(depth)
    if choice == 1:
        return f"<html><head><meta charset=\"{rng.choice(['utf-8', 'latin1', 'bogus', 'utf-16'])}\"></head><body><article>{paras}</article></body></html>"
    if choice == 2:
        return "<html><body>" + paras[: rng.randrange(len(paras) + 1)]  # cut mid-tag
    if choice == 3:
        return "<script>" + "x" * rng.randrange(10000) + "</script>" + paras
    return f"<html><body><article><h1>Title</h1>{paras}</article></body></html>"


def write_document(rng, folder, n, texts):
    """Writes one file; returns (path, documents it holds)."""
    text = mutate_text(rng, rng.choice(texts))
    kind = rng.choice(["txt", "txt", "html", "jsonl", "jsonl", "csv"])
    path = folder / f"{n:05d}.{kind}"
    if kind == "txt":
        path.write_bytes(mutate_bytes(rng, text.encode("utf-8")))
        return path, 1
    if kind == "html":
        path.write_bytes(mutate_bytes(rng, html_of(rng, text).encode("utf-8")))
        return path, 1
    if kind == "jsonl":
        lines = []
        for i in range(rng.randrange(1, 6)):
            record = {"id": f"{n}-{i}{rng.choice(HOSTILE_SNIPPETS)}",
                      rng.choice(["text", "body", "html", "nothing"]): text}
            line = json.dumps(record, ensure_ascii=rng.random() < 0.5)
            if rng.random() < 0.15:
                line = line[: rng.randrange(len(line))]  # broken JSON
            lines.append(line)
        if rng.random() < 0.1:
            lines.insert(rng.randrange(len(lines) + 1), '["not", "an", "object"]')
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path, sum(1 for l in lines if l.strip())
    # CSV: one header and records that never hold a newline, so records == lines - 1 unless
    # a quote is left open (then the reader must report an error for the rest).
    flat = re.sub(r"[\r\n]+", " ", text)
    rows = ["id,title,text"]
    for i in range(rng.randrange(1, 6)):
        body = flat.replace('"', '""')
        rows.append(f'{n}-{i},Title {i},"{body}"')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, len(rows) - 1


class RssSampler(threading.Thread):
    """Samples a process's resident set size from /proc every 50 ms."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], False

    def run(self):
        status = Path(f"/proc/{self.pid}/status")
        while not self.stop:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.samples.append((time.monotonic(), int(line.split()[1])))
            except OSError:
                return
            time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=str(ROOT / "target/release/claimlens"))
    ap.add_argument("--docs", type=int, default=10_000, help="documents to generate (approximate)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--keep", help="generate into this folder and keep it")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    texts = base_texts()
    tmp = tempfile.TemporaryDirectory()
    folder = Path(args.keep or tmp.name) / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    expected, files, n = 0, 0, 0
    while expected < args.docs:
        _, count = write_document(rng, folder, n, texts)
        expected += count
        files += 1
        n += 1
    out_path = Path(tmp.name) / "out.jsonl"

    start = time.monotonic()
    with open(out_path, "wb") as out:
        proc = subprocess.Popen([args.binary, "analyze", "--format", "jsonl", "--no-progress", str(folder)],
                                stdout=out, stderr=subprocess.PIPE)
        sampler = RssSampler(proc.pid)
        sampler.start()
        _, stderr = proc.communicate(timeout=3600)
        sampler.stop = True
    elapsed = time.monotonic() - start
    stderr = stderr.decode("utf-8", "replace")

    failures = []
    if proc.returncode not in (0, 1):
        failures.append(f"exit status {proc.returncode}")
    summary = re.search(r"analyzed (\d+) documents?, (\d+) errors?", stderr)
    if not summary:
        failures.append("no summary line on stderr")
        analyzed = errors = 0
    else:
        analyzed, errors = int(summary.group(1)), int(summary.group(2))
    seen, duplicates, out_docs = set(), 0, 0
    with open(out_path, "rb") as f:
        for line in f:
            doc = json.loads(line)
            key = (doc["origin"]["source"], doc["origin"].get("record"))
            duplicates += key in seen
            seen.add(key)
            out_docs += 1
    if duplicates:
        failures.append(f"{duplicates} documents written twice")
    if out_docs != analyzed:
        failures.append(f"{out_docs} documents written but {analyzed} reported analyzed")
    if out_docs + errors != expected:
        failures.append(f"documents in {expected} != out {out_docs} + errors {errors}")

    rss = [kb for _, kb in sampler.samples]
    curve = [rss[min(len(rss) - 1, len(rss) * k // 10)] // 1024 for k in range(1, 11)] if rss else []
    print(f"soak: {files} files, {expected} documents in, {out_docs} out, {errors} errors, "
          f"{duplicates} duplicates, {elapsed:.0f} s, exit {proc.returncode}, "
          f"peak RSS {max(rss, default=0) // 1024} MiB")
    print("RSS (MiB) at each tenth of the run: " + " ".join(map(str, curve)))
    for f in failures:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
