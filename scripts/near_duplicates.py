"""Near-duplicate primitives with the store's definitions (crates/claimlens-narratives/src/
near_duplicates.rs, docs/store.md): 5-word shingles of lower-cased alphanumeric runs, 128-value
MinHash with fmix64 permutations, the banding chosen from the threshold, exact Jaccard, and the
first-seen rule. Pure Python, deterministic across processes (BLAKE2b where the store uses
xxh3), so Spark executors compute the same values; shipped to them with SparkContext.addPyFile.
"""

import hashlib
import re

SHINGLE_WORDS = 5
PERMUTATIONS = 128
CANDIDATE_PROBABILITY_AT_THRESHOLD = 0.95
MASK64 = (1 << 64) - 1


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
