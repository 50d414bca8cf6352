#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh [build|check] — make sure the Debian packages vxemu needs are there.
# As root, installs what is missing; as a user, through sudo where there is
# one (which may ask for the user's password); otherwise prints the apt-get
# line to run and fails. Then makes Unicorn >= 2.1.1 available (scripts/unicorn.sh): the
# system's where it is new enough, else a private copy in build/deps.
set -eu
profile=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
pkgs="cmake make gcc binutils pkg-config libcapstone-dev libcmocka-dev"
# Debian 13 and later package Unicorn >= 2.1.1; Debian 12's 2.0.1 is not used.
unicorn_candidate=$(apt-cache policy libunicorn-dev 2>/dev/null | awk '/Candidate:/ {print $2}')
if [ -n "$unicorn_candidate" ] && [ "$unicorn_candidate" != "(none)" ] &&
   dpkg --compare-versions "$unicorn_candidate" ge 2.1.1; then
  pkgs="$pkgs libunicorn-dev"
fi
if [ "$profile" = check ]; then
  # clang builds the tree a second time; libFuzzer comes with its runtimes.
  # perl's JSON::PP checks the JSON trace dump (tests/cli/trace.sh).
  pkgs="$pkgs qemu-system-x86 clang libclang-rt-14-dev perl"
  # Bochs is the peer with VMX; it boots the image from a GRUB ISO
  # (hw/make-iso.sh), and hw/run-bochs.sh hands it the command line on a
  # floppy that mtools writes.
  pkgs="$pkgs bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools"
fi
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  exec sh "$here/unicorn.sh" "$root/build/deps"
fi
as_root=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "vxemu needs these Debian packages:$missing" >&2
    echo "Install them as root with:  apt-get install -y$missing" >&2
    exit 1
  fi
  as_root="sudo"
fi
echo "Installing:$missing"
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
exec sh "$here/unicorn.sh" "$root/build/deps"
