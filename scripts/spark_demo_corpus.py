"""The demo's corpus for scripts/spark_demo.py, made at run time from the sentences of
examples/*.txt: distinct stories, near-duplicate copies of some of them (the planted
republications), copies of copies that drifted below the threshold from their original, and
broken records. Deterministic for a seed.
"""

import json
import random
import re
import sys
from pathlib import Path

from near_duplicates import jaccard, shingles

REPO = Path(__file__).resolve().parent.parent

OUTLETS = [
    "Harbour Wire", "Valley Courier", "Coastal Times", "Northern Ledger", "Island Herald",
    "Evening Post", "Civic Monitor", "Riverside Gazette",
]
REPORTERS = ["Ana Borg", "Luca Ferri", "Mira Holm", "Sam Okoro", "Ines Duarte", "Piet Vos"]
CITIES = ["VALLETTA", "NORTHFIELD", "ALDERTON", "PORT MAREN", "EASTBRIDGE", "LINDHOLM"]


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
