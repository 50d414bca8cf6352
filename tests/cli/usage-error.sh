#!/bin/sh
# SPDX-License-Identifier: MIT
# usage-error.sh VXEMU [ARG...]
# Bad arguments must end vxemu with status 2, a "vxemu: ..." message and the
# usage on stderr, and nothing on stdout (a script reading stdout must not
# mistake the complaint for a report).
set -u
vxemu=$1
shift
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$vxemu" "$@" >"$out" 2>"$err"
status=$?

fail() {
	echo "FAIL: vxemu $*: $why"
	echo "--- stdout"; cat "$out"
	echo "--- stderr"; cat "$err"
	exit 1
}
why="exit status $status, want 2"
[ "$status" -eq 2 ] || fail "$@"
why="no 'vxemu: ' message on stderr"
grep -q '^vxemu: ' "$err" || fail "$@"
why="no usage on stderr"
grep -q '^Usage: vxemu' "$err" || fail "$@"
why="stdout is not empty"
[ ! -s "$out" ] || fail "$@"
exit 0
