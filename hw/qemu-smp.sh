#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-smp.sh IMAGE RUN_QEMU CPUS
#
# Boots the hardware image under QEMU TCG with CPUS processors and
# selftest=smp (docs/hardware.md), and passes when the image exits 0 having
# reported every application processor: one "ok N cpuN apic-id ID" line for
# each of 1..CPUS-1. Exits 0 on success, 1 otherwise, 77 when QEMU is not
# installed (ctest counts it skipped).
set -u
if [ $# -ne 3 ]; then
  echo "usage: qemu-smp.sh IMAGE RUN_QEMU CPUS" >&2
  exit 1
fi
image=$1 run_qemu=$2 cpus=$3

if ! command -v "${QEMU_SYSTEM:-qemu-system-x86_64}" >/dev/null 2>&1; then
  echo "qemu-smp: ${QEMU_SYSTEM:-qemu-system-x86_64} is not installed; skipped"
  exit 77
fi

out=$(VXEMU_QEMU_SMP=$cpus sh "$run_qemu" "$image" "selftest=smp" 2>&1)
status=$?
printf '%s\n' "$out"

if [ $status -ne 0 ]; then
  echo "qemu-smp: the image exited with status $status (1: a check failed, 2: it broke)"
  exit 1
fi
i=1
while [ "$i" -lt "$cpus" ]; do
  if ! printf '%s\n' "$out" | grep -Eq "^ok $i cpu$i apic-id [0-9]+\$"; then
    echo "qemu-smp: no passing line for cpu$i"
    exit 1
  fi
  i=$((i + 1))
done
echo "qemu-smp: $cpus processors reported"
exit 0
