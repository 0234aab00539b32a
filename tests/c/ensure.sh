# Sourced by the C test scripts. `ensure COMMAND PACKAGE...` makes sure COMMAND exists,
# installing the Debian PACKAGEs with apt-get when it does not (CI runs as root). When that is
# impossible it says so on stderr and returns 1: the caller then stops with a non-zero exit
# rather than passing without having run its test.
ensure() {
  local cmd=$1
  shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  printf -- '--- %s not found: installing %s (apt-get)\n' "$cmd" "$*"
  if command -v apt-get >/dev/null 2>&1 &&
     apt-get update -qq &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null &&
     command -v "$cmd" >/dev/null 2>&1; then
    return 0
  fi
  printf 'SKIPPED: %s is missing and installing %s failed (apt-get needs root and the network);\n' \
    "$cmd" "$*" >&2
  printf 'install it yourself and rerun.\n' >&2
  return 1
}
