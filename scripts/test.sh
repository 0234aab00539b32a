#!/usr/bin/env bash
# Every test of the project, in one command: formatting, lints, docs, the Rust suites (unit,
# integration, conformance, property, stress, abuse, doc tests), a fuzz smoke run, the C tests
# against the header and both libraries, and the Python suite. Installs what it needs; safe to
# rerun. (AddressSanitizer over the Rust stress tests, scripts/stress-asan.sh, is run by hand:
# it rebuilds every dependency instrumented, about 20 CPU-minutes; see docs/security.md.)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install the stable Rust toolchain (https://rustup.rs) and rerun." >&2
  exit 1
fi
if ! command -v cc >/dev/null && ! command -v gcc >/dev/null; then
  step "installing a C compiler (apt-get)"
  apt-get update -qq && apt-get install -y -qq gcc g++ >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings (default features, then all)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --all-features -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet

step "cargo test (unit, integration, conformance, property, crash and doc tests)"
# Benches are type-checked by clippy above and measured with `cargo bench`, not run here.
cargo test
step "cargo test of the optional features (reqwest, cookie_store)"
cargo test --all-features --test reqwest_client --test interop --test cli

step "fuzz smoke run (every target in fuzz/ for a few seconds, then its seeds and crashes)"
bash scripts/fuzz-smoke.sh

step "C tests (ASan/UBSan, valgrind, libcurl, pkg-config)"
bash tests/c/run.sh

step "Python bindings (a venv, pip install ./bindings/python, pytest)"
bash bindings/python/run-tests.sh

step "all tests passed"
