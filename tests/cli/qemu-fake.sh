#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-fake.sh VXEMU
# `vxemu conformance --platform qemu` end to end, with a stand-in for QEMU
# (QEMU_SYSTEM, which hw/run-qemu.sh honours) that prints boot noise and a
# KTAP report: the first scenario fails with a message, the last one never
# reports because the "image" bails out. vxemu must pass the selection on,
# print each scenario with its status in the requested format, call the
# missing one an ERROR that quotes the bail-out, and exit 1.
set -u
vxemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$vxemu" conformance --list | grep -v '^ ' | sed 's/ .*//' >"$tmp/names"
n=$(grep -c . "$tmp/names")
first=$(head -n 1 "$tmp/names")
last=$(tail -n 1 "$tmp/names")
if [ "$n" -lt 3 ]; then
	echo "FAIL: the suite has fewer than 3 scenarios"
	exit 1
fi

# The stand-in: records its arguments, prints what an image would.
{
	echo '#!/bin/sh'
	echo "printf '%s\\n' \"\$@\" >'$tmp/args'"
	echo "printf 'SeaBIOS\\r\\nBooting from ROM..\\r\\n'"
	echo "echo 'KTAP version 1'"
	echo "echo '1..$n'"
	i=0
	while read -r name; do
		i=$((i + 1))
		if [ "$name" = "$first" ]; then
			echo "echo '# exit_code: got 0x81, want 0x7b'"
			echo "echo 'not ok $i $name'"
		elif [ "$name" = "$last" ]; then
			echo "echo 'Bail out! vxemu-hw: #PF at 0x1234 in $name'"
		else
			echo "echo 'ok $i $name'"
		fi
	done <"$tmp/names"
	echo 'exit 5'
} >"$tmp/qemu"
chmod +x "$tmp/qemu"

QEMU_SYSTEM="$tmp/qemu" "$vxemu" conformance --platform qemu --image "$tmp/qemu" \
	>"$tmp/out" 2>"$tmp/err"
status=$?
bad=0
fail() { echo "FAIL: $*"; bad=1; }

[ "$status" -eq 1 ] || fail "exit status $status, want 1"
grep -q '^format=ktap$' "$tmp/args" 2>/dev/null || fail "the image was not asked for KTAP"
grep -Eq "^FAIL +$first +exit_code: got 0x81, want 0x7b\$" "$tmp/out" ||
	fail "no FAIL line with the message for $first"
grep -Eq "^ERROR +$last +no result: Bail out! vxemu-hw: #PF at 0x1234" "$tmp/out" ||
	fail "no ERROR line quoting the bail-out for $last"
[ "$(grep -c '^PASS ' "$tmp/out")" -eq $((n - 2)) ] || fail "want $((n - 2)) PASS lines"
[ "$(tail -n 1 "$tmp/out")" = "$((n - 2)) passed, 2 failed, 0 skipped" ] ||
	fail "last line is not the summary"

# The selection reaches the image's command line.
QEMU_SYSTEM="$tmp/qemu" "$vxemu" conformance --platform qemu --image "$tmp/qemu" \
	--filter "$first" --group svm --format ktap >"$tmp/out2" 2>/dev/null
# The kernel command line is one argument of -append.
grep -q "^format=ktap filter=$first group=svm\$" "$tmp/args" ||
	fail "filter= and group= were not passed on"
sed -n 2p "$tmp/out2" | grep -q '^1\.\.1$' || fail "--filter did not narrow the KTAP plan to 1"

if [ "$bad" -ne 0 ]; then
	echo "--- stdout"; cat "$tmp/out"
	echo "--- stderr"; cat "$tmp/err"
fi
exit $bad
