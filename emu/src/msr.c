/* SPDX-License-Identifier: MIT */
/*
 * The processor's MSR file. An MSR belongs to a device (the local APIC's
 * IA32_APIC_BASE, x2APIC registers, IA32_TSC_DEADLINE), to the
 * virtualization extension (EFER.SVME, VM_CR, the VMX capability MSRs), or
 * to the processor itself (below); anything nobody knows is #GP, as on
 * hardware for an unimplemented MSR (SDM vol. 4 §2.1, APM vol. 2 §6.2).
 */
#include "emu_internal.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* IA32_PAT at reset (SDM vol. 3 §11.12.4, APM vol. 2 §7.8.2). */
#define PAT_RESET 0x0007040600070406ull

const struct emu_device *emu_msr_device(const struct emu_cpu *cpu, uint32_t msr)
{
	const struct emu_machine *m = cpu->m;

	for (uint32_t i = 0; i < m->ndevices; i++)
		if (m->devices[i]->owns_msr && m->devices[i]->owns_msr(msr))
			return m->devices[i];
	return NULL;
}

/* Linear addresses in these MSRs must be canonical (#GP otherwise). */
static bool canonical(uint64_t v)
{
	return (uint64_t)((int64_t)(v << 16) >> 16) == v;
}

static uint64_t *own_msr(struct emu_cpu *cpu, uint32_t msr)
{
	switch (msr) {
	case MSR_FS_BASE:
		return &cpu->fs.base;
	case MSR_GS_BASE:
		return &cpu->gs.base;
	case MSR_KERNEL_GS_BASE:
		return &cpu->kernel_gs_base;
	case MSR_STAR:
		return &cpu->star;
	case MSR_LSTAR:
		return &cpu->lstar;
	case MSR_CSTAR:
		return &cpu->cstar;
	case MSR_SFMASK:
		return &cpu->sfmask;
	case MSR_SYSENTER_CS:
		return &cpu->sysenter_cs;
	case MSR_SYSENTER_ESP:
		return &cpu->sysenter_esp;
	case MSR_SYSENTER_EIP:
		return &cpu->sysenter_eip;
	case MSR_TSC_AUX:
		return &cpu->tsc_aux;
	default:
		return NULL;
	}
}

arch_fault_t emu_msr_read(struct emu_cpu *cpu, uint32_t msr, uint64_t *v)
{
	const struct emu_device *d = emu_msr_device(cpu, msr);
	bool handled = false;
	arch_fault_t f;
	uint64_t *p;

	if (d)
		return d->rdmsr(cpu, msr, v);
	f = cpu->m->vext->rdmsr(cpu, msr, v, &handled);
	if (handled)
		return f;
	if (msr == MSR_IA32_TSC) {
		*v = cpu->cycle;
		return ARCH_OK;
	}
	if (msr == MSR_IA32_PAT) {
		*v = PAT_RESET;
		return ARCH_OK;
	}
	if (!(p = own_msr(cpu, msr)))
		return ARCH_FAULT(X86_VEC_GP);
	*v = *p;
	return ARCH_OK;
}

arch_fault_t emu_msr_write(struct emu_cpu *cpu, uint32_t msr, uint64_t v)
{
	const struct emu_device *d = emu_msr_device(cpu, msr);
	bool handled = false;
	arch_fault_t f;
	uint64_t *p;

	if (d) {
		f = d->wrmsr(cpu, msr, v);
		/* A device's MSR may move its timed event (TSC_DEADLINE). */
		emu_timed_sync(cpu);
		return f;
	}
	f = cpu->m->vext->wrmsr(cpu, msr, v, &handled);
	if (handled)
		return f;
	if (!(p = own_msr(cpu, msr)))
		return ARCH_FAULT(X86_VEC_GP);
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
		if (!canonical(v))
			return ARCH_FAULT(X86_VEC_GP);
		break;
	case MSR_TSC_AUX:
		/* Bits 63:32 are reserved (APM vol. 2 §13.2.4). */
		if (v >> 32)
			return ARCH_FAULT(X86_VEC_GP);
		break;
	default:
		break;
	}
	*p = v;
	return ARCH_OK;
}
