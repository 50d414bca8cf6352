#!/bin/sh
# SPDX-License-Identifier: MIT
# The engine-free parts of vmx-model/ (caps.c, vmcs.c, checks*.c and their
# headers) include only the neutral headers of include/ and their own: no
# engine internals, no other model (DESIGN.md "Two vendors"). The parts that
# work on a machine's memory (ept.c) use the engine's internals as
# svm-model/npt.c does, and are not held to this.
# Usage: layering.sh VMX_MODEL_DIR
dir=$1
[ -d "$dir" ] || { echo "layering.sh: no directory $dir" >&2; exit 2; }
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
      "$dir"/caps.[ch] "$dir"/vmcs.[ch] "$dir"/checks*.[ch] |
      grep -v '#[[:space:]]*include[[:space:]]*"\(x86\|vmx-model\)/')
if [ -n "$bad" ]; then
	echo "vmx-model/ includes what it must not:"
	echo "$bad"
	exit 1
fi
