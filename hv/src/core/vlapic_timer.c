/* SPDX-License-Identifier: MIT */
/*
 * The virtual APIC's timer in TSC-deadline mode (SDM vol. 3 §10.5.4.1),
 * with the rules of facts §(e) "IA32_TSC_DEADLINE": the MSR takes effect
 * only while the LVT timer is in TSC-deadline mode, reads 0 in any other
 * mode, a deadline at or before the current TSC fires at once, firing
 * clears the MSR, writing 0 disarms, and a write to the LVT timer that
 * changes its mode disarms. The one-shot and periodic counters (TMICT,
 * TMCCT, TDCR) are not modelled (hv/vlapic.h).
 *
 * The APIC only keeps the deadline; its vCPU's core compares it with the
 * guest's TSC (hv/src/core/timer.c), which is the processor's: the
 * backends run guests without a TSC offset.
 */
#include "hv/vlapic.h"
#include "vlapic_reg.h"
#include "x86/apic.h"
#include "x86/msr.h"

static uint32_t timer_mode(const struct hv_vlapic *a)
{
	return a->lvt[HV_VLAPIC_LVT_TIMER] & APIC_LVT_TIMER_MODE_MASK;
}

void hv_vlapic_write_lvt_timer(struct hv_vlapic *a, uint32_t value)
{
	uint32_t old = timer_mode(a);

	a->lvt[HV_VLAPIC_LVT_TIMER] = value;
	if (timer_mode(a) != old)
		a->tsc_deadline = 0;
}

bool hv_vlapic_rdmsr_tsc_deadline(const struct hv_vlapic *a, uint64_t *value)
{
	if (!a->tsc_deadline_timer)
		return false;
	*value = timer_mode(a) == APIC_LVT_TIMER_TSC_DEADLINE ? a->tsc_deadline : 0;
	return true;
}

bool hv_vlapic_wrmsr_tsc_deadline(struct hv_vlapic *a, uint64_t value)
{
	if (!a->tsc_deadline_timer)
		return false;
	/* Ignored outside TSC-deadline mode, and by a globally disabled APIC. */
	if (timer_mode(a) != APIC_LVT_TIMER_TSC_DEADLINE ||
	    hv_vlapic_mode(a->apic_base) == VLAPIC_DISABLED)
		return true;
	a->tsc_deadline = value;
	return true;
}

uint64_t hv_vlapic_timer_deadline(const struct hv_vlapic *a)
{
	return timer_mode(a) == APIC_LVT_TIMER_TSC_DEADLINE ? a->tsc_deadline : 0;
}

bool hv_vlapic_timer_expire(struct hv_vlapic *a, uint64_t now)
{
	uint64_t due = hv_vlapic_timer_deadline(a);
	uint32_t lvt = a->lvt[HV_VLAPIC_LVT_TIMER];

	if (!due || now < due)
		return false;
	a->tsc_deadline = 0;
	/* A masked timer still expires; only the interrupt is held back (§10.5.1). */
	if (!(lvt & APIC_LVT_MASKED))
		hv_vlapic_set_irr(a, (uint8_t)(lvt & APIC_LVT_VECTOR_MASK));
	return true;
}
