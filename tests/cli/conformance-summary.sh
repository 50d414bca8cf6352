#!/bin/sh
# SPDX-License-Identifier: MIT
# conformance-summary.sh VXEMU
# `vxemu conformance` on the model: every scenario passes (exit status 0) and
# the report ends with the one greppable summary line.
set -u
vxemu=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$vxemu" conformance >"$out"
status=$?
last=$(tail -n 1 "$out")
bad=0
if [ "$status" -ne 0 ]; then
	echo "FAIL: exit status $status, want 0"; bad=1
fi
if ! printf '%s\n' "$last" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
	echo "FAIL: last line is not the summary: '$last'"; bad=1
fi
if [ "$bad" -ne 0 ]; then
	echo "--- report"; cat "$out"
fi
exit $bad
