/* SPDX-License-Identifier: MIT */
/* Which backend runs the hv core here (see backend.h). */
#include "backend.h"

#include "../svm/svm_util.h"
#include "../vmx/vmx_util.h"
#include "hv/vmx.h"

static const char *vmx_backend_unsupported(void)
{
	const char *why = conf_vmx_unsupported();
	struct hv_vmx_caps c;

	if (why)
		return why;
	hv_vmx_caps(&c);
	if (!c.ept)
		return "the VMX backend needs EPT: IA32_VMX_PROCBASED_CTLS2[33] = 0, or no 4-level "
		       "walk, WB or 2-MByte pages in IA32_VMX_EPT_VPID_CAP";
	if (!c.unrestricted)
		return "the VMX backend needs unrestricted guest: IA32_VMX_PROCBASED_CTLS2[39] = 0";
	if (!c.vnmi)
		return "the VMX backend needs virtual NMIs: IA32_VMX_PINBASED_CTLS[37] = 0";
	return "the VMX backend needs HLT, I/O-bitmap, MSR-bitmap, external-interrupt and NMI "
	       "exiting and a 64-bit host";
}

/*
 * SVM is the probe's first choice, so its own check says it all; asking
 * no more of the processor than the SVM scenarios always did keeps their
 * traces as they were, cycle for cycle.
 */
const char *conf_backend_unsupported(const struct hv_vcpu_ops *ops, const char *(*also)(void))
{
	const char *why = NULL;

	if (ops == &svm_vcpu_ops)
		why = conf_svm_unsupported();
	else if (hv_backend_probe(NULL) != ops)
		why = vmx_backend_unsupported();
	if (why)
		return why;
	return also ? also() : NULL;
}

const char *conf_slat_unsupported(void)
{
	const char *why = conf_npt_unsupported();

	return why && hv_backend_probe(NULL) != &vmx_vcpu_ops ? why : NULL;
}

const char *conf_guest_timer_unsupported(void)
{
	struct hv_backend_caps caps;
	const struct hv_vcpu_ops *ops = hv_backend_probe(&caps);

	if (caps.guest_timer)
		return NULL;
	if (ops == &vmx_vcpu_ops)
		return "the VMX backend runs the TSC-deadline timer on the preemption timer: "
		       "IA32_VMX_PINBASED_CTLS[38] = 0";
	return "the hv core's TSC-deadline timer needs a guest timer, which the SVM backend "
	       "does not have";
}

const char *conf_wait_states_unsupported(void)
{
	struct hv_backend_caps caps;
	const struct hv_vcpu_ops *ops = hv_backend_probe(&caps);

	if (caps.wait_states)
		return NULL;
	if (ops == &vmx_vcpu_ops)
		return "a guest that owns the APIC waits in the HLT and wait-for-SIPI activity "
		       "states: IA32_VMX_MISC[6] or [8] = 0";
	return "a guest that owns the APIC needs guest wait states, which the SVM backend "
	       "does not have";
}
