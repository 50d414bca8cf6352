#!/bin/sh
# SPDX-License-Identifier: MIT
# The engine-free parts of vmx-model/ — the capability MSRs, the VMCS and
# the VM-entry checks — include only the neutral headers of include/ and
# their own, so they can be tested and reasoned about without a processor.
# The rest of vmx-model/ drives the processor through emu/ like the SVM
# model; the build's layer check (cmake/layer-check.sh) keeps it from
# reaching any other model.
# Usage: layering.sh VMX_MODEL_DIR
dir=$1
[ -d "$dir" ] || { echo "layering.sh: no directory $dir" >&2; exit 2; }
files="$dir/caps.c $dir/caps.h $dir/vmcs.c $dir/vmcs.h $(ls "$dir"/checks*.c "$dir"/checks*.h)"
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files |
      grep -v '#[[:space:]]*include[[:space:]]*"\(x86\|vmx-model/\(caps\|vmcs\|checks\)\)')
if [ -n "$bad" ]; then
	echo "vmx-model/ includes what it must not:"
	echo "$bad"
	exit 1
fi
