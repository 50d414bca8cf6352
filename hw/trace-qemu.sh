#!/bin/sh
# SPDX-License-Identifier: MIT
# trace-qemu.sh VXEMU EXPECTED DIVERGENCES DOC
#
# Every expected failure under QEMU TCG (EXPECTED, hw/qemu-expected.txt) is
# traced in the hardware image (`vxemu conformance --platform qemu --trace`)
# and replayed on the model (`vxemu trace replay`); the replay must exit 1
# and point at the event DIVERGENCES names for it (kind, differing field,
# and for a check its text), and DOC (docs/qemu-differences.md) must name
# the same event. Exits 0 when all do, 1 otherwise, 77 when QEMU is not
# installed (ctest counts it skipped).
set -u
if [ $# -ne 4 ]; then
  echo "usage: trace-qemu.sh VXEMU EXPECTED DIVERGENCES DOC" >&2
  exit 1
fi
vxemu=$1 expected=$2 divergences=$3 doc=$4
if ! command -v "${QEMU_SYSTEM:-qemu-system-x86_64}" >/dev/null 2>&1; then
  echo "trace-qemu: ${QEMU_SYSTEM:-qemu-system-x86_64} is not installed; skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The INIT scenarios need more than one processor.
VXEMU_QEMU_SMP=${VXEMU_QEMU_SMP:-4}
export VXEMU_QEMU_SMP
bad=0

grep -v '^#' "$expected" | awk 'NF && $2 == "FAIL" { print $1 }' >"$tmp/fails"
grep -v '^#' "$divergences" | awk 'NF { print $1 }' >"$tmp/listed"
if ! cmp -s "$tmp/fails" "$tmp/listed"; then
  echo "FAIL: the scenarios of $divergences are not the expected failures of $expected:"
  diff "$tmp/fails" "$tmp/listed"
  bad=1
fi

grep -v '^#' "$divergences" | while read -r scenario kind field check; do
  [ -n "$scenario" ] || continue
  "$vxemu" conformance --platform qemu --filter "$scenario" --trace "$tmp/t" \
    >"$tmp/report" 2>"$tmp/err"
  if [ ! -f "$tmp/t/$scenario.vxt" ]; then
    echo "FAIL: $scenario: no trace from QEMU"; cat "$tmp/err"; echo 1 >"$tmp/bad"
    continue
  fi
  "$vxemu" trace replay "$tmp/t/$scenario.vxt" >"$tmp/replay" 2>&1
  status=$?
  line=$(grep -m 1 '^  A: ' "$tmp/replay")
  differs=$(grep -m 1 '^  differs in: ' "$tmp/replay")
  why=""
  [ $status -eq 1 ] || why="replay exit status $status, not 1"
  case $line in *" $kind: "*) ;; *) why="${why:+$why; }first divergence is not a $kind" ;; esac
  case $differs in *": $field ("*) ;; *) why="${why:+$why; }'$field' does not differ" ;; esac
  if [ -n "$check" ]; then
    case $line in *"\"$check\""*) ;; *) why="${why:+$why; }not at check \"$check\"" ;; esac
  fi
  if ! grep "\`$scenario\`" "$doc" | grep -q "\`$kind\` $field"; then
    why="${why:+$why; }$doc names no \`$kind\` $field for it"
  fi
  if [ -n "$why" ]; then
    echo "FAIL: $scenario: $why"; sed 's/^/    /' "$tmp/replay" | head -n 12; echo 1 >"$tmp/bad"
  else
    echo "ok: $scenario: $kind $field${check:+ \"$check\"}"
  fi
done
[ -f "$tmp/bad" ] && bad=1
exit $bad
