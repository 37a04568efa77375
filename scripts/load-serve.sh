#!/usr/bin/env bash
# Load test of `claimlens serve`: POST /api/analyze with one article from a loopback load
# generator (wrk, Debian's `wrk` package), bounded in time. Prints throughput, latency
# percentiles, refusals, and the server's resident memory cold, warm, during and after.
#
#   bash scripts/load-serve.sh [article] [seconds] [connections]
#
# Defaults: examples/reservoir-contract.txt (610 words), 20 s, 8 connections. The server runs
# with its defaults (a worker per core); the load generator shares the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

article="${1:-examples/reservoir-contract.txt}"
seconds="${2:-20}"
connections="${3:-8}"
bin="${CLAIMLENS_BIN:-target/release/claimlens}"
port="${PORT:-18181}"
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "error: $bin not built (cargo build --release -p claimlens-cli)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
hwm() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }

echo "article: $article ($(wc -w <"$article") words, $(wc -c <"$article") bytes); $seconds s, $connections connections, $(nproc) cores"
echo "rss cold (models not yet loaded): $(rss) MB"
curl -sf -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$article" \
  "http://127.0.0.1:$port/api/analyze" -o "$work/first.json"
echo "response: $(wc -c <"$work/first.json") bytes of claimlens.doc JSON"
echo "rss warm (after one analysis): $(rss) MB"

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
local f = io.open("$article", "rb")
wrk.body = f:read("*a")
f:close()
LUA
( while kill -0 "$server" 2>/dev/null; do rss >>"$work/rss.during"; echo >>"$work/rss.during"; sleep 0.5; done ) &
sampler=$!
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/api/analyze" | tee "$work/wrk.out"
kill "$sampler" 2>/dev/null || true
sleep 2
echo "rss during (max sampled every 0.5 s): $(sort -n "$work/rss.during" | tail -1) MB; peak (VmHWM): $(hwm) MB"
echo "rss after (2 s idle): $(rss) MB"
