#!/bin/sh
# SPDX-License-Identifier: MIT
# peer-vs-model.sh PEER EXPECTED MODEL_OUT MODEL_STATUS PEER_OUT PEER_STATUS
#
# Compares, scenario by scenario, one run of the suite on the model
# (MODEL_OUT: `vxemu conformance --format ktap`, which exited MODEL_STATUS)
# with one run of the hardware image on a peer platform (PEER_OUT: its
# serial port, KTAP; PEER_STATUS: its launcher's status, as hw/run-qemu.sh
# gives it):
#   - on the model, every scenario must PASS, or SKIP as it does on the peer
#     (the model machine is of the peer processor's vendor, so a feature
#     that vendor lacks is absent on both);
#   - on the peer, a scenario listed in EXPECTED must have exactly the status
#     listed there; any other must PASS, or SKIP with a reason.
# EXPECTED holds "<scenario> <SKIP|FAIL> <why>" lines; # starts a comment.
# Prints one line per scenario and the differences, then both raw reports
# when there are any; exits 0 when there are none, 1 otherwise. PEER only
# names the peer in what is printed. The callers: hw/qemu-vs-model.sh,
# hw/bochs-vs-model.sh.
set -u
if [ $# -ne 6 ]; then
  echo "usage: peer-vs-model.sh PEER EXPECTED MODEL_OUT MODEL_STATUS PEER_OUT PEER_STATUS" >&2
  exit 1
fi
peer=$1 expected=$2 model_out=$3 model_status=$4 peer_out=$5 peer_status=$6
for f in "$expected" "$model_out" "$peer_out"; do
  if [ ! -r "$f" ]; then
    echo "$peer-vs-model: cannot read $f" >&2
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

ktap_results <"$model_out" >"$tmp/model.res"
ktap_results <"$peer_out" >"$tmp/peer.res"
# The expectations without comments and blank lines.
sed -e 's/\r$//' -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$expected" >"$tmp/expected"

awk -F '\t' -v model_status="$model_status" -v peer_status="$peer_status" \
    -v peer="$peer" -v exp_name="$(basename "$expected")" \
    -v peer_res="$tmp/peer.res" -v expected="$tmp/expected" '
  function add(name) { if (!(name in known)) { known[name] = 1; order[++count] = name } }
  function bad(name, why) { verdict[name] = "DIFF: " why; diffs++ }
  FILENAME == peer_res { q[$1] = $2; qwhy[$1] = $3; add($1); next }
  FILENAME == expected {
    split($0, w, /[ \t]+/)
    if (w[2] != "SKIP" && w[2] != "FAIL") {
      print exp_name ": \"" $0 "\": the status must be SKIP or FAIL"
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
      else if (m[s] == "SKIP") {
        # The model machine is of the vendor of the peer processor: a
        # feature that vendor lacks is absent on both.
        if (!(s in q)) bad(s, "no result on " peer)
        else if (q[s] != "SKIP")
          bad(s, "the model says SKIP (" mwhy[s] ") but " peer " says " q[s])
      }
      else if (m[s] != "PASS") bad(s, "the model says " m[s] (mwhy[s] != "" ? " (" mwhy[s] ")" : ""))
      else if (!(s in q)) bad(s, "no result on " peer)
      else if (s in e) {
        if (q[s] != e[s])
          bad(s, exp_name " says " e[s] " but " peer " says " q[s] \
              (q[s] == "PASS" ? ": remove the entry" : ""))
      } else if (q[s] == "SKIP") {
        if (qwhy[s] == "") bad(s, "SKIP without a reason")
      } else if (q[s] != "PASS")
        bad(s, peer " says " q[s] (qwhy[s] != "" ? " (" qwhy[s] ")" : "") \
            " and " exp_name " does not list it")
      printf "%-48s model %-5s %s %-5s expected %-5s %s\n", s, (s in m) ? m[s] : "-", \
             peer, (s in q) ? q[s] : "-", (s in e) ? e[s] : "-", verdict[s]
    }
    for (s in e)
      if (!(s in known)) {
        print exp_name " lists " s ", which is not a scenario"
        errors++
      }
    if (count == 0) { print "no scenario results at all"; errors++ }
    if (model_status != 0) { print "the model run exited with status " model_status; errors++ }
    if (peer_status != 0 && peer_status != 1) {
      print "the " peer " run exited with status " peer_status " (2: the image broke, 124: timeout)"
      errors++
    }
    total = diffs + errors
    printf "%s-vs-model: %d scenarios, %d differences\n", peer, count, total
    exit total ? 1 : 0
  }
' "$tmp/peer.res" "$tmp/expected" "$tmp/model.res"
result=$?

if [ $result -ne 0 ]; then
  # What each side printed is the rest of the story.
  echo "--- model: stdout"
  cat "$model_out"
  echo "--- $peer: stdout"
  cat "$peer_out"
fi
exit $result
