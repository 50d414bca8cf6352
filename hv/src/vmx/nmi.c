/* SPDX-License-Identifier: MIT */
/*
 * NMIs for VMX guests, with "NMI exiting" and "virtual NMIs" (SDM vol. 3C
 * §25.6.1, §26.7.1): an NMI is injected through the entry's
 * interruption information; delivering it sets virtual-NMI blocking
 * (interruptibility state bit 3), which the guest's IRET clears (§26.3);
 * NMI-window exiting says when an NMI waiting for that can go in
 * (§26.7.6). The backend requires virtual NMIs (caps.c), so blocking is
 * the processor's and nothing is tracked in software. And what the last
 * exit interrupted: the IDT-vectoring information (§28.2.4).
 */
#include "vx/event.h"
#include "hv/lib.h"
#include "hv/vmx.h"
#include "vmx_backend.h"
#include "x86/cpu.h"

void vmx_inject_nmi(struct hv_vcpu *vcpu)
{
	vmx_write_injection(vcpu, INTR_INFO_VALID | (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) |
					  X86_VEC_NMI, 0, 0);
	vcpu->stats.nmi_injections++;
}

bool vmx_get_nmi_mask(struct hv_vcpu *vcpu)
{
	vmx_load(vcpu);
	return (vmx_r(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_NMI) != 0;
}

void vmx_set_nmi_mask(struct hv_vcpu *vcpu, bool masked)
{
	vmx_load(vcpu);
	vmx_ctl(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI, masked);
}

/* Blocking by NMI, and by STI or MOV SS, which VM entry refuses to inject past (§27.3.1.5). */
bool vmx_nmi_blocked(struct hv_vcpu *vcpu)
{
	vmx_load(vcpu);
	return (vmx_r(GUEST_INTERRUPTIBILITY_INFO) &
		(GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) != 0;
}

bool vmx_nmi_allowed(struct hv_vcpu *vcpu)
{
	return !vmx_nmi_blocked(vcpu);
}

void vmx_enable_nmi_window(struct hv_vcpu *vcpu)
{
	vmx_load(vcpu);
	vmx_ctl(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING, true);
}

/* VMX has no NMI the processor holds pending for the guest (SVM's V_NMI). */
bool vmx_is_vnmi_pending(struct hv_vcpu *vcpu)
{
	(void)vcpu;
	return false;
}

bool vmx_set_vnmi_pending(struct hv_vcpu *vcpu)
{
	(void)vcpu;
	return false;
}

/*
 * After every exit: the entry's injection is spent (VM exit clears its
 * valid bit, §28.2.1), and an
 * event whose delivery the exit cut short is delivered again — an NMI
 * through the core's NMI tracking, an external interrupt by the virtual
 * APIC, which still holds it (mp.c), anything else as it was.
 */
void vmx_complete_interrupts(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t info = v->idt_info, type;

	vcpu->nmi.injected = false;
	vcpu->reinject.valid = false;
	v->entry_intr_info = 0;
	v->irq_injected = -1;
	if (!(info & INTR_INFO_VALID))
		return;
	type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	if (type == INTR_TYPE_NMI) {
		vcpu->nmi.injected = true;
		return;
	}
	if (type == INTR_TYPE_EXTERNAL_INTERRUPT)
		return;
	vcpu->reinject.valid = true;
	vcpu->reinject.event = vmx_info_event(info, v->idt_error);
}
