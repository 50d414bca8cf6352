#!/bin/sh
# SPDX-License-Identifier: MIT
# bochs-platform.sh VXEMU
# `vxemu conformance --platform bochs` end to end, on the ISO the build made:
#   - --vendor amd boots an SVM processor: svm_core_hypercall_exit passes;
#   - no --vendor boots one without SVM: the same scenario skips on the SVM
#     bit;
#   - --vendor intel boots and runs apic_version, which needs no extension;
#   - an ISO that is not there is a usage error (exit 2) that names it, with
#     nothing on stdout.
# Exits 0 when all hold, 1 otherwise, 77 when Bochs or the ISO is missing.
set -u
vxemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

"$vxemu" conformance --platform bochs --image /nonexistent/vxemu-hw.iso >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "$status" -ne 2 ]; then
	echo "FAIL: a missing ISO: exit status $status, want 2"; bad=1
fi
if ! grep -Eq 'vxemu-hw.iso does not exist|bochs-bin is not installed' "$tmp/err"; then
	echo "FAIL: a missing ISO: stderr does not say what is missing:"; cat "$tmp/err"; bad=1
fi
if [ -s "$tmp/out" ]; then
	echo "FAIL: a missing ISO: stdout is not empty:"; cat "$tmp/out"; bad=1
fi

# The ISO the build makes beside vxemu (build/PRESET/cli, build/PRESET/hw).
if [ ! -r "$(dirname "$vxemu")/../hw/vxemu-hw.iso" ] ||
   ! command -v "${BOCHS:-bochs-bin}" >/dev/null 2>&1; then
	echo "bochs-platform: Bochs or the boot ISO is missing; skipped"
	exit $(( bad ? 1 : 77 ))
fi

# boot FILTER [VENDOR_ARGS...]: the KTAP report in $tmp/out, status in $st.
boot() {
	filter=$1
	shift
	"$vxemu" conformance --platform bochs "$@" --format ktap --filter "$filter" \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
}
expect() {
	if [ "$st" -ne 0 ] || ! grep -qxF "$1" "$tmp/out"; then
		echo "FAIL: $2: want the line '$1' and exit 0, got exit $st:"
		cat "$tmp/out" "$tmp/err"
		bad=1
	fi
}

# Each boot costs some 15 s of the emulator's time: three of them.
boot svm_core_hypercall_exit --vendor amd
expect 'ok 1 svm_core_hypercall_exit' "--vendor amd"
boot svm_core_hypercall_exit
expect 'ok 1 svm_core_hypercall_exit # SKIP CPUID Fn8000_0001 ECX[2] (SVM) = 0' "no --vendor"
boot apic_version --vendor intel
expect 'ok 1 apic_version' "--vendor intel"
exit $bad
