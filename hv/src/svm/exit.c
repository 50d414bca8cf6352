/* SPDX-License-Identifier: MIT */
/*
 * #VMEXIT handling for the run loop: what the core handles itself (IRET for
 * NMI tracking, the NMI-window #DB, physical NMI/INTR, CPUID) and what it
 * hands back to the caller as a struct hv_exit (APM vol. 2 §15.6-§15.14).
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "hv/vlapic.h"
#include "svm_backend.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* CPUID Fn0000_0001: EDX[9] APIC, ECX[21] x2APIC, EBX[31:24] initial APIC ID. */
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_ECX_X2APIC (1u << 21)

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
	/*
	 * A vCPU of a VM has the virtual APIC (hv/vlapic.h), whatever the host
	 * has. EDX[9] follows IA32_APIC_BASE.EN (SDM vol. 3 §10.4.3); EBX[31:24]
	 * is the initial APIC ID, which later ID writes do not change.
	 */
	if (vcpu->vm && (uint32_t)s->rax == 1) {
		if (vcpu->apic.apic_base & MSR_APIC_BASE_EN)
			r.edx |= CPUID_1_EDX_APIC;
		else
			r.edx &= ~CPUID_1_EDX_APIC;
		r.ecx |= CPUID_1_ECX_X2APIC;
		r.ebx = (r.ebx & 0x00ffffffu) | (vcpu->id << 24);
	}
	s->rax = r.eax;
	vcpu->gprs.rbx = r.ebx;
	vcpu->gprs.rcx = r.ecx;
	vcpu->gprs.rdx = r.edx;
	svm_skip_instruction(vcpu, 2);
	return 1;
}

/* #GP(0) on the next entry, for an access the virtual APIC refuses. */
static void queue_gp(struct hv_vcpu *vcpu)
{
	vcpu->exception.valid = true;
	vcpu->exception.info = SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID_ERR | X86_VEC_GP;
	vcpu->exception.error_code = 0;
}

/* EFER bits a guest may write (APM vol. 2 §3.1.7); LMA is the processor's. */
#define EFER_GUEST_BITS (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE | X86_EFER_FFXSR | X86_EFER_TCE)

/*
 * EFER, intercepted for VM vCPUs as KVM intercepts it: the guest sees and
 * sets its own bits, while SVME stays set in the VMCB (VMRUN requires it,
 * APM §15.5.1) and is hidden from the guest, which has no SVM of its own.
 */
static bool efer_access(struct hv_vcpu *vcpu, bool write, uint64_t *value)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;

	if (!write) {
		*value = s->efer & ~X86_EFER_SVME;
		return true;
	}
	if (*value & ~(EFER_GUEST_BITS | X86_EFER_LMA))
		return false;
	/* LME may not change while paging is on (APM §14.6.1). */
	if ((s->cr0 & X86_CR0_PG) && ((*value ^ s->efer) & X86_EFER_LME))
		return false;
	s->efer = (*value & EFER_GUEST_BITS) | (s->efer & X86_EFER_LMA) | X86_EFER_SVME;
	return true;
}

/* RDMSR/WRMSR intercepts (APM §15.11): EXITINFO1 = 0 read, 1 write; MSR in ECX. */
static int handle_msr(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmcb_save_area *s = &vcpu->vmcb->save;
	uint32_t msr = (uint32_t)vcpu->gprs.rcx;
	bool write = (vcpu->vmcb->control.exit_info_1 & 1) != 0;
	uint64_t value = 0;
	bool ok;

	if (!vcpu->vm || (msr != MSR_EFER && !hv_vlapic_owns_msr(msr)))
		return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
	if (write) {
		value = (s->rax & 0xffffffffull) | (vcpu->gprs.rdx << 32);
		ok = msr == MSR_EFER ? efer_access(vcpu, true, &value)
				     : hv_vlapic_wrmsr(vcpu, msr, value);
	} else {
		ok = msr == MSR_EFER ? efer_access(vcpu, false, &value)
				     : hv_vlapic_rdmsr(vcpu, msr, &value);
		if (ok) {
			s->rax = value & 0xffffffffull;
			vcpu->gprs.rdx = value >> 32;
		}
	}
	if (!ok) {
		/* A fault: RIP stays at the instruction. */
		queue_gp(vcpu);
		return 1;
	}
	svm_skip_instruction(vcpu, 2);
	return 1;
}

/*
 * #NPF (APM §15.25.6): exit_info_1 holds the #PF error-code bits of the
 * access and says whether the guest's own page walk faulted, exit_info_2
 * the guest-physical address. Only the xAPIC page of a VM is the core's.
 */
static int handle_npf(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	const struct vmcb_control_area *c = &vcpu->vmcb->control;
	uint32_t access = 0;

	if (!hv_vlapic_mmio_page(vcpu, c->exit_info_2))
		return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
	if (c->exit_info_1 & SVM_NPF_RW)
		access |= HV_NPF_WRITE;
	if (c->exit_info_1 & SVM_NPF_ID)
		access |= HV_NPF_FETCH;
	if (c->exit_info_1 & SVM_NPF_TABLE)
		access |= HV_NPF_TABLE;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID)
		access |= HV_NPF_EVENT;
	return hv_vlapic_npf(vcpu, c->exit_info_2, access, exit);
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
		/* In a VM the core waits for the wake-up itself (hv/vm.h). */
		if (vcpu->vm)
			return 1;
		exit->reason = HV_EXIT_HLT;
		return 0;
	case SVM_EXIT_PAUSE:
		if (!vcpu->vm)
			break;
		/*
		 * The guest is waiting for another vCPU: let the other processors
		 * run, and do not count it towards the internal-exit loop guard.
		 */
		svm_skip_instruction(vcpu, 2);
		vcpu->internal_exits = 0;
		arch_cpu_pause();
		return 1;
	case SVM_EXIT_MSR:
		return handle_msr(vcpu, exit);
	case SVM_EXIT_IOIO:
		return handle_ioio(vcpu, exit);
	case SVM_EXIT_CPUID:
		return handle_cpuid(vcpu);
	case SVM_EXIT_SHUTDOWN:
		exit->reason = HV_EXIT_SHUTDOWN;
		return 0;
	case SVM_EXIT_NPF:
		return handle_npf(vcpu, exit);
	}
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32)
		return handle_exception(vcpu, exit, (unsigned)(code - SVM_EXIT_EXCP_BASE));
	return exit_internal(exit, HV_INTERNAL_UNEXPECTED_EXIT);
}
