#!/bin/sh
# SPDX-License-Identifier: MIT
# make-iso.sh IMAGE OUTPUT
#
# Makes a BIOS-bootable ISO (GRUB 2 on El Torito) that multiboots IMAGE with
# hw/grub.cfg, for machines and emulators without a multiboot loader of
# their own (Bochs, a USB stick). Exits 0 with OUTPUT written; 77 when a tool
# is missing (the message names its Debian package); 1 on any other error.
#
# File dates inside the ISO are SOURCE_DATE_EPOCH (default 2020-01-01), so
# two builds of one image differ only in the volume's modification date:
# grub-mkrescue 2.06 takes it from the clock and uses it as the UUID its
# boot code searches for, and has no option to fix it.
set -u
if [ $# -ne 2 ]; then
  echo "usage: make-iso.sh IMAGE OUTPUT" >&2
  exit 1
fi
image=$1 output=$2
here=$(cd "$(dirname "$0")" && pwd)

missing=""
command -v grub-mkrescue >/dev/null 2>&1 || missing="$missing grub-mkrescue (grub-common)"
command -v xorriso >/dev/null 2>&1 || missing="$missing xorriso (xorriso)"
# grub-mkrescue makes an ISO that boots nothing when the BIOS platform of
# GRUB is absent, so ask for it by its files.
[ -r /usr/lib/grub/i386-pc/cdboot.img ] ||
  missing="$missing /usr/lib/grub/i386-pc (grub-pc-bin)"
if [ -n "$missing" ]; then
  echo "make-iso.sh: cannot make a boot ISO without:$missing" >&2
  exit 77
fi
if [ ! -r "$image" ]; then
  echo "make-iso.sh: cannot read the image $image" >&2
  exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/make-iso.XXXXXX") || exit 1
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub" &&
  cp "$image" "$stage/boot/vxemu-hw.elf" &&
  cp "$here/grub.cfg" "$stage/boot/grub/grub.cfg" || exit 1

epoch=${SOURCE_DATE_EPOCH:-1577836800}
if ! grub-mkrescue -o "$output.tmp" "$stage" -- \
       -volume_date all_file_dates "=$epoch" >"$stage.log" 2>&1; then
  cat "$stage.log" >&2
  rm -f "$stage.log" "$output.tmp"
  echo "make-iso.sh: grub-mkrescue failed" >&2
  exit 1
fi
rm -f "$stage.log"
mv "$output.tmp" "$output"
