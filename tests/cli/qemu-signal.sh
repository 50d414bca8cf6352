#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-signal.sh VXEMU
# Killing `vxemu conformance --platform qemu` with SIGTERM, SIGINT or SIGHUP
# ends the QEMU it started and everything between them (hw/run-qemu.sh,
# timeout): with a stand-in QEMU that sleeps, no process of the stand-in's
# process group may outlive vxemu, and vxemu itself ends by that signal. A
# stand-in that ignores SIGTERM is gone too (vxemu follows with SIGKILL).
set -u
vxemu=$1
tmp=$(mktemp -d)
group=
cleanup() {
	[ -n "$group" ] && kill -KILL "-$group" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

# The stand-in says which process group it runs in, then waits for ever
# with a child of its own, as QEMU's threads and helpers would. The stubborn
# one ignores the polite signals (so does its child), as a wedged QEMU may.
for kind in plain stubborn; do
	{
		echo '#!/bin/sh'
		[ $kind = stubborn ] && echo "trap '' HUP INT TERM"
		echo "ps -o pgid= -p \$\$ | tr -d ' ' >'$tmp/group.tmp'"
		echo "mv '$tmp/group.tmp' '$tmp/group'"
		echo 'sleep 1000 &'
		echo 'wait'
	} >"$tmp/$kind"
	chmod +x "$tmp/$kind"
done

# The live processes (zombies are dead, only not yet reaped) of group $1.
alive() {
	ps -e -o pgid=,stat=,pid=,args= | awk -v g="$1" '$1 == g && $2 !~ /^Z/'
}

# Polls up to 10 s for a condition.
within_10s() {
	i=0
	while [ $i -lt 100 ]; do
		eval "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

for case in plain:TERM:15 plain:INT:2 plain:HUP:1 stubborn:TERM:15; do
	kind=${case%%:*}
	num=${case##*:}
	sig=${case#*:}
	sig=${sig%:*}
	rm -f "$tmp/group"
	group=
	# A shell starts background jobs with SIGINT ignored; vxemu must see
	# each signal as a terminal or a supervisor would send it.
	QEMU_SYSTEM="$tmp/$kind" env --default-signal=HUP,INT,TERM \
		"$vxemu" conformance --platform qemu --image "$tmp/$kind" >/dev/null 2>&1 &
	vx=$!
	if ! within_10s '[ -s "$tmp/group" ]'; then
		fail "$kind QEMU, SIG$sig: the stand-in QEMU did not start"
		kill -KILL "$vx" 2>/dev/null
		wait "$vx"
		continue
	fi
	group=$(cat "$tmp/group")
	kill -s "$sig" "$vx"
	wait "$vx"
	status=$?
	want=$((128 + num))
	[ "$status" -eq "$want" ] || fail "$kind QEMU, SIG$sig: vxemu exit status $status, want $want"
	if ! within_10s '[ -z "$(alive "$group")" ]'; then
		fail "$kind QEMU, SIG$sig: still running after vxemu ended:"
		alive "$group"
		kill -KILL "-$group" 2>/dev/null
	fi
	group=
done
exit $bad
