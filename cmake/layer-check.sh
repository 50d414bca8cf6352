#!/bin/sh
# SPDX-License-Identifier: MIT
# layer-check.sh OBJECT...
# The model platform's layers (DESIGN.md "Two vendors"), proved on the
# objects of the model library: the engine (emu/src) references no model;
# a model (svm-model/, vmx-model/, apic-model/) references the engine and
# itself, never another model; only the composition root (emu/src/compose.c
# and the seam's instructions, emu/src/arch_model.c) names the models, and
# the engine reaches the root only through emu_compose.
set -eu
export LC_ALL=C
nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

layer_of() {
  case $1 in
    */emu/src/compose.c.o|*/emu/src/arch_model.c.o) echo root ;;
    */emu/src/*) echo engine ;;
    */svm-model/*) echo svm-model ;;
    */vmx-model/*) echo vmx-model ;;
    */apic-model/*) echo apic-model ;;
    *) echo unknown ;;
  esac
}

: >"$tmp/owner"
: >"$tmp/refs"
for o in "$@"; do
  l=$(layer_of "$o")
  if [ "$l" = unknown ]; then
    echo "layer check: $o belongs to no layer; add its folder to cmake/layer-check.sh" >&2
    exit 1
  fi
  "$nm" -g --defined-only "$o" | awk -v l="$l" 'NF==3 {print $3, l}' >>"$tmp/owner"
  "$nm" -g --undefined-only "$o" | awk -v l="$l" -v o="${o##*/}" 'NF {print $NF, l, o}' >>"$tmp/refs"
done
sort -u -k1,1 "$tmp/owner" >"$tmp/owner.s"
sort -k1,1 "$tmp/refs" >"$tmp/refs.s"
# symbol, referencing layer, object, owning layer
join "$tmp/refs.s" "$tmp/owner.s" | awk '
  $2 == $4 || $2 == "root" || $4 == "engine" { next }
  $2 == "engine" && $1 == "emu_compose" { next }
  { printf "  %s (%s) references %s of %s\n", $3, $2, $1, $4 }' >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
  echo "layer check: a layer reaches into another:" >&2
  cat "$tmp/bad" >&2
  exit 1
fi
echo "layer check: ok ($# objects; the engine names no model, no model names another)"
