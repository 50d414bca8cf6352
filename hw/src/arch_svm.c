/* SPDX-License-Identifier: MIT */
/*
 * arch_vmrun: VMRUN (svm.S), with the world switch put on the event stream
 * when tracing. On the model the processor model reports VMRUN and #VMEXIT;
 * here the platform reads the same facts from the VMCB, so a trace from
 * hardware lines up with one from the model (include/vx/event.h).
 */
#include "vx/arch.h"
#include "vx/vmcb_event.h"
#include "hw.h"
#include "x86/vmcb.h"

arch_fault_t hw_svm_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs);

arch_fault_t arch_vmrun(uint64_t vmcb_pa, struct arch_gprs *gprs)
{
	const struct vmcb *vmcb;
	struct hv_event ev;
	arch_fault_t f;

	if (!hw_trace)
		return hw_svm_vmrun(vmcb_pa, gprs);
	vmcb = arch_phys_to_virt(vmcb_pa);
	ev = hv_event_vmrun(vmcb_pa, vmcb);
	arch_event(&ev);
	ev = hv_event_intercepts(vmcb);
	arch_event(&ev);
	f = hw_svm_vmrun(vmcb_pa, gprs);
	/* A faulting VMRUN did not switch worlds: there is no #VMEXIT to report. */
	if (f == ARCH_OK) {
		ev = hv_event_vmexit(vmcb);
		arch_event(&ev);
	}
	return f;
}
