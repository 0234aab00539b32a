#!/usr/bin/env bash
# "Installs" the header, both libraries and a cookiejar.pc made from cookiejar.pc.in into a
# temporary prefix, the way docs/c-api.md tells users to, then builds tests/c/smoke.c with
# nothing but what pkg-config says: `cc $(pkg-config --cflags --libs cookiejar)` for the
# shared library, and the --static flags for the archive. Both binaries must run and pass.
#
# Called by tests/c/run.sh after `cargo build`; CC and CARGO_TARGET_DIR are honoured. Installs
# pkg-config with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/c/ensure.sh

CC=${CC:-cc}
LIB_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")/debug
ensure pkg-config pkg-config || exit 1

VERSION=$(cargo pkgid | sed 's/.*[#@]//')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PREFIX=$WORK/prefix

install -d "$PREFIX/include" "$PREFIX/lib/pkgconfig"
install -m 644 include/cookiejar.h "$PREFIX/include/"
install -m 644 "$LIB_DIR/libcookiejar.a" "$PREFIX/lib/"
install -m 755 "$LIB_DIR/libcookiejar.so" "$PREFIX/lib/"
sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$VERSION|g" cookiejar.pc.in \
  >"$PREFIX/lib/pkgconfig/cookiejar.pc"
if grep -n '@[A-Z_]*@' "$PREFIX/lib/pkgconfig/cookiejar.pc"; then
  echo "cookiejar.pc: a placeholder was left unreplaced" >&2
  exit 1
fi

export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
pc() { pkg-config "$@" cookiejar; }
if [ "$(pc --modversion)" != "$VERSION" ] ||
   [ "$(pc --variable=includedir)" != "$PREFIX/include" ]; then
  echo "pkg-config: version $(pc --modversion), includedir $(pc --variable=includedir);" \
       "expected $VERSION and $PREFIX/include" >&2
  exit 1
fi

STRICT=(-std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes)
# Shared: exactly the documented command line. No rpath, as for a system install; the loader
# finds the library through LD_LIBRARY_PATH here.
# shellcheck disable=SC2046 # word splitting of pkg-config's output is the point
"$CC" "${STRICT[@]}" tests/c/smoke.c $(pc --cflags --libs) -o "$WORK/smoke-shared"
# ldd's output is captured first: `ldd | grep -q` under pipefail fails at random when grep
# exits on its match before ldd has finished writing (SIGPIPE).
LOADED=$(LD_LIBRARY_PATH=$PREFIX/lib ldd "$WORK/smoke-shared")
grep -qF "$PREFIX/lib/libcookiejar.so" <<<"$LOADED" || {
  echo "smoke-shared does not load $PREFIX/lib/libcookiejar.so" >&2
  exit 1
}
LD_LIBRARY_PATH=$PREFIX/lib "$WORK/smoke-shared" >/dev/null

# Static: --static adds Libs.private; -l:libcookiejar.a picks the archive next to the .so.
# shellcheck disable=SC2046
"$CC" "${STRICT[@]}" tests/c/smoke.c $(pc --cflags) \
  $(pc --static --libs | sed 's/-lcookiejar\b/-l:libcookiejar.a/') -o "$WORK/smoke-static"
if grep -q libcookiejar <<<"$(ldd "$WORK/smoke-static")"; then
  echo "smoke-static is linked against the shared library" >&2
  exit 1
fi
"$WORK/smoke-static" >/dev/null

echo "install: header, libraries and cookiejar.pc $VERSION work from a prefix with pkg-config"
