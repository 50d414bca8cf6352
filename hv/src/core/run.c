/* SPDX-License-Identifier: MIT */
/*
 * The run loop and event injection, vendor-neutral: the backend is reached
 * only through vcpu->ops, its exits are handled by kind (exit.c). NMIs are
 * counted as KVM counts them: at most one NMI in service (blocking) and one
 * pending, whether the pending one waits in hardware (V_NMI) or in
 * software; more are dropped and counted (facts §(f), "at most one can be
 * pending while blocked").
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "exit.h"
#include "fastpath.h"
#include "mp.h"
#include "timer.h"
#include "x86/msr.h"

/* Move queued NMIs to pending, honouring the limit, and hand one to vNMI. */
static void process_nmi(struct hv_vcpu *vcpu)
{
	const struct hv_vcpu_ops *ops = vcpu->ops;
	uint32_t limit = 2, total;

	if (ops->get_nmi_mask(vcpu) || vcpu->nmi.injected)
		limit = 1;
	if (ops->is_vnmi_pending(vcpu))
		limit--;
	total = vcpu->nmi.pending + vcpu->nmi.queued;
	vcpu->nmi.queued = 0;
	if (total > limit) {
		vcpu->stats.nmis_dropped += total - limit;
		total = limit;
	}
	vcpu->nmi.pending = total;
	if (vcpu->nmi.pending && ops->set_vnmi_pending(vcpu))
		vcpu->nmi.pending--;
}

/* Decide what the next entry delivers (KVM's kvm_check_and_inject_events). */
static void inject_events(struct hv_vcpu *vcpu)
{
	const struct hv_vcpu_ops *ops = vcpu->ops;
	bool can_inject = true;

	/* First what a #VMEXIT interrupted: it was already taken by the guest. */
	if (vcpu->nmi.injected) {
		ops->inject_nmi(vcpu);
		can_inject = false;
	} else if (vcpu->reinject.valid) {
		ops->inject_event(vcpu, &vcpu->reinject.event);
		vcpu->reinject.valid = false;
		can_inject = false;
	}
	/* Then a fault the core raised on the last exit (#GP from the virtual APIC). */
	if (can_inject && vcpu->exception.valid) {
		ops->inject_event(vcpu, &vcpu->exception.event);
		vcpu->exception.valid = false;
		can_inject = false;
	}
	/*
	 * Fixed interrupts of the virtual APIC, the timer's among them, wait in
	 * the backend's virtual-interrupt request (SVM: V_IRQ), beside the
	 * injected event.
	 */
	if (vcpu->vm) {
		hv_timer_prepare_entry(vcpu);
		ops->set_irq_request(vcpu, hv_vlapic_prepare_entry(&vcpu->apic));
	}
	process_nmi(vcpu);
	if (!vcpu->nmi.pending)
		return;
	if (can_inject && ops->nmi_allowed(vcpu)) {
		vcpu->nmi.pending--;
		vcpu->nmi.injected = true;
		ops->inject_nmi(vcpu);
	}
	if (vcpu->nmi.pending)
		ops->enable_nmi_window(vcpu);
}

bool hv_fastpath_ready(struct hv_vcpu *vcpu)
{
	return vcpu->vm && !vcpu->vm->config.no_exit_fastpath && !hv_vm_stopped(vcpu->vm) &&
	       __atomic_load_n(&vcpu->mailbox.posts, __ATOMIC_ACQUIRE) == vcpu->posts_seen &&
	       !vcpu->nmi.queued && !vcpu->nmi.pending && !vcpu->reinject.valid &&
	       !vcpu->exception.valid;
}

void hv_fastpath_complete(struct hv_vcpu *vcpu, uint32_t kind, bool irq_still_requested,
			  unsigned insn_len)
{
	const struct hv_vcpu_ops *ops = vcpu->ops;

	vcpu->stats.exits++;
	vcpu->stats.fastpath_exits++;
	hv_vlapic_sync_after_exit(&vcpu->apic, irq_still_requested);
	/* The timer's exit needs nothing more: the entry fires what is due. */
	if (kind == HV_EXIT_KIND_MSR) {
		uint64_t value = (ops->get_gpr(vcpu, HV_GPR_RAX) & 0xffffffffull) |
				 (ops->get_gpr(vcpu, HV_GPR_RDX) << 32);

		(void)hv_vlapic_wrmsr(&vcpu->apic, MSR_IA32_TSC_DEADLINE, value);
		ops->skip_instruction(vcpu, insn_len);
	}
	inject_events(vcpu);
	vcpu->stats.entries++;
}

arch_fault_t hv_vcpu_enter(struct hv_vcpu *vcpu)
{
	vcpu->stats.entries++;
	return vcpu->ops->vcpu_enter(vcpu);
}

int hv_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	if (!vcpu->ops)
		return HV_EINVAL;
	hv_memset(exit, 0, sizeof(*exit));
	/*
	 * A standalone vCPU: the caller runs a halted vCPU when it has something
	 * for it. A vCPU of a VM waits here instead until it is RUNNABLE.
	 */
	if (!vcpu->vm && vcpu->mp_state == HV_MP_STATE_HALTED)
		hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_RUNNABLE);
	vcpu->internal_exits = 0;
	for (;;) {
		uint32_t seen = __atomic_load_n(&vcpu->mailbox.posts, __ATOMIC_ACQUIRE);
		arch_fault_t fault;
		int r;

		if (vcpu->vm && !hv_mp_wait_runnable(vcpu)) {
			exit->reason = HV_EXIT_INTR;
			return HV_OK;
		}
		/* Posted after the look above: take it before entering (mp.c). */
		if (vcpu->vm && !hv_mp_enter_begin(vcpu, seen))
			continue;
		vcpu->posts_seen = seen;
		inject_events(vcpu);
		fault = hv_vcpu_enter(vcpu);
		if (vcpu->vm)
			hv_mp_enter_end(vcpu);
		if (fault != ARCH_OK) {
			exit->reason = HV_EXIT_INTERNAL_ERROR;
			exit->internal.suberror = HV_INTERNAL_ENTRY_FAULT;
			exit->internal.fault = fault;
			return HV_OK;
		}
		if (vcpu->vm)
			hv_vlapic_sync_after_exit(&vcpu->apic, vcpu->ops->irq_request_pending(vcpu));
		r = hv_handle_exit(vcpu, exit);
		if (r == 0)
			return HV_OK;
		if (++vcpu->internal_exits >= HV_VCPU_MAX_INTERNAL_EXITS) {
			exit->reason = HV_EXIT_INTERNAL_ERROR;
			exit->internal.suberror = HV_INTERNAL_LOOP;
			return HV_OK;
		}
	}
}
