/* SPDX-License-Identifier: MIT */
/*
 * #VMEXIT decoding for the core (APM vol. 2 §15.6-§15.14, appendix C): the
 * raw exit, its kind and what the core needs of it (struct hv_exit,
 * hv/vcpu.h), and the backend's own business, which never reaches the
 * core: EXITINTINFO, the IRET intercept of NMI tracking and the NMI-window
 * #DB. Also EFER, which a VM's vCPU sees without SVME.
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/*
 * IRET intercept: the NMI handler is returning (facts §(f), KVM
 * iret_interception). Not skipped: the intercept fires before the IRET
 * executes. Unexpected (an exit the core does not handle) unless software
 * NMI blocking is waiting for it.
 */
static bool decode_iret(struct hv_vcpu *vcpu)
{
	struct hv_svm_vcpu *svm = to_svm(vcpu);

	if (svm->vnmi || !svm->nmi_masked || svm->awaiting_iret_completion)
		return false;
	vcpu->stats.iret_exits++;
	svm->awaiting_iret_completion = true;
	svm->nmi_iret_rip = svm_vmcb(vcpu)->save.rip;
	svm_clr_iret_intercept(vcpu);
	return true;
}

/* EXITINFO1 layout: APM §15.10.2, figure 15-2; EXITINFO2 is the next RIP. */
static void decode_ioio(const struct vmcb *vmcb, struct hv_exit *exit)
{
	uint64_t info = vmcb->control.exit_info_1;

	exit->kind = HV_EXIT_KIND_IO;
	exit->info.insn_len = (uint32_t)(vmcb->control.exit_info_2 - vmcb->save.rip);
	exit->info.io.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT);
	exit->info.io.size = (info & SVM_IOIO_SZ8) ? 1 : (info & SVM_IOIO_SZ16) ? 2 : 4;
	exit->info.io.in = (info & SVM_IOIO_TYPE_IN) != 0;
	exit->info.io.string = (info & SVM_IOIO_STR) != 0;
	exit->info.io.rep = (info & SVM_IOIO_REP) != 0;
}

/*
 * #NPF (APM §15.25.6): exit_info_1 holds the #PF error-code bits of the
 * access and says whether the guest's own page walk faulted, exit_info_2
 * the guest-physical address.
 */
static void decode_npf(const struct vmcb_control_area *c, struct hv_exit *exit)
{
	uint32_t access = 0;

	if (c->exit_info_1 & SVM_NPF_RW)
		access |= HV_GPA_WRITE;
	if (c->exit_info_1 & SVM_NPF_ID)
		access |= HV_GPA_FETCH;
	if (c->exit_info_1 & SVM_NPF_TABLE)
		access |= HV_GPA_TABLE;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID)
		access |= HV_GPA_EVENT;
	exit->kind = HV_EXIT_KIND_GPA_FAULT;
	exit->info.gpa_fault.gpa = c->exit_info_2;
	exit->info.gpa_fault.access = access;
}

/* EXITINFO1 holds the error code for the vectors that have one (§15.12). */
static void decode_exception(const struct vmcb_control_area *c, struct hv_exit *exit,
			     unsigned vector)
{
	exit->kind = HV_EXIT_KIND_EXCEPTION;
	exit->info.exception.vector = (uint8_t)vector;
	exit->info.exception.error_code = (uint32_t)c->exit_info_1;
}

/* An intercepted instruction of a fixed length (the opcode's, without prefixes). */
static bool insn(struct hv_exit *exit, uint32_t kind, uint32_t len)
{
	exit->kind = kind;
	exit->info.insn_len = len;
	return false;
}

bool svm_decode_exit(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmcb *vmcb = svm_vmcb(vcpu);
	struct vmcb_control_area *c = &vmcb->control;
	uint64_t code = c->exit_code;
	bool singlestep;

	exit->raw.reason = code;
	exit->raw.info1 = c->exit_info_1;
	exit->raw.info2 = c->exit_info_2;
	exit->raw.int_info = c->exit_int_info;
	exit->raw.int_info_err = c->exit_int_info_err;

	/* VMEXIT_INVALID; only its low 32 bits are trusted, as KVM does. */
	if ((uint32_t)code == (uint32_t)SVM_EXIT_ERR) {
		exit->kind = HV_EXIT_KIND_ENTRY_FAILED;
		return false;
	}
	singlestep = svm_nmi_singlestep_done(vcpu);
	svm_complete_interrupts(vcpu);

	switch (code) {
	case SVM_EXIT_IRET:
		return decode_iret(vcpu);
	case SVM_EXIT_NMI:
		exit->kind = HV_EXIT_KIND_NMI;
		return false;
	case SVM_EXIT_INTR:
		exit->kind = HV_EXIT_KIND_INTR;
		return false;
	case SVM_EXIT_INIT:
		exit->kind = HV_EXIT_KIND_INIT;
		return false;
	case SVM_EXIT_EXCP_BASE + X86_VEC_DB:
		/* The backend's own single-step for the NMI window (nmi.c). */
		if (singlestep)
			return true;
		decode_exception(c, exit, X86_VEC_DB);
		return false;
	case SVM_EXIT_VMMCALL:
		return insn(exit, HV_EXIT_KIND_HYPERCALL, 3);
	case SVM_EXIT_HLT:
		return insn(exit, HV_EXIT_KIND_HLT, 1);
	case SVM_EXIT_PAUSE:
		return insn(exit, HV_EXIT_KIND_PAUSE, 2);
	case SVM_EXIT_CPUID:
		return insn(exit, HV_EXIT_KIND_CPUID, 2);
	case SVM_EXIT_MSR:
		/* EXITINFO1 = 0 read, 1 write (§15.11); the MSR is in ECX. */
		exit->info.msr.write = (c->exit_info_1 & 1) != 0;
		return insn(exit, HV_EXIT_KIND_MSR, 2);
	case SVM_EXIT_IOIO:
		decode_ioio(vmcb, exit);
		return false;
	case SVM_EXIT_SHUTDOWN:
		exit->kind = HV_EXIT_KIND_SHUTDOWN;
		return false;
	case SVM_EXIT_NPF:
		decode_npf(c, exit);
		return false;
	}
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32)
		decode_exception(c, exit, (unsigned)(code - SVM_EXIT_EXCP_BASE));
	return false;
}

/* EFER bits a guest may write (APM vol. 2 §3.1.7); LMA is the processor's. */
#define EFER_GUEST_BITS (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE | X86_EFER_FFXSR | X86_EFER_TCE)

/*
 * EFER, intercepted for VM vCPUs as KVM intercepts it (mp.c): the guest
 * sees and sets its own bits, while SVME stays set in the VMCB (VMRUN
 * requires it, APM §15.5.1) and is hidden from the guest, which has no SVM
 * of its own.
 */
enum hv_msr_result svm_emulate_msr(struct hv_vcpu *vcpu, uint32_t msr, bool write,
				   uint64_t *value)
{
	struct vmcb_save_area *s = &svm_vmcb(vcpu)->save;

	if (msr != MSR_EFER)
		return HV_MSR_UNHANDLED;
	if (!write) {
		*value = s->efer & ~X86_EFER_SVME;
		return HV_MSR_OK;
	}
	if (*value & ~(EFER_GUEST_BITS | X86_EFER_LMA))
		return HV_MSR_GP;
	/* LME may not change while paging is on (APM §14.6.1). */
	if ((s->cr0 & X86_CR0_PG) && ((*value ^ s->efer) & X86_EFER_LME))
		return HV_MSR_GP;
	s->efer = (*value & EFER_GUEST_BITS) | (s->efer & X86_EFER_LMA) | X86_EFER_SVME;
	return HV_MSR_OK;
}
