#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-vs-model.sh VXEMU IMAGE RUN_QEMU EXPECTED
#
# Runs every conformance scenario on the model (VXEMU conformance --format
# ktap) and in the hardware image under QEMU TCG (RUN_QEMU IMAGE format=ktap),
# then compares them scenario by scenario with hw/peer-vs-model.sh against
# EXPECTED. Exits 0 when they agree, 1 otherwise, 77 when QEMU is not
# installed (ctest counts it skipped).
set -u
if [ $# -ne 4 ]; then
  echo "usage: qemu-vs-model.sh VXEMU IMAGE RUN_QEMU EXPECTED" >&2
  exit 1
fi
vxemu=$1 image=$2 run_qemu=$3 expected=$4

if ! command -v "${QEMU_SYSTEM:-qemu-system-x86_64}" >/dev/null 2>&1; then
  echo "qemu-vs-model: ${QEMU_SYSTEM:-qemu-system-x86_64} is not installed; skipped"
  exit 77
fi
for f in "$vxemu" "$image" "$run_qemu" "$expected"; do
  if [ ! -r "$f" ]; then
    echo "qemu-vs-model: cannot read $f" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$vxemu" conformance --format ktap >"$tmp/model.out" 2>"$tmp/model.err"
model_status=$?
# Four processors, as the model runs the suite (vxemu conformance --cpus).
VXEMU_QEMU_SMP=4 sh "$run_qemu" "$image" "format=ktap" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
qemu_status=$?

sh "$(dirname "$0")/peer-vs-model.sh" qemu "$expected" "$tmp/model.out" "$model_status" \
  "$tmp/qemu.out" "$qemu_status"
result=$?
if [ $result -ne 0 ]; then
  for side in model qemu; do
    if [ -s "$tmp/$side.err" ]; then
      echo "--- $side: stderr"
      cat "$tmp/$side.err"
    fi
  done
fi
exit $result
