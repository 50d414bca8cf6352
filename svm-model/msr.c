/* SPDX-License-Identifier: MIT */
/*
 * The MSRs SVM owns (APM vol. 2 §15.30): EFER, whose SVME bit enables it,
 * VM_HSAVE_PA and VM_CR. Host code runs in long mode, so EFER reads with
 * LME and LMA set and only SVME is the host's to change. The rest of the
 * MSR file is the processor's (emu/src/msr.c).
 */
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define EFER_WRITABLE (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE | X86_EFER_SVME | \
		       X86_EFER_LMSLE | X86_EFER_FFXSR | X86_EFER_TCE)

arch_fault_t svm_model_rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *v, bool *handled)
{
	struct svm_cpu *s = svm_of(cpu);

	*handled = true;
	switch (msr) {
	case MSR_EFER:
		*v = cpu->efer | X86_EFER_LME | X86_EFER_LMA;
		return ARCH_OK;
	case MSR_VM_HSAVE_PA:
		*v = s->vm_hsave_pa;
		return ARCH_OK;
	case MSR_VM_CR:
		*v = s->vm_cr;
		return ARCH_OK;
	default:
		*handled = false;
		return ARCH_OK;
	}
}

arch_fault_t svm_model_wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t v, bool *handled)
{
	struct svm_cpu *s = svm_of(cpu);

	*handled = true;
	switch (msr) {
	case MSR_EFER:
		if (v & ~(EFER_WRITABLE | X86_EFER_LMA))
			return ARCH_FAULT(X86_VEC_GP);
		/* VM_CR.SVMDIS makes EFER.SVME read-only zero (§15.4). */
		if ((v & X86_EFER_SVME) && (s->vm_cr & MSR_VM_CR_SVMDIS))
			return ARCH_FAULT(X86_VEC_GP);
		cpu->efer = v & X86_EFER_SVME;
		return ARCH_OK;
	case MSR_VM_HSAVE_PA:
		/* Must be page aligned and below MAXPHYADDR. */
		if ((v & 0xfff) || (v >> 40))
			return ARCH_FAULT(X86_VEC_GP);
		s->vm_hsave_pa = v;
		return ARCH_OK;
	case MSR_VM_CR:
		if (s->vm_cr & MSR_VM_CR_LOCK)
			return ARCH_FAULT(X86_VEC_GP);
		s->vm_cr = v & (MSR_VM_CR_DPD | MSR_VM_CR_R_INIT | MSR_VM_CR_DIS_A20M |
				MSR_VM_CR_LOCK | MSR_VM_CR_SVMDIS);
		return ARCH_OK;
	default:
		*handled = false;
		return ARCH_OK;
	}
}
