/* SPDX-License-Identifier: MIT */
/*
 * Local APIC registers and IPIs (SDM vol. 3 §11.4-11.8; offsets as in
 * facts: xAPIC page from 0xFEE00000).
 */
#include <stdlib.h>
#include <string.h>

#include "apic-model/apic_model.h"
#include "emu/src/emu_internal.h"
#include "svm-model/svm_model.h"
#include "x86/apic.h"

/* Integrated APIC (version 14h), LVT entries up to index 6 (max LVT field 6). */
#define APIC_MODEL_VERSION 0x00060014u

int apic_model_init(struct emu_cpu *cpu)
{
	struct apic_state *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	a->id = cpu->index;
	a->dfr = 0xffffffffu;
	a->svr = 0xff;
	for (int i = 0; i < 7; i++)
		a->lvt[i] = 1u << 16; /* masked at reset */
	cpu->apic = a;
	return 0;
}

void apic_model_fini(struct emu_cpu *cpu)
{
	free(cpu->apic);
	cpu->apic = NULL;
}

static int highest(const uint32_t r[8])
{
	for (int i = 7; i >= 0; i--) {
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	}
	return -1;
}

static uint32_t ppr(const struct apic_state *a)
{
	int isr = highest(a->isr);
	uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

	return (a->tpr & 0xf0) >= isrv ? a->tpr & 0xff : isrv;
}

int apic_model_pending_vector(struct emu_cpu *cpu)
{
	struct apic_state *a = cpu->apic;
	int v = highest(a->irr);

	if (v < 0 || ((uint32_t)v & 0xf0) <= (ppr(a) & 0xf0))
		return -1;
	return v;
}

static void update_intr_line(struct emu_cpu *cpu)
{
	cpu->svm->intr_line = apic_model_pending_vector(cpu) >= 0;
}

void apic_model_ack(struct emu_cpu *cpu, int v)
{
	struct apic_state *a = cpu->apic;

	a->irr[v / 32] &= ~(1u << (v % 32));
	a->isr[v / 32] |= 1u << (v % 32);
	update_intr_line(cpu);
}

static void accept(struct emu_cpu *cpu, uint32_t mode, uint8_t vector, bool level, bool trig)
{
	struct apic_state *a = cpu->apic;

	switch (mode) {
	case 0: /* fixed */
	case 1: /* lowest priority: one target here, so the same */
		/* A software-disabled APIC does not accept fixed interrupts (§11.4.7.2). */
		if (!(a->svr & APIC_SVR_ENABLE))
			return;
		if (vector < 16) {
			a->esr |= 1u << 6; /* received illegal vector */
			return;
		}
		a->irr[vector / 32] |= 1u << (vector % 32);
		update_intr_line(cpu);
		break;
	case 4: /* NMI */
		cpu->svm->nmi_line = true;
		break;
	case 5: /* INIT; a level-triggered de-assert is ignored */
		if (trig && !level)
			return;
		a->init_pending = true;
		break;
	default:
		/* SMI, start-up and the rest arrive with the multiprocessor model. */
		break;
	}
	emu_emit(cpu, HV_EV_IPI, cpu->index, mode, vector, 0, NULL);
}

void apic_model_send_ipi(struct emu_cpu *from, uint32_t dest, uint32_t lo)
{
	struct emu_machine *m = from->m;
	uint32_t mode = (lo >> 8) & 7, sh = (lo >> 18) & 3;
	bool level = (lo >> 14) & 1, trig = (lo >> 15) & 1, logical = (lo >> 11) & 1;

	for (uint32_t i = 0; i < m->cfg.ncpus; i++) {
		struct emu_cpu *t = &m->cpu[i];
		bool hit;

		switch (sh) {
		case 1: hit = t == from; break;
		case 2: hit = true; break;
		case 3: hit = t != from; break;
		default:
			if (logical)
				hit = (t->apic->ldr >> 24) & (dest & 0xff);
			else
				hit = dest == 0xff || dest == t->apic->id;
		}
		if (hit)
			accept(t, mode, (uint8_t)lo, level, trig);
	}
}

uint32_t apic_model_read(struct emu_cpu *cpu, uint32_t off)
{
	struct apic_state *a = cpu->apic;

	switch (off) {
	case APIC_ID: return a->id << 24;
	case APIC_VERSION: return APIC_MODEL_VERSION;
	case APIC_TPR: return a->tpr;
	case APIC_PPR: return ppr(a);
	case APIC_LDR: return a->ldr;
	case APIC_DFR: return a->dfr;
	case APIC_SVR: return a->svr;
	case APIC_ESR: return a->esr;
	case APIC_ICR_LOW: return a->icr_lo;
	case APIC_ICR_HIGH: return a->icr_hi;
	case APIC_TIMER_ICR: return a->timer_icr;
	case APIC_TIMER_CCR: return 0;
	case APIC_TIMER_DCR: return a->timer_dcr;
	default:
		if (off & 0xf)
			return 0;
		if (off >= APIC_ISR && off < APIC_TMR)
			return a->isr[(off - APIC_ISR) / 16];
		if (off >= APIC_TMR && off < APIC_IRR)
			return a->tmr[(off - APIC_TMR) / 16];
		if (off >= APIC_IRR && off < APIC_ESR)
			return a->irr[(off - APIC_IRR) / 16];
		if (off >= APIC_LVT_CMCI && off <= APIC_LVT_ERROR)
			return a->lvt[(off - APIC_LVT_CMCI) / 16];
		return 0;
	}
}

void apic_model_write(struct emu_cpu *cpu, uint32_t off, uint32_t v)
{
	struct apic_state *a = cpu->apic;

	switch (off) {
	case APIC_TPR:
		a->tpr = v & 0xff;
		update_intr_line(cpu);
		break;
	case APIC_EOI: {
		int isr = highest(a->isr);

		if (isr >= 0)
			a->isr[isr / 32] &= ~(1u << (isr % 32));
		update_intr_line(cpu);
		break;
	}
	case APIC_LDR: a->ldr = v & 0xff000000u; break;
	case APIC_DFR: a->dfr = v | 0x0fffffffu; break;
	case APIC_SVR: a->svr = v & 0x3ff; break;
	case APIC_ESR: a->esr = 0; break;
	case APIC_ICR_HIGH: a->icr_hi = v; break;
	case APIC_ICR_LOW:
		/* Delivery is immediate in the model: the busy bit never shows. */
		a->icr_lo = v & ~APIC_ICR_BUSY;
		apic_model_send_ipi(cpu, a->icr_hi >> 24, v);
		break;
	case APIC_TIMER_ICR: a->timer_icr = v; break;
	case APIC_TIMER_DCR: a->timer_dcr = v & 0xb; break;
	default:
		if (!(off & 0xf) && off >= APIC_LVT_CMCI && off <= APIC_LVT_ERROR)
			a->lvt[(off - APIC_LVT_CMCI) / 16] = v;
		break;
	}
}
