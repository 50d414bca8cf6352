/* SPDX-License-Identifier: MIT */
/*
 * The local APIC's register file (SDM vol. 3 §11.4-11.9, offsets as in
 * facts §(e)) behind both interfaces, the xAPIC page and the x2APIC MSRs
 * (§11.12.1), and what the registers decide: acceptance into IRR and TMR,
 * PPR, ISR and EOI, ESR and software enable.
 */
#include <stdlib.h>
#include <string.h>

#include "apic-model/apic_internal.h"
#include "x86/apic.h"
#include "x86/msr.h"

/* Integrated APIC (version 14h), max LVT entry 6: seven LVT registers. */
#define APIC_MODEL_VERSION 0x00060014u

/* Bits software may write in each LVT register (§11.5.1, figure 11-8). */
static const uint32_t lvt_writable[APIC_LVT_COUNT] = {
	[APIC_LVT_IDX_CMCI] = APIC_LVT_MASKED | APIC_LVT_DM_MASK | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_TIMER] = APIC_LVT_TIMER_MODE_MASK | APIC_LVT_MASKED | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_THERMAL] = APIC_LVT_MASKED | APIC_LVT_DM_MASK | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_PMC] = APIC_LVT_MASKED | APIC_LVT_DM_MASK | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_LINT0] = APIC_LVT_MASKED | APIC_LVT_LEVELTRIG | APIC_LVT_POLARITY |
			       APIC_LVT_DM_MASK | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_LINT1] = APIC_LVT_MASKED | APIC_LVT_LEVELTRIG | APIC_LVT_POLARITY |
			       APIC_LVT_DM_MASK | APIC_LVT_VECTOR_MASK,
	[APIC_LVT_IDX_ERROR] = APIC_LVT_MASKED | APIC_LVT_VECTOR_MASK,
};

/* Read-only status bits of the LVT: writes leave them alone without a #GP. */
#define LVT_READ_ONLY (APIC_LVT_SEND_PENDING | APIC_LVT_REMOTE_IRR)

/* ICR low bits software writes; 12 (status) and 17:16 (remote read) are read-only. */
#define ICR_LOW_WRITABLE 0x000ccfffu

#define SVR_WRITABLE (APIC_SVR_FOCUS_DISABLE | APIC_SVR_ENABLE | APIC_SVR_VECTOR_MASK)

enum apic_mode apic_mode(const struct apic_state *a)
{
	if (!(a->base_msr & MSR_APIC_BASE_EN))
		return APIC_MODE_DISABLED;
	return (a->base_msr & MSR_APIC_BASE_EXTD) ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

uint32_t apic_x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void apic_reset_registers(struct emu_cpu *cpu, bool keep_id)
{
	struct apic_state *a = apic_of(cpu);

	if (!keep_id)
		a->xapic_id = a->initial_id;
	a->tpr = 0;
	a->ldr = apic_mode(a) == APIC_MODE_X2APIC ? apic_x2apic_ldr(a->initial_id) : 0;
	a->dfr = APIC_DFR_FLAT;
	a->svr = 0xff;
	memset(a->isr, 0, sizeof(a->isr));
	memset(a->tmr, 0, sizeof(a->tmr));
	memset(a->irr, 0, sizeof(a->irr));
	a->esr = a->esr_latched = 0;
	a->icr_lo = a->icr_hi = 0;
	for (int i = 0; i < APIC_LVT_COUNT; i++)
		a->lvt[i] = APIC_LVT_MASKED;
	apic_timer_reset(cpu);
	apic_update_intr(cpu);
}

int apic_model_init(struct emu_cpu *cpu)
{
	struct apic_state *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	cpu->intc_state = a;
	a->initial_id = cpu->index;
	/* Reset: xAPIC mode at the default base; processor 0 is the BSP (§11.4.4). */
	a->base_msr = APIC_DEFAULT_BASE | MSR_APIC_BASE_EN | (cpu->index == 0 ? MSR_APIC_BASE_BSP : 0);
	apic_reset_registers(cpu, false);
	return 0;
}

void apic_model_fini(struct emu_cpu *cpu)
{
	free(cpu->intc_state);
	cpu->intc_state = NULL;
}

int apic_highest(const uint32_t r[8])
{
	for (int i = 7; i >= 0; i--) {
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	}
	return -1;
}

/* §11.8.3.1: PPR[7:4] = max(TPR[7:4], ISRV[7:4]); PPR[3:0] = TPR[3:0] if TPR wins, else 0. */
uint32_t apic_ppr(const struct apic_state *a)
{
	int isr = apic_highest(a->isr);
	uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

	return (a->tpr & 0xf0) >= isrv ? a->tpr & 0xff : isrv;
}

int apic_model_pending_vector(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);
	int v;

	if (apic_mode(a) == APIC_MODE_DISABLED)
		return -1;
	/* §11.8.3: only a priority class above PPR's is presented to the processor. */
	v = apic_highest(a->irr);
	if (v < 0 || ((uint32_t)v & 0xf0) <= (apic_ppr(a) & 0xf0))
		return -1;
	return v;
}

void apic_update_intr(struct emu_cpu *cpu)
{
	emu_pin_intr(cpu, apic_model_pending_vector(cpu) >= 0);
}

void apic_model_ack(struct emu_cpu *cpu, int v)
{
	struct apic_state *a = apic_of(cpu);

	a->irr[v / 32] &= ~(1u << (v % 32));
	a->isr[v / 32] |= 1u << (v % 32);
	apic_update_intr(cpu);
}

static void set_irr(struct emu_cpu *cpu, uint8_t vector, bool level)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t bit = 1u << (vector % 32);

	a->irr[vector / 32] |= bit;
	/* §11.8.4: acceptance sets TMR for level-triggered and clears it for edge. */
	if (level)
		a->tmr[vector / 32] |= bit;
	else
		a->tmr[vector / 32] &= ~bit;
	apic_update_intr(cpu);
}

void apic_error(struct emu_cpu *cpu, uint32_t esr_bit)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t lvt = a->lvt[APIC_LVT_IDX_ERROR];
	uint8_t vector = lvt & APIC_LVT_VECTOR_MASK;

	a->esr_latched |= esr_bit;
	if (lvt & APIC_LVT_MASKED)
		return;
	/* An illegal error vector is itself an error, with no second interrupt. */
	if (vector < 16) {
		a->esr_latched |= APIC_ESR_RECV_ILLEGAL_VECTOR;
		return;
	}
	emu_emit(cpu, HV_EV_APIC_ACCEPT, apic_id_of(a), 0, 0, vector, NULL);
	set_irr(cpu, vector, false);
}

void apic_accept_fixed(struct emu_cpu *cpu, uint8_t vector, bool level, uint32_t dm)
{
	/* A software-disabled APIC does not accept fixed interrupts (§11.4.7.2). */
	if (!(apic_of(cpu)->svr & APIC_SVR_ENABLE))
		return;
	/* Vectors 0-15 are illegal: ESR "received illegal vector", not accepted (§11.5.3). */
	if (vector < 16) {
		apic_error(cpu, APIC_ESR_RECV_ILLEGAL_VECTOR);
		return;
	}
	emu_emit(cpu, HV_EV_APIC_ACCEPT, apic_id_of(apic_of(cpu)), dm >> 8, level, vector, NULL);
	set_irr(cpu, vector, level);
}

/* §11.8.5: EOI retires the highest-priority vector in ISR. */
static void eoi(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);
	int v = apic_highest(a->isr);

	if (v < 0)
		return;
	a->isr[v / 32] &= ~(1u << (v % 32));
	/*
	 * A level-triggered vector (TMR set) would also send an EOI message to
	 * the I/O APICs; the model has none. TMR itself changes only when the
	 * next interrupt on the vector is accepted (§11.8.4).
	 */
	apic_update_intr(cpu);
}

void apic_model_eoi(struct emu_cpu *cpu)
{
	eoi(cpu);
}

static int lvt_index(uint32_t off)
{
	if (off == APIC_LVT_CMCI)
		return APIC_LVT_IDX_CMCI;
	if (off >= APIC_LVT_TIMER && off <= APIC_LVT_ERROR)
		return APIC_LVT_IDX_TIMER + (int)((off - APIC_LVT_TIMER) / 16);
	return -1;
}

static void write_svr(struct emu_cpu *cpu, uint32_t v)
{
	struct apic_state *a = apic_of(cpu);

	a->svr = v & SVR_WRITABLE;
	/* §11.4.7.2: software disable masks every LVT entry. */
	if (!(a->svr & APIC_SVR_ENABLE)) {
		for (int i = 0; i < APIC_LVT_COUNT; i++)
			a->lvt[i] |= APIC_LVT_MASKED;
	}
	apic_update_intr(cpu);
}

static void write_lvt(struct emu_cpu *cpu, int idx, uint32_t v)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t nv = (a->lvt[idx] & LVT_READ_ONLY) | (v & lvt_writable[idx]);

	/* §11.4.7.2: while software-disabled, mask bits cannot be cleared. */
	if (!(a->svr & APIC_SVR_ENABLE))
		nv |= APIC_LVT_MASKED;
	if (idx == APIC_LVT_IDX_TIMER)
		apic_timer_write_lvt(cpu, nv);
	else
		a->lvt[idx] = nv;
}

static bool in_range(uint32_t off, uint32_t base)
{
	return off >= base && off < base + 0x80;
}

int apic_reg_read(struct emu_cpu *cpu, uint32_t off, bool x2, uint64_t *v)
{
	struct apic_state *a = apic_of(cpu);
	int lvt = lvt_index(off);

	*v = 0;
	if (off & 0xf)
		return x2 ? -1 : 0;
	if (lvt >= 0) {
		*v = a->lvt[lvt];
		return 0;
	}
	if (in_range(off, APIC_ISR) || in_range(off, APIC_TMR) || in_range(off, APIC_IRR)) {
		const uint32_t *set = in_range(off, APIC_ISR) ? a->isr :
				      in_range(off, APIC_TMR) ? a->tmr : a->irr;

		*v = set[(off & 0x70) / 16];
		return 0;
	}
	switch (off) {
	case APIC_ID: *v = x2 ? a->initial_id : a->xapic_id << 24; return 0;
	case APIC_VERSION: *v = APIC_MODEL_VERSION; return 0;
	case APIC_TPR: *v = a->tpr; return 0;
	case APIC_PPR: *v = apic_ppr(a); return 0;
	case APIC_LDR: *v = a->ldr; return 0;
	case APIC_SVR: *v = a->svr; return 0;
	case APIC_ESR: *v = a->esr; return 0;
	case APIC_TIMER_ICR: *v = a->timer_icr; return 0;
	case APIC_TIMER_CCR: *v = apic_timer_current(cpu); return 0;
	case APIC_TIMER_DCR: *v = a->timer_dcr; return 0;
	case APIC_ICR_LOW:
		/* Delivery is immediate in the model: the xAPIC status bit reads idle. */
		*v = x2 ? (uint64_t)a->icr_hi << 32 | a->icr_lo : a->icr_lo;
		return 0;
	/* Present only in xAPIC mode (§11.12.1.2, table 11-6). */
	case APIC_DFR: *v = a->dfr; return x2 ? -1 : 0;
	case APIC_ICR_HIGH: *v = a->icr_hi; return x2 ? -1 : 0;
	/* APR and RRD (remote read is not supported) read 0 in xAPIC mode. */
	case APIC_APR: return x2 ? -1 : 0;
	case APIC_RRD: return x2 ? -1 : 0;
	/* Write-only: #GP on RDMSR in x2APIC mode. */
	case APIC_EOI: return x2 ? -1 : 0;
	case APIC_SELF_IPI: return x2 ? -1 : 0;
	default:
		/* Reserved offsets read 0 from the page; their MSRs do not exist. */
		return x2 ? -1 : 0;
	}
}

/* x2APIC: a write that sets a bit outside `allowed` is #GP (§11.12.1.3). */
static bool reserved(bool x2, uint64_t v, uint64_t allowed)
{
	return x2 && (v & ~allowed);
}

int apic_reg_write(struct emu_cpu *cpu, uint32_t off, uint64_t v, bool x2)
{
	struct apic_state *a = apic_of(cpu);
	int lvt = lvt_index(off);
	uint32_t v32 = (uint32_t)v;

	if (off & 0xf)
		return x2 ? -1 : 0;
	if (x2 && off != APIC_ICR_LOW && (v >> 32))
		return -1;
	if (lvt >= 0) {
		if (reserved(x2, v, lvt_writable[lvt] | LVT_READ_ONLY))
			return -1;
		write_lvt(cpu, lvt, v32);
		return 0;
	}
	switch (off) {
	case APIC_ID:
		/* The xAPIC ID is writable on AMD (APM vol. 2 §16.3.3); x2APIC's is not. */
		if (x2)
			return -1;
		a->xapic_id = v32 >> 24;
		return 0;
	case APIC_TPR:
		if (reserved(x2, v, 0xff))
			return -1;
		a->tpr = v32 & 0xff;
		apic_update_intr(cpu);
		return 0;
	case APIC_EOI:
		/* §11.12.1.3: in x2APIC mode a non-zero EOI write is #GP. */
		if (x2 && v)
			return -1;
		eoi(cpu);
		return 0;
	case APIC_LDR:
		/* x2APIC LDR is read-only, derived from the ID (§11.12.10.2). */
		if (x2)
			return -1;
		a->ldr = v32 & 0xff000000u;
		return 0;
	case APIC_DFR:
		if (x2)
			return -1;
		a->dfr = v32 | 0x0fffffffu;
		return 0;
	case APIC_SVR:
		if (reserved(x2, v, SVR_WRITABLE))
			return -1;
		write_svr(cpu, v32);
		return 0;
	case APIC_ESR:
		/*
		 * §11.5.3: a write moves the errors seen since the previous write
		 * into ESR and starts collecting anew; x2APIC allows only 0.
		 */
		if (x2 && v)
			return -1;
		a->esr = a->esr_latched;
		a->esr_latched = 0;
		return 0;
	case APIC_ICR_HIGH:
		if (x2)
			return -1;
		a->icr_hi = v32 & 0xff000000u;
		return 0;
	case APIC_ICR_LOW:
		if (reserved(x2, v, 0xffffffff00000000ull | ICR_LOW_WRITABLE))
			return -1;
		a->icr_lo = v32 & ICR_LOW_WRITABLE;
		if (x2)
			a->icr_hi = (uint32_t)(v >> 32);
		apic_icr_send(cpu, a->icr_lo, x2 ? a->icr_hi : a->icr_hi >> 24);
		return 0;
	case APIC_TIMER_ICR:
		apic_timer_write_icr(cpu, v32);
		return 0;
	case APIC_TIMER_DCR:
		if (reserved(x2, v, APIC_TDCR_MASK))
			return -1;
		apic_timer_write_dcr(cpu, v32 & APIC_TDCR_MASK);
		return 0;
	case APIC_SELF_IPI:
		/* x2APIC only: a fixed, edge-triggered IPI to this APIC (§11.12.11). */
		if (!x2)
			return 0;
		if (reserved(x2, v, 0xff))
			return -1;
		apic_icr_send(cpu, APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | (v32 & 0xff),
			      0);
		return 0;
	default:
		/*
		 * Read-only registers (version, PPR, ISR, TMR, IRR, TMCCT) and
		 * reserved offsets: ignored on the page, #GP as MSRs.
		 */
		return x2 ? -1 : 0;
	}
}

/* The page answers only for an enabled xAPIC at its reset base (see the header). */
static bool page_responds(const struct apic_state *a)
{
	return apic_mode(a) == APIC_MODE_XAPIC &&
	       (a->base_msr & ~0xfffull) == APIC_DEFAULT_BASE;
}

uint32_t apic_model_read(struct emu_cpu *cpu, uint32_t off)
{
	uint64_t v;

	if (!page_responds(apic_of(cpu)))
		return 0xffffffffu;
	apic_reg_read(cpu, off, false, &v);
	return (uint32_t)v;
}

void apic_model_write(struct emu_cpu *cpu, uint32_t off, uint32_t value)
{
	if (page_responds(apic_of(cpu)))
		apic_reg_write(cpu, off, value, false);
}

uint32_t apic_model_arch_read(struct emu_cpu *cpu, uint32_t off)
{
	uint64_t v = 0;

	switch (apic_mode(apic_of(cpu))) {
	case APIC_MODE_XAPIC:
		apic_reg_read(cpu, off, false, &v);
		return (uint32_t)v;
	case APIC_MODE_X2APIC:
		/* As arch_rdmsr(800h + offset / 16): a faulting read leaves 0. */
		if (apic_reg_read(cpu, off, true, &v) != 0)
			v = 0;
		return (uint32_t)v;
	default:
		return 0xffffffffu;
	}
}

void apic_model_arch_write(struct emu_cpu *cpu, uint32_t off, uint32_t value)
{
	switch (apic_mode(apic_of(cpu))) {
	case APIC_MODE_XAPIC:
		apic_reg_write(cpu, off, value, false);
		break;
	case APIC_MODE_X2APIC:
		(void)apic_reg_write(cpu, off, value, true);
		break;
	default:
		break;
	}
}
