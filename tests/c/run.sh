#!/usr/bin/env bash
# C smoke tests: the committed header compiles as strict C11 and as C++17, and tests/c/smoke.c,
# built with AddressSanitizer and UBSan, passes against both the static and the shared library.
#
# Run from anywhere: `bash tests/c/run.sh`. It builds the libraries first (`cargo build`, a
# no-op when up to date). CC, CXX and CARGO_TARGET_DIR are honoured.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-gcc}
CXX=${CXX:-g++}
LIB_DIR=$(realpath "${CARGO_TARGET_DIR:-target}")/debug
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -g
        -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude)
SYSLIBS=(-lpthread -ldl -lm)
# Rust's own allocations are not instrumented; only leaks and misuse on the C side matter here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

step() { printf -- '--- %s\n' "$*"; }

step "cargo build"
cargo build --quiet

step "header as C11 and C++17"
echo '#include "cookiejar.h"' >"$WORK/header.c"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Iinclude \
  -fsyntax-only "$WORK/header.c"
"$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude -x c++ -fsyntax-only "$WORK/header.c"

step "smoke, static library"
"$CC" "${CFLAGS[@]}" tests/c/smoke.c "$LIB_DIR/libcookiejar.a" "${SYSLIBS[@]}" -o "$WORK/smoke-static"
"$WORK/smoke-static"

step "smoke, shared library"
"$CC" "${CFLAGS[@]}" tests/c/smoke.c -L"$LIB_DIR" -l:libcookiejar.so -Wl,-rpath,"$LIB_DIR" \
  "${SYSLIBS[@]}" -o "$WORK/smoke-shared"
"$WORK/smoke-shared"

step "C tests passed"
