#!/bin/sh
# SPDX-License-Identifier: MIT
# trace-bochs.sh VXEMU DIVERGENCES DOC
#
# The vmx_exit_* scenarios are traced in the hardware image under Bochs
# (`vxemu conformance --platform bochs --trace`, one boot) and each trace is
# replayed on the model (`vxemu trace replay`). A replay must agree (exit 0)
# unless DIVERGENCES (hw/bochs-divergences.txt) lists the scenario; then it
# may agree, or exit 1 at the event named there (what Bochs leaves in a
# field it does not define changes with what ran before), and DOC
# (docs/bochs-differences.md) must name the same event. Exits 0 when all do, 1 otherwise, 77 when Bochs
# or the ISO is missing (ctest counts it skipped).
set -u
if [ $# -ne 3 ]; then
  echo "usage: trace-bochs.sh VXEMU DIVERGENCES DOC" >&2
  exit 1
fi
vxemu=$1 divergences=$2 doc=$3
if ! command -v "${BOCHS:-bochs-bin}" >/dev/null 2>&1; then
  echo "trace-bochs: ${BOCHS:-bochs-bin} is not installed (Debian package bochs); skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

"$vxemu" conformance --platform bochs --filter 'vmx_exit_*' --trace "$tmp/t" \
  >"$tmp/report" 2>"$tmp/err"
case $? in
  0|1) ;;
  *) cat "$tmp/err"; grep -q 'is not installed\|no boot ISO' "$tmp/err" && exit 77; exit 1 ;;
esac
ls "$tmp/t"/*.vxt >/dev/null 2>&1 || { echo "FAIL: no trace from Bochs"; cat "$tmp/err"; exit 1; }

for trace in "$tmp/t"/*.vxt; do
  scenario=$(basename "$trace" .vxt)
  listed=$(grep -v '^#' "$divergences" | awk -v s="$scenario" '$1 == s')
  "$vxemu" trace replay "$trace" >"$tmp/replay" 2>&1
  status=$?
  if [ -z "$listed" ]; then
    if [ $status -ne 0 ]; then
      echo "FAIL: $scenario: the replay does not agree (exit $status)"
      sed 's/^/    /' "$tmp/replay" | head -n 12
      bad=1
    fi
    continue
  fi
  set -- $listed
  kind=$2 field=$3
  line=$(grep -m 1 '^  A: ' "$tmp/replay")
  differs=$(grep -m 1 '^  differs in: ' "$tmp/replay")
  why=""
  if [ $status -eq 1 ]; then
    case $line in *" $kind: "*) ;; *) why="first divergence is not a $kind" ;; esac
    case $differs in *": $field ("*) ;; *) why="${why:+$why; }'$field' does not differ" ;; esac
  elif [ $status -ne 0 ]; then
    why="replay exit status $status"
  fi
  if ! grep "\`$scenario\`" "$doc" | grep -q "\`$kind\` $field"; then
    why="${why:+$why; }$doc names no \`$kind\` $field for it"
  fi
  if [ -n "$why" ]; then
    echo "FAIL: $scenario: $why"; sed 's/^/    /' "$tmp/replay" | head -n 12; bad=1
  else
    echo "ok: $scenario: $kind $field${status:+ (replay exit $status)}"
  fi
done
grep -v '^#' "$divergences" | awk 'NF { print $1 }' | while read -r scenario; do
  [ -f "$tmp/t/$scenario.vxt" ] || { echo "FAIL: $scenario is listed but Bochs wrote no trace of it"; echo 1 >"$tmp/bad"; }
done
[ -f "$tmp/bad" ] && bad=1
exit $bad
