/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer's registers (SDM vol. 3 §11.5.4): LVT timer modes
 * one-shot, periodic and TSC-deadline (bits 18:17), TMICT, TMCCT, TDCR and
 * IA32_TSC_DEADLINE (§11.5.4.1), rules as in facts §(e).
 *
 * The timer counts the processor's cycle clock (the model's TSC) through
 * the divider: TMCCT drops by one every `divisor` cycles from the cycle
 * TMICT was written, and the interrupt is due at the cycle it reaches 0.
 * The engine asks apic_model_timer_deadline() for that cycle and calls
 * apic_model_timer_fire() there; nothing here depends on when it does,
 * since both compute from the recorded start of the count.
 */
#include "apic-model/apic_internal.h"
#include "x86/apic.h"

#define LVT_TIMER_RESERVED_MODE (3u << 17)

static uint32_t timer_mode(const struct apic_state *a)
{
	return a->lvt[APIC_LVT_IDX_TIMER] & APIC_LVT_TIMER_MODE_MASK;
}

/* TDCR bits 3 and 1:0 (facts §(e)): 0000b = 2 up to 1010b = 128; 1011b = 1. */
static uint64_t divisor(uint32_t dcr)
{
	uint32_t code = ((dcr & 8) >> 1) | (dcr & 3);

	return code == 7 ? 1 : 2ull << code;
}

static bool counting_mode(uint32_t mode)
{
	return mode == APIC_LVT_TIMER_ONESHOT || mode == APIC_LVT_TIMER_PERIODIC;
}

void apic_timer_reset(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);

	a->timer_icr = 0;
	a->timer_dcr = 0;
	a->timer_armed = false;
	a->timer_t0 = 0;
	a->timer_c0 = 0;
	a->tsc_deadline = 0;
	a->timer_gen++;
}

uint32_t apic_timer_current(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t mode = timer_mode(a);
	uint64_t ticks;

	/* In TSC-deadline mode TMCCT always reads 0 (§11.5.4.1). */
	if (!a->timer_armed || !counting_mode(mode))
		return 0;
	ticks = (cpu->cycle - a->timer_t0) / divisor(a->timer_dcr);
	if (ticks < a->timer_c0)
		return a->timer_c0 - (uint32_t)ticks;
	if (mode == APIC_LVT_TIMER_ONESHOT)
		return 0;
	/* Periodic, past the reload but before fire() ran: the reloaded count. */
	return a->timer_icr - (uint32_t)((ticks - a->timer_c0) % a->timer_icr);
}

uint64_t apic_model_timer_deadline(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t mode = timer_mode(a);

	if (apic_mode(a) == APIC_MODE_DISABLED)
		return UINT64_MAX;
	if (mode == APIC_LVT_TIMER_TSC_DEADLINE)
		return a->tsc_deadline ? a->tsc_deadline : UINT64_MAX;
	if (!a->timer_armed || !counting_mode(mode))
		return UINT64_MAX;
	return a->timer_t0 + (uint64_t)a->timer_c0 * divisor(a->timer_dcr);
}

void apic_model_timer_fire(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);
	uint64_t due = apic_model_timer_deadline(cpu);
	uint32_t lvt = a->lvt[APIC_LVT_IDX_TIMER];

	if (due == UINT64_MAX || cpu->cycle < due)
		return;
	switch (timer_mode(a)) {
	case APIC_LVT_TIMER_TSC_DEADLINE:
		/* §11.5.4.1: the timer disarms itself and clears the MSR. */
		a->tsc_deadline = 0;
		break;
	case APIC_LVT_TIMER_PERIODIC:
		/* The next period starts at the cycle this one ended, not at the call. */
		a->timer_t0 = due;
		a->timer_c0 = a->timer_icr;
		break;
	default:
		a->timer_armed = false;
		break;
	}
	a->timer_gen++;
	emu_emit(cpu, HV_EV_TIMER, lvt, due, 0, 0, NULL);
	/* A masked timer still counts; only the interrupt is inhibited (§11.5.1). */
	if (!(lvt & APIC_LVT_MASKED))
		apic_accept_fixed(cpu, lvt & APIC_LVT_VECTOR_MASK, false, APIC_DM_FIXED);
}

void apic_timer_write_lvt(struct emu_cpu *cpu, uint32_t lvt)
{
	struct apic_state *a = apic_of(cpu);
	bool was_deadline = timer_mode(a) == APIC_LVT_TIMER_TSC_DEADLINE;
	bool is_deadline = (lvt & APIC_LVT_TIMER_MODE_MASK) == APIC_LVT_TIMER_TSC_DEADLINE;

	a->lvt[APIC_LVT_IDX_TIMER] = lvt;
	/*
	 * §11.5.4.1: moving into or out of TSC-deadline mode disarms the timer
	 * (TMICT and the MSR read 0 afterwards). Between one-shot and periodic
	 * the count goes on (facts §(e)); a count that reached 0 stays 0.
	 */
	if (was_deadline != is_deadline) {
		a->timer_armed = false;
		a->timer_icr = 0;
		a->tsc_deadline = 0;
	}
	a->timer_gen++;
}

void apic_timer_write_icr(struct emu_cpu *cpu, uint32_t count)
{
	struct apic_state *a = apic_of(cpu);
	uint32_t mode = timer_mode(a);

	/* In TSC-deadline mode writes to TMICT are ignored (§11.5.4.1). */
	if (mode == APIC_LVT_TIMER_TSC_DEADLINE)
		return;
	a->timer_icr = count;
	/* A write starts a new count; 0 stops the timer (§11.5.4). */
	a->timer_armed = count != 0 && mode != LVT_TIMER_RESERVED_MODE;
	a->timer_t0 = cpu->cycle;
	a->timer_c0 = count;
	a->timer_gen++;
}

void apic_timer_write_dcr(struct emu_cpu *cpu, uint32_t dcr)
{
	struct apic_state *a = apic_of(cpu);

	/*
	 * A running count continues from its current value at the new rate; the
	 * divider restarts at the write. A count already due keeps its deadline.
	 */
	if (a->timer_armed && counting_mode(timer_mode(a)) &&
	    cpu->cycle < apic_model_timer_deadline(cpu)) {
		a->timer_c0 = apic_timer_current(cpu);
		a->timer_t0 = cpu->cycle;
	}
	a->timer_dcr = dcr;
	a->timer_gen++;
}

uint64_t apic_timer_read_deadline_msr(struct emu_cpu *cpu)
{
	struct apic_state *a = apic_of(cpu);

	/* Reads 0 outside TSC-deadline mode (facts §(e)). */
	return timer_mode(a) == APIC_LVT_TIMER_TSC_DEADLINE ? a->tsc_deadline : 0;
}

void apic_timer_write_deadline_msr(struct emu_cpu *cpu, uint64_t tsc)
{
	struct apic_state *a = apic_of(cpu);

	/* Ignored outside TSC-deadline mode; 0 disarms (§11.5.4.1). */
	if (timer_mode(a) != APIC_LVT_TIMER_TSC_DEADLINE || apic_mode(a) == APIC_MODE_DISABLED)
		return;
	a->tsc_deadline = tsc;
	a->timer_gen++;
	/* A deadline already reached fires at once, before the next instruction. */
	if (tsc != 0 && tsc <= cpu->cycle)
		apic_model_timer_fire(cpu);
}
