#!/usr/bin/env bash
# A short smoke run of every fuzz target in fuzz/ (see fuzz/README.md): builds them, fuzzes
# each for FUZZ_SMOKE_SECONDS (default 20) from its committed seeds, then replays the committed
# seeds and crash regressions once. Exits non-zero on any crash, leak, timeout or build error.
#
# The long runs that hunt for bugs are described in fuzz/README.md; this only proves that
# the targets build, run, and still pass on everything that was ever committed.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${FUZZ_SMOKE_SECONDS:-20}"
TARGETS=(set_cookie_parse host_url file_open model)
# libFuzzer needs unstable compiler flags; the stable toolchain accepts them with this.
export RUSTC_BOOTSTRAP=1
# The same build as the long runs (fuzz/README.md): optimised, with debug assertions (so an
# arithmetic overflow is a crash), without AddressSanitizer (the targets are safe Rust over a
# crate whose only unsafe code is the mmap storage, which no target uses; ASan would double
# the build time for nothing).
FLAGS=(--sanitizer none --debug-assertions)

start=$(date +%s)
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

cargo fuzz build "${FLAGS[@]}"
built=$(date +%s)
echo "fuzz-smoke: built in $((built - start)) s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${TARGETS[@]}"; do
    echo "fuzz-smoke: $t: ${SECS} s of fuzzing"
    mkdir -p "$scratch/$t" "fuzz/artifacts/$t"
    # The scratch corpus comes first: libFuzzer writes new inputs there, not into the seeds.
    cargo fuzz run "${FLAGS[@]}" "$t" "$scratch/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        2>"$scratch/$t.log" || { tail -n 60 "$scratch/$t.log"; exit 1; }
    grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec" "$scratch/$t.log" |
        sed "s/^/fuzz-smoke: $t: /"
    # Replay: every committed seed and fixed crash, once each (files given to libFuzzer are
    # run, not fuzzed).
    mapfile -t inputs < <(find "fuzz/seeds/$t" "fuzz/regressions/$t" -type f 2>/dev/null | sort)
    cargo fuzz run "${FLAGS[@]}" "$t" "${inputs[@]}" -- -timeout=10 \
        2>"$scratch/$t.replay.log" || { tail -n 60 "$scratch/$t.replay.log"; exit 1; }
    echo "fuzz-smoke: $t: replayed ${#inputs[@]} committed inputs"
done
echo "fuzz-smoke: all ${#TARGETS[@]} targets passed in $(( $(date +%s) - start )) s"
