#!/bin/sh
# SPDX-License-Identifier: MIT
# help.sh VXEMU
# --help prints the usage on stdout and exits 0, for vxemu and for each
# command; --version prints one "vxemu X.Y.Z" line.
set -u
vxemu=$1
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
bad=0

check_help() {
	"$vxemu" "$@" >"$out" 2>"$err"
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL: vxemu $*: exit status $status, want 0"; bad=1
	fi
	if ! grep -q '^Usage: vxemu' "$out"; then
		echo "FAIL: vxemu $*: no usage on stdout"; bad=1
	fi
	if [ -s "$err" ]; then
		echo "FAIL: vxemu $*: wrote to stderr:"; cat "$err"; bad=1
	fi
}

check_help --help
check_help -h
check_help conformance --help
check_help conformance --filter 'x*' --help
check_help bench --help

"$vxemu" --version >"$out" 2>"$err"
status=$?
if [ "$status" -ne 0 ] || ! grep -Eq '^vxemu [0-9]+\.[0-9]+\.[0-9]+$' "$out" || [ "$(wc -l <"$out")" -ne 1 ]; then
	echo "FAIL: vxemu --version: status $status, output:"; cat "$out"; bad=1
fi
exit $bad
