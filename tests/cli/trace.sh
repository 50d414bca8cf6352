#!/bin/sh
# SPDX-License-Identifier: MIT
# trace.sh VXEMU SAMPLES
# Traces as a user meets them (docs/traces.md):
#  - every scenario traced twice gives byte-identical files, one per scenario;
#  - dump shows the exit by KVM's name and disassembles the guest code at it,
#    and --format json is one JSON object per line;
#  - a scenario recorded on a machine without NRIP save replays the same on
#    the recorded machine (exit 0) and, replayed with NRIP save, parts at
#    the first #VMEXIT's next_rip (exit 1);
#  - diff: 0 same, 1 different, 2 for two scenarios or a file that is not a
#    trace (with the file offset named);
#  - import of trace-cmd text gives a trace that dump reads;
#  - the hardware image's serial log (samples/vxemu-hw-*.log, QEMU TCG)
#    becomes one trace per scenario, and replays: the same on the model for
#    a scenario QEMU passes, parting at the #VMEXIT for one it fails.
set -u
vxemu=$1
samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

"$vxemu" conformance --trace "$work/a" >"$work/report.a" || fail "traced run exit status $?"
"$vxemu" conformance --trace "$work/b" >/dev/null || fail "second traced run exit status $?"
scenarios=$("$vxemu" conformance --list | grep -c -v '^ ')
files=$(ls "$work/a" | grep -c '\.vxt$')
[ "$files" -eq "$scenarios" ] || fail "$files trace files for $scenarios scenarios"
for f in "$work"/a/*.vxt; do
	cmp -s "$f" "$work/b/$(basename "$f")" || fail "$(basename "$f") differs between two runs"
done

cpuid=$work/a/svm_intercept_cpuid.vxt
"$vxemu" trace dump "$cpuid" >"$work/dump" || fail "dump exit status $?"
grep -q 'kvm_exit: reason 0x72 (cpuid) rip 0x' "$work/dump" || fail "dump names no CPUID exit"
grep -q '=> 0x[0-9a-f]*: 0f a2  *cpuid' "$work/dump" || fail "dump shows no CPUID at the exit's RIP"
grep -q '^# scenario svm_intercept_cpuid: PASS' "$work/dump" || fail "dump header names no scenario"
"$vxemu" trace dump --format json "$cpuid" >"$work/json" || fail "json dump exit status $?"
perl -MJSON::PP -ne 'eval { decode_json($_); 1 } or die "line $.: $@"' "$work/json" ||
	fail "json dump is not one JSON object per line"
[ "$(wc -l <"$work/json")" -gt 3 ] || fail "json dump has no records"

"$vxemu" conformance --no-nrips --filter svm_intercept_cpuid --trace "$work/n" >/dev/null ||
	fail "--no-nrips run exit status $?"
"$vxemu" trace replay "$work/n/svm_intercept_cpuid.vxt" >"$work/replay" ||
	fail "replay on the recorded machine exit status $? (want 0)"
grep -q '^same: ' "$work/replay" || fail "replay on the recorded machine: $(cat "$work/replay")"
"$vxemu" trace replay --nrips "$work/n/svm_intercept_cpuid.vxt" >"$work/replay"
[ $? -eq 1 ] || fail "replay with NRIP save did not exit 1"
grep -q 'A: .*kvm_exit: reason 0x72' "$work/replay" || fail "replay did not part at the CPUID exit"
grep -q 'differs in: next_rip (0x0 / 0x' "$work/replay" || fail "replay names no next_rip: $(cat "$work/replay")"

"$vxemu" trace diff "$cpuid" "$work/b/svm_intercept_cpuid.vxt" >/dev/null ||
	fail "diff of two runs exit status $? (want 0)"
"$vxemu" trace diff "$cpuid" "$work/n/svm_intercept_cpuid.vxt" >/dev/null
[ $? -eq 1 ] || fail "diff of NRIPS on/off did not exit 1"
"$vxemu" trace diff "$cpuid" "$work/a/svm_intercept_hlt.vxt" >/dev/null 2>"$work/err"
[ $? -eq 2 ] || fail "diff of two scenarios did not exit 2"
head -c 300 "$cpuid" >"$work/short.vxt"
"$vxemu" trace dump "$work/short.vxt" >/dev/null 2>"$work/err"
[ $? -eq 2 ] || fail "dump of a truncated trace did not exit 2"
grep -q 'short.vxt: offset 0x' "$work/err" || fail "truncated trace: no offset in '$(cat "$work/err")'"

sample=$(ls "$samples"/trace-cmd-*.txt | head -n 1)
"$vxemu" trace import "$sample" --output "$work/imported.vxt" >"$work/import" ||
	fail "import exit status $?"
grep -q 'events from' "$work/import" || fail "import printed no counts"
"$vxemu" trace dump "$work/imported.vxt" | grep -q 'kvm_exit' || fail "imported trace has no kvm_exit"
"$vxemu" trace import "$samples/vxemu-hw-cpuid.log" --output "$work/hw" >/dev/null ||
	fail "import of the image's log exit status $?"
"$vxemu" trace replay "$work/hw/svm_intercept_cpuid.vxt" >"$work/replay" ||
	fail "replay of the image's svm_intercept_cpuid: $(cat "$work/replay")"
grep -q '^same: [1-9]' "$work/replay" || fail "the image's svm_intercept_cpuid compared nothing"
# A loader reports memory in KiB: a header's RAM need not be whole pages.
cp "$work/hw/svm_intercept_cpuid.vxt" "$work/kib.vxt"
printf '\000\004\376\017' | dd of="$work/kib.vxt" bs=1 seek=96 conv=notrunc 2>/dev/null
"$vxemu" trace replay "$work/kib.vxt" >"$work/replay" ||
	fail "replay of a trace with 0FFE0400h bytes of RAM: $(cat "$work/replay")"
"$vxemu" trace import "$samples/vxemu-hw-exception-bp.log" --output "$work/hw" >/dev/null ||
	fail "import of the image's log exit status $?"
"$vxemu" trace replay "$work/hw/svm_intercept_exception_bp.vxt" >"$work/replay"
[ $? -eq 1 ] || fail "replay of QEMU's svm_intercept_exception_bp did not exit 1"
grep -q 'A = .*(qemu-tcg): FAIL, INT3: got' "$work/replay" || fail "replay names no QEMU verdict"
grep -q 'differs in: reason (0x81 / 0x43)' "$work/replay" ||
	fail "replay of QEMU's svm_intercept_exception_bp: $(cat "$work/replay")"
exit $bad
