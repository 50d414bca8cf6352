/* SPDX-License-Identifier: MIT */
/*
 * #VMEXIT handling for the run loop: what the core handles itself (IRET for
 * NMI tracking, the NMI-window #DB, physical NMI/INTR, CPUID) and what it
 * hands back to the caller as a struct hv_exit (APM vol. 2 §15.6-§15.14).
 */
#include "hv/arch.h"
#include "hv/event.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"

static int exit_internal(struct hv_exit *exit, uint32_t suberror)
{
	exit->reason = HV_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = suberror;
	exit->internal.fault = ARCH_OK;
	return 0;
}

/* IRET intercept: the NMI handler is returning (facts §(f), KVM iret_interception). */
static int handle_iret(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct hv_svm_vcpu *svm = &vcpu->svm;

	if (svm->vnmi || !svm->nmi_masked || svm->awaiting_iret_completion)
		return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
	vcpu->stats.iret_exits++;
	svm->awaiting_iret_completion = true;
	svm->nmi_iret_rip = vcpu->vmcb->save.rip;
	/* Not skipped: the intercept fires before the IRET executes. */
	svm_clr_iret_intercept(vcpu);
	return 1;
}

static int handle_vmmcall(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	struct hv_guest_frame frame;
	uint64_t rip = s->rip;
	uint8_t vector;

	svm_skip_instruction(vcpu, 3);
	if (vcpu->guest && hv_guest_stub_hit(vcpu->guest, rip, s->rax, s->rsp, &vector, &frame)) {
		exit->reason = HV_EXIT_EXCEPTION;
		exit->exception.source = HV_EXC_GUEST_STUB;
		exit->exception.vector = vector;
		exit->exception.error_code = (uint32_t)frame.error_code;
		exit->exception.rip = frame.rip;
		return 0;
	}
	exit->reason = HV_EXIT_HYPERCALL;
	exit->hypercall.nr = s->rax;
	exit->hypercall.args[0] = vcpu->gprs.rbx;
	exit->hypercall.args[1] = vcpu->gprs.rcx;
	exit->hypercall.args[2] = vcpu->gprs.rdx;
	exit->hypercall.args[3] = vcpu->gprs.rsi;
	return 0;
}

/* EXITINFO1 layout: APM §15.10.2, figure 15-2. */
static int handle_ioio(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmcb *vmcb = vcpu->vmcb;
	uint64_t info = vmcb->control.exit_info_1;
	uint8_t size = (info & SVM_IOIO_SZ8) ? 1 : (info & SVM_IOIO_SZ16) ? 2 : 4;

	exit->reason = HV_EXIT_IO;
	exit->io.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT);
	exit->io.size = size;
	exit->io.in = (info & SVM_IOIO_TYPE_IN) != 0;
	exit->io.string = (info & SVM_IOIO_STR) != 0;
	exit->io.rep = (info & SVM_IOIO_REP) != 0;
	exit->io.data = exit->io.in ? 0
				    : (uint32_t)(vmcb->save.rax &
						 (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1));
	/* EXITINFO2 is the RIP of the next instruction, with or without NRIPS. */
	vmcb->save.rip = vmcb->control.exit_info_2;
	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	return 0;
}

static int handle_cpuid(struct hv_vcpu *vcpu)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	struct arch_cpuid r;

	arch_cpuid((uint32_t)s->rax, (uint32_t)vcpu->gprs.rcx, &r);
	s->rax = r.eax;
	vcpu->gprs.rbx = r.ebx;
	vcpu->gprs.rcx = r.ecx;
	vcpu->gprs.rdx = r.edx;
	svm_skip_instruction(vcpu, 2);
	return 1;
}

static int handle_exception(struct hv_vcpu *vcpu, struct hv_exit *exit, unsigned vector)
{
	exit->reason = HV_EXIT_EXCEPTION;
	exit->exception.source = HV_EXC_INTERCEPT;
	exit->exception.vector = (uint8_t)vector;
	/* EXITINFO1 holds the error code for the vectors that have one (§15.12). */
	exit->exception.error_code = (uint32_t)vcpu->vmcb->control.exit_info_1;
	exit->exception.rip = vcpu->vmcb->save.rip;
	return 0;
}

int svm_handle_exit(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmcb_control_area *c = &vcpu->vmcb->control;
	uint64_t code = c->exit_code;
	bool singlestep;

	vcpu->stats.exits++;
	exit->exit_code = code;
	exit->exit_info_1 = c->exit_info_1;
	exit->exit_info_2 = c->exit_info_2;
	exit->exit_int_info = c->exit_int_info;
	exit->exit_int_info_err = c->exit_int_info_err;

	/* VMEXIT_INVALID; only its low 32 bits are trusted, as KVM does. */
	if ((uint32_t)code == (uint32_t)SVM_EXIT_ERR) {
		exit->reason = HV_EXIT_FAIL_ENTRY;
		exit->fail_entry.hardware_entry_failure_reason = code;
		return 0;
	}
	singlestep = svm_nmi_singlestep_done(vcpu);
	svm_complete_interrupts(vcpu);

	switch (code) {
	case SVM_EXIT_IRET:
		return handle_iret(vcpu, exit);
	case SVM_EXIT_NMI:
	case SVM_EXIT_INTR:
		/* Physical events: the host takes them once GIF is set again. */
		return 1;
	case SVM_EXIT_EXCP_BASE + X86_VEC_DB:
		if (singlestep)
			return 1;
		return handle_exception(vcpu, exit, X86_VEC_DB);
	case SVM_EXIT_VMMCALL:
		return handle_vmmcall(vcpu, exit);
	case SVM_EXIT_HLT:
		svm_skip_instruction(vcpu, 1);
		hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_HALTED);
		exit->reason = HV_EXIT_HLT;
		return 0;
	case SVM_EXIT_IOIO:
		return handle_ioio(vcpu, exit);
	case SVM_EXIT_CPUID:
		return handle_cpuid(vcpu);
	case SVM_EXIT_SHUTDOWN:
		exit->reason = HV_EXIT_SHUTDOWN;
		return 0;
	}
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32)
		return handle_exception(vcpu, exit, (unsigned)(code - SVM_EXIT_EXCP_BASE));
	return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
}
