#!/bin/sh
# SPDX-License-Identifier: MIT
# run-bochs.sh IMAGE [CMDLINE]
#
# Boots the hardware image under Bochs, headless, and prints its serial port
# on stdout. IMAGE is the boot ISO the build makes (vxemu-hw.iso) or the
# multiboot ELF, which is first put on an ISO with hw/make-iso.sh. CMDLINE
# reaches the image through a floppy that the ISO's GRUB reads
# (hw/grub.cfg). Exits like hw/run-qemu.sh:
#   0  every selected scenario passed or skipped
#   1  a scenario failed or broke
#   2  the image broke (bad command line, unexpected exception), or Bochs
#      ended without the image's last line (triple fault, panic, no start)
#   124  the run took longer than VXEMU_BOCHS_TIMEOUT seconds (default 600)
# Bochs has no exit device: the image ends it with its magic breakpoint
# (XCHG BX,BX) after printing "vxemu-hw: finished with exit code N", and N
# is taken from that line.
# VXEMU_BOCHS_VENDOR: intel (default; Skylake-X, VMX) or amd (Ryzen, SVM).
# VXEMU_BOCHS_CPUS: processors, 1 to 8 (default 4), cores of one socket so
# that CPUID reports them. BOCHS names the emulator (default bochs-bin).
# VXEMU_BOCHS_KEEP=DIR keeps the bochsrc, Bochs' log and the serial log there.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: run-bochs.sh IMAGE [CMDLINE]" >&2
  exit 2
fi
image=$1
cmdline=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bochs=${BOCHS:-bochs-bin}
limit=${VXEMU_BOCHS_TIMEOUT:-600}
vendor=${VXEMU_BOCHS_VENDOR:-intel}
cpus=${VXEMU_BOCHS_CPUS:-4}

fail() {
  echo "run-bochs.sh: $*" >&2
  exit 2
}

[ -r "$image" ] || fail "cannot read the image $image"
case $vendor in
  intel) model=corei7_skylake_x ;;
  amd) model=ryzen ;;
  *) fail "VXEMU_BOCHS_VENDOR must be intel or amd, not '$vendor'" ;;
esac
case $cpus in
  [1-8]) ;;
  *) fail "VXEMU_BOCHS_CPUS must be a processor count from 1 to 8, not '$cpus'" ;;
esac
case $limit in
  ''|*[!0-9]*|0*) fail "VXEMU_BOCHS_TIMEOUT must be whole seconds from 1, not '$limit'" ;;
esac
# GRUB reads the line inside double quotes, where these are special.
case $cmdline in
  *[\"\$\\\`]*|*'
'*) fail "the command line cannot hold a quote, \$, \\, \` or a newline" ;;
esac
command -v "$bochs" >/dev/null 2>&1 ||
  fail "$bochs is not installed (Debian packages bochs, bochsbios, vgabios)"
command -v mformat >/dev/null 2>&1 && command -v mcopy >/dev/null 2>&1 ||
  fail "mformat and mcopy are not installed (Debian package mtools)"
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/vgabios/vgabios.bin
[ -r "$bios" ] || fail "no Bochs BIOS at $bios (Debian package bochsbios)"
[ -r "$vgabios" ] || fail "no VGA BIOS at $vgabios (Debian package vgabios)"

# bochsrc takes paths unquoted, so everything lives in a directory of ours
# whose name has no blanks.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-bochs.XXXXXX" 2>/dev/null) || tmp=""
case $tmp in
  ''|*[!A-Za-z0-9/._-]*)
    [ -n "$tmp" ] && rm -rf "$tmp"
    tmp=$(mktemp -d /tmp/run-bochs.XXXXXX) || fail "cannot make a directory" ;;
esac
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

if [ "$(head -c 4 "$image" | od -An -c | tr -d ' ')" = "177ELF" ]; then
  sh "$here/make-iso.sh" "$image" "$tmp/boot.iso" >&2
  case $? in
    0) ;;
    77) fail "cannot put the ELF image on a boot ISO (see above)" ;;
    *) fail "make-iso.sh failed" ;;
  esac
else
  ln -s "$(cd "$(dirname "$image")" && pwd)/$(basename "$image")" "$tmp/boot.iso"
fi

printf 'set vxemu_cmdline="%s"\n' "$cmdline" >"$tmp/vxemu.cfg"
mformat -C -f 1440 -i "$tmp/floppy.img" :: >/dev/null &&
  mcopy -i "$tmp/floppy.img" "$tmp/vxemu.cfg" ::vxemu.cfg ||
  fail "cannot write the command line floppy"

# No display: RFB that waits for no client. Guest time follows instructions
# (sync=none), so a busy host slows the run but changes no result; the
# TSC then counts instructions at ips per emulated second.
cat >"$tmp/bochsrc" <<RC
megs: 256
cpu: model=$model, count=1:$cpus:1, ips=50000000, reset_on_triple_fault=0
clock: sync=none, time0=1577836800
romimage: file=$bios
vgaromimage: file=$vgabios
ata0-master: type=cdrom, path=$tmp/boot.iso, status=inserted
floppya: 1_44=$tmp/floppy.img, status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
com1: enabled=1, mode=file, dev=$tmp/serial.log
magic_break: enabled=1
log: $tmp/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
mouse: enabled=0
RC
# Debian's Bochs has its debugger built in: run on, and quit at the magic
# breakpoint.
printf 'c\nquit\n' >"$tmp/debugger"
: >"$tmp/serial.log"

timeout "$limit" "$bochs" -q -f "$tmp/bochsrc" -rc "$tmp/debugger" \
  </dev/null >"$tmp/bochs.out" 2>&1 &
bpid=$!
# The serial port as it comes, ending when Bochs does.
tail -n +1 -f --pid="$bpid" "$tmp/serial.log" &
tpid=$!
wait "$bpid"
status=$?
wait "$tpid"

if [ -n "${VXEMU_BOCHS_KEEP:-}" ]; then
  mkdir -p "$VXEMU_BOCHS_KEEP" &&
    cp "$tmp/bochsrc" "$tmp/bochs.log" "$tmp/bochs.out" "$tmp/serial.log" "$VXEMU_BOCHS_KEEP/"
fi

finished=$(tr -d '\r\000' <"$tmp/serial.log" |
  grep -E '^(# |<!-- )vxemu-hw: finished with exit code [0-9]+( -->)?$' | tail -n 1 |
  sed 's/.*exit code \([0-9]*\).*/\1/')

why() {
  # Bochs' own reason: its panic, or else its last errors.
  if grep -q '>>PANIC<<' "$tmp/bochs.log" 2>/dev/null; then
    grep -h '>>PANIC<<' "$tmp/bochs.log" | tail -n 3 >&2
  else
    grep -hE '^[0-9]+e\[' "$tmp/bochs.log" 2>/dev/null | tail -n 3 >&2
  fi
}

case $status in
  0)
    if [ -z "$finished" ]; then
      echo "run-bochs.sh: Bochs ended without the image's last line" \
        "'vxemu-hw: finished with exit code N'" >&2
      why
      exit 2
    fi
    exit "$finished" ;;
  124)
    echo "run-bochs.sh: Bochs was stopped after $limit s" >&2
    exit 124 ;;
  *)
    echo "run-bochs.sh: Bochs ended with status $status before the image finished" \
      "(triple fault, panic, or it could not start)" >&2
    why
    exit 2 ;;
esac
