/* SPDX-License-Identifier: MIT */
/*
 * The MSRs a hypervisor reads and writes in host mode on a model processor
 * (APM vol. 2 §15.30 for the SVM ones). Anything the model does not know is
 * #GP, as on hardware for an unimplemented MSR.
 */
#include "apic-model/apic_model.h"
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define EFER_WRITABLE (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE | X86_EFER_SVME | \
		       X86_EFER_LMSLE | X86_EFER_FFXSR | X86_EFER_TCE)

arch_fault_t svm_model_rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *v)
{
	/* IA32_APIC_BASE, the x2APIC registers and IA32_TSC_DEADLINE. */
	if (apic_model_owns_msr(msr))
		return apic_model_rdmsr(cpu, msr, v);
	switch (msr) {
	case MSR_EFER:
		/* The host runs in long mode. */
		*v = cpu->efer | X86_EFER_LME | X86_EFER_LMA;
		return ARCH_OK;
	case MSR_VM_HSAVE_PA:
		*v = cpu->vm_hsave_pa;
		return ARCH_OK;
	case MSR_VM_CR:
		*v = cpu->vm_cr;
		return ARCH_OK;
	case MSR_IA32_TSC:
		*v = cpu->cycle;
		return ARCH_OK;
	case MSR_TSC_AUX:
		*v = cpu->tsc_aux;
		return ARCH_OK;
	case MSR_IA32_PAT:
		*v = 0x0007040600070406ull;
		return ARCH_OK;
	case MSR_FS_BASE:
		*v = cpu->fs.base;
		return ARCH_OK;
	case MSR_GS_BASE:
		*v = cpu->gs.base;
		return ARCH_OK;
	case MSR_KERNEL_GS_BASE:
		*v = cpu->kernel_gs_base;
		return ARCH_OK;
	case MSR_STAR:
		*v = cpu->star;
		return ARCH_OK;
	case MSR_LSTAR:
		*v = cpu->lstar;
		return ARCH_OK;
	case MSR_CSTAR:
		*v = cpu->cstar;
		return ARCH_OK;
	case MSR_SFMASK:
		*v = cpu->sfmask;
		return ARCH_OK;
	case MSR_SYSENTER_CS:
		*v = cpu->sysenter_cs;
		return ARCH_OK;
	case MSR_SYSENTER_ESP:
		*v = cpu->sysenter_esp;
		return ARCH_OK;
	case MSR_SYSENTER_EIP:
		*v = cpu->sysenter_eip;
		return ARCH_OK;
	default:
		return ARCH_FAULT(X86_VEC_GP);
	}
}

static bool canonical(uint64_t v)
{
	return (uint64_t)((int64_t)(v << 16) >> 16) == v;
}

arch_fault_t svm_model_wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t v)
{
	if (apic_model_owns_msr(msr))
		return apic_model_wrmsr(cpu, msr, v);
	switch (msr) {
	case MSR_EFER:
		if (v & ~(EFER_WRITABLE | X86_EFER_LMA))
			return ARCH_FAULT(X86_VEC_GP);
		/* VM_CR.SVMDIS makes EFER.SVME read-only zero (§15.4). */
		if ((v & X86_EFER_SVME) && (cpu->vm_cr & MSR_VM_CR_SVMDIS))
			return ARCH_FAULT(X86_VEC_GP);
		cpu->efer = v & X86_EFER_SVME;
		return ARCH_OK;
	case MSR_VM_HSAVE_PA:
		/* Must be page aligned and below MAXPHYADDR. */
		if ((v & 0xfff) || (v >> 40))
			return ARCH_FAULT(X86_VEC_GP);
		cpu->vm_hsave_pa = v;
		return ARCH_OK;
	case MSR_VM_CR:
		if (cpu->vm_cr & MSR_VM_CR_LOCK)
			return ARCH_FAULT(X86_VEC_GP);
		cpu->vm_cr = v & (MSR_VM_CR_DPD | MSR_VM_CR_R_INIT | MSR_VM_CR_DIS_A20M |
				  MSR_VM_CR_LOCK | MSR_VM_CR_SVMDIS);
		return ARCH_OK;
	case MSR_TSC_AUX:
		if (v >> 32)
			return ARCH_FAULT(X86_VEC_GP);
		cpu->tsc_aux = v;
		return ARCH_OK;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
		if (!canonical(v))
			return ARCH_FAULT(X86_VEC_GP);
		if (msr == MSR_FS_BASE)
			cpu->fs.base = v;
		else if (msr == MSR_GS_BASE)
			cpu->gs.base = v;
		else if (msr == MSR_KERNEL_GS_BASE)
			cpu->kernel_gs_base = v;
		else if (msr == MSR_LSTAR)
			cpu->lstar = v;
		else
			cpu->cstar = v;
		return ARCH_OK;
	case MSR_STAR:
		cpu->star = v;
		return ARCH_OK;
	case MSR_SFMASK:
		cpu->sfmask = v;
		return ARCH_OK;
	case MSR_SYSENTER_CS:
		cpu->sysenter_cs = v;
		return ARCH_OK;
	case MSR_SYSENTER_ESP:
		cpu->sysenter_esp = v;
		return ARCH_OK;
	case MSR_SYSENTER_EIP:
		cpu->sysenter_eip = v;
		return ARCH_OK;
	default:
		return ARCH_FAULT(X86_VEC_GP);
	}
}
