/* SPDX-License-Identifier: MIT */
/*
 * The world-switch events of VMX, one definition for both platforms: the
 * model's processor reports them from vmx-model/, the hardware image from
 * its arch_vmlaunch and arch_vmresume with VMREAD, so a trace from a
 * machine and one from the model carry the same words (vx/event.h), as
 * vx/vmcb_event.h does for SVM.
 *
 * Who may include it: vmx-model/, hw/.
 */
#ifndef VX_VMCS_EVENT_H
#define VX_VMCS_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "vx/event.h"

/* What VMLAUNCH or VMRESUME enters with (HV_EV_VMENTRY). */
struct hv_vmentry_words {
	uint64_t rip, vmcs_pa;
	uint32_t pin, proc, proc2;
	uint32_t intr_info, intr_error;
	bool resume;
};

/*
 * What a VM exit reports (HV_EV_VMX_EXIT). After a VM-entry failure
 * (reason bit 31) only the reason, RIP and qualification mean anything
 * (SDM vol. 3C §27.8): the rest is 0.
 */
struct hv_vmx_exit_words {
	uint32_t reason;
	uint64_t rip, qualification, gpa;
	uint32_t intr_info, intr_error, idt_vectoring, insn_len;
};

static inline struct hv_event hv_event_vmentry(const struct hv_vmentry_words *w)
{
	return (struct hv_event){
		.type = HV_EV_VMENTRY, .source = HV_SRC_SEAM,
		.v = { w->rip, w->vmcs_pa, w->pin, w->proc, w->proc2, w->intr_info, w->intr_error,
		       w->resume },
	};
}

/*
 * The guest-physical address field is written only by EPT violations and
 * misconfigurations (basic reasons 48, 49; SDM vol. 3C §28.2.1): for any
 * other exit the event carries 0, whatever the field still holds.
 */
static inline struct hv_event hv_event_vmx_exit(const struct hv_vmx_exit_words *w)
{
	uint32_t basic = w->reason & 0xffffu;
	uint64_t gpa = basic == 48 || basic == 49 ? w->gpa : 0;

	return (struct hv_event){
		.type = HV_EV_VMX_EXIT, .source = HV_SRC_SEAM,
		.v = { w->reason, w->rip, w->qualification, gpa, w->intr_info, w->intr_error,
		       w->idt_vectoring, w->insn_len },
	};
}

#endif
