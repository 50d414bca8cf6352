#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-image-missing.sh VXEMU
# --platform qemu with an image that is not there says so on stderr and
# exits 2, whether or not QEMU is installed, and prints no report.
set -u
vxemu=$1
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$vxemu" conformance --platform qemu --image /nonexistent/vxemu-hw.elf >"$out" 2>"$err"
status=$?
bad=0
if [ "$status" -ne 2 ]; then
	echo "FAIL: exit status $status, want 2"; bad=1
fi
if ! grep -Eq 'vxemu-hw.elf does not exist|qemu-system-x86_64 is not installed' "$err"; then
	echo "FAIL: stderr does not say what is missing:"; cat "$err"; bad=1
fi
if [ -s "$out" ]; then
	echo "FAIL: stdout is not empty:"; cat "$out"; bad=1
fi
exit $bad
