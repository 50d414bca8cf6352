/* SPDX-License-Identifier: MIT */
/*
 * VM exit (SDM vol. 3C chapter 28): the exit-information fields (§28.2),
 * the guest state saved (§28.3), the MSR-store and MSR-load lists (§28.4,
 * §28.6). The host runs natively on the model, so loading host state
 * (§28.5) is returning to the hypervisor's code after VMLAUNCH/VMRESUME.
 */
#include "vmx-model/vmx_model.h"
#include "vx/vmcs_event.h"
#include "x86/cpu.h"
#include "x86/msr.h"

static void save_guest(struct emu_cpu *cpu, struct vmx_vmcs *vmcs)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_guest_state *s = &vmcs->guest;
	struct arch_gprs *g = v->gprs;
	struct emu_regs r;
	uint32_t intr = 0;

	emu_cpustate_store(cpu, &r);
	s->rsp = r.gpr[X86_RSP];
	s->rip = r.rip;
	s->rflags = r.rflags;
	s->seg[VMX_SEG_ES] = vmx_seg_save(&r.es);
	s->seg[VMX_SEG_CS] = vmx_seg_save(&r.cs);
	s->seg[VMX_SEG_SS] = vmx_seg_save(&r.ss);
	s->seg[VMX_SEG_DS] = vmx_seg_save(&r.ds);
	s->seg[VMX_SEG_FS] = vmx_seg_save(&r.fs);
	s->seg[VMX_SEG_GS] = vmx_seg_save(&r.gs);
	s->seg[VMX_SEG_LDTR] = vmx_seg_save(&r.ldtr);
	s->seg[VMX_SEG_TR] = vmx_seg_save(&r.tr);
	s->gdtr_base = r.gdtr.base;
	s->gdtr_limit = r.gdtr.limit;
	s->idtr_base = r.idtr.base;
	s->idtr_limit = r.idtr.limit;
	s->cr0 = r.cr0;
	s->cr3 = r.cr3;
	s->cr4 = r.cr4 | v->guest_cr4_vmxe;
	s->sysenter_cs = (uint32_t)cpu->sysenter_cs;
	s->sysenter_esp = cpu->sysenter_esp;
	s->sysenter_eip = cpu->sysenter_eip;
	if (vmcs->ctl.exit_controls & VM_EXIT_SAVE_DEBUG_CONTROLS)
		s->dr7 = r.dr7;
	if (vmcs->ctl.exit_controls & VM_EXIT_SAVE_IA32_EFER)
		s->ia32_efer = r.efer;
	/* IA32_EFER.LMA goes to "IA-32e mode guest" (IA32_VMX_MISC bit 5, §28.2). */
	if (r.efer & X86_EFER_LMA)
		vmcs->ctl.entry_controls |= VM_ENTRY_IA32E_MODE_GUEST;
	else
		vmcs->ctl.entry_controls &= ~VM_ENTRY_IA32E_MODE_GUEST;
	emu_regs_to_gprs(&r, g, true);
	/*
	 * The engine keeps one shadow: STI's, or MOV SS's when VM entry loaded
	 * blocking by MOV SS (a guest MOV SS opens none the model sees).
	 */
	if (cpu->watch_shadow)
		intr |= cpu->shadow_mov_ss ? GUEST_INTR_STATE_MOV_SS : GUEST_INTR_STATE_STI;
	if (v->nmi_blocked)
		intr |= GUEST_INTR_STATE_NMI;
	s->interruptibility_info = intr;
	s->activity_state = v->activity;
	if (vmcs->ctl.exit_controls & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE)
		s->preemption_timer_value = v->timer_armed ? vmx_timer_value(cpu) : 0;
}

/* The VM-exit MSR-store list (§28.4) and MSR-load list (§28.6); a failure
 * in either is a VMX abort (§28.7), which the model reports as an error. */
static void store_msrs(struct emu_cpu *cpu, const struct vmx_controls *c)
{
	for (uint32_t i = 0; i < c->exit_msr_store_count; i++) {
		struct vmx_msr_entry *e = emu_ram_ptr(
			cpu->m, c->exit_msr_store_addr + (uint64_t)i * sizeof(*e), sizeof(*e));

		if (!e || e->reserved || emu_msr_read(cpu, e->index, &e->value) != ARCH_OK)
			emu_fatal(cpu, "VMX abort: VM-exit MSR-store entry %u (SDM vol. 3C §28.7)",
				  i + 1);
	}
}

static void load_msrs(struct emu_cpu *cpu, const struct vmx_controls *c)
{
	for (uint32_t i = 0; i < c->exit_msr_load_count; i++) {
		const struct vmx_msr_entry *e = emu_ram_ptr(
			cpu->m, c->exit_msr_load_addr + (uint64_t)i * sizeof(*e), sizeof(*e));

		if (!e || e->reserved || emu_msr_write(cpu, e->index, e->value) != ARCH_OK)
			emu_fatal(cpu, "VMX abort: VM-exit MSR-load entry %u (SDM vol. 3C §28.7)",
				  i + 1);
	}
}

void vmx_vmexit_event(struct emu_cpu *cpu, uint32_t reason, uint32_t intr_info, uint32_t error,
		      uint64_t qualification, uint8_t len)
{
	struct vmx_cpu *v = vmx_of(cpu);
	struct vmx_vmcs *vmcs = v->vmcs;
	struct vmx_exit_info *x = &vmcs->exit;

	if (cpu->bare)
		emu_fatal(cpu, "VM exit %u in code started by SIPI", reason);
	x->exit_reason = reason;
	x->exit_qualification = qualification;
	x->exit_intr_info = intr_info;
	x->exit_intr_error_code = (intr_info & INTR_INFO_DELIVER_CODE) ? error : 0;
	x->exit_instruction_len = len;
	/* An event the exit cut short in delivery (§28.2.4). */
	x->idt_vectoring_info = v->delivering ? v->delivering_info : 0;
	x->idt_vectoring_error_code = v->delivering ? v->delivering_err : 0;
	v->delivering = false;
	/* Every VM exit clears the valid bit of VM-entry interruption
	 * information (§28.2.1). */
	vmcs->ctl.entry_intr_info &= ~INTR_INFO_VALID;
	save_guest(cpu, vmcs);
	cpu->watch_iret_rip = 0;
	cpu->watch_shadow = 0;
	cpu->watch_popf = false;
	emu_watch_update(cpu);
	v->timer_armed = false;
	v->timer_expired = false;
	v->guest = false;
	v->exit_pending = true;
	emu_engine_set_slat(cpu, NULL);
	store_msrs(cpu, &vmcs->ctl);
	/* Host state (§28.5.1): the SYSENTER MSRs are the ones the model's
	 * host holds; the rest is the native code VMLAUNCH returns to. */
	cpu->sysenter_cs = vmcs->host.ia32_sysenter_cs;
	cpu->sysenter_esp = vmcs->host.ia32_sysenter_esp;
	cpu->sysenter_eip = vmcs->host.ia32_sysenter_eip;
	load_msrs(cpu, &vmcs->ctl);
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMEXIT);
	cpu->m->stats.vmexits++;
	{
		struct hv_vmx_exit_words w = {
			.reason = reason, .rip = vmcs->guest.rip, .qualification = qualification,
			.gpa = x->guest_physical_address, .intr_info = intr_info,
			.intr_error = x->exit_intr_error_code, .idt_vectoring = x->idt_vectoring_info,
			.insn_len = len,
		};
		struct hv_event ev = hv_event_vmx_exit(&w);

		emu_emit_event(cpu, &ev);
	}
}

void vmx_vmexit(struct emu_cpu *cpu, uint32_t reason, uint64_t qualification, uint8_t len)
{
	vmx_vmexit_event(cpu, reason, 0, 0, qualification, len);
}
