#!/usr/bin/env bash
# The Rust stress tests (tests/stress.rs) under AddressSanitizer, with LeakSanitizer.
#
# The stable toolchain accepts -Zsanitizer=address under RUSTC_BOOTSTRAP=1. Without
# -Zbuild-std (which needs the rust-src component, not installed here) the precompiled standard
# library is not instrumented: heap allocations are still all tracked (ASan replaces malloc),
# but an out-of-bounds access made inside std itself would go unseen. See docs/security.md.
#
# --target is required: it keeps RUSTFLAGS off build scripts and proc macros, which run in the
# compiler and must not be instrumented. A target directory of its own keeps the instrumented
# build from invalidating the ordinary one. Default features are off: the command-line tool is
# not needed by the stress tests.
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Zsanitizer=address"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/asan"
# A report aborts the test binary with a non-zero status, which fails this script.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:halt_on_error=1}"

exec cargo test --target "$host" --no-default-features --test stress "$@"
