#!/usr/bin/env python3
"""List the PolNeAR sources to label for speaker resolution (data/speaker-labels/).

Applies the selection of data/speaker-labels/README.md ("Selection") to the reference
annotation of each article: every distinct gold `Source` span that is a pronoun or a definite
description whose head is a common noun. Prints the labels-file columns with `speaker` and
`note` left empty:

    python3 scripts/speaker_candidates.py ../shared/data/polnear/dev > /tmp/dev-candidates.tsv
    python3 scripts/speaker_candidates.py ../shared/data/polnear/train --every 28 \\
        > /tmp/train-candidates.tsv

`--every K` keeps the articles at positions 0, K, 2K, … of the split's sorted article ids (the
held-out sample); without it every article is used. `--context` adds a seventh column with the
surrounding text, for the labeller's eyes only: it is article text and is never committed.
"""
import argparse
import re
import sys
from pathlib import Path

PRONOUNS = {
    "he", "she", "they", "we", "i", "it", "you", "who", "whom", "whose", "which", "that",
    "this", "these", "those", "his", "her", "him", "them", "us", "me", "my", "our", "its",
    "their", "one",
}
DETERMINERS = {
    "the", "this", "that", "these", "those", "his", "her", "their", "its", "my", "our", "your",
}
POST_MODIFIERS = {
    "of", "in", "at", "for", "from", "on", "by", "with", "to", "who", "which", "that", "whose",
    "released", "conducted", "called", "titled", "published",
}
# The head ends at the first comma, dash or opening parenthesis.
HEAD_END = re.compile(r"[,(—–]| - ")


def strip_edges(word):
    return word.strip("".join(c for c in set(word) if not c.isalnum()))


def is_pronoun(text):
    words = text.split()
    return len(words) == 1 and strip_edges(words[0]).lower() in PRONOUNS


def is_description(text):
    words = text.split()
    if len(words) < 2:
        return False
    first = words[0].lower()
    if first not in DETERMINERS and not first.endswith(("'s", "’s")):
        return False
    before = HEAD_END.split(text, maxsplit=1)[0].split()
    head_words = before[:1]
    for w in before[1:]:
        if strip_edges(w).lower() in POST_MODIFIERS:
            break
        head_words.append(w)
    head = strip_edges(head_words[-1]) if len(head_words) > 1 else ""
    return head[:1].islower()


def mention_of(text):
    words = text.split()
    return " ".join(words[:6]) + " …" if len(words) > 8 else " ".join(words)


def reference_files(split):
    by_article = {}
    for ann in sorted((split / "attributions").glob("*.ann")):
        article, _annotator = ann.stem.rsplit("_", 1)
        by_article.setdefault(article, ann)  # sorted: the first annotator id wins
    return by_article


def source_spans(ann_text):
    """Distinct Source spans used by a relation, as (start, end, fragment count)."""
    spans, used = {}, set()
    for line in ann_text.splitlines():
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("T") and " " in cols[1]:
            ranges = cols[1].split(" ", 1)[1].split(";")
            frags = [tuple(int(x) for x in r.split()) for r in ranges]
            spans[cols[0]] = frags
        elif cols[0].startswith("E") and len(cols) >= 2:
            for arg in cols[1].split()[1:]:
                role, span_id = arg.split(":", 1)
                if role.rstrip("0123456789") == "Source":
                    used.add(span_id)
    out = set()
    for span_id in used:
        frags = spans[span_id]
        out.add((min(s for s, _ in frags), max(e for _, e in frags), len(frags)))
    return sorted(out)


def read(path):
    # newline="" keeps carriage returns: the offsets count them.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--context", type=int, default=0, help="characters of context each side")
    args = ap.parse_args()
    refs = reference_files(args.split)
    articles = sorted(refs)[:: args.every]
    print("doc_id\tsource_start\tsource_end\tmention\tspeaker\tnote")
    for article in articles:
        text = read(args.split / "text" / f"{article}.txt")
        ann = read(refs[article])
        for start, end, n_frags in source_spans(ann):
            span = text[start:end]
            if not (is_pronoun(span) or is_description(span)):
                continue
            note = f"{n_frags} fragments" if n_frags > 1 else ""
            row = [article, str(start), str(end), mention_of(span), "", note]
            if args.context:
                ctx = text[max(0, start - args.context) : start] + "[[" + span + "]]"
                ctx += text[end : end + args.context]
                row.append(" ".join(ctx.split()))
            print("\t".join(row))
    print(f"{len(articles)} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
