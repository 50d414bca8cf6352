/* SPDX-License-Identifier: MIT */
/*
 * VMLAUNCH and VMRESUME (SDM vol. 3C chapter 27): the instruction's own
 * checks (§27.1), the checks on controls, host state and guest state as
 * the rule table of include/x86/vmx_checks.h (§27.2-27.3), loading the
 * guest state and the MSR-load list (§27.3.2, §27.4), event injection
 * (§27.6) and the activity state the guest starts in (§27.7); then the
 * processor runs the guest until a VM exit.
 */
#include <string.h>

#include "vmx-model/checks.h"
#include "vmx-model/vmx_model.h"
#include "vx/vmcs_event.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* A page-table root and selectors the model host notionally runs with. */
#define HOST_CR3      0x1000ull
#define HOST_SEL_CODE 0x08u
#define HOST_SEL_DATA 0x10u
#define HOST_SEL_TSS  0x18u

/* The host's EFER: host code runs in long mode (its SCE and NXE are not
 * modelled). */
static uint64_t host_efer(const struct emu_cpu *cpu)
{
	return cpu->efer | X86_EFER_LME | X86_EFER_LMA;
}

/*
 * What the platform writes into the host-state area before each entry
 * (include/vx/arch.h; the hardware image writes its own in
 * hw/src/arch_vmx.c): the model's host runs natively, so this is the
 * state of a 64-bit host at CPL 0 with paging on, and the VM exit
 * "loads" it by returning from VMLAUNCH or VMRESUME.
 */
static void write_host_state(const struct emu_cpu *cpu, struct vmx_vmcs *vmcs)
{
	struct vmx_host_state *h = &vmcs->host;

	h->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	h->cr3 = HOST_CR3;
	h->cr4 = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_VMXE;
	h->cs_selector = HOST_SEL_CODE;
	h->ss_selector = h->ds_selector = h->es_selector = HOST_SEL_DATA;
	h->fs_selector = h->gs_selector = 0;
	h->tr_selector = HOST_SEL_TSS;
	h->fs_base = h->gs_base = h->tr_base = h->gdtr_base = h->idtr_base = 0;
	h->ia32_sysenter_cs = (uint32_t)cpu->sysenter_cs;
	h->ia32_sysenter_esp = cpu->sysenter_esp;
	h->ia32_sysenter_eip = cpu->sysenter_eip;
	h->ia32_pat = 0x0007040600070406ull;
	h->ia32_efer = host_efer(cpu);
	h->rsp = h->rip = 0;
}

/* Segment and table registers, control registers and RFLAGS from the
 * guest-state area (§27.3.2); CPL is SS.DPL. */
static void load_guest(struct emu_cpu *cpu, const struct vmx_vmcs *vmcs,
		       const struct arch_gprs *g)
{
	struct vmx_cpu *v = vmx_of(cpu);
	const struct vmx_guest_state *s = &vmcs->guest;
	const struct vmx_controls *c = &vmcs->ctl;
	uint32_t proc2 = (c->cpu_based & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ? c->secondary : 0;
	bool ept = proc2 & SECONDARY_EXEC_ENABLE_EPT, vpid = proc2 & SECONDARY_EXEC_ENABLE_VPID;
	struct emu_regs r;

	memset(&r, 0, sizeof(r));
	emu_regs_from_gprs(&r, g, true);
	r.gpr[X86_RSP] = s->rsp;
	r.rip = s->rip;
	r.rflags = s->rflags | X86_RFLAGS_FIXED;
	r.es = vmx_seg_load(&s->seg[VMX_SEG_ES]);
	r.cs = vmx_seg_load(&s->seg[VMX_SEG_CS]);
	r.ss = vmx_seg_load(&s->seg[VMX_SEG_SS]);
	r.ds = vmx_seg_load(&s->seg[VMX_SEG_DS]);
	r.fs = vmx_seg_load(&s->seg[VMX_SEG_FS]);
	r.gs = vmx_seg_load(&s->seg[VMX_SEG_GS]);
	r.ldtr = vmx_seg_load(&s->seg[VMX_SEG_LDTR]);
	r.tr = vmx_seg_load(&s->seg[VMX_SEG_TR]);
	r.gdtr = (struct x86_seg){ .base = s->gdtr_base, .limit = s->gdtr_limit };
	r.idtr = (struct x86_seg){ .base = s->idtr_base, .limit = s->idtr_limit };
	r.cr0 = s->cr0;
	r.cr2 = cpu->guest_cr2;
	r.cr3 = s->cr3;
	/* CR4.VMXE is fixed to 1 in VMX operation: the model keeps it, the
	 * engine (which has no VMX) does not. */
	v->guest_cr4_vmxe = s->cr4 & X86_CR4_VMXE;
	r.cr4 = s->cr4 & ~X86_CR4_VMXE;
	/* Without "load IA32_EFER", LMA and LME follow "IA-32e mode guest" and
	 * the rest stays the host's (§27.3.2.1). */
	if (c->entry_controls & VM_ENTRY_LOAD_IA32_EFER) {
		r.efer = s->ia32_efer;
	} else {
		r.efer = host_efer(cpu) & ~(X86_EFER_LMA | X86_EFER_LME);
		if (c->entry_controls & VM_ENTRY_IA32E_MODE_GUEST)
			r.efer |= X86_EFER_LMA | X86_EFER_LME;
	}
	r.efer &= ~X86_EFER_SVME;
	cpu->sysenter_cs = s->sysenter_cs;
	cpu->sysenter_esp = s->sysenter_esp;
	cpu->sysenter_eip = s->sysenter_eip;
	r.dr6 = 0xffff0ff0ull;
	r.dr7 = (c->entry_controls & VM_ENTRY_LOAD_DEBUG_CONTROLS) ? s->dr7 : 0x400ull;
	r.cpl = (uint8_t)((s->seg[VMX_SEG_SS].ar_bytes & VMX_AR_DPL_MASK) >> VMX_AR_DPL_SHIFT);
	r.shadow = (s->interruptibility_info & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) != 0;
	/* The EPT pointer is the processor's from VM entry on (§29.3). */
	v->eptp = ept ? c->ept_pointer : 0;
	emu_engine_set_slat(cpu, ept ? &vmx_ept_slat : NULL);
	/* Without VPIDs, VM entry drops every linear translation (§29.4.3.1);
	 * with them, translations are kept per VPID and EPT pointer. */
	emu_engine_sync_tlb(cpu, &r, vpid ? c->virtual_processor_id : 0,
			    ept ? c->ept_pointer : 0, !vpid);
	emu_cpustate_load(cpu, &r);
}

/* The VM-entry MSR-load list (§27.4): 0, or the 1-based index of the
 * entry that failed. */
static uint32_t load_msrs(struct emu_cpu *cpu, const struct vmx_controls *c)
{
	for (uint32_t i = 0; i < c->entry_msr_load_count; i++) {
		const struct vmx_msr_entry *e = emu_ram_ptr(
			cpu->m, c->entry_msr_load_addr + (uint64_t)i * sizeof(*e), sizeof(*e));

		/* §27.4: FS_BASE, GS_BASE, the x2APIC range and SMM's MSRs may not
		 * be loaded this way; nor may anything WRMSR would refuse. */
		if (!e || e->reserved || e->index == MSR_FS_BASE || e->index == MSR_GS_BASE ||
		    (e->index >> 8) == 0x8 || e->index == MSR_IA32_SMM_MONITOR_CTL ||
		    emu_msr_write(cpu, e->index, e->value) != ARCH_OK)
			return i + 1;
	}
	return 0;
}

static uint32_t link_word(struct emu_cpu *cpu, uint64_t pa)
{
	const uint32_t *w = pa == ~0ull ? NULL : emu_ram_ptr(cpu->m, pa, 4);

	return w ? *w : ~0u;
}

/* A VM-entry failure (§27.8): a VM exit whose reason has bit 31 set, with
 * nothing of the guest loaded. */
static arch_fault_t entry_failure(struct emu_cpu *cpu, struct vmx_vmcs *vmcs, uint32_t reason,
				  uint64_t qualification)
{
	vmcs->exit.exit_reason = reason;
	vmcs->exit.exit_qualification = qualification;
	vmcs->ctl.entry_intr_info &= ~INTR_INFO_VALID;
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMEXIT);
	cpu->m->stats.vmexits++;
	{
		struct hv_vmx_exit_words w = { .reason = reason, .rip = vmcs->guest.rip,
					       .qualification = qualification };
		struct hv_event ev = hv_event_vmx_exit(&w);

		emu_emit_event(cpu, &ev);
	}
	return ARCH_OK;
}

arch_fault_t vmx_model_vmentry(struct emu_cpu *cpu, struct arch_gprs *gprs, bool resume)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_entry_result res;
	struct vmx_entry_env env;
	struct vmx_vmcs *vmcs;
	uint32_t failed;
	int err;

	if (!v->vmxon)
		return ARCH_FAULT(X86_VEC_UD);
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMRUN);
	if (!(vmcs = vmx_current_vmcs(cpu)))
		return ARCH_VMFAIL_INVALID;
	if ((err = vmx_launch_state_check(vmcs, resume)))
		return vmx_fail(cpu, (uint32_t)err);
	cpu->m->stats.vmruns++;
	write_host_state(cpu, vmcs);
	{
		struct hv_vmentry_words w = {
			.rip = vmcs->guest.rip, .vmcs_pa = v->current, .pin = vmcs->ctl.pin_based,
			.proc = vmcs->ctl.cpu_based, .proc2 = vmcs->ctl.secondary,
			.intr_info = vmcs->ctl.entry_intr_info,
			.intr_error = vmcs->ctl.entry_exception_error_code, .resume = resume,
		};
		struct hv_event ev = hv_event_vmentry(&w);

		emu_emit_event(cpu, &ev);
	}
	memset(&env, 0, sizeof(env));
	env.lma = true;
	env.link_vmcs_word = link_word(cpu, vmcs->guest.vmcs_link_pointer);
	vmx_entry_check(vmcs, &v->caps, &env, &res);
	if (res.rule >= 0) {
		/* KVM's CC(): the broken rule names itself on the event stream. */
		emu_emit(cpu, HV_EV_CONSISTENCY, (uint64_t)res.rule, 1, 0, 0,
			 vmx_entry_check_id(res.rule));
	}
	if (res.outcome == VMX_ENTRY_VMFAIL_VALID)
		return vmx_fail(cpu, res.vm_instruction_error);
	if (res.outcome == VMX_ENTRY_FAILURE)
		return entry_failure(cpu, vmcs, res.exit_reason, res.exit_qualification);
	load_guest(cpu, vmcs, gprs);
	/* The MSR-load list comes after the guest state (§27.4); a failure
	 * there is a VM exit from a guest that never ran (§27.8). */
	if ((failed = load_msrs(cpu, &vmcs->ctl))) {
		emu_engine_set_slat(cpu, NULL);
		cpu->sysenter_cs = vmcs->host.ia32_sysenter_cs;
		cpu->sysenter_esp = vmcs->host.ia32_sysenter_esp;
		cpu->sysenter_eip = vmcs->host.ia32_sysenter_eip;
		return entry_failure(cpu, vmcs,
				     VMX_EXIT_REASON_FAILED_VMENTRY | VMX_EXIT_MSR_LOADING, failed);
	}
	if (!resume)
		vmx_vmcs_set_launched(vmcs);
	v->vmcs = vmcs;
	v->gprs = gprs;
	v->exit_pending = false;
	v->delivering = false;
	cpu->watch_iret_rip = 0;
	cpu->watch_popf = false;
	cpu->watch_shadow = (vmcs->guest.interruptibility_info &
			     (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ? 2 : 0;
	cpu->shadow_mov_ss = (vmcs->guest.interruptibility_info & GUEST_INTR_STATE_MOV_SS) != 0;
	emu_watch_update(cpu);
	v->nmi_blocked = (vmcs->guest.interruptibility_info & GUEST_INTR_STATE_NMI) != 0;
	v->activity = vmcs->guest.activity_state;
	v->guest = true;
	/* The timer starts counting at VM entry (§26.5.1). */
	v->timer_armed = false;
	if (vmcs->ctl.pin_based & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmx_timer_arm(cpu, vmcs->guest.preemption_timer_value);
	if (vmcs->ctl.entry_intr_info & INTR_INFO_VALID)
		vmx_inject(cpu);
	else if (!(vmcs->guest.interruptibility_info & GUEST_INTR_STATE_MOV_SS))
		vmx_pending_debug(cpu, vmcs->guest.pending_dbg_exceptions);
	emu_guest_run(cpu);
	return ARCH_OK;
}
