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
 * Is the VM-exit instruction length defined for this exit (SDM vol. 3C
 * §28.2.5)? For exits an instruction caused, and for a software
 * exception (INT3, INTO, INT1) or an exit while delivering a software
 * event; not for hardware exceptions, NMIs, interrupts, INIT, SIPI, the
 * windows, the preemption timer, or an EPT fault outside such a delivery.
 */
static inline bool hv_vmx_exit_insn_len_defined(uint32_t basic, uint32_t intr_info,
						 uint32_t idt_vectoring)
{
	uint32_t type = (intr_info >> 8) & 7u, idt_type = (idt_vectoring >> 8) & 7u;
	bool soft_delivery = (idt_vectoring & (1u << 31)) && idt_type >= 4 && idt_type <= 6;

	switch (basic) {
	case 0:
		return type == 5 || type == 6 || soft_delivery;
	case 1: case 2: case 3: case 4: case 7: case 8: case 52:
		return false;
	case 48: case 49:
		return soft_delivery;
	default:
		return true;
	}
}

/*
 * Fields an exit does not define carry 0, whatever the VMCS still holds:
 * the guest-physical address outside EPT violations and misconfigurations
 * (basic reasons 48, 49; §28.2.1), the instruction length as above.
 */
static inline struct hv_event hv_event_vmx_exit(const struct hv_vmx_exit_words *w)
{
	uint32_t basic = w->reason & 0xffffu;
	uint64_t gpa = basic == 48 || basic == 49 ? w->gpa : 0;
	uint32_t len = hv_vmx_exit_insn_len_defined(basic, w->intr_info, w->idt_vectoring)
			       ? w->insn_len
			       : 0;

	return (struct hv_event){
		.type = HV_EV_VMX_EXIT, .source = HV_SRC_SEAM,
		.v = { w->reason, w->rip, w->qualification, gpa, w->intr_info, w->intr_error,
		       w->idt_vectoring, len },
	};
}

#endif
