#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh [build|check] — make sure the Debian packages vxemu needs are there.
# As root, installs what is missing; otherwise prints the apt-get line to run
# and fails.
set -eu
profile=${1:-build}
pkgs="cmake make gcc binutils pkg-config libunicorn-dev libcapstone-dev libcmocka-dev"
if [ "$profile" = check ]; then
  pkgs="$pkgs qemu-system-x86"
fi
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "vxemu needs these Debian packages:$missing" >&2
  echo "Install them with:  sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
