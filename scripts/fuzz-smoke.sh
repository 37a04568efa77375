#!/usr/bin/env bash
# Fuzz smoke test: runs every libFuzzer target in fuzz/ for a short time on stable Rust and
# fails if any of them crashes (panic, failed invariant, timeout or out-of-memory).
#
#   scripts/fuzz-smoke.sh                  # every target, 20 s each
#   FUZZ_SECONDS=300 scripts/fuzz-smoke.sh segment html
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 20)
#   FUZZ_TARGET_DIR  cargo target dir for the instrumented build
#                    (default: $CARGO_TARGET_DIR/fuzz, or target/fuzz in the repository)
#   FUZZ_TIMEOUT     seconds one input may take before it counts as a hang (default 10)
#   FUZZ_SEED        libFuzzer's random seed (default 1, so a CI run explores the same way
#                    each time and a red run reproduces; 0 draws a new seed: use it for long
#                    local runs that look for new crashes)
#
# How it runs on stable: `cargo fuzz run --sanitizer none` needs no nightly feature. The
# coverage instrumentation cargo-fuzz adds (-Cpasses=sancov-module and
# -Cllvm-args=-sanitizer-coverage-*) consists of stable codegen options; only the sanitizers
# (-Zsanitizer=address, the default) and -Zbuild-std need nightly. The code under test
# forbids `unsafe`, so AddressSanitizer would add little. Builds keep debug assertions and
# overflow checks on (cargo-fuzz's default), so `debug_assert!`s in the library are checked.
#
# Crash inputs are saved to fuzz/artifacts/TARGET/; reproduce one with
#   cargo fuzz run --sanitizer none TARGET fuzz/artifacts/TARGET/crash-...
# New corpus entries go to fuzz/corpus/TARGET/ (git-ignored); fuzz/seeds/TARGET/ is the
# checked-in seed corpus.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-20}
timeout=${FUZZ_TIMEOUT:-10}
seed=${FUZZ_SEED:-1}
target_dir=${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}/fuzz}
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(html jsonl json csv warc segment pipeline redirect)
fi

# libfuzzer-sys compiles libFuzzer's C++ sources.
if ! command -v c++ >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "fuzz-smoke: installing a C++ compiler for libFuzzer"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends g++ >/dev/null
    else
        echo "fuzz-smoke: a C++ compiler (c++) is needed to build libFuzzer" >&2
        exit 1
    fi
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
cargo fuzz --version

# cargo fuzz SUBCOMMAND --sanitizer none --target-dir DIR ARGS...
fuzz() {
    local sub=$1
    shift
    cargo fuzz "$sub" --sanitizer none --target-dir "$target_dir" "$@"
}

# fuzz/ is its own workspace; start from the main lockfile so it builds the same versions.
[ -f fuzz/Cargo.lock ] || cp Cargo.lock fuzz/Cargo.lock

echo "fuzz-smoke: building ${targets[*]}"
for t in "${targets[@]}"; do
    fuzz build "$t"
done

logs=$(mktemp -d)
# The jsonl and csv targets write each input to a scratch file (ingest reads files).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch=$(mktemp -d -p /dev/shm claimlens-fuzz.XXXXXX)
else
    scratch=$(mktemp -d)
fi
export CLAIMLENS_FUZZ_SCRATCH=$scratch
trap 'rm -rf "$logs" "$scratch"' EXIT
failed=()
for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    mkdir -p "$corpus"
    extra=()
    [ -d "fuzz/seeds/$t" ] && extra+=("fuzz/seeds/$t")
    [ "$t" = segment ] && [ -d examples ] && extra+=(examples)
    args=(-max_total_time="$seconds" -timeout="$timeout" -seed="$seed" -print_final_stats=1)
    [ -f "fuzz/dicts/$t.dict" ] && args+=(-dict="fuzz/dicts/$t.dict")
    echo "fuzz-smoke: $t for ${seconds}s"
    log="$logs/$t.log"
    if fuzz run "$t" "$corpus" "${extra[@]}" -- "${args[@]}" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
        units=$(find "$corpus" -type f | wc -l)
        echo "fuzz-smoke: $t ok: ${runs:-?} runs, ${rate:-?} execs/s, ${cov:-cov: ?}, corpus $units files"
    else
        failed+=("$t")
        echo "fuzz-smoke: $t FAILED; last lines of its log:" >&2
        tail -n 60 "$log" >&2
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz-smoke: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz-smoke: ${#targets[@]} passed, 0 failed"
