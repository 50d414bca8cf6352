/* SPDX-License-Identifier: MIT */
/*
 * #VMEXIT (APM vol. 2 §15.6): guest state back into the VMCB, the exit code
 * and information fields, EXITINTINFO for an event cut short, NRIP (§15.7.1),
 * the guest instruction bytes of decode assists (§15.8.4) and the
 * virtual-interrupt state in int_ctl and int_state.
 */
#include <string.h>

#include "vx/vmcb_event.h"
#include "svm-model/svm_model.h"
#include "x86/cpu.h"
#include "x86/svm.h"

void svm_save_guest(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);
	struct vmcb *v = s->vmcb;
	struct vmcb_save_area *sa = &v->save;
	struct arch_gprs *g = s->gprs;
	struct emu_regs r;

	emu_cpustate_store(cpu, &r);
	sa->es = svm_seg_save(&r.es);
	sa->cs = svm_seg_save(&r.cs);
	sa->ss = svm_seg_save(&r.ss);
	sa->ds = svm_seg_save(&r.ds);
	sa->gdtr.base = r.gdtr.base;
	sa->gdtr.limit = r.gdtr.limit;
	sa->idtr.base = r.idtr.base;
	sa->idtr.limit = r.idtr.limit;
	/* The VMLOAD/VMSAVE registers stay in the processor. */
	cpu->fs = r.fs;
	cpu->gs = r.gs;
	cpu->tr = r.tr;
	cpu->ldtr = r.ldtr;
	sa->cpl = r.cpl;
	sa->efer = r.efer | X86_EFER_SVME;
	sa->cr0 = r.cr0;
	sa->cr2 = r.cr2;
	sa->cr3 = r.cr3;
	sa->cr4 = r.cr4;
	sa->dr6 = r.dr6;
	sa->dr7 = r.dr7;
	sa->rflags = r.rflags;
	sa->rip = r.rip;
	sa->rsp = r.gpr[X86_RSP];
	sa->rax = r.gpr[X86_RAX];
	emu_regs_to_gprs(&r, g, false);
	v->control.int_state = r.shadow ? SVM_INTERRUPT_SHADOW_MASK : 0;
	if (r.rflags & X86_RFLAGS_IF)
		v->control.int_state |= SVM_GUEST_INTERRUPT_MASK;
}

/*
 * Up to SVM_INSN_BYTES_MAX bytes from the guest's CS:RIP, read as the
 * guest's data (its page tables, then the nested ones), stopping at the
 * first byte that cannot be read: a page not present at either level, no
 * memory there, the CS limit outside 64-bit mode.
 */
static unsigned fetch_insn_bytes(struct emu_cpu *cpu, const struct vmcb_save_area *sa,
				 uint8_t *buf)
{
	bool mode64 = (sa->efer & X86_EFER_LMA) && (sa->cs.attrib & X86_SEG_L);
	uint64_t rip = sa->rip;
	size_t n = SVM_INSN_BYTES_MAX;

	if (!mode64 && rip > sa->cs.limit)
		return 0;
	if (!mode64 && sa->cs.limit - rip < n - 1)
		n = (size_t)(sa->cs.limit - rip) + 1;
	return (unsigned)emu_lin_peek(cpu, emu_linear(cpu, rip), buf, n);
}

/*
 * Decode assists on #NPF and an intercepted #PF (APM vol. 2 §15.8.4): the
 * count of guest instruction bytes in bits 3:0 of byte 0D0h, the bytes
 * after it. Filled only for a data access: an instruction-fetch fault
 * provides none. Every other #VMEXIT clears the count; the model clears
 * the unused bytes too, where hardware may leave them.
 */
static void insn_bytes(struct emu_cpu *cpu, struct vmcb *v, uint64_t code, uint64_t info1)
{
	struct vmcb_control_area *c = &v->control;
	bool data_fault = (code == SVM_EXIT_NPF && !(info1 & SVM_NPF_ID)) ||
			  (code == SVM_EXIT_EXCP_BASE + X86_VEC_PF && !(info1 & X86_PF_ID));

	c->insn_len = 0;
	if (!svm_of(cpu)->has_decode ||
	    (code != SVM_EXIT_NPF && code != SVM_EXIT_EXCP_BASE + X86_VEC_PF))
		return;
	memset(c->insn_bytes, 0, sizeof(c->insn_bytes));
	if (data_fault)
		c->insn_len = (uint8_t)fetch_insn_bytes(cpu, &v->save, c->insn_bytes);
}

/*
 * The guest code around the exit's RIP, for traces (HV_EV_GUEST_CODE): up to
 * 16 bytes before it, so a dump can show what led there, and 32 from it.
 * Read like the decode assists' bytes, while the guest's paging is in effect.
 */
static void report_code(struct emu_cpu *cpu, const struct vmcb_save_area *sa)
{
	enum { BEFORE = 16, TOTAL = 48 };
	uint64_t la = emu_linear(cpu, sa->rip);
	/* The code's operand size, for the disassembler: CS.L, then CS.D. */
	unsigned bits = (sa->efer & X86_EFER_LMA) && (sa->cs.attrib & X86_SEG_L) ? 64 :
			(sa->cs.attrib & X86_SEG_DB) ? 32 : 16;
	uint8_t buf[TOTAL];
	size_t before = BEFORE, got;
	struct hv_event ev = { .type = HV_EV_GUEST_CODE, .source = HV_SRC_MODEL };

	/* Bytes before RIP on a page that cannot be read: keep those of RIP's page. */
	if (emu_lin_peek(cpu, la - before, buf, before) != before)
		before = (la & 0xfff) < BEFORE ? la & 0xfff : BEFORE;
	memset(buf, 0, sizeof(buf));
	got = emu_lin_peek(cpu, la - before, buf, TOTAL - BEFORE + before);
	if (got < before)
		got = before = 0;
	ev.v[0] = la - before;
	ev.v[1] = before | got << 8 | bits << 16;
	memcpy(&ev.v[2], buf, sizeof(buf));
	emu_emit_event(cpu, &ev);
}

static void do_exit(struct emu_cpu *cpu, uint64_t code, uint64_t info1, uint64_t info2,
		    uint64_t nrip)
{
	struct svm_cpu *s = svm_of(cpu);
	struct vmcb *v = s->vmcb;

	svm_save_guest(cpu);
	/* While the guest's paging and nested paging are still in effect. */
	insn_bytes(cpu, v, code, info1);
	v->control.exit_code = code;
	v->control.exit_info_1 = info1;
	v->control.exit_info_2 = info2;
	if (s->delivering) {
		v->control.exit_int_info = s->delivering_info;
		v->control.exit_int_info_err = s->delivering_err;
		/* A #VMEXIT while a virtual NMI is vectored unblocks it (§15.21.10). */
		if (s->delivering_vnmi)
			v->control.int_ctl &= ~V_NMI_BLOCKING_MASK;
		s->delivering = false;
		s->delivering_vnmi = false;
	}
	/* NRIP is written only where the processor implements it. */
	if (s->has_nrips)
		v->control.next_rip = nrip;
	v->control.event_inj &= ~SVM_EVTINJ_VALID;
	cpu->watch_iret_rip = 0;
	cpu->watch_shadow = 0;
	cpu->watch_popf = false;
	s->guest = false;
	s->exit_pending = true;
	/* #VMEXIT clears GIF (§15.17). */
	svm_of(cpu)->gif = false;
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_VMEXIT);
	cpu->m->stats.vmexits++;
	if (cpu->m->listener) {
		struct hv_event ev = hv_event_vmexit(v);

		emu_emit_event(cpu, &ev);
		report_code(cpu, &v->save);
	}
}

void svm_vmexit_insn(struct emu_cpu *cpu, uint64_t code, uint64_t info1, uint64_t info2,
		     uint8_t len)
{
	/* NRIP save: the address of the next instruction (§15.7.1). */
	do_exit(cpu, code, info1, info2, emu_reg_get(cpu, UC_X86_REG_RIP) + len);
}

void svm_vmexit(struct emu_cpu *cpu, uint64_t code, uint64_t info1, uint64_t info2)
{
	do_exit(cpu, code, info1, info2, 0);
}
