#!/bin/sh
# SPDX-License-Identifier: MIT
# report-write-error.sh VXEMU
# A report that cannot be written must not pass for one: with stdout on
# /dev/full (every write fails with ENOSPC) or closed, `vxemu conformance`
# exits 2 and says on stderr that it cannot write, for every format, for
# --list, and for a run on QEMU (through a stand-in that prints a whole
# report).
set -u
vxemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

first=$("$vxemu" conformance --list | grep -v '^ ' | sed 's/ .*//' | head -n 1)
[ -n "$first" ] || { echo "FAIL: --list printed no scenario"; exit 1; }

# The stand-in prints what the image prints for a one-scenario pass.
cat >"$tmp/qemu" <<FAKE
#!/bin/sh
printf 'KTAP version 1\n1..1\nok 1 $first\n# Totals: pass:1 fail:0 skip:0 error:0\n'
printf '1 passed, 0 failed, 0 skipped\n# vxemu-hw: finished with exit code 0\n'
exit 1
FAKE
chmod +x "$tmp/qemu"

# check WHAT REDIRECTION ARG...: run vxemu with stdout redirected as named.
check() {
	what=$1 how=$2
	shift 2
	case $how in
	full) QEMU_SYSTEM="$tmp/qemu" "$vxemu" "$@" >/dev/full 2>"$tmp/err" ;;
	closed) QEMU_SYSTEM="$tmp/qemu" "$vxemu" "$@" >&- 2>"$tmp/err" ;;
	esac
	status=$?
	if [ "$status" -ne 2 ]; then
		fail "$what, stdout $how: exit status $status, want 2"
	elif ! grep -q '^vxemu: cannot write to stdout' "$tmp/err"; then
		fail "$what, stdout $how: stderr does not say so:"; cat "$tmp/err"
	fi
}

# The stand-in's report really is a pass: otherwise the cases below prove nothing.
QEMU_SYSTEM="$tmp/qemu" "$vxemu" conformance --platform qemu --image "$tmp/qemu" \
	--filter "$first" >"$tmp/out" 2>"$tmp/err" ||
	{ fail "the QEMU stand-in's run does not pass:"; cat "$tmp/out" "$tmp/err"; }

for how in full closed; do
	for fmt in table ktap tap13 junit; do
		check "--format $fmt" $how conformance --filter "$first" --format $fmt
		check "--platform qemu --format $fmt" $how conformance --platform qemu \
			--image "$tmp/qemu" --filter "$first" --format $fmt
	done
	check "--list" $how conformance --list
done
exit $bad
