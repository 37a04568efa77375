"""Helpers every baseline script shares: tool lists, package versions, the printed table's
header and the JSON figures file, so each script's output keeps one format."""
import json
import os
from importlib import metadata


def tool_list(arg):
    """The names in a comma-separated --tools value, blanks dropped."""
    return [t.strip() for t in arg.split(",") if t.strip()]


def version(name):
    """The installed version of a distribution package, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def print_header(hdr):
    """Prints a table's column header and a rule as wide as it."""
    print(hdr)
    print("-" * len(hdr))


def write_json(path, figures):
    """Writes the figures as indented JSON with a final newline; the folder is created, since
    results go to the git-ignored bench/out/ that a fresh clone does not have."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(figures, fh, indent=2)
        fh.write("\n")
