#!/bin/sh
# SPDX-License-Identifier: MIT
# suite-check.sh ARCHIVE SUITE_SOURCE
# Fails unless every scenario the portable archive defines (a conf_sc_*
# object, conf/scenario.h) is listed in the suite (conformance/src/suite.c)
# exactly once: a scenario left out would never run, one listed twice would
# run twice under one name. The archive's suite.c member says which it
# references; the source says how often each is listed.
set -eu
archive=$1 source=$2
nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$nm" -g "$archive" 2>/dev/null | awk '
  /:$/ { member = $1; next }
  NF == 3 && $3 ~ /^conf_sc_/ && ($2 == "D" || $2 == "R") { print $3 > "'"$tmp"'/defined" }
  NF == 2 && $2 ~ /^conf_sc_/ && $1 == "U" && member == "suite.c.o:" { print $2 > "'"$tmp"'/listed" }
'
touch "$tmp/defined" "$tmp/listed"
sort -u "$tmp/defined" >"$tmp/d"
sort -u "$tmp/listed" >"$tmp/l"
bad=0
if [ ! -s "$tmp/d" ]; then
  echo "suite check: no scenario found in $archive" >&2
  exit 1
fi
missing=$(comm -23 "$tmp/d" "$tmp/l" | sed 's/^conf_sc_//')
if [ -n "$missing" ]; then
  echo "suite check: defined but not listed in the suite:" >&2
  printf '  %s\n' $missing >&2
  bad=1
fi
twice=$(grep -o 'X([a-z0-9_]*)' "$source" | sort | uniq -d | sed 's/^X(//; s/)$//')
if [ -n "$twice" ]; then
  echo "suite check: listed more than once:" >&2
  printf '  %s\n' $twice >&2
  bad=1
fi
[ $bad -eq 0 ] || exit 1
echo "suite check: ok ($(wc -l <"$tmp/d") scenarios, each listed once)"
