#!/bin/sh
# SPDX-License-Identifier: MIT
# vmx-model/ includes only the neutral headers of include/ and its own: no
# engine internals, no other model (DESIGN.md "Two vendors").
# Usage: layering.sh VMX_MODEL_DIR
dir=$1
[ -d "$dir" ] || { echo "layering.sh: no directory $dir" >&2; exit 2; }
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$dir"/*.c "$dir"/*.h |
      grep -v '#[[:space:]]*include[[:space:]]*"\(x86\|vmx-model\)/')
if [ -n "$bad" ]; then
	echo "vmx-model/ includes what it must not:"
	echo "$bad"
	exit 1
fi
