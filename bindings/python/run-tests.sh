#!/usr/bin/env bash
# The Python bindings' tests, through the real install path: a fresh virtualenv, then
# `pip install` of this directory (which compiles the Rust crate in release mode and ships the
# library inside the package), the test dependencies, and pytest.
#
#   bash bindings/python/run-tests.sh [pytest arguments...]
#
# Cargo's build directory is target/python at the repository root (CARGO_TARGET_DIR
# overrides it), so a rerun recompiles nothing that did not change, and a build here never
# waits on, or invalidates, the Rust suites' own target/ builds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${COOKIEJAR_VENV:-$here/.venv}"
python="${PYTHON:-python3}"

step() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install the stable Rust toolchain (https://rustup.rs) and rerun." >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  step "installing python3-venv (apt-get)"
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi

step "virtualenv $venv"
rm -rf "$venv"
"$python" -m venv "$venv"

step "pip install ./bindings/python (cargo build --release of the crate)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/python}"
start=$(date +%s)
"$venv/bin/python" -m pip install --quiet "$here"
echo "built and installed in $(( $(date +%s) - start ))s"

step "test dependencies"
"$venv/bin/python" -m pip install --quiet pytest requests httpx

step "pytest"
# Run from the tests directory, so that `import cookiejar` finds the installed package and
# never the source tree (which has no compiled library in it).
cd "$here/tests"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@"
