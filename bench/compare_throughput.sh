#!/usr/bin/env bash
# Ingest + segmentation throughput of claimlens and of spaCy (blank "en" tokenizer +
# sentencizer) on the same >= 100 MB corpus, one after the other in the same run, one core each.
# Usage: bash bench/compare_throughput.sh [CORPUS.jsonl]   (needs bash bench/setup.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-/tmp/claimlens-corpus.jsonl}"
mkdir -p bench/out
if [ ! -f "$corpus" ]; then
  bench/.venv/bin/python bench/make_corpus.py --out "$corpus" --mb 100
fi
cargo build --release --locked -p claimlens-cli
bench/.venv/bin/python bench/throughput_baselines.py --corpus "$corpus" --pysbd-mb 1 \
  --json bench/out/throughput.json
# Ingest + segmentation only, the same work the spaCy baseline does.
./target/release/claimlens bench --corpus "$corpus" --disable attribution --disable sourcing \
  --baseline bench/out/throughput.json
