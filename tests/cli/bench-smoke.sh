#!/bin/sh
# SPDX-License-Identifier: MIT
# bench-smoke.sh VXEMU
# `vxemu bench --seconds 0.05` runs to its end and prints every figure, each
# time with its clock, and the summary of the targets. Nothing here depends
# on how fast anything ran: no figure is compared with a threshold. QEMU and
# Bochs are hidden (QEMU_SYSTEM and BOCHS name programs that do not exist),
# so their lines must say n/a with the reason, and the run must still
# succeed.
set -u
vxemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

QEMU_SYSTEM="$tmp/no-qemu" BOCHS="$tmp/no-bochs" "$vxemu" bench --seconds 0.05 >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, want 0"
[ -s "$tmp/err" ] && fail "wrote to stderr"

# Every figure, in the order printed.
for line in \
	'model round trips \(VMRUN->VMMCALL->#VMEXIT\) +[0-9.]+ /s' \
	'model VMX round trips \(VMRESUME->VMCALL->exit\) +[0-9.]+ /s +\([0-9]+ in [0-9.]+ s CPU\)$' \
	'VMX round trip on the model, model cycles +[0-9.]+ cycles \(mean of [0-9]+ round trips' \
	'guest MIPS, model, cycle accounting on +[0-9.]+ MIPS' \
	'guest MIPS, raw Unicorn, no hooks +[0-9.]+ MIPS' \
	'guest MIPS, Unicorn \+ empty block hook +[0-9.]+ MIPS' \
	'guest MIPS ratio model/unicorn: [0-9.]+$' \
	'guest MIPS ratio empty-hook/unicorn: [0-9.]+$' \
	'guest MIPS, model, 8 loads \+ dec \+ jnz +[0-9.]+ MIPS' \
	'guest MIPS, model, 8 stores \+ dec \+ jnz +[0-9.]+ MIPS' \
	'guest MIPS ratio load/store: [0-9.]+ \(target: under 2\) (PASS|FAIL)$' \
	'conformance suite on the model, CPU time +[0-9.]+ s +\([0-9]+ scenarios, [0-9]+ failed; [0-9.]+ s wall; the slowest, [a-z0-9_]+, [0-9.]+ s CPU\)$' \
	'conformance suite on QEMU TCG \(image\), wall time +n/a .*no-qemu' \
	'peak memory of a 4-processor model machine +[0-9.]+ MiB .*limit 64 MiB \+ [0-9]+ MiB of RAM = [0-9]+ MiB\) (PASS|FAIL)$' \
	'IPI round trip on the model, model cycles +[0-9]+ cycles' \
	'IPI round trip on the model, CPU time +[0-9.]+ ns ' \
	'4-vCPU AP boot \(svm_mp_ap_boot\), CPU time +[0-9.]+ ms ' \
	'QEMU TCG round trips \(VMRUN->VMMCALL->#VMEXIT\) +n/a .*no-qemu' \
	'round-trip ratio model/qemu: n/a$' \
	'Bochs VMX round trips \(VMRESUME->VMCALL->exit\) +n/a +\(peer unavailable: .*no-bochs' \
	'round-trip ratio model/bochs: n/a \(peer unavailable: .*no-bochs' \
	'memory: RSS [0-9.]+ MiB before, [0-9.]+ MiB after [0-9]+ round trips' \
	'  target +this run +goal +verdict$' \
	'  conformance suite on the model, CPU time +[0-9.]+ s +under 2 s +(PASS|FAIL)$' \
	'  peak memory of a 4-processor machine +[0-9.]+ MiB +under [0-9]+ MiB +(PASS|FAIL)$' \
	'  store loop slower than load loop by +[0-9.]+x +under 2x +(PASS|FAIL)$' \
	'  round trips, model/QEMU \(the lower ratio\) +- +at least 15x +n/a \(.*no-qemu' \
	'bench took [0-9.]+ s wall: '; do
	grep -Eq "^$line" "$tmp/out" || fail "no line matching: $line"
done

# A time without its clock: "in N s" must go on to say CPU or wall.
if grep -E ' in [0-9.]+ s' "$tmp/out" | grep -Ev ' in [0-9.]+ s (CPU|wall)' >"$tmp/bare"; then
	fail "a time that does not say which clock:"; cat "$tmp/bare"
fi
# Every measured line but the ratios is n/a or a figure: none failed to run.
if grep -E 'n/a' "$tmp/out" | grep -v 'no-qemu' | grep -v 'no-bochs' | grep -v '^round-trip ratio' >"$tmp/na"; then
	fail "a model figure is n/a:"; cat "$tmp/na"
fi

if [ "$bad" -ne 0 ]; then
	echo "--- stdout"; cat "$tmp/out"
	echo "--- stderr"; cat "$tmp/err"
fi
exit $bad
