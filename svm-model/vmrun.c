/* SPDX-License-Identifier: MIT */
/*
 * VMRUN and the guest-mode run loop (APM vol. 2 §15.5 "VMRUN Instruction",
 * §15.6 "#VMEXIT"), VMLOAD/VMSAVE (§15.5.2) and STGI/CLGI (§15.17).
 */
#include <stdlib.h>
#include <string.h>

#include "vx/vmcb_event.h"
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/msr.h"
#include "x86/svm.h"

int svm_model_cpu_init(struct emu_cpu *cpu)
{
	struct svm_cpu *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	cpu->vext_state = s;
	s->has_vnmi = cpu->m->cfg.vnmi;
	s->has_nrips = cpu->m->cfg.nrips;
	s->has_np = cpu->m->cfg.npt;
	s->has_decode = cpu->m->cfg.decode_assists;
	/* GIF is set at reset (APM §15.17). */
	s->gif = true;
	return 0;
}

void svm_model_cpu_fini(struct emu_cpu *cpu)
{
	free(cpu->vext_state);
	cpu->vext_state = NULL;
}

static void load_guest(struct emu_cpu *cpu, const struct vmcb *v, const struct arch_gprs *g)
{
	const struct vmcb_save_area *s = &v->save;
	struct emu_regs r;

	memset(&r, 0, sizeof(r));
	r.gpr[X86_RAX] = s->rax;
	r.gpr[X86_RSP] = s->rsp;
	emu_regs_from_gprs(&r, g, false);
	r.rip = s->rip;
	/* Bit 1 of RFLAGS reads as one whatever the VMCB holds. */
	r.rflags = s->rflags | X86_RFLAGS_FIXED;
	r.es = svm_seg_load(&s->es);
	r.cs = svm_seg_load(&s->cs);
	r.ss = svm_seg_load(&s->ss);
	r.ds = svm_seg_load(&s->ds);
	/* FS, GS, TR and LDTR belong to VMLOAD, not to VMRUN. */
	r.fs = cpu->fs;
	r.gs = cpu->gs;
	r.tr = cpu->tr;
	r.ldtr = cpu->ldtr;
	r.gdtr = svm_seg_load(&s->gdtr);
	r.idtr = svm_seg_load(&s->idtr);
	r.cr0 = s->cr0;
	r.cr2 = cpu->guest_cr2;
	r.cr3 = s->cr3;
	r.cr4 = s->cr4;
	r.efer = s->efer;
	r.dr6 = s->dr6;
	r.dr7 = s->dr7;
	r.cpl = s->cpl & 3;
	r.shadow = (v->control.int_state & SVM_INTERRUPT_SHADOW_MASK) != 0;
	emu_engine_sync_tlb(cpu, &r, v->control.asid, svm_of(cpu)->npt ? svm_of(cpu)->ncr3 : 0,
			    v->control.tlb_ctl != TLB_CONTROL_DO_NOTHING);
	emu_cpustate_load(cpu, &r);
}

/* exit_info_1: the fault's kind and where the walk was; exit_info_2: the
 * GPA (§15.25.6). */
void svm_model_slat_fault(struct emu_cpu *cpu)
{
	svm_vmexit(cpu, SVM_EXIT_NPF,
		   cpu->slat_info | (cpu->slat_table ? SVM_NPF_TABLE : SVM_NPF_FINAL),
		   cpu->fault_la);
}

arch_fault_t svm_model_vmrun(struct emu_cpu *cpu, uint64_t vmcb_pa, struct arch_gprs *gprs)
{
	struct svm_cpu *s = svm_of(cpu);
	struct vmcb *v;

	if (!(cpu->efer & X86_EFER_SVME))
		return ARCH_FAULT(X86_VEC_UD);
	/* rAX must be 4 KiB aligned and name memory (APM "VMRUN" exceptions). */
	if ((vmcb_pa & 0xfff) || !(v = emu_ram_ptr(cpu->m, vmcb_pa, sizeof(*v))))
		return ARCH_FAULT(X86_VEC_GP);
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMRUN);
	cpu->m->stats.vmruns++;
	if (cpu->m->listener) {
		struct hv_event run = hv_event_vmrun(vmcb_pa, v), icpt = hv_event_intercepts(v);

		emu_emit_event(cpu, &run);
		emu_emit_event(cpu, &icpt);
	}
	s->vmcb = v;
	s->vmcb_pa = vmcb_pa;
	s->gprs = gprs;
	s->exit_pending = false;
	s->delivering = false;
	if (svm_vmcb_check(cpu, v) >= 0) {
		v->control.exit_code = SVM_EXIT_ERR;
		v->control.exit_info_1 = 0;
		v->control.exit_info_2 = 0;
		v->control.exit_int_info = 0;
		v->control.exit_int_info_err = 0;
		svm_of(cpu)->gif = false;
		cpu->m->stats.vmexits++;
		cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMEXIT);
		if (cpu->m->listener) {
			struct hv_event ev = hv_event_vmexit(v);

			emu_emit_event(cpu, &ev);
		}
		return ARCH_OK;
	}
	memcpy(s->intercepts, v->control.intercepts, sizeof(s->intercepts));
	s->vnmi = s->has_vnmi && (v->control.int_ctl & V_NMI_ENABLE_MASK);
	if (!s->has_vnmi)
		v->control.int_ctl &= ~(V_NMI_PENDING_MASK | V_NMI_BLOCKING_MASK);
	s->guest_nmi_blocked = false;
	cpu->guest_cr2 = v->save.cr2;
	s->npt = (v->control.nested_ctl & SVM_NESTED_CTL_NP_ENABLE) != 0;
	s->ncr3 = v->control.nested_cr3;
	emu_engine_set_slat(cpu, s->npt ? &svm_npt_slat : NULL);
	load_guest(cpu, v, gprs);
	cpu->watch_iret_rip = 0;
	cpu->watch_popf = false;
	cpu->watch_shadow = (v->control.int_state & SVM_INTERRUPT_SHADOW_MASK) ? 2 : 0;
	svm_of(cpu)->gif = true;
	s->guest = true;
	v->control.exit_int_info = 0;
	v->control.exit_int_info_err = 0;
	if (v->control.event_inj & SVM_EVTINJ_VALID)
		svm_inject_eventinj(cpu);
	emu_guest_run(cpu);
	return ARCH_OK;
}

static arch_fault_t svm_insn_checks(struct emu_cpu *cpu, uint64_t pa)
{
	if (!(cpu->efer & X86_EFER_SVME))
		return ARCH_FAULT(X86_VEC_UD);
	if ((pa & 0xfff) || !emu_ram_ptr(cpu->m, pa, sizeof(struct vmcb)))
		return ARCH_FAULT(X86_VEC_GP);
	return ARCH_OK;
}

arch_fault_t svm_model_vmload(struct emu_cpu *cpu, uint64_t pa)
{
	arch_fault_t f = svm_insn_checks(cpu, pa);
	const struct vmcb_save_area *s;

	if (f)
		return f;
	s = &((const struct vmcb *)emu_ram_ptr(cpu->m, pa, sizeof(struct vmcb)))->save;
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMLOAD);
	cpu->fs = svm_seg_load(&s->fs);
	cpu->gs = svm_seg_load(&s->gs);
	cpu->tr = svm_seg_load(&s->tr);
	cpu->ldtr = svm_seg_load(&s->ldtr);
	cpu->kernel_gs_base = s->kernel_gs_base;
	cpu->star = s->star;
	cpu->lstar = s->lstar;
	cpu->cstar = s->cstar;
	cpu->sfmask = s->sfmask;
	cpu->sysenter_cs = s->sysenter_cs;
	cpu->sysenter_esp = s->sysenter_esp;
	cpu->sysenter_eip = s->sysenter_eip;
	return ARCH_OK;
}

arch_fault_t svm_model_vmsave(struct emu_cpu *cpu, uint64_t pa)
{
	arch_fault_t f = svm_insn_checks(cpu, pa);
	struct vmcb_save_area *s;

	if (f)
		return f;
	s = &((struct vmcb *)emu_ram_ptr(cpu->m, pa, sizeof(struct vmcb)))->save;
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMSAVE);
	s->fs = svm_seg_save(&cpu->fs);
	s->gs = svm_seg_save(&cpu->gs);
	s->tr = svm_seg_save(&cpu->tr);
	s->ldtr = svm_seg_save(&cpu->ldtr);
	s->kernel_gs_base = cpu->kernel_gs_base;
	s->star = cpu->star;
	s->lstar = cpu->lstar;
	s->cstar = cpu->cstar;
	s->sfmask = cpu->sfmask;
	s->sysenter_cs = cpu->sysenter_cs;
	s->sysenter_esp = cpu->sysenter_esp;
	s->sysenter_eip = cpu->sysenter_eip;
	return ARCH_OK;
}

arch_fault_t svm_model_stgi(struct emu_cpu *cpu)
{
	if (!(cpu->efer & X86_EFER_SVME))
		return ARCH_FAULT(X86_VEC_UD);
	svm_of(cpu)->gif = true;
	svm_model_host_events(cpu);
	return ARCH_OK;
}

/*
 * Events the model's host takes at an instruction boundary, all only while
 * GIF is set: INIT (reset.c), NMI, and with RFLAGS.IF set (arch_irq_enable)
 * maskable interrupts. The platform's handlers, as on the hardware image,
 * only count NMIs (arch_host_nmis) and interrupts (arch_host_irqs), and
 * signal EOI for an interrupt.
 */
void svm_model_host_events(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	emu_timed_events(cpu);
	if (s->guest || !svm_of(cpu)->gif)
		return;
	if (emu_intc_init_pending(cpu))
		emu_init(cpu);
	emu_host_interrupts(cpu);
}

arch_fault_t svm_model_clgi(struct emu_cpu *cpu)
{
	if (!(cpu->efer & X86_EFER_SVME))
		return ARCH_FAULT(X86_VEC_UD);
	svm_of(cpu)->gif = false;
	return ARCH_OK;
}
