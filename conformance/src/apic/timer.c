/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer in one-shot and periodic mode: the count-down, its
 * interrupt, the divide configuration and mode changes (SDM vol. 3 §11.5.4;
 * facts §(e) "Timers").
 *
 * The same checks hold on the model, whose timer counts the processor clock
 * (TSC == cycles), and under QEMU TCG, whose timer runs on a 1 GHz virtual
 * clock while the TSC follows the host: so nothing assumes a ratio between
 * the timer and the TSC. The checks are orderings (TMCCT strictly drops,
 * reaches 0 within a bounded spin), and the divider is checked as a ratio
 * of two timer runs measured with the same TSC.
 */
#include "apic_util.h"

/* 1 ms under QEMU (1 GHz), a million cycles on the model. */
#define COUNT_LONG 1000000u
/* A second under QEMU: never reached while a scenario reads it, even when
 * the host deschedules QEMU for a while. */
#define COUNT_HUGE 1000000000u
#define COUNT_SHORT 100000u
#define COUNT_DIVIDE 500000u
#define PERIOD 200000u
#define DIVIDE_TRIALS 3u
/* TDCR 0000b is divide by 2 (facts §(e)). */
#define TDCR_DIV_2 0x0u

static void begin(struct conf_apic_saved *saved)
{
	conf_apic_save(saved);
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	arch_apic_write(APIC_TIMER_ICR, 0);
	arch_apic_write(APIC_TIMER_DCR, APIC_TDCR_DIV_1);
}

static bool clean_start(struct conf_ctx *ctx, const struct conf_apic_saved *saved)
{
	if (conf_check_true(ctx, "IRR and ISR empty at the start",
			    conf_apic_highest(APIC_IRR) < 0 && conf_apic_highest(APIC_ISR) < 0))
		return true;
	conf_apic_end(ctx, saved);
	return false;
}

/* Masked one-shot — Expect: TMCCT counts down from TMICT, stops at 0, nothing pending */
CONF_SCENARIO(apic_timer_oneshot_counts_down, "apic",
	      "Expect: after TMICT = 1000000000 (one-shot, divide by 1, LVT masked) TMCCT reads "
	      "non-zero and at most TMICT and strictly drops between two reads; TMICT = 1000000 "
	      "restarts it: it reaches 0 and stays 0; TMICT keeps its value; the "
	      "masked expiry leaves IRR bit 63h clear",
	      "SDM vol. 3 §11.5.4, §11.5.1", NULL)
{
	struct conf_apic_saved saved;
	uint32_t c1, c2;

	begin(&saved);
	if (!clean_start(ctx, &saved))
		return;
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, COUNT_HUGE);
	c1 = arch_apic_read(APIC_TIMER_CCR);
	conf_apic_delay(10000);
	c2 = arch_apic_read(APIC_TIMER_CCR);
	conf_check_range(ctx, "TMCCT after the TMICT write", c1, 1, COUNT_HUGE);
	conf_check_true(ctx, "TMCCT strictly drops between two reads", c2 < c1);
	/* A TMICT write restarts the count with the new value (§11.5.4). */
	arch_apic_write(APIC_TIMER_ICR, COUNT_LONG);
	if (conf_check_true(ctx, "TMCCT reaches 0", conf_apic_wait_tmcct_zero())) {
		conf_apic_delay(COUNT_SHORT);
		conf_check_u64(ctx, "TMCCT later (one-shot stays at 0)",
			       arch_apic_read(APIC_TIMER_CCR), 0);
	}
	conf_check_u64(ctx, "TMICT", arch_apic_read(APIC_TIMER_ICR), COUNT_LONG);
	conf_check_true(ctx, "IRR bit 63h clear (masked)", !conf_apic_bit(APIC_IRR, APIC_T_VEC_TIMER));
	conf_apic_end(ctx, &saved);
}

/* Unmasked one-shot — Expect: one interrupt with the LVT vector when TMCCT reaches 0 */
CONF_SCENARIO(svm_apic_timer_oneshot_fires, "apic",
	      "Expect: a one-shot timer (TMICT = 100000, LVT vector 63h unmasked) sets IRR bit "
	      "63h once TMCCT is 0; the processor takes vector 63h, and no second interrupt "
	      "follows",
	      "SDM vol. 3 §11.5.4", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	const char *why;
	int vector = -1;

	begin(&saved);
	if (!clean_start(ctx, &saved))
		return;
	if ((why = conf_apic_guest_init(&g)) != NULL) {
		conf_error(ctx, "%s", why);
		conf_apic_end(ctx, &saved);
		return;
	}
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, COUNT_SHORT);
	if (conf_check_true(ctx, "IRR bit 63h set by the expiry", conf_apic_wait_irr(APIC_T_VEC_TIMER))) {
		conf_check_u64(ctx, "TMCCT at the expiry", arch_apic_read(APIC_TIMER_CCR), 0);
		if ((why = conf_apic_take_one(&g, &vector)) != NULL)
			conf_error(ctx, "taking the interrupt: %s", why);
		conf_check_u64(ctx, "vector taken", (uint64_t)(int64_t)vector, APIC_T_VEC_TIMER);
		/* Twenty periods' worth of TSC at any TSC rate above the timer's 1 GHz. */
		conf_apic_delay(20ull * COUNT_SHORT);
		conf_check_true(ctx, "no second expiry (IRR bit 63h clear)",
				!conf_apic_bit(APIC_IRR, APIC_T_VEC_TIMER));
	}
	conf_apic_end(ctx, &saved);
}

/* Unmasked periodic — Expect: fires again after the first was taken; TMICT = 0 stops it */
CONF_SCENARIO(svm_apic_timer_periodic_reloads, "apic",
	      "Expect: a periodic timer (TMICT = 200000, vector 63h) sets IRR bit 63h, TMCCT "
	      "reloads (reads at most TMICT); after the processor took and EOI'd vector 63h the "
	      "IRR bit is set again by the next period; TMICT = 0 stops the count (TMCCT 0)",
	      "SDM vol. 3 §11.5.4", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	const char *why;
	int vector = -1;

	begin(&saved);
	if (!clean_start(ctx, &saved))
		return;
	if ((why = conf_apic_guest_init(&g)) != NULL) {
		conf_error(ctx, "%s", why);
		conf_apic_end(ctx, &saved);
		return;
	}
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, PERIOD);
	for (unsigned i = 0; i < 2; i++) {
		if (!conf_check_true(ctx, i ? "IRR bit 63h set by the second period"
					    : "IRR bit 63h set by the first period",
				     conf_apic_wait_irr(APIC_T_VEC_TIMER)))
			break;
		conf_check_range(ctx, "TMCCT after an expiry", arch_apic_read(APIC_TIMER_CCR), 0,
				 PERIOD);
		if ((why = conf_apic_take_one(&g, &vector)) != NULL) {
			conf_error(ctx, "taking the interrupt: %s", why);
			break;
		}
		if (!conf_check_u64(ctx, "vector taken", (uint64_t)(int64_t)vector,
				    APIC_T_VEC_TIMER))
			break;
	}
	arch_apic_write(APIC_TIMER_ICR, 0);
	conf_check_u64(ctx, "TMCCT after TMICT = 0", arch_apic_read(APIC_TIMER_CCR), 0);
	conf_apic_end(ctx, &saved);
}

/* TSC ticks from the TMICT write to TMCCT = 0 with divide configuration tdcr; 0 if never. */
static uint64_t run_to_zero(uint32_t tdcr, uint32_t count)
{
	uint64_t t0;

	arch_apic_write(APIC_TIMER_DCR, tdcr);
	t0 = arch_rdtsc();
	arch_apic_write(APIC_TIMER_ICR, count);
	if (!conf_apic_wait_tmcct_zero())
		return 0;
	return arch_rdtsc() - t0;
}

/* The same count at divide by 1 and by 2 — Expect: by 2 takes about twice as long */
CONF_SCENARIO(apic_timer_divide_rate, "apic",
	      "Expect: TDCR reads back 1011b and 0000b as written; a one-shot count of 500000 "
	      "takes between 1.5 and 3 times as many TSC ticks with 0000b (divide by 2) as with "
	      "1011b (divide by 1), shortest of three runs each",
	      "SDM vol. 3 §11.5.4 (figure 11-10)", NULL)
{
	struct conf_apic_saved saved;
	uint64_t best1 = ~0ull, best2 = ~0ull, e;

	begin(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_DCR, TDCR_DIV_2);
	conf_check_u64(ctx, "TDCR 0000b", arch_apic_read(APIC_TIMER_DCR) & APIC_TDCR_MASK,
		       TDCR_DIV_2);
	arch_apic_write(APIC_TIMER_DCR, APIC_TDCR_DIV_1);
	conf_check_u64(ctx, "TDCR 1011b", arch_apic_read(APIC_TIMER_DCR) & APIC_TDCR_MASK,
		       APIC_TDCR_DIV_1);
	/* The shortest run: host hiccups under QEMU only ever lengthen one. */
	for (unsigned i = 0; i < DIVIDE_TRIALS; i++) {
		e = run_to_zero(APIC_TDCR_DIV_1, COUNT_DIVIDE);
		best1 = e && e < best1 ? e : best1;
		e = run_to_zero(TDCR_DIV_2, COUNT_DIVIDE);
		best2 = e && e < best2 ? e : best2;
	}
	if (conf_check_true(ctx, "both counts reach 0", best1 != ~0ull && best2 != ~0ull)) {
		conf_check_true(ctx, "divide by 2 takes at least 1.5 times as long",
				2 * best2 >= 3 * best1);
		conf_check_true(ctx, "divide by 2 takes at most 3 times as long",
				best2 <= 3 * best1);
	}
	conf_apic_end(ctx, &saved);
}

/* One-shot to periodic and back while counting — Expect: TMCCT goes on from where it was */
CONF_SCENARIO(apic_timer_mode_change_keeps_count, "apic",
	      "Expect: switching a running masked one-shot count (TMICT = 1000000000) to periodic and "
	      "back to one-shot neither restarts nor stops it: each TMCCT read is non-zero and "
	      "lower than the one before; TMICT is unchanged",
	      "SDM vol. 3 §11.5.4; facts §(e) (KUT test_apic_change_mode)", NULL)
{
	struct conf_apic_saved saved;
	uint32_t c0, c1, c2;

	begin(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, COUNT_HUGE);
	conf_apic_delay(10000);
	c0 = arch_apic_read(APIC_TIMER_CCR);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | APIC_T_VEC_TIMER);
	conf_apic_delay(10000);
	c1 = arch_apic_read(APIC_TIMER_CCR);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	conf_apic_delay(10000);
	c2 = arch_apic_read(APIC_TIMER_CCR);
	conf_check_range(ctx, "TMCCT before the change", c0, 1, COUNT_HUGE - 1);
	conf_check_range(ctx, "TMCCT after one-shot -> periodic", c1, 1, c0 ? c0 - 1 : 0);
	conf_check_range(ctx, "TMCCT after periodic -> one-shot", c2, 1, c1 ? c1 - 1 : 0);
	conf_check_u64(ctx, "TMICT", arch_apic_read(APIC_TIMER_ICR), COUNT_HUGE);
	conf_apic_end(ctx, &saved);
}

/* An expired one-shot switched to periodic — Expect: TMCCT stays 0, nothing restarts */
CONF_SCENARIO(apic_timer_expired_to_periodic_stays_zero, "apic",
	      "Expect: once a masked one-shot count (TMICT = 100000) has reached 0, writing the "
	      "LVT timer with periodic mode does not start the timer: TMCCT still reads 0 well "
	      "after; only a TMICT write would restart it",
	      "SDM vol. 3 §11.5.4 (one-shot: \"remains at its 0 value until reprogrammed\"); "
	      "facts §(e) (KUT test_apic_change_mode)", NULL)
{
	struct conf_apic_saved saved;

	begin(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, COUNT_SHORT);
	if (conf_check_true(ctx, "TMCCT reaches 0", conf_apic_wait_tmcct_zero())) {
		arch_apic_write(APIC_LVT_TIMER,
				APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | APIC_T_VEC_TIMER);
		conf_check_u64(ctx, "TMCCT right after the change", arch_apic_read(APIC_TIMER_CCR), 0);
		conf_apic_delay(4ull * COUNT_SHORT);
		conf_check_u64(ctx, "TMCCT later", arch_apic_read(APIC_TIMER_CCR), 0);
	}
	conf_apic_end(ctx, &saved);
}
