#!/bin/sh
# SPDX-License-Identifier: MIT
# smoke.sh FUZZER CORPUS REGRESS WORK RUNS — the ctest of one fuzz target:
# every reproducer in REGRESS once, then RUNS inputs fuzzed from a fixed
# seed, starting from a fresh copy of the seed corpus CORPUS in WORK (the
# tree's corpus is never written; new inputs and crash artifacts land in
# WORK). The same seed and corpus give the same inputs on every run.
set -eu
fuzzer=$1 corpus=$2 regress=$3 work=$4 runs=$5
if [ -d "$regress" ]; then
  set --
  for f in "$regress"/*; do
    if [ -f "$f" ]; then set -- "$@" "$f"; fi
  done
  if [ $# -gt 0 ]; then
    echo "regression inputs: $#"
    "$fuzzer" "$@"
  fi
fi
if ! ls "$corpus"/* >/dev/null 2>&1; then
  echo "smoke.sh: no seed corpus in $corpus" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
exec "$fuzzer" -seed=1 -runs="$runs" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus"
