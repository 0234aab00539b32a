#!/usr/bin/env bash
# A short smoke run of every fuzz target in fuzz/ (see fuzz/README.md): builds them, fuzzes
# each for FUZZ_SMOKE_SECONDS (default 20) from its committed seeds, then replays every
# committed seed and crash regression once. Exits non-zero on any crash, timeout or build
# error. The long runs that hunt for bugs are described in fuzz/README.md.
#
# It builds the targets exactly as `cargo fuzz build -s none -a` does (same flags, same target
# directory, so either reuses the other's build), but without needing cargo-fuzz: installing
# it costs about 2.5 minutes here, half the smoke run's budget, and it is only a wrapper
# around this cargo command (libfuzzer-sys compiles libFuzzer itself). FUZZ_SMOKE_CARGO_FUZZ=1
# goes through cargo-fuzz instead, installing it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${FUZZ_SMOKE_SECONDS:-20}"
TARGETS=(set_cookie_parse host_url file_open model)
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
BIN="fuzz/target/$TRIPLE/release"
# libFuzzer needs unstable compiler flags; the stable toolchain accepts them with this.
export RUSTC_BOOTSTRAP=1
start=$(date +%s)

if [ "${FUZZ_SMOKE_CARGO_FUZZ:-0}" = 1 ]; then
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "fuzz-smoke: installing cargo-fuzz"
        cargo install cargo-fuzz --locked
    fi
    (cd fuzz && cargo fuzz build -s none -a)
else
    # cargo-fuzz 0.13's flags for `-s none -a`: coverage instrumentation for libFuzzer,
    # `--cfg fuzzing`, debug assertions (an overflow is a crash), no sanitizer (the targets
    # drive safe Rust; the crate's only unsafe code, the mmap storage, is not used by them).
    RUSTFLAGS=" -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cllvm-args=-sanitizer-coverage-stack-depth -Cdebug-assertions -Ccodegen-units=1" \
        cargo build --manifest-path fuzz/Cargo.toml --target "$TRIPLE" --release \
        --config 'profile.release.debug="line-tables-only"' --bins
fi
echo "fuzz-smoke: built in $(( $(date +%s) - start )) s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${TARGETS[@]}"; do
    mkdir -p "$scratch/$t" "$scratch/artifacts"
    # The scratch corpus comes first: libFuzzer adds new inputs there, not to the seeds.
    "$BIN/$t" "$scratch/$t" "fuzz/seeds/$t" -max_total_time="$SECS" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" \
        2>"$scratch/$t.log" || {
        tail -n 60 "$scratch/$t.log"
        echo "fuzz-smoke: $t FAILED; the input is kept as fuzz/artifacts/$t/"
        mkdir -p "fuzz/artifacts/$t" && cp "$scratch"/artifacts/* "fuzz/artifacts/$t/" 2>/dev/null
        exit 1
    }
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$t.log")
    # Replay every committed seed and fixed crash, once each (libFuzzer runs files it is
    # given, rather than fuzzing).
    mapfile -t inputs < <(find "fuzz/seeds/$t" "fuzz/regressions/$t" -type f 2>/dev/null | sort)
    "$BIN/$t" -timeout=10 "${inputs[@]}" 2>"$scratch/$t.replay.log" || {
        tail -n 60 "$scratch/$t.replay.log"
        echo "fuzz-smoke: $t FAILED on a committed input"
        exit 1
    }
    echo "fuzz-smoke: $t: ${runs} runs in ${SECS} s (${rate}/s), ${#inputs[@]} committed inputs replayed"
done
echo "fuzz-smoke: all ${#TARGETS[@]} targets passed in $(( $(date +%s) - start )) s"
