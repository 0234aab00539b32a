#!/usr/bin/env bash
# bindings/c/curl_jar.c against a local server (tests/c/cookie_server.py): a redirect chain
# 302 -> 302 -> 200 across two host names, checking the exact Cookie header that arrived on
# every hop (Max-Age=0 deletion, a Path cookie, a Secure cookie over http, a Domain=com
# supercookie), then a second process on the same jar file that must send the persisted ones.
#
# Called by tests/c/run.sh (CC, CARGO_TARGET_DIR honoured); installs libcurl4-openssl-dev with
# apt-get when curl-config is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/c/ensure.sh

CC=${CC:-gcc}
LIB_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")/debug
ensure curl-config libcurl4-openssl-dev || exit 1
ensure python3 python3 || exit 1

WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Sanitizers here too: the example is code people copy.
read -r -a CURL_CFLAGS <<<"$(curl-config --cflags)"
read -r -a CURL_LIBS <<<"$(curl-config --libs)"
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -g \
  -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude "${CURL_CFLAGS[@]}" \
  bindings/c/curl_jar.c "$LIB_DIR/libcookiejar.a" "${CURL_LIBS[@]}" -lpthread -ldl -lm \
  -o "$WORK/curl_jar"

python3 tests/c/cookie_server.py --log "$WORK/hops" --lifetime 60 >"$WORK/port" &
SERVER=$!
for _ in $(seq 100); do
  [ -s "$WORK/port" ] && break
  sleep 0.1
done
PORT=$(cat "$WORK/port")
[ -n "$PORT" ] || { echo "the test server did not start" >&2; exit 1; }
# Named hosts on 127.0.0.1 (not loopback names, which count as secure origins).
RESOLVE=(--resolve "www.example.com:$PORT:127.0.0.1" --resolve "shop.example.com:$PORT:127.0.0.1")
WWW=http://www.example.com:$PORT
SHOP=http://shop.example.com:$PORT

fail() {
  echo "curl_jar: $1" >&2
  shift
  for f in "$@"; do printf '%s:\n' "$f" >&2; sed 's/^/  /' "$f" >&2; done
  exit 1
}

# --- first process: the chain, then a page outside /account --------------------------------
"$WORK/curl_jar" -v --max-time 20 "${RESOLVE[@]}" "$WORK/cookies.jar" "$WWW/start" "$SHOP/other" \
  >"$WORK/out1" 2>"$WORK/err1" || fail "first run failed" "$WORK/err1"
cat >"$WORK/want1" <<EOF
www.example.com /start -
shop.example.com /account/login site=1; temp=x
shop.example.com /account/home acct=42; site=1; keep=yes
shop.example.com /other site=1; keep=yes
EOF
# hop 1: a fresh jar sends nothing.
# hop 2: another host of the same site gets the Domain cookies; sid is host-only, super was a
#        public suffix and sec came over http, so neither was stored.
# hop 3: temp is gone (Max-Age=0 on hop 2); acct, Path=/account, comes first (longest path).
# /other: outside /account, no acct.
diff -u "$WORK/want1" "$WORK/hops" >&2 ||
  fail "unexpected Cookie headers on the first run" "$WORK/err1"
grep -q 'super=1; Domain=com.*refused: CJ_STATUS_PUBLIC_SUFFIX' "$WORK/err1" ||
  fail "the Domain=com cookie was not refused as a public suffix" "$WORK/err1"
grep -q 'sec=1; Secure.*refused: CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN' "$WORK/err1" ||
  fail "the Secure cookie over http was not refused" "$WORK/err1"
# Only the final bodies reach stdout, not the redirects'.
tail -n 2 "$WORK/want1" | diff -u - "$WORK/out1" >&2 ||
  fail "unexpected bodies on stdout" "$WORK/out1"

# --- second process, same jar file: persistent cookies only ---------------------------------
: >"$WORK/hops"
"$WORK/curl_jar" --max-time 20 "${RESOLVE[@]}" "$WORK/cookies.jar" "$WWW/again" "$SHOP/account/x" \
  >"$WORK/out2" 2>"$WORK/err2" || fail "second run failed" "$WORK/err2"
cat >"$WORK/want2" <<EOF
www.example.com /again sid=abc; keep=yes
shop.example.com /account/x acct=42; keep=yes
EOF
# site was a session cookie: a new process starts without it, like a browser.
diff -u "$WORK/want2" "$WORK/hops" >&2 ||
  fail "unexpected Cookie headers on the second run" "$WORK/err2"

# --- a jar file that is not a jar is refused, not overwritten -------------------------------
printf 'not a jar\n' >"$WORK/text.jar"
status=0
"$WORK/curl_jar" "$WORK/text.jar" "$WWW/start" >/dev/null 2>"$WORK/err3" || status=$?
[ "$status" -eq 3 ] && grep -q CJ_STATUS_NOT_A_JAR_FILE "$WORK/err3" ||
  fail "a non-jar file was not refused (exit $status)" "$WORK/err3"
[ "$(cat "$WORK/text.jar")" = "not a jar" ] || fail "the non-jar file was changed"

echo "curl_jar: redirect chain, refusals and persistence across processes as expected"
