#!/bin/sh
# SPDX-License-Identifier: MIT
# list.sh VXEMU
# --list names scenarios without running them: every listed scenario has an
# Expect line, --filter narrows the list to names that match, and a
# scenario named exactly by --filter is listed alone.
set -u
vxemu=$1
all=$(mktemp)
one=$(mktemp)
trap 'rm -f "$all" "$one"' EXIT
bad=0

"$vxemu" conformance --list >"$all" || { echo "FAIL: --list exit status $?"; exit 1; }
names=$(grep -v '^ ' "$all" | sed 's/ .*//')
count=$(printf '%s\n' "$names" | grep -c .)
expects=$(grep -c '^    Expect: ' "$all")
if [ "$count" -eq 0 ]; then
	echo "FAIL: --list printed no scenario"; bad=1
fi
if [ "$count" -ne "$expects" ]; then
	echo "FAIL: $count scenarios but $expects Expect lines"; bad=1
fi

first=$(printf '%s\n' "$names" | head -n 1)
"$vxemu" conformance --list --filter "$first" >"$one"
if [ "$(grep -v '^ ' "$one" | sed 's/ .*//')" != "$first" ]; then
	echo "FAIL: --list --filter $first printed:"; cat "$one"; bad=1
fi
exit $bad
