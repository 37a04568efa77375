#!/usr/bin/env python3
"""Build crates/claimlens-analyzers/data/subjective-words.tsv, the general list of loaded
and subjective words the techniques stage uses as features.

Source: the VADER sentiment lexicon (Hutto & Gilbert 2014), `vader_lexicon.txt` as shipped
in the PyPI package `vaderSentiment==3.3.2` (MIT licence, in the package's
LICENSE.txt). The wheel is fetched with pip into a temporary directory; the output keeps
every entry that is a lower-case word (letters, inner hyphens or apostrophes; no emoticons
or abbreviations like ":)"), with its mean valence (-4 to +4) as the lexicon gives it,
sorted: deterministic for the pinned version.

Usage (from the repository root):
    python3 scripts/build-subjective-words.py
"""
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "vaderSentiment==3.3.2"
MEMBER = "vaderSentiment/vader_lexicon.txt"
OUT = pathlib.Path("crates/claimlens-analyzers/data/subjective-words.tsv")
WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")


def main():
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary", ":all:", "--dest", tmp, PACKAGE],
            check=True,
        )
        (wheel,) = pathlib.Path(tmp).glob("vaderSentiment-*.whl")
        with zipfile.ZipFile(wheel) as z:
            text = z.read(MEMBER).decode("utf-8")
            licence = z.read("vaderSentiment-3.3.2.dist-info/LICENSE.txt").decode("utf-8")
    if "MIT License" not in licence:
        sys.exit("the package's licence is no longer MIT: check it before using the data")
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not WORD.match(fields[0]):
            continue
        rows[fields[0]] = float(fields[1])
    header = (
        "# Subjective words: the VADER sentiment lexicon (C.J. Hutto, MIT licence), via the\n"
        "# PyPI package vaderSentiment==3.3.2. Word<TAB>mean valence (-4..4).\n"
        "# Built by scripts/build-subjective-words.py.\n"
    )
    body = "".join(f"{w}\t{rows[w]:.1f}\n" for w in sorted(rows))
    OUT.write_text(header + body, encoding="utf-8")
    print(f"{len(rows)} words -> {OUT}")


if __name__ == "__main__":
    main()
