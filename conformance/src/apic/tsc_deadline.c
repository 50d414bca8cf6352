/* SPDX-License-Identifier: MIT */
/*
 * The TSC-deadline timer mode: IA32_TSC_DEADLINE (MSR 6E0h) outside and
 * inside LVT timer mode 10b, a deadline in the past, and disarming with 0
 * (SDM vol. 3 §11.5.4.1; facts §(e) "Timers"). Each SKIPs where CPUID
 * Fn0000_0001 ECX[24] is clear.
 */
#include "apic_util.h"

#include "x86/msr.h"

/* Far enough ahead never to expire during a scenario. */
#define FAR_AHEAD (1ull << 40)
/* A deadline that expires within the scenario, however fast the TSC. */
#define NEAR_AHEAD 2000000ull

static void begin(struct conf_apic_saved *saved)
{
	conf_apic_save(saved);
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	arch_apic_write(APIC_TIMER_ICR, 0);
}

static bool rd(struct conf_ctx *ctx, const char *what, uint64_t want)
{
	uint64_t v = ~0ull;

	if (!conf_check_u64(ctx, "RDMSR IA32_TSC_DEADLINE", arch_rdmsr(MSR_IA32_TSC_DEADLINE, &v),
			    ARCH_OK))
		return false;
	return conf_check_u64(ctx, what, v, want);
}

static bool wr(struct conf_ctx *ctx, uint64_t v)
{
	return conf_check_u64(ctx, "WRMSR IA32_TSC_DEADLINE", arch_wrmsr(MSR_IA32_TSC_DEADLINE, v),
			      ARCH_OK);
}

/* IA32_TSC_DEADLINE in one-shot and periodic mode — Expect: reads 0, writes ignored */
CONF_SCENARIO(apic_tsc_deadline_msr_outside_mode, "apic",
	      "Expect: with the LVT timer in one-shot or periodic mode, WRMSR 6E0h of a future "
	      "deadline succeeds but is ignored: RDMSR 6E0h reads 0, also after switching to "
	      "TSC-deadline mode (nothing was armed)",
	      "SDM vol. 3 §11.5.4.1; facts §(e)", conf_apic_tsc_deadline_unsupported)
{
	struct conf_apic_saved saved;

	begin(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | APIC_T_VEC_TIMER);
	if (wr(ctx, arch_rdtsc() + FAR_AHEAD) && rd(ctx, "IA32_TSC_DEADLINE in one-shot mode", 0)) {
		arch_apic_write(APIC_LVT_TIMER,
				APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | APIC_T_VEC_TIMER);
		if (wr(ctx, arch_rdtsc() + FAR_AHEAD) &&
		    rd(ctx, "IA32_TSC_DEADLINE in periodic mode", 0)) {
			arch_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED |
								APIC_LVT_TIMER_TSC_DEADLINE |
								APIC_T_VEC_TIMER);
			rd(ctx, "IA32_TSC_DEADLINE after entering TSC-deadline mode", 0);
		}
	}
	conf_apic_end(ctx, &saved);
}

/* A deadline already passed — Expect: fires at once, the MSR then reads 0 */
CONF_SCENARIO(svm_apic_tsc_deadline_past_fires, "apic",
	      "Expect: in TSC-deadline mode (vector 63h) a TMICT write is ignored and TMCCT reads "
	      "0; WRMSR 6E0h with the current TSC sets IRR bit 63h at once, after which RDMSR "
	      "6E0h reads 0; the processor takes vector 63h",
	      "SDM vol. 3 §11.5.4.1; facts §(e)", conf_apic_tsc_deadline_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	const char *why;
	int vector = -1;

	begin(&saved);
	if ((why = conf_apic_guest_init(&g)) != NULL) {
		conf_error(ctx, "%s", why);
		conf_apic_end(ctx, &saved);
		return;
	}
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | APIC_T_VEC_TIMER);
	arch_apic_write(APIC_TIMER_ICR, 1000);
	conf_check_u64(ctx, "TMICT after a write in TSC-deadline mode",
		       arch_apic_read(APIC_TIMER_ICR), 0);
	conf_check_u64(ctx, "TMCCT in TSC-deadline mode", arch_apic_read(APIC_TIMER_CCR), 0);
	if (wr(ctx, arch_rdtsc()) &&
	    conf_check_true(ctx, "IRR bit 63h set", conf_apic_wait_irr(APIC_T_VEC_TIMER))) {
		rd(ctx, "IA32_TSC_DEADLINE after it fired", 0);
		if ((why = conf_apic_take_one(&g, &vector)) != NULL)
			conf_error(ctx, "taking the interrupt: %s", why);
		conf_check_u64(ctx, "vector taken", (uint64_t)(int64_t)vector, APIC_T_VEC_TIMER);
	}
	conf_apic_end(ctx, &saved);
}

/* Writing 0 to an armed deadline — Expect: disarmed, nothing fires; rearmed, it fires */
CONF_SCENARIO(svm_apic_tsc_deadline_zero_disarms, "apic",
	      "Expect: an armed deadline reads back as written; WRMSR 6E0h = 0 disarms it (reads "
	      "0, IRR bit 63h stays clear past the old deadline); the same deadline distance "
	      "armed again fires (IRR bit 63h)",
	      "SDM vol. 3 §11.5.4.1; facts §(e)", conf_apic_tsc_deadline_svm_unsupported)
{
	struct conf_apic_saved saved;
	uint64_t deadline;

	begin(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | APIC_T_VEC_TIMER);
	deadline = arch_rdtsc() + NEAR_AHEAD;
	if (wr(ctx, deadline) && rd(ctx, "IA32_TSC_DEADLINE armed", deadline) && wr(ctx, 0) &&
	    rd(ctx, "IA32_TSC_DEADLINE after writing 0", 0)) {
		conf_apic_delay(2 * NEAR_AHEAD);
		conf_check_true(ctx, "IRR bit 63h clear past the disarmed deadline",
				!conf_apic_bit(APIC_IRR, APIC_T_VEC_TIMER));
		if (wr(ctx, arch_rdtsc() + NEAR_AHEAD))
			conf_check_true(ctx, "IRR bit 63h set by the rearmed deadline",
					conf_apic_wait_irr(APIC_T_VEC_TIMER));
	}
	/* conf_apic_end takes the rearmed timer's interrupt. */
	conf_apic_end(ctx, &saved);
}
