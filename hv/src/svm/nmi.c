/* SPDX-License-Identifier: MIT */
/*
 * NMI virtualisation for SVM, in the two ways a hypervisor can do it:
 *
 * - vNMI (APM vol. 2 §15.21.10): V_NMI_ENABLE with the NMI intercept; an NMI
 *   is injected by setting V_NMI; the processor sets V_NMI_MASK when it takes
 *   the NMI and clears it when the guest's IRET completes, or when a #VMEXIT
 *   interrupts the delivery.
 * - without vNMI: EVENTINJ of type NMI (§15.20), which does not block later
 *   NMIs, so the core keeps the blocking state in software and intercepts
 *   IRET to learn when the handler is done. The IRET intercept fires before
 *   the IRET executes, so blocking ends only at the first #VMEXIT whose RIP
 *   differs from the IRET's (facts §(f)).
 */
#include "vx/event.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"

void svm_set_iret_intercept(struct hv_vcpu *vcpu)
{
	hv_vmcb_intercept(svm_vmcb(vcpu), VMCB_INTERCEPT_MISC1, INTERCEPT_IRET, true);
}

void svm_clr_iret_intercept(struct hv_vcpu *vcpu)
{
	hv_vmcb_intercept(svm_vmcb(vcpu), VMCB_INTERCEPT_MISC1, INTERCEPT_IRET, false);
}

void svm_inject_nmi(struct hv_vcpu *vcpu)
{
	/* TYPE = NMI; the vector field is ignored and IDT entry 2 is used. */
	svm_write_eventinj(vcpu, SVM_EVTINJ_TYPE_NMI, 0);
	vcpu->stats.nmi_injections++;
	/* With vNMI, VMRUN sets V_NMI_MASK for an injected NMI itself. */
	if (to_svm(vcpu)->vnmi)
		return;
	to_svm(vcpu)->nmi_masked = true;
	svm_set_iret_intercept(vcpu);
}

bool svm_get_nmi_mask(struct hv_vcpu *vcpu)
{
	if (to_svm(vcpu)->vnmi)
		return (svm_vmcb(vcpu)->control.int_ctl & V_NMI_MASK) != 0;
	return to_svm(vcpu)->nmi_masked;
}

void svm_set_nmi_mask(struct hv_vcpu *vcpu, bool masked)
{
	if (to_svm(vcpu)->vnmi) {
		if (masked)
			svm_vmcb(vcpu)->control.int_ctl |= V_NMI_MASK;
		else
			svm_vmcb(vcpu)->control.int_ctl &= ~V_NMI_MASK;
		return;
	}
	to_svm(vcpu)->nmi_masked = masked;
	if (masked)
		svm_set_iret_intercept(vcpu);
	else
		svm_clr_iret_intercept(vcpu);
}

/* GIF as the guest sees it: V_GIF when virtual GIF is on, else set (VMRUN set it). */
static bool svm_gif_set(const struct hv_vcpu *vcpu)
{
	uint32_t int_ctl = svm_vmcb(vcpu)->control.int_ctl;

	if (int_ctl & V_GIF_ENABLE_MASK)
		return (int_ctl & V_GIF_MASK) != 0;
	return true;
}

bool svm_nmi_blocked(struct hv_vcpu *vcpu)
{
	if (!svm_gif_set(vcpu))
		return true;
	if (svm_get_nmi_mask(vcpu))
		return true;
	return (svm_vmcb(vcpu)->control.int_state & SVM_INTERRUPT_SHADOW_MASK) != 0;
}

bool svm_nmi_allowed(struct hv_vcpu *vcpu)
{
	return !svm_nmi_blocked(vcpu);
}

bool svm_is_vnmi_pending(struct hv_vcpu *vcpu)
{
	return to_svm(vcpu)->vnmi && (svm_vmcb(vcpu)->control.int_ctl & V_NMI) != 0;
}

bool svm_set_vnmi_pending(struct hv_vcpu *vcpu)
{
	struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;

	if (!to_svm(vcpu)->vnmi || (c->int_ctl & V_NMI))
		return false;
	c->int_ctl |= V_NMI;
	vcpu->stats.nmi_injections++;
	svm_event_inject(HV_EV_INJECT_VNMI, 0, 0);
	return true;
}

/*
 * An NMI is waiting and cannot be injected. When blocking ends at an IRET
 * that is still to come, its intercept will exit. Otherwise (the IRET was
 * seen but has not retired, or an interrupt shadow blocks) single-step one
 * instruction with RFLAGS.TF and the #DB intercept, as KVM does.
 */
void svm_enable_nmi_window(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm_vmcb(vcpu);

	/* vNMI: the processor delivers V_NMI as soon as the guest unblocks. */
	if (svm->vnmi)
		return;
	/* GIF = 0 in the guest (V_GIF): nothing to step past here. */
	if (!svm_gif_set(vcpu))
		return;
	if (svm->nmi_masked && !svm->awaiting_iret_completion)
		return;
	if (svm->nmi_singlestep)
		return;
	svm->nmi_singlestep = true;
	svm->nmi_singlestep_guest_rflags = vmcb->save.rflags;
	svm->nmi_singlestep_guest_dr6 = vmcb->save.dr6;
	vmcb->save.rflags |= X86_RFLAGS_TF | X86_RFLAGS_RF;
	if (!hv_vmcb_intercepted(vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_DB)) {
		hv_vmcb_intercept(vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_DB, true);
		svm->own_db_intercept = true;
	}
	vcpu->stats.nmi_window_singlesteps++;
}

/* Undo the single-step at the next #VMEXIT, whatever it is. */
bool svm_nmi_singlestep_done(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm_vmcb(vcpu);

	if (!svm->nmi_singlestep)
		return false;
	svm->nmi_singlestep = false;
	if (!(svm->nmi_singlestep_guest_rflags & X86_RFLAGS_TF))
		vmcb->save.rflags &= ~X86_RFLAGS_TF;
	if (!(svm->nmi_singlestep_guest_rflags & X86_RFLAGS_RF))
		vmcb->save.rflags &= ~X86_RFLAGS_RF;
	/* Our trap wrote DR6.BS before the intercept (APM §15.12.2); hide it. */
	if (vmcb->control.exit_code == SVM_EXIT_EXCP_BASE + X86_VEC_DB)
		vmcb->save.dr6 = svm->nmi_singlestep_guest_dr6;
	if (svm->own_db_intercept) {
		hv_vmcb_intercept(vmcb, VMCB_INTERCEPT_EXC, 1u << X86_VEC_DB, false);
		svm->own_db_intercept = false;
	}
	return true;
}

void svm_complete_interrupts(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm_vmcb(vcpu)->control;
	uint32_t info = c->exit_int_info;

	/* The intercepted IRET has retired once RIP has moved past it. */
	if (!svm->vnmi && svm->awaiting_iret_completion &&
	    svm_vmcb(vcpu)->save.rip != svm->nmi_iret_rip) {
		svm->nmi_masked = false;
		svm->awaiting_iret_completion = false;
	}
	vcpu->nmi.injected = false;
	vcpu->reinject.valid = false;
	/* What EVENTINJ held was delivered, or is reported in EXITINTINFO. */
	c->event_inj = 0;
	c->event_inj_err = 0;
	if (!(info & SVM_EXITINTINFO_VALID))
		return;
	/* The delivery was interrupted: deliver it again on the next entry. */
	if ((info & SVM_EXITINTINFO_TYPE_MASK) == SVM_EXITINTINFO_TYPE_NMI) {
		vcpu->nmi.injected = true;
		return;
	}
	vcpu->reinject.valid = true;
	vcpu->reinject.event = svm_exitintinfo_event(info, c->exit_int_info_err);
}
