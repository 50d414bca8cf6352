#!/bin/sh
# SPDX-License-Identifier: MIT
# run-qemu.sh IMAGE [CMDLINE]
#
# Boots the hardware image under QEMU TCG with nested SVM, its serial port on
# stdout, and turns QEMU's exit status back into the image's exit code:
#   0  every selected scenario passed or skipped (image wrote 0, QEMU exits 1)
#   1  a scenario failed or broke               (image wrote 1, QEMU exits 3)
#   2  the image broke: bad command line, unexpected exception (QEMU exits 5),
#      or QEMU ended without the image saying how (triple fault, QEMU error)
#   124  the run took longer than VXEMU_QEMU_TIMEOUT seconds (default 120)
# QEMU exits 1 too when it fails on its own (it cannot start, or rejects the
# kernel), so its status counts as the image's only when the serial port
# also carries the image's last line, "vxemu-hw: finished with exit code N",
# with the same N; otherwise the run is 2.
# QEMU_SYSTEM names the emulator (default qemu-system-x86_64);
# VXEMU_QEMU_SMP the number of processors it gives the machine (default 1).
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: run-qemu.sh IMAGE [CMDLINE]" >&2
  exit 2
fi
image=$1
cmdline=${2:-}
qemu=${QEMU_SYSTEM:-qemu-system-x86_64}
limit=${VXEMU_QEMU_TIMEOUT:-120}
smp=${VXEMU_QEMU_SMP:-1}

if [ ! -r "$image" ]; then
  echo "run-qemu.sh: cannot read the image $image" >&2
  exit 2
fi
case $smp in
  ''|*[!0-9]*|0*)
    echo "run-qemu.sh: VXEMU_QEMU_SMP must be a processor count from 1, not '$smp'" >&2
    exit 2 ;;
esac
if ! command -v "$qemu" >/dev/null 2>&1; then
  echo "run-qemu.sh: $qemu is not installed (Debian package qemu-system-x86)" >&2
  exit 2
fi

# A copy of the serial output and QEMU's status, in files that lose their
# names at once: the shell reads them through descriptors it holds, and
# nothing is left behind however this script ends.
serial=$(mktemp "${TMPDIR:-/tmp}/run-qemu.XXXXXX") || exit 2
exec 3>"$serial" 4<"$serial"
rm -f "$serial"
qstatus=$(mktemp "${TMPDIR:-/tmp}/run-qemu.XXXXXX") || exit 2
exec 5>"$qstatus" 6<"$qstatus"
rm -f "$qstatus"

# NRIPS and vNMI are not offered by TCG; +svm,+npt,+vgif is what it models
# (docs/qemu-differences.md). The serial port goes to stdout as it comes.
{
  timeout --foreground "$limit" "$qemu" \
    -accel tcg -cpu qemu64,+svm,+npt,+vgif -m 256M -smp "$smp" \
    -kernel "$image" -append "$cmdline" \
    -serial stdio -display none -monitor none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 3>&- 4<&- 5>&- 6<&-
  echo $? >&5
} | tee /dev/fd/3
status=$(cat <&6)

# The exit code in the image's last line, if it printed one.
finished=$(tr -d '\r\000' <&4 |
  grep -E '^(# |<!-- )vxemu-hw: finished with exit code [0-9]+( -->)?$' | tail -n 1 |
  sed 's/.*exit code \([0-9]*\).*/\1/')

case $status in
  1|3|5)
    code=$(( (status - 1) / 2 )) # isa-debug-exit: QEMU exits with (code << 1) | 1
    if [ "$finished" != "$code" ]; then
      echo "run-qemu.sh: QEMU exited with status $status, but the image did not print" \
        "'vxemu-hw: finished with exit code $code': QEMU failed to start or rejected" \
        "the image, or the image was cut short" >&2
      exit 2
    fi
    exit "$code" ;;
  124)
    echo "run-qemu.sh: QEMU was stopped after $limit s" >&2
    exit 124 ;;
  0)
    echo "run-qemu.sh: QEMU ended without an exit code from the image (triple fault?)" >&2
    exit 2 ;;
  *)
    echo "run-qemu.sh: QEMU ended with status ${status:-unknown}" >&2
    exit 2 ;;
esac
