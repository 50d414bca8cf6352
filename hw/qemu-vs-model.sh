#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-vs-model.sh VXEMU IMAGE RUN_QEMU EXPECTED
#
# Runs every conformance scenario on the model (VXEMU conformance --format
# ktap) and in the hardware image under QEMU TCG (RUN_QEMU IMAGE format=ktap),
# then compares them scenario by scenario:
#   - on the model, every scenario must PASS;
#   - on QEMU, a scenario listed in EXPECTED must have exactly the status
#     listed there; any other must PASS, or SKIP with a reason.
# Prints one line per scenario and the differences; exits 0 when there are
# none, 1 otherwise, 77 when QEMU is not installed (ctest counts it skipped).
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

# KTAP (stdin) -> "name<TAB>STATUS<TAB>reason" lines, for the last report in
# the stream. Lines before the version line (boot messages) are ignored; a
# failure without an inline reason takes the first "# " line before it.
ktap_results() {
  awk -F '\n' '
    { sub(/\r$/, "") }
    /^(KTAP|TAP) version [0-9]+$/ { n = 0; diag = ""; started = 1; next }
    !started { next }
    /^# / { if (diag == "") diag = substr($0, 3); next }
    /^(not )?ok [0-9]+ / {
      ok = ($0 ~ /^ok /)
      rest = $0
      sub(/^(not )?ok [0-9]+ +/, "", rest)
      sub(/^- +/, "", rest)
      tail = ""
      i = index(rest, " #")
      if (i > 0) { tail = substr(rest, i + 2); rest = substr(rest, 1, i - 1) }
      sub(/ +$/, "", rest)
      sub(/^ +/, "", tail)
      status = ok ? "PASS" : "FAIL"
      if (toupper(tail) ~ /^SKIP( |$)/) { status = "SKIP"; tail = substr(tail, 5) }
      else if (toupper(tail) ~ /^(ERROR|TIMEOUT)( |$)/) { status = "ERROR"; sub(/^[A-Za-z]+/, "", tail) }
      sub(/^ +/, "", tail)
      if (tail == "" && status != "PASS") tail = diag
      diag = ""
      line[++n] = rest "\t" status "\t" tail
    }
    END { for (k = 1; k <= n; k++) print line[k] }
  '
}

"$vxemu" conformance --format ktap >"$tmp/model.out" 2>"$tmp/model.err"
model_status=$?
# Four processors, as the model runs the suite (vxemu conformance --cpus).
VXEMU_QEMU_SMP=4 sh "$run_qemu" "$image" "format=ktap" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
qemu_status=$?

ktap_results <"$tmp/model.out" >"$tmp/model.res"
ktap_results <"$tmp/qemu.out" >"$tmp/qemu.res"
# The expectations without comments and blank lines.
sed -e 's/\r$//' -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$expected" >"$tmp/expected"

awk -F '\t' -v model_status="$model_status" -v qemu_status="$qemu_status" \
    -v qemu_res="$tmp/qemu.res" -v expected="$tmp/expected" '
  function add(name) { if (!(name in known)) { known[name] = 1; order[++count] = name } }
  function bad(name, why) { verdict[name] = "DIFF: " why; diffs++ }
  FILENAME == qemu_res { q[$1] = $2; qwhy[$1] = $3; add($1); next }
  FILENAME == expected {
    split($0, w, /[ \t]+/)
    if (w[2] != "SKIP" && w[2] != "FAIL") {
      print "qemu-expected.txt: \"" $0 "\": the status must be SKIP or FAIL"
      errors++
      next
    }
    e[w[1]] = w[2]
    next
  }
  { m[$1] = $2; mwhy[$1] = $3; add($1) }
  END {
    for (k = 1; k <= count; k++) {
      s = order[k]
      verdict[s] = "ok"
      if (!(s in m)) bad(s, "no result on the model")
      else if (m[s] != "PASS") bad(s, "the model says " m[s] (mwhy[s] != "" ? " (" mwhy[s] ")" : ""))
      else if (!(s in q)) bad(s, "no result on QEMU")
      else if (s in e) {
        if (q[s] != e[s])
          bad(s, "qemu-expected.txt says " e[s] " but QEMU says " q[s] \
              (q[s] == "PASS" ? ": remove the entry" : ""))
      } else if (q[s] == "SKIP") {
        if (qwhy[s] == "") bad(s, "SKIP without a reason")
      } else if (q[s] != "PASS")
        bad(s, "QEMU says " q[s] (qwhy[s] != "" ? " (" qwhy[s] ")" : "") \
            " and qemu-expected.txt does not list it")
      printf "%-48s model %-5s qemu %-5s expected %-5s %s\n", s, (s in m) ? m[s] : "-", \
             (s in q) ? q[s] : "-", (s in e) ? e[s] : "-", verdict[s]
    }
    for (s in e)
      if (!(s in known)) {
        print "qemu-expected.txt lists " s ", which is not a scenario"
        errors++
      }
    if (count == 0) { print "no scenario results at all"; errors++ }
    if (model_status != 0) { print "the model run exited with status " model_status; errors++ }
    if (qemu_status != 0 && qemu_status != 1) {
      print "the QEMU run exited with status " qemu_status " (2: the image broke, 124: timeout)"
      errors++
    }
    total = diffs + errors
    printf "qemu-vs-model: %d scenarios, %d differences\n", count, total
    exit total ? 1 : 0
  }
' "$tmp/qemu.res" "$tmp/expected" "$tmp/model.res"
result=$?

if [ $result -ne 0 ]; then
  # What each side printed is the rest of the story.
  for side in model qemu; do
    echo "--- $side: stdout"
    cat "$tmp/$side.out"
    if [ -s "$tmp/$side.err" ]; then
      echo "--- $side: stderr"
      cat "$tmp/$side.err"
    fi
  done
fi
exit $result
