/* SPDX-License-Identifier: MIT */
/*
 * Event delivery through the guest's IDT or IVT (APM vol. 2 §8.7 and §8.9;
 * SDM vol. 3 §6.12-6.14). Unicorn never vectors an event itself, so the
 * model does: read the gate, check it, switch stacks where the privilege
 * level changes (or an IST is named), push the frame and load the handler.
 * A fault while doing so is returned to the caller, which decides between
 * an intercept, #DF and shutdown — or, when the second level of
 * translation faults on a gate, descriptor or stack page, the processor
 * model's exit for it (APM vol. 2 §15.25.6; EXITINTINFO then names the
 * event, §15.7.2).
 */
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"

static void set_fault(struct emu_pending_event *f, uint8_t vec, bool has_err, uint32_t err)
{
	memset(f, 0, sizeof(*f));
	f->kind = EMU_EVT_EXCEPTION;
	f->vector = vec;
	f->has_error = has_err;
	f->error = err;
}

/*
 * A translation fault met while delivering: #PF with CR2 (or, for an
 * address that is not canonical, the exception the access would raise),
 * or the second level's fault as it is.
 */
static void xlate_fault(struct emu_cpu *cpu, struct emu_pending_event *f,
			const struct emu_xlate *x, uint8_t noncanonical)
{
	if (x->fault == EMU_XF_SLAT) {
		memset(f, 0, sizeof(*f));
		f->kind = EMU_EVT_SLAT;
		f->slat_info = x->slat_info;
		f->slat_table = x->slat_table;
		f->slat_la = x->la;
		f->slat_gpa = x->slat_table ? x->slat_gpa :
			      (x->slat_gpa & ~0xfffull) | (x->la & 0xfff);
	} else if (x->fault == EMU_XF_GP) {
		set_fault(f, noncanonical, true, 0);
	} else {
		set_fault(f, X86_VEC_PF, true, x->pf_error);
		emu_reg_set(cpu, UC_X86_REG_CR2, x->la);
	}
}

/* Hardware-generated events set EXT in the error codes they cause. */
static uint32_t ext_bit(const struct emu_pending_event *ev)
{
	return ev->kind == EMU_EVT_SOFTINT ? 0 : 1;
}

static int read_desc(struct emu_cpu *cpu, const struct emu_regs *r, uint16_t sel, uint64_t *desc,
		     struct emu_pending_event *fault, uint32_t ext)
{
	uint64_t la;
	struct emu_xlate x;
	uint32_t idx = sel & ~7u;

	if ((sel & ~3u) == 0) {
		set_fault(fault, X86_VEC_GP, true, ext);
		return -1;
	}
	if (sel & 4) {
		if (idx + 7 > r->ldtr.limit) {
			set_fault(fault, X86_VEC_GP, true, (sel & ~3u) | ext);
			return -1;
		}
		la = r->ldtr.base + idx;
	} else {
		if (idx + 7 > r->gdtr.limit) {
			set_fault(fault, X86_VEC_GP, true, (sel & ~3u) | ext);
			return -1;
		}
		la = r->gdtr.base + idx;
	}
	if (emu_lin_read(cpu, la, desc, 8, EMU_XL_IMPLICIT, &x) != 0) {
		xlate_fault(cpu, fault, &x, X86_VEC_GP);
		return -1;
	}
	return 0;
}

static void desc_to_seg(uint16_t sel, uint64_t d, struct x86_seg *s)
{
	uint32_t lo = (uint32_t)d, hi = (uint32_t)(d >> 32);
	uint32_t limit = (lo & 0xffff) | (hi & 0xf0000);

	s->selector = sel;
	s->base = (lo >> 16) | ((uint64_t)(hi & 0xff) << 16) | ((uint64_t)(hi & 0xff000000u));
	s->attrib = (uint16_t)(((hi >> 8) & 0xff) | ((hi >> 12) & 0xf00));
	s->limit = (s->attrib & X86_SEG_G) ? (limit << 12) | 0xfff : limit;
}

/* The frame goes to the new stack at the handler's privilege level. */
static int push(struct emu_cpu *cpu, uint64_t *rsp, uint64_t ss_base, const void *v, unsigned n,
		unsigned flags, struct emu_pending_event *fault)
{
	struct emu_xlate x;

	*rsp -= n;
	if (emu_lin_write(cpu, ss_base + *rsp, v, n, flags, &x) != 0) {
		xlate_fault(cpu, fault, &x, X86_VEC_SS);
		return -1;
	}
	return 0;
}

static bool vector_has_error(const struct emu_pending_event *ev)
{
	return ev->kind == EMU_EVT_EXCEPTION && ev->has_error;
}

static uint64_t return_rip(const struct emu_pending_event *ev, const struct emu_regs *r)
{
	return ev->kind == EMU_EVT_SOFTINT ? ev->next_rip : r->rip;
}

static int deliver_real(struct emu_cpu *cpu, struct emu_regs *r,
			const struct emu_pending_event *ev, struct emu_pending_event *fault)
{
	uint32_t ivt;
	uint16_t frame[3];
	uint64_t sp = r->gpr[X86_RSP] & 0xffff;
	struct emu_xlate x;

	if ((uint32_t)ev->vector * 4 + 3 > r->idtr.limit) {
		set_fault(fault, X86_VEC_GP, true, 0);
		return -1;
	}
	if (emu_lin_read(cpu, r->idtr.base + ev->vector * 4u, &ivt, 4, 0, &x) != 0) {
		xlate_fault(cpu, fault, &x, X86_VEC_GP);
		return -1;
	}
	frame[0] = (uint16_t)return_rip(ev, r);
	frame[1] = r->cs.selector;
	frame[2] = (uint16_t)r->rflags;
	for (int i = 2; i >= 0; i--) {
		sp = (sp - 2) & 0xffff;
		if (emu_lin_write(cpu, r->ss.base + sp, &frame[i], 2, 0, &x) != 0) {
			if (x.fault == EMU_XF_SLAT)
				xlate_fault(cpu, fault, &x, X86_VEC_SS);
			else
				set_fault(fault, X86_VEC_SS, true, 0);
			return -1;
		}
	}
	r->gpr[X86_RSP] = (r->gpr[X86_RSP] & ~0xffffull) | sp;
	r->rflags &= ~(X86_RFLAGS_IF | X86_RFLAGS_TF | X86_RFLAGS_AC | X86_RFLAGS_RF);
	r->cs.selector = (uint16_t)(ivt >> 16);
	r->cs.base = (uint64_t)(ivt >> 16) << 4;
	r->rip = ivt & 0xffff;
	return 0;
}

static int deliver_protected(struct emu_cpu *cpu, struct emu_regs *r,
			     const struct emu_pending_event *ev, struct emu_pending_event *fault)
{
	bool lm = (r->efer & X86_EFER_LMA) != 0;
	unsigned gsz = lm ? 16 : 8;
	uint32_t ext = ext_bit(ev), gate_err = ev->vector * 8u + 2u + ext;
	uint64_t gate[2] = { 0, 0 }, desc;
	struct emu_xlate x;

	if ((uint32_t)ev->vector * gsz + gsz - 1 > r->idtr.limit) {
		set_fault(fault, X86_VEC_GP, true, gate_err);
		return -1;
	}
	if (emu_lin_read(cpu, r->idtr.base + ev->vector * gsz, gate, gsz, EMU_XL_IMPLICIT, &x) != 0) {
		xlate_fault(cpu, fault, &x, X86_VEC_GP);
		return -1;
	}
	uint32_t lo = (uint32_t)gate[0], hi = (uint32_t)(gate[0] >> 32);
	unsigned type = (hi >> 8) & 0xf, dpl = (hi >> 13) & 3, ist = lm ? (hi & 7) : 0;
	bool present = (hi >> 15) & 1;
	bool is32 = type == 0xe || type == 0xf;
	uint16_t sel = (uint16_t)(lo >> 16);
	uint64_t target = (lo & 0xffff) | (hi & 0xffff0000u);

	if (lm)
		target |= (gate[1] & 0xffffffffull) << 32;
	if (!(type == 0xe || type == 0xf || (!lm && (type == 0x6 || type == 0x7)))) {
		/* Task gates are not modelled; in long mode they do not exist. */
		set_fault(fault, X86_VEC_GP, true, gate_err);
		return -1;
	}
	if (ev->kind == EMU_EVT_SOFTINT && dpl < r->cpl) {
		set_fault(fault, X86_VEC_GP, true, ev->vector * 8u + 2u);
		return -1;
	}
	if (!present) {
		set_fault(fault, X86_VEC_NP, true, gate_err);
		return -1;
	}
	if (read_desc(cpu, r, sel, &desc, fault, ext) != 0)
		return -1;
	struct x86_seg cs;
	desc_to_seg(sel, desc, &cs);
	if (!(cs.attrib & X86_SEG_S) || !(cs.attrib & 0x8) ||
	    (lm && (!(cs.attrib & X86_SEG_L) || (cs.attrib & X86_SEG_DB)))) {
		set_fault(fault, X86_VEC_GP, true, (sel & ~3u) | ext);
		return -1;
	}
	if (!(cs.attrib & X86_SEG_P)) {
		set_fault(fault, X86_VEC_NP, true, (sel & ~3u) | ext);
		return -1;
	}
	unsigned new_cpl = (cs.attrib & 0x4) ? r->cpl : ((cs.attrib >> X86_SEG_DPL_SHIFT) & 3);
	if (new_cpl > r->cpl) {
		set_fault(fault, X86_VEC_GP, true, (sel & ~3u) | ext);
		return -1;
	}
	uint64_t rsp = r->gpr[X86_RSP], ss_base = r->ss.base;
	struct x86_seg ss = r->ss;
	bool stack_switch = new_cpl < r->cpl || ist;
	uint64_t old_ss = r->ss.selector, old_rsp = rsp;

	if (stack_switch) {
		uint64_t tss = r->tr.base, off, v = 0;

		if (!lm) {
			/* 32-bit TSS: SS0:ESP0 at 4/8 (only CPL 0 targets are modelled). */
			uint32_t esp0 = 0, ss0 = 0;

			if (emu_lin_read(cpu, tss + 4, &esp0, 4, EMU_XL_IMPLICIT, &x) ||
			    emu_lin_read(cpu, tss + 8, &ss0, 2, EMU_XL_IMPLICIT, &x)) {
				xlate_fault(cpu, fault, &x, X86_VEC_GP);
				return -1;
			}
			if (read_desc(cpu, r, (uint16_t)ss0, &desc, fault, ext) != 0)
				return -1;
			desc_to_seg((uint16_t)ss0, desc, &ss);
			rsp = esp0;
			ss_base = ss.base;
		} else {
			off = ist ? 0x24 + 8 * (ist - 1) : 4 + 8 * new_cpl;
			if (off + 7 > r->tr.limit) {
				set_fault(fault, X86_VEC_TS, true, (r->tr.selector & ~3u) | ext);
				return -1;
			}
			if (emu_lin_read(cpu, tss + off, &v, 8, EMU_XL_IMPLICIT, &x) != 0) {
				xlate_fault(cpu, fault, &x, X86_VEC_GP);
				return -1;
			}
			rsp = v;
			if (new_cpl < r->cpl) {
				memset(&ss, 0, sizeof(ss));
				ss.selector = (uint16_t)new_cpl;
				ss.attrib = (uint16_t)(X86_SEG_DB | (new_cpl << X86_SEG_DPL_SHIFT));
			}
			ss_base = 0;
		}
	}
	if (lm)
		rsp &= ~0xfull;
	unsigned xflags = new_cpl == 3 ? EMU_XL_USER : 0;
	unsigned w = lm ? 8 : (is32 ? 4 : 2);
	uint64_t frame[6];
	int n = 0;

	if (lm || stack_switch) {
		frame[n++] = old_ss;
		frame[n++] = old_rsp;
	}
	frame[n++] = r->rflags;
	frame[n++] = r->cs.selector;
	frame[n++] = return_rip(ev, r);
	if (vector_has_error(ev))
		frame[n++] = ev->error;
	for (int i = 0; i < n; i++) {
		if (push(cpu, &rsp, ss_base, &frame[i], w, xflags, fault) != 0)
			return -1;
	}
	r->rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_NT | X86_RFLAGS_RF | X86_RFLAGS_VM);
	if ((type & 1) == 0)
		r->rflags &= ~X86_RFLAGS_IF;
	cs.selector = (uint16_t)((sel & ~3u) | new_cpl);
	r->cs = cs;
	if (stack_switch)
		r->ss = ss;
	r->cpl = (uint8_t)new_cpl;
	r->gpr[X86_RSP] = lm ? rsp : ((r->gpr[X86_RSP] & ~0xffffffffull) | (rsp & 0xffffffffull));
	r->rip = lm ? target : (target & 0xffffffffull);
	return 0;
}

int emu_deliver(struct emu_cpu *cpu, const struct emu_pending_event *ev,
		struct emu_pending_event *fault)
{
	struct emu_regs r;
	int rc;

	emu_cpustate_store(cpu, &r);
	if (r.cr0 & X86_CR0_PE)
		rc = deliver_protected(cpu, &r, ev, fault);
	else
		rc = deliver_real(cpu, &r, ev, fault);
	if (rc != 0)
		return rc;
	/* Delivery ends any interrupt shadow. */
	r.shadow = false;
	emu_cpustate_load(cpu, &r);
	cpu->cycle += emu_costs_world(cpu->m->costs, EMU_COST_EVENT_DELIVERY);
	emu_emit(cpu, HV_EV_DELIVER, ev->vector, ev->kind, ev->error, 0, NULL);
	return 0;
}
