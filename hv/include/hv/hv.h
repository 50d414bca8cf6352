/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor core, in one include: the freestanding library (hv/lib.h),
 * the guest builder (hv/guest.h), the backend operations and the list of
 * backends (hv/ops.h, hv/backend.h), vCPUs with their run loop (hv/vcpu.h),
 * VMs of several vCPUs with a virtual local APIC each (hv/vm.h,
 * hv/vlapic.h) and, optionally, second-level translation over the RAM they
 * own (hv/ram.h); the SVM backend's own API: bring-up, VMCB helpers,
 * nested tables (hv/svm.h, hv/svm_npt.h); and the VMX backend's: bring-up
 * and VMCS access (hv/vmx.h). Compiled unmodified for the
 * model platform and for the hardware image; reaches the processor only
 * through vx/arch.h.
 *
 * Who may include it: hv/, conformance/, cli/, hw/, tests/.
 */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdint.h>

#include "vx/arch.h"
#include "vx/event.h"
#include "hv/backend.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/ops.h"
#include "hv/ram.h"
#include "hv/svm.h"
#include "hv/svm_npt.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "hv/vmx.h"

/*
 * World-switch benchmark of the SVM backend (hv/src/svm/bench.c): enables
 * SVM, builds a guest whose whole program is "VMMCALL; JMP back", and
 * performs n VMRUN -> VMMCALL -> #VMEXIT round trips on the calling
 * processor. Returns the number completed (n unless SVM is missing or an
 * entry fails).
 */
uint64_t hv_bench_roundtrips(uint64_t n);

#endif
