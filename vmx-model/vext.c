/* SPDX-License-Identifier: MIT */
/*
 * VMX as the model processor's virtualization extension (emu/vext.h): its
 * per-processor state, CPUID.1:ECX.VMX, IA32_FEATURE_CONTROL and the
 * capability MSRs, INIT and code a start-up IPI started, and the
 * VMX-preemption timer as a timed event.
 */
#include <stdlib.h>

#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define CPUID_1_ECX_VMX (1u << 5)

int vmx_model_cpu_init(struct emu_cpu *cpu)
{
	const struct emu_config *cfg = &cpu->m->cfg;
	struct vmx_caps_config cc;
	struct vmx_cpu *v = calloc(1, sizeof(*v));

	if (!v)
		return -1;
	cpu->vext_state = v;
	vmx_caps_config_default(&cc);
	cc.activity_hlt = cfg->vmx_activity_hlt;
	cc.activity_shutdown = cfg->vmx_activity_shutdown;
	cc.activity_wait_sipi = cfg->vmx_activity_wait_sipi;
	/* EPT with accessed and dirty flags, VPIDs and unrestricted guest
	 * (vmx_caps_config_default). Not offered: execute-only pages, which the
	 * engine's TLB, granting read with every fetch, cannot keep from being
	 * read. */
	cc.ept_execute_only = false;
	if (!vmx_caps_init(&v->caps, &cc))
		return -1;
	v->current = VMX_NO_VMCS;
	return 0;
}

void vmx_model_cpu_fini(struct emu_cpu *cpu)
{
	free(cpu->vext_state);
	cpu->vext_state = NULL;
}

static void cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		  struct arch_cpuid *r)
{
	(void)cpu, (void)subleaf;
	/* VMX for the hypervisor; there is no nested VMX. */
	if (leaf == 1 && !guest)
		r->ecx |= CPUID_1_ECX_VMX;
}

/* The MSRs VMX owns; and the SYSENTER MSRs, which VM entry and exit load
 * (§27.3.2.1, §28.5.1), so that a guest reads what its entry loaded. */
static bool owns_msr(uint32_t msr)
{
	return msr == MSR_IA32_FEATURE_CONTROL ||
	       (msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC) ||
	       msr == MSR_SYSENTER_CS || msr == MSR_SYSENTER_ESP || msr == MSR_SYSENTER_EIP;
}

/* Host code runs in long mode: EFER reads with LME and LMA set; SCE and
 * NXE are writable, SVME does not exist (SDM vol. 4 table 2-2). */
static arch_fault_t rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *value, bool *handled)
{
	struct vmx_cpu *v = vmx_of(cpu);

	*handled = true;
	if (msr == MSR_EFER) {
		*value = cpu->efer | X86_EFER_LME | X86_EFER_LMA;
		return ARCH_OK;
	}
	if (msr == MSR_IA32_FEATURE_CONTROL) {
		*value = v->feature_control;
		return ARCH_OK;
	}
	if (msr == MSR_IA32_FEATURE_CONTROL ||
	    (msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC))
		return vmx_caps_rdmsr(&v->caps, msr, value) ? ARCH_OK : ARCH_FAULT(X86_VEC_GP);
	*handled = false;
	return ARCH_OK;
}

static arch_fault_t wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t value, bool *handled)
{
	struct vmx_cpu *v = vmx_of(cpu);

	*handled = true;
	if (msr == MSR_EFER) {
		if (value & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE))
			return ARCH_FAULT(X86_VEC_GP);
		return ARCH_OK;
	}
	if (msr == MSR_IA32_FEATURE_CONTROL) {
		/* Writable until locked; only the lock and VMXON bits exist here
		 * (SDM vol. 4 table 2-2; no SMX). */
		if ((v->feature_control & MSR_FEATURE_CONTROL_LOCK) ||
		    (value & ~(MSR_FEATURE_CONTROL_LOCK | MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX)))
			return ARCH_FAULT(X86_VEC_GP);
		v->feature_control = value;
		return ARCH_OK;
	}
	/* The capability MSRs are read-only. */
	if (msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC)
		return ARCH_FAULT(X86_VEC_GP);
	*handled = false;
	return ARCH_OK;
}

/* What the hardware image leaves between functions: outside VMX
 * operation. */
static void host_reset(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	v->vmxon = false;
	v->current = VMX_NO_VMCS;
}

/* INIT is taken only outside VMX operation (blocked in root, an exit in
 * non-root), so there is no VMX state to reset but the guest's. */
static void init_reset(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	v->guest = false;
	v->exit_pending = false;
	v->vmcs = NULL;
	v->gprs = NULL;
	v->delivering = false;
	v->nmi_blocked = false;
	v->timer_armed = false;
	v->timer_expired = false;
	v->activity = GUEST_ACTIVITY_ACTIVE;
}

static void bare_enter(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	v->guest = true;
	v->exit_pending = false;
	v->vmcs = NULL;
	v->activity = GUEST_ACTIVITY_ACTIVE;
}

static bool in_guest(struct emu_cpu *cpu)
{
	return vmx_of(cpu)->guest;
}

static bool guest_left(struct emu_cpu *cpu)
{
	return vmx_of(cpu)->exit_pending;
}

/* A guest in wait-for-SIPI takes a start-up IPI as a VM exit. */
static bool sipi_held(struct emu_cpu *cpu)
{
	const struct vmx_cpu *v = vmx_of(cpu);

	return v->guest && !cpu->bare && v->activity == GUEST_ACTIVITY_WAIT_SIPI;
}

static void slat_fault(struct emu_cpu *cpu)
{
	vmx_ept_exit(cpu, cpu->slat_info, cpu->fault_la, cpu->slat_la);
}

const struct emu_vext vmx_vext = {
	.name = "vmx",
	.cpu_init = vmx_model_cpu_init,
	.cpu_fini = vmx_model_cpu_fini,
	.in_guest = in_guest,
	.guest_left = guest_left,
	.take_events = vmx_take_events,
	.trap_wanted = vmx_model_trap_wanted,
	.iret_unblocks = vmx_iret_unblocks,
	.iret_completed = vmx_iret_completed,
	.trap = vmx_handle_trap,
	.invalid = vmx_handle_invalid,
	.exception = vmx_handle_exception,
	.slat_fault = slat_fault,
	.raise = vmx_raise,
	.owns_msr = owns_msr,
	.host_events = vmx_host_events,
	.host_reset = host_reset,
	.init_reset = init_reset,
	.bare_enter = bare_enter,
	.sipi_held = sipi_held,
	.rdmsr = rdmsr,
	.wrmsr = wrmsr,
	.cpuid = cpuid,
};

/* --- the VMX-preemption timer as a timed event ---------------------------- */

static uint64_t timer_deadline(struct emu_cpu *cpu)
{
	const struct vmx_cpu *v = vmx_of(cpu);

	return v->guest && v->timer_armed ? v->timer_zero_at : ~0ull;
}

static void timer_fire(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	if (!v->guest || !v->timer_armed || cpu->cycle < v->timer_zero_at)
		return;
	v->timer_armed = false;
	v->timer_expired = true;
}

const struct emu_device vmx_timer_device = {
	.name = "vmx-preemption-timer",
	.deadline = timer_deadline,
	.fire = timer_fire,
};
