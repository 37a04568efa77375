#!/usr/bin/env python3
"""List candidate time expressions in the shared data, for hand labelling (data/date-expressions/).

Prints `file<TAB>code-point offset<TAB>category<TAB>expression<TAB>context` for a deterministic
sample (seeded) of matches of broad, rule-independent regular expressions. The context is for
the labeller's eyes only; it is never committed.

    python3 scripts/date_candidates.py ../shared/data > /tmp/candidates.tsv
    python3 scripts/date_candidates.py ../shared/data train > /tmp/heldout-candidates.tsv

The second form samples PolNeAR train only (no EUvsDisinfo), with another seed: the held-out
table was labelled from it after the rules were frozen.
"""
import csv, random, re, sys
from pathlib import Path

MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)"
UNIT = r"(?:days?|weeks?|months?|years?|decades?|hours?)"
CATEGORIES = {
    "weekday": rf"\b(?:last |next |this )?{DAY}(?: (?:morning|afternoon|evening|night))?\b",
    "month-day": rf"\b{MONTH} \d{{1,2}}(?:, \d{{4}})?\b",
    "month-year": rf"\b(?:in|since|until|by) {MONTH}(?: \d{{4}})?\b",
    "year": r"\b(?:in|since|by|until|of|from) (?:1[89]|20)\d\d\b",
    "deictic": r"\b(?:last|next|this|past|earlier this|later this) (?:week|month|year|summer|winter|spring|fall|decade)\b",
    "ago": rf"\b{NUM} {UNIT} ago\b",
    "day-word": r"\b(?:yesterday|today|tomorrow|tonight)\b",
    "duration": rf"\bfor (?:the past |the last )?{NUM} {UNIT}\b",
    "range": r"\b(?:between (?:1[89]|20)\d\d and (?:1[89]|20)\d\d|from \S+ (?:\S+ )?to \S+(?: \d+)?)",
    "decade": r"\bthe (?:1[89]|20)\d0s\b",
    "clock": r"\b\d{1,2}(?::\d\d)? ?[ap]\.?m\.?",
    "modifier": r"\b(?:early|late|mid-?)(?: |-)?(?:(?:1[89]|20)\d\d|next year|last year|this year)\b|\bthe (?:beginning|end|start) of (?:the|this|last) (?:year|month|week)\b",
}


def main(root, split="dev"):
    root = Path(root)
    files = sorted((root / "polnear" / split / "text").glob("*.txt"))
    rng = random.Random(20261125 if split == "dev" else 1125)
    rows = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        for cat, pat in CATEGORIES.items():
            for m in re.finditer(pat, text):
                ctx = text[max(0, m.start() - 90):m.end() + 60].replace("\n", " ").replace("\t", " ")
                rows.append((str(f.relative_to(root)), m.start(), cat, m.group(0), ctx))
    # EUvsDisinfo summaries: offsets into the CSV file itself.
    csv_path = root / "euvsdisinfo" / "cases_2015_2017.csv"
    raw = csv_path.read_text(encoding="utf-8") if split == "dev" else ""
    for cat, pat in CATEGORIES.items():
        for m in re.finditer(pat, raw):
            ctx = raw[max(0, m.start() - 90):m.end() + 60].replace("\n", " ").replace("\t", " ")
            rows.append((str(csv_path.relative_to(root)), m.start(), cat, m.group(0), ctx))
    rng.shuffle(rows)
    per_cat = {}
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for r in rows:
        key = (r[0].startswith("euvs"), r[2])
        if per_cat.get(key, 0) >= (6 if key[0] else 14 if split == "dev" else 6):
            continue
        per_cat[key] = per_cat.get(key, 0) + 1
        out.writerow(r)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data", sys.argv[2] if len(sys.argv) > 2 else "dev")
