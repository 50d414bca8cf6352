#!/bin/sh
# SPDX-License-Identifier: MIT
# unicorn.sh DIR — make Unicorn >= 2.1.1 available to the build.
#
# The engine needs Unicorn 2.1.1 or later (docs/engine.md says why). Where the
# system's pkg-config already finds one (Debian 13 and later, with
# libunicorn-dev installed) nothing is done. Otherwise (Debian 12 ships
# 2.0.1) the two Debian 13 packages are fetched from Debian's archive with
# apt's own tools and a private configuration under DIR — no change to the
# system's apt sources, no system-wide install, no root needed — unpacked
# with dpkg -x into DIR/unicorn, and given a pkg-config file there, which
# CMakeLists.txt puts first on the pkg-config path. The library depends on
# nothing but the C library (glibc >= 2.34), so it runs on Debian 12.
set -eu
want=2.1.1
dir=${1:?usage: unicorn.sh DIR}
suite=${VXEMU_UNICORN_SUITE:-trixie}
mirror=${VXEMU_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if pkg-config --atleast-version="$want" unicorn 2>/dev/null; then
  exit 0
fi
dest=$dir/unicorn
if [ -f "$dest/lib/pkgconfig/unicorn.pc" ] &&
   PKG_CONFIG_PATH=$dest/lib/pkgconfig pkg-config --atleast-version="$want" unicorn; then
  exit 0
fi

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
if [ ! -r "$keyring" ]; then
  echo "unicorn.sh: $keyring is missing (package debian-archive-keyring)" >&2
  exit 1
fi
arch=$(dpkg --print-architecture)
work=$dir/apt
rm -rf "$work" "$dest.new"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$dest.new"
echo "deb [arch=$arch signed-by=$keyring] $mirror $suite main" >"$work/sources.list"
apt_opts="-o Dir::Etc::sourcelist=$work/sources.list -o Dir::Etc::sourceparts=-
 -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache
 -o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts=-
 -o Debug::NoLocking=1 -o APT::Sandbox::User=$(id -un) -o Acquire::Languages=none"
echo "Fetching Unicorn (libunicorn-dev from Debian $suite) into $dest"
# shellcheck disable=SC2086
apt-get -q $apt_opts update >"$work/update.log" 2>&1 || {
  cat "$work/update.log" >&2
  echo "unicorn.sh: apt-get update of the private $suite list failed" >&2
  exit 1
}
# The runtime package's name carries t64 from Debian 13 on; ask apt which
# library package the -dev package depends on.
# shellcheck disable=SC2086
lib=$(apt-cache $apt_opts depends libunicorn-dev 2>/dev/null |
      awk '/Depends: libunicorn2/ {print $2; exit}')
[ -n "$lib" ] || lib=libunicorn2t64
(cd "$work/debs" &&
 # shellcheck disable=SC2086
 apt-get -q $apt_opts download libunicorn-dev "$lib" >"$work/download.log" 2>&1) || {
  cat "$work/download.log" >&2
  echo "unicorn.sh: apt-get download libunicorn-dev $lib failed" >&2
  exit 1
}
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$dest.new/root"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
libdir=$dest.new/root/usr/lib/$multiarch
version=$(sed -n 's/^Version: *//p' "$libdir/pkgconfig/unicorn.pc")
mkdir -p "$dest.new/lib/pkgconfig"
# The final location, not the staging one: the directory is renamed below.
cat >"$dest.new/lib/pkgconfig/unicorn.pc" <<EOF
prefix=$dest/root/usr
libdir=$dest/root/usr/lib/$multiarch
includedir=$dest/root/usr/include

Name: unicorn
Description: Unicorn emulator engine (Debian $suite package, private copy)
Version: $version
Libs: -L\${libdir} -lunicorn
Libs.private: -lpthread -lm
Cflags: -I\${includedir}
EOF
rm -rf "$dest"
mv "$dest.new" "$dest"
rm -rf "$work"
if ! PKG_CONFIG_PATH=$dest/lib/pkgconfig pkg-config --atleast-version="$want" unicorn; then
  echo "unicorn.sh: Debian $suite has Unicorn $version, vxemu needs $want or later" >&2
  exit 1
fi
echo "Unicorn $version ready in $dest"
