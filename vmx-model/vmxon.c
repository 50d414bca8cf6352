/* SPDX-License-Identifier: MIT */
/*
 * VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMREAD and VMWRITE in VMX root
 * operation, as their pages in SDM vol. 3C chapter 31 give them: the
 * faults, then VMfailInvalid or VMfailValid(n) in the order the pages
 * test them, then the operation. Host code runs in 64-bit mode at CPL 0,
 * so the CPL and mode checks always pass; the platform has set CR4.VMXE
 * and locked IA32_FEATURE_CONTROL before VMXON (include/vx/arch.h).
 */
#include "vmx-model/vmx_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"

struct vmx_vmcs *vmx_current_vmcs(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	if (v->current == VMX_NO_VMCS)
		return NULL;
	return emu_ram_ptr(cpu->m, v->current, sizeof(struct vmx_vmcs));
}

arch_fault_t vmx_fail(struct emu_cpu *cpu, uint32_t error)
{
	struct vmx_vmcs *vmcs = vmx_current_vmcs(cpu);

	if (!vmcs)
		return ARCH_VMFAIL_INVALID;
	vmcs->exit.vm_instruction_error = error;
	return ARCH_VMFAIL_VALID;
}

/* A VMXON, VMCLEAR or VMPTRLD operand: 4 KiB aligned and within the
 * physical-address width (§31.3). */
static bool region_ok(struct emu_cpu *cpu, uint64_t pa)
{
	return !(pa & 0xfff) && !(pa >> vmx_of(cpu)->caps.maxphyaddr);
}

/* The first word of a region: all ones where no memory answers. */
static uint32_t region_word(struct emu_cpu *cpu, uint64_t pa)
{
	const uint32_t *w = emu_ram_ptr(cpu->m, pa, 4);

	return w ? *w : ~0u;
}

static void host_op(struct emu_cpu *cpu)
{
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_HOST_OP);
}

arch_fault_t vmx_model_vmxon(struct emu_cpu *cpu, uint64_t pa)
{
	struct vmx_cpu *v = vmx_of(cpu);

	host_op(cpu);
	/* What the platform does before VMXON (arch.h): lock the MSR with
	 * VMXON outside SMX where it is unlocked. */
	if (!(v->feature_control & MSR_FEATURE_CONTROL_LOCK))
		v->feature_control |= MSR_FEATURE_CONTROL_LOCK | MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
	if (v->vmxon)
		return vmx_fail(cpu, VMXERR_VMXON_IN_ROOT);
	if (!(v->feature_control & MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		return ARCH_FAULT(X86_VEC_GP);
	if (!region_ok(cpu, pa))
		return ARCH_VMFAIL_INVALID;
	/* Bits 30:0 the revision identifier, bit 31 clear (§25.11.5). */
	if (region_word(cpu, pa) != (uint32_t)v->caps.basic)
		return ARCH_VMFAIL_INVALID;
	v->vmxon = true;
	v->vmxon_pa = pa;
	v->current = VMX_NO_VMCS;
	return ARCH_OK;
}

arch_fault_t vmx_model_vmxoff(struct emu_cpu *cpu)
{
	struct vmx_cpu *v = vmx_of(cpu);

	host_op(cpu);
	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	v->vmxon = false;
	v->current = VMX_NO_VMCS;
	/* INIT, blocked in VMX root operation, is taken at the next boundary. */
	cpu->m->vext->host_events(cpu);
	return ARCH_OK;
}

arch_fault_t vmx_model_vmclear(struct emu_cpu *cpu, uint64_t pa)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_vmcs *vmcs;

	host_op(cpu);
	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	if (!region_ok(cpu, pa))
		return vmx_fail(cpu, VMXERR_VMCLEAR_INVALID_ADDRESS);
	if (pa == v->vmxon_pa)
		return vmx_fail(cpu, VMXERR_VMCLEAR_VMXON_POINTER);
	vmcs = emu_ram_ptr(cpu->m, pa, sizeof(struct vmx_vmcs));
	/* Where no memory answers there is no launch state to clear. */
	if (vmcs)
		vmx_vmcs_clear(vmcs);
	if (pa == v->current)
		v->current = VMX_NO_VMCS;
	return ARCH_OK;
}

arch_fault_t vmx_model_vmptrld(struct emu_cpu *cpu, uint64_t pa)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_vmcs *vmcs;
	int err;

	host_op(cpu);
	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	if (!region_ok(cpu, pa))
		return vmx_fail(cpu, VMXERR_VMPTRLD_INVALID_ADDRESS);
	if (pa == v->vmxon_pa)
		return vmx_fail(cpu, VMXERR_VMPTRLD_VMXON_POINTER);
	vmcs = emu_ram_ptr(cpu->m, pa, sizeof(struct vmx_vmcs));
	err = vmcs ? vmx_vmptrld_check(vmcs, &v->caps) : VMXERR_VMPTRLD_INCORRECT_REVISION;
	if (err)
		return vmx_fail(cpu, (uint32_t)err);
	v->current = pa;
	return ARCH_OK;
}

arch_fault_t vmx_model_vmread(struct emu_cpu *cpu, uint64_t field, uint64_t *value)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_vmcs *vmcs;
	uint64_t val;
	int err;

	host_op(cpu);
	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	if (!(vmcs = vmx_current_vmcs(cpu)))
		return ARCH_VMFAIL_INVALID;
	err = vmx_vmread(vmcs, &v->caps, field, true, &val);
	if (err)
		return vmx_fail(cpu, (uint32_t)err);
	*value = val;
	return ARCH_OK;
}

arch_fault_t vmx_model_vmwrite(struct emu_cpu *cpu, uint64_t field, uint64_t value)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_vmcs *vmcs;
	int err;

	host_op(cpu);
	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	if (!(vmcs = vmx_current_vmcs(cpu)))
		return ARCH_VMFAIL_INVALID;
	err = vmx_vmwrite(vmcs, &v->caps, field, value, true);
	return err ? vmx_fail(cpu, (uint32_t)err) : ARCH_OK;
}
