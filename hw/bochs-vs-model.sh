#!/bin/sh
# SPDX-License-Identifier: MIT
# bochs-vs-model.sh VXEMU ISO RUN_BOCHS EXPECTED VENDOR
#
# Runs every conformance scenario on a model machine of VENDOR's (VXEMU
# conformance --vendor VENDOR --format ktap) and in the hardware image under Bochs with VENDOR's processor
# (RUN_BOCHS ISO format=ktap, four processors), then compares them scenario
# by scenario with hw/peer-vs-model.sh.
# EXPECTED (hw/bochs-expected.txt) holds "<vendor> <scenario> <status> <why>"
# lines; only VENDOR's count. The status is SKIP or FAIL, as for QEMU, or
# PANIC for a scenario that stops Bochs itself, or HANG for one the run never
# comes back from: it is passed to the image as skip=<scenario>, so the rest
# still run, and must then report SKIP.
# Exits 0 when they agree, 1 otherwise, 77 when Bochs or the ISO is missing
# (ctest counts it skipped).
set -u
if [ $# -ne 5 ]; then
  echo "usage: bochs-vs-model.sh VXEMU ISO RUN_BOCHS EXPECTED VENDOR" >&2
  exit 1
fi
vxemu=$1 iso=$2 run_bochs=$3 expected=$4 vendor=$5

if ! command -v "${BOCHS:-bochs-bin}" >/dev/null 2>&1; then
  echo "bochs-vs-model: ${BOCHS:-bochs-bin} is not installed (Debian package bochs); skipped"
  exit 77
fi
if [ ! -r "$iso" ]; then
  echo "bochs-vs-model: no boot ISO at $iso (the build makes it where grub-mkrescue," \
    "xorriso and grub-pc-bin are installed); skipped"
  exit 77
fi
for f in "$vxemu" "$run_bochs" "$expected"; do
  if [ ! -r "$f" ]; then
    echo "bochs-vs-model: cannot read $f" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# This vendor's entries, without the vendor word; PANIC and HANG become the
# SKIP that skip= gives.
sed -e 's/\r$//' -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$expected" |
  awk -v vendor="$vendor" -v out="$tmp/bochs-expected.txt" -v skips="$tmp/skips" '
    $1 != "intel" && $1 != "amd" { print "bochs-expected.txt: \"" $0 "\": no vendor"; bad = 1; next }
    $1 != vendor { next }
    {
      line = $0
      sub(/^[^ \t]+[ \t]+/, "", line)
      if ($3 == "PANIC" || $3 == "HANG") {
        printf " skip=%s", $2 > skips
        sub(/PANIC|HANG/, "SKIP", line)
      }
      print line > out
    }
    END { exit bad }' || exit 1
touch "$tmp/bochs-expected.txt" "$tmp/skips"

"$vxemu" conformance --vendor "$vendor" --format ktap >"$tmp/model.out" 2>"$tmp/model.err"
model_status=$?
start=$(date +%s)
VXEMU_BOCHS_VENDOR=$vendor VXEMU_BOCHS_CPUS=4 \
  sh "$run_bochs" "$iso" "format=ktap$(cat "$tmp/skips")" >"$tmp/bochs.out" 2>"$tmp/bochs.err"
bochs_status=$?
echo "bochs-vs-model: the Bochs run ($vendor) took $(( $(date +%s) - start )) s"

sh "$(dirname "$0")/peer-vs-model.sh" "bochs-$vendor" "$tmp/bochs-expected.txt" \
  "$tmp/model.out" "$model_status" "$tmp/bochs.out" "$bochs_status"
result=$?
if [ $result -ne 0 ]; then
  for side in model bochs; do
    if [ -s "$tmp/$side.err" ]; then
      echo "--- $side: stderr"
      cat "$tmp/$side.err"
    fi
  done
fi
exit $result
