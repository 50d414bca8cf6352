#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-broken.sh VXEMU RUN_QEMU
# A broken platform must never read as a pass. QEMU exits 1 both when the
# image wrote "all passed" to isa-debug-exit and when QEMU itself fails, so
# with stand-ins for QEMU (QEMU_SYSTEM) that
#   a) print an error on stderr and exit 1 with nothing on the serial port,
#   b) print the start of a report and exit 1,
#   c) print a whole report but not the image's last line, and exit 1,
# hw/run-qemu.sh exits 2 and `vxemu conformance --platform qemu` exits 2,
# says on stderr what happened, and reports no scenario it did not see pass;
# while one that prints a whole report and the image's last line, then
# exits 1, passes (so the stand-ins do print what the image prints).
set -u
vxemu=$1 run_qemu=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

"$vxemu" conformance --list | grep -v '^ ' | sed 's/ .*//' >"$tmp/names"
n=$(grep -c . "$tmp/names")
first=$(head -n 1 "$tmp/names")

# stand-in NAME LINES...: a QEMU that prints LINES on the serial port and exits 1.
stand_in() {
	name=$1
	shift
	{
		echo '#!/bin/sh'
		for line in "$@"; do
			printf "printf '%%s\\\\n' '%s'\n" "$line"
		done
		echo 'exit 1'
	} >"$tmp/$name"
	chmod +x "$tmp/$name"
}

report() {
	echo 'KTAP version 1'
	echo "1..$n"
	i=0
	while read -r name; do
		i=$((i + 1))
		echo "ok $i $name"
	done <"$tmp/names"
	echo "# Totals: pass:$n fail:0 skip:0 error:0"
	echo "$n passed, 0 failed, 0 skipped"
}
report >"$tmp/report"

{
	echo '#!/bin/sh'
	echo "echo 'qemu-system-x86_64: Error loading uncompressed kernel without PVH ELF Note' >&2"
	echo 'exit 1'
} >"$tmp/rejects"
chmod +x "$tmp/rejects"
stand_in truncated 'KTAP version 1' "1..$n" "ok 1 $first"
IFS='
'
stand_in unfinished $(cat "$tmp/report")
stand_in finished $(cat "$tmp/report") '# vxemu-hw: finished with exit code 0'
unset IFS

# run CASE: both runs of stand-in CASE; sets rq (run-qemu.sh) and vx (vxemu).
run() {
	QEMU_SYSTEM="$tmp/$1" sh "$run_qemu" "$tmp/$1" format=ktap >"$tmp/rq.out" 2>"$tmp/rq.err"
	rq=$?
	QEMU_SYSTEM="$tmp/$1" "$vxemu" conformance --platform qemu --image "$tmp/$1" \
		>"$tmp/out" 2>"$tmp/err"
	vx=$?
}

# broken CASE MESSAGE PASSES: vxemu must exit 2, say MESSAGE and report
# exactly PASSES scenarios passed (those the stand-in printed as passing).
broken() {
	run "$1"
	[ "$rq" -eq 2 ] || fail "$1: run-qemu.sh exit status $rq, want 2"
	grep -q "run-qemu.sh: QEMU exited with status 1, but the image did not print" "$tmp/rq.err" ||
		fail "$1: run-qemu.sh does not say the image did not finish"
	[ "$vx" -eq 2 ] || fail "$1: vxemu exit status $vx, want 2"
	grep -q "^vxemu: $2" "$tmp/err" || fail "$1: stderr does not say '$2'"
	[ "$(grep -c '^PASS ' "$tmp/out")" -eq "$3" ] || fail "$1: want $3 PASS lines"
	[ "$(tail -n 1 "$tmp/out")" = "$3 passed, $((n - $3)) failed, 0 skipped" ] ||
		fail "$1: the summary is not '$3 passed, $((n - $3)) failed, 0 skipped'"
	if [ "$bad" -ne 0 ]; then
		echo "--- $1: stdout"; cat "$tmp/out"
		echo "--- $1: stderr"; cat "$tmp/err"
		exit 1
	fi
}

broken rejects "QEMU failed to start or rejected the image: qemu-system-x86_64: Error loading" 0
grep -Eq "^ERROR +$first +no result: QEMU failed to start" "$tmp/out" ||
	fail "rejects: $first is not an ERROR that says why"
broken truncated "QEMU ended without a complete report: 1 of $n results" 1
broken unfinished "run-qemu.sh status 2 contradicts the image's report" "$n"

run finished
[ "$rq" -eq 0 ] || fail "finished: run-qemu.sh exit status $rq, want 0"
[ "$vx" -eq 0 ] || fail "finished: vxemu exit status $vx, want 0"
if [ "$bad" -ne 0 ]; then
	echo "--- finished: run-qemu.sh stderr"; cat "$tmp/rq.err"
	echo "--- finished: vxemu stderr"; cat "$tmp/err"
fi
exit $bad
