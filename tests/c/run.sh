#!/usr/bin/env bash
# The C tests, in one command (scripts/test.sh runs it):
#
#  1. the committed header compiles as strict C11 and as C++17;
#  2. every function the header declares, and every status, is used by the C tests (so a new
#     function cannot arrive untested);
#  3. smoke.c, test_api.c, test_files.c, test_threads.c, test_records.c and test_consent.c, built with
#     -std=c11 -Wall -Wextra -Werror -pedantic, each linked against the static and the shared
#     library, run with AddressSanitizer + UBSan, then (built without sanitizers) under valgrind:
#     no invalid access, no definite leak;
#  4. install-check.sh: header, libraries and cookiejar.pc installed into a prefix, smoke.c
#     built with pkg-config;
#  5. curl-check.sh: the libcurl example (bindings/c/curl_jar.c) against a local server.
#
# Run from anywhere: `bash tests/c/run.sh`. It builds the libraries first (`cargo build`, a
# no-op when up to date). CC, CXX and CARGO_TARGET_DIR are honoured. Missing tools (valgrind,
# pkg-config, libcurl's headers) are installed with apt-get; if that fails the run stops with a
# message and a non-zero exit. Set CJ_C_QUICK=1 to skip the valgrind pass while iterating.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/c/ensure.sh

CC=${CC:-gcc}
CXX=${CXX:-g++}
LIB_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")/debug
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PROGRAMS=(smoke test_api test_files test_threads test_records test_consent)
STRICT=(-std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -g -Iinclude)
SANITIZE=(-fsanitize=address,undefined -fno-sanitize-recover=all)
SYSLIBS=(-lpthread -ldl -lm)
# Valgrind runs threads one at a time and is ~50x slower: fewer threads and rounds there.
THREADS_ARGS_VALGRIND=(4 24)
VALGRIND=(valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite
          --errors-for-leak-kinds=definite)
# Rust's allocations go through malloc too, so LeakSanitizer sees both sides.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

step() { printf -- '--- [%3ss] %s\n' "$SECONDS" "$*"; }

step "cargo build"
cargo build --quiet
VERSION=$(cargo pkgid | sed 's/.*[#@]//')

step "header as C11 and C++17"
echo '#include "cookiejar.h"' >"$WORK/header.c"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Iinclude \
  -fsyntax-only "$WORK/header.c"
"$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude -x c++ -fsyntax-only "$WORK/header.c"

step "every function and status in the header is tested"
# Declarations start at column 0 ("enum cj_status cj_jar_new(...", "void cj_jar_free(...");
# the doc comments, indented behind " * ", do not count. Test sources are compared with their
# comments stripped, so a mention in a comment is not a test.
mapfile -t FUNCTIONS < <(grep -E '^[A-Za-z].*\bcj_[a-z0-9_]*\(' include/cookiejar.h |
  grep -oE '\bcj_[a-z0-9_]*\(' | tr -d '(' | sort -u)
mapfile -t STATUSES < <(grep -oE '^ +CJ_STATUS_[A-Z0-9_]+ =' include/cookiejar.h |
  grep -oE 'CJ_STATUS_[A-Z0-9_]+' | sort -u)
for f in tests/c/*.c; do
  "$CC" -fpreprocessed -dD -E -P "$f" 2>/dev/null
done >"$WORK/tests-code.c"
missing=()
for name in "${FUNCTIONS[@]}"; do
  grep -qE "\\b${name}[[:space:]]*\\(" "$WORK/tests-code.c" || missing+=("$name")
done
for name in "${STATUSES[@]}"; do
  grep -qw "$name" "$WORK/tests-code.c" || missing+=("$name")
done
if [ "${#FUNCTIONS[@]}" -lt 10 ] || [ "${#STATUSES[@]}" -lt 10 ]; then
  echo "found only ${#FUNCTIONS[@]} functions and ${#STATUSES[@]} statuses in" \
       "include/cookiejar.h: has its layout changed? Fix the patterns in tests/c/run.sh." >&2
  exit 1
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "declared in include/cookiejar.h but never used by tests/c/*.c:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "${#FUNCTIONS[@]} functions and ${#STATUSES[@]} statuses, all used"

# build NAME VARIANT LINK FLAGS...: $WORK/NAME-VARIANT-LINK, LINK being static or shared.
build() {
  local name=$1 variant=$2 link=$3
  shift 3
  local out=$WORK/$name-$variant-$link
  if [ "$link" = static ]; then
    "$CC" "${STRICT[@]}" "$@" -DEXPECTED_VERSION="\"$VERSION\"" "tests/c/$name.c" \
      "$LIB_DIR/libcookiejar.a" "${SYSLIBS[@]}" -o "$out"
  else
    "$CC" "${STRICT[@]}" "$@" -DEXPECTED_VERSION="\"$VERSION\"" "tests/c/$name.c" \
      -L"$LIB_DIR" -l:libcookiejar.so -Wl,-rpath,"$LIB_DIR" "${SYSLIBS[@]}" -o "$out"
  fi
}

for link in static shared; do
  step "AddressSanitizer + UBSan, $link library"
  for name in "${PROGRAMS[@]}"; do
    build "$name" asan "$link" "${SANITIZE[@]}"
    "$WORK/$name-asan-$link"
  done
done

# valgrind_pass LINK: every program under valgrind, one after the other.
valgrind_pass() {
  local link=$1 name
  for name in "${PROGRAMS[@]}"; do
    local args=()
    [ "$name" = test_threads ] && args=("${THREADS_ARGS_VALGRIND[@]}")
    echo "valgrind $name ($link library)"
    "${VALGRIND[@]}" "$WORK/$name-plain-$link" "${args[@]}" || {
      echo "FAILED under valgrind: $name ($link library)"
      return 1
    }
  done
}

if [ "${CJ_C_QUICK:-0}" = 1 ]; then
  step "valgrind skipped (CJ_C_QUICK=1)"
else
  ensure valgrind valgrind || exit 1
  step "valgrind, static and shared library (in parallel)"
  for link in static shared; do
    for name in "${PROGRAMS[@]}"; do build "$name" plain "$link"; done
  done
  # The two passes share nothing but the CPU; valgrind runs each process on one core.
  valgrind_pass static >"$WORK/valgrind-static.log" 2>&1 &
  static_pid=$!
  valgrind_pass shared >"$WORK/valgrind-shared.log" 2>&1 &
  shared_pid=$!
  static_status=0
  shared_status=0
  wait "$static_pid" || static_status=$?
  wait "$shared_pid" || shared_status=$?
  cat "$WORK/valgrind-static.log" "$WORK/valgrind-shared.log"
  [ "$static_status" = 0 ] && [ "$shared_status" = 0 ] || exit 1
fi

step "install into a prefix, build with pkg-config"
bash tests/c/install-check.sh

step "libcurl example against a local server"
bash tests/c/curl-check.sh

step "C tests passed"
