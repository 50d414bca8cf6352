#!/bin/sh
# SPDX-License-Identifier: MIT
# seam-check.sh PLATFORM ARCHIVE-OR-OBJECT...
# Fails when the portable code (hv/ and the portable part of conformance/)
# references a symbol that it does not define itself and that is not part of
# the seam (arch_*), nor one of memcpy/memmove/memset/memcmp, which GCC may
# emit in any freestanding program. Sanitizer run-time entry points are
# allowed, because the ASan/UBSan build instruments the portable code too,
# and so are libFuzzer's coverage counters and the sections that hold them
# (the fuzz build, docs/fuzzing.md).
set -eu
platform=$1; shift
nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$nm" -g --defined-only "$@" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u >"$tmp/defined"
"$nm" -g --undefined-only "$@" 2>/dev/null | awk 'NF {print $NF}' | grep -v ':$' | sort -u >"$tmp/undefined"
comm -23 "$tmp/undefined" "$tmp/defined" \
  | grep -Ev '^(arch_[A-Za-z0-9_]+|memcpy|memmove|memset|memcmp|__(asan|ubsan|sanitizer|lsan|sancov)_[A-Za-z0-9_]+|__(start|stop)___sancov_[a-z]+|_GLOBAL_OFFSET_TABLE_)$' \
  >"$tmp/bad" || true
if [ -s "$tmp/bad" ]; then
  echo "seam check ($platform): portable code references symbols outside the seam:" >&2
  sed 's/^/  /' "$tmp/bad" >&2
  exit 1
fi
echo "seam check ($platform): ok ($(wc -l <"$tmp/undefined") external references, all arch_* or compiler support)"
