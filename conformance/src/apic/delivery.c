/* SPDX-License-Identifier: MIT */
/*
 * Self-IPIs on processor 0: acceptance into the IRR, service (ISR) and EOI,
 * priority (TPR, PPR, the highest vector first), the software-enable bit,
 * the ICR after delivery, and an NMI held by GIF (SDM vol. 3 §11.4.7.2,
 * §11.6.1, §11.8.3–§11.8.5; APM vol. 2 §15.17).
 *
 * The interrupts are taken by the apic_guest (irq_guest with IF = 1 and
 * V_INTR_MASKING clear), so the physical APIC of this processor decides
 * what the guest gets: these scenarios need SVM for that alone.
 */
#include "apic_util.h"

/* Class 6, above APIC_T_VEC_A's class 4. */
#define VEC_CLASS6 0x61u
#define VEC_NMI_FIELD 0x47u

static bool begin(struct conf_ctx *ctx, struct conf_apic_saved *saved, struct conf_apic_guest *g)
{
	const char *why;

	conf_apic_save(saved);
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	if ((why = conf_apic_guest_init(g)) != NULL) {
		conf_error(ctx, "%s", why);
		conf_apic_end(ctx, saved);
		return false;
	}
	if (!conf_check_true(ctx, "IRR and ISR empty at the start",
			     conf_apic_highest(APIC_IRR) < 0 && conf_apic_highest(APIC_ISR) < 0)) {
		conf_apic_end(ctx, saved);
		return false;
	}
	return true;
}

/* Takes one interrupt through the guest; the vector, or -1 for none (or an ERROR). */
static int take(struct conf_ctx *ctx, struct conf_apic_guest *g)
{
	int vector = -1;
	const char *why = conf_apic_take_one(g, &vector);

	if (why) {
		conf_error(ctx, "taking an interrupt: %s", why);
		return -2;
	}
	return vector;
}

/* A fixed self-IPI, then the guest takes it — Expect: IRR, then ISR, then nothing after EOI */
CONF_SCENARIO(svm_apic_fixed_irr_isr_eoi, "apic",
	      "Expect: a fixed edge self-IPI (vector 42h) sets IRR bit 42h with ISR and TMR clear; "
	      "when the processor takes it, IRR is clear and ISR bit 42h set; the EOI clears ISR",
	      "SDM vol. 3 §11.8.4, §11.8.5", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	int vector = -1;
	const char *why;

	if (!begin(ctx, &saved, &g))
		return;
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_A);
	conf_check_true(ctx, "IRR bit 42h after the self-IPI", conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
	conf_check_true(ctx, "ISR bit 42h clear before it is taken",
			!conf_apic_bit(APIC_ISR, APIC_T_VEC_A));
	conf_check_true(ctx, "TMR bit 42h clear (edge)", !conf_apic_bit(APIC_TMR, APIC_T_VEC_A));
	if ((why = conf_apic_take_begin(&g, &vector)) != NULL) {
		conf_error(ctx, "running the guest: %s", why);
	} else if (conf_check_u64(ctx, "vector in service in the handler", (uint64_t)(int64_t)vector,
				  APIC_T_VEC_A)) {
		conf_check_true(ctx, "IRR bit 42h clear in the handler",
				!conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
		if ((why = conf_apic_take_finish(&g)) != NULL)
			conf_error(ctx, "the guest's EOI: %s", why);
		else
			conf_check_true(ctx, "ISR bit 42h clear after the EOI",
					!conf_apic_bit(APIC_ISR, APIC_T_VEC_A));
	}
	conf_apic_end(ctx, &saved);
}

/* The ICR once a self-IPI was accepted — Expect: delivery status idle, the rest as written */
CONF_SCENARIO(svm_apic_icr_idle_after_delivery, "apic",
	      "Expect: once the fixed self-IPI (ICR low 44042h) sits in the IRR, ICR bit 12 "
	      "(delivery status) reads 0 and the vector, delivery mode, level and shorthand read "
	      "back as written",
	      "SDM vol. 3 §11.6.1", conf_svm_unsupported)
{
	const uint32_t icr = APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | APIC_T_VEC_A;
	const uint32_t fields = APIC_DEST_SHORTHAND_MASK | APIC_INT_LEVELTRIG | APIC_INT_ASSERT |
				APIC_DEST_LOGICAL | APIC_DM_MASK | APIC_ICR_VECTOR_MASK;
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	uint32_t got;

	if (!begin(ctx, &saved, &g))
		return;
	arch_apic_send_ipi(0, icr);
	if (conf_check_true(ctx, "the IPI reached the IRR", conf_apic_wait_irr(APIC_T_VEC_A))) {
		got = arch_apic_read(APIC_ICR_LOW);
		conf_check_bit(ctx, "ICR delivery status", got, APIC_ICR_BUSY, false);
		conf_check_masked(ctx, "ICR low fields", got, fields, icr);
	}
	conf_check_u64(ctx, "vector taken", (uint64_t)(int64_t)take(ctx, &g), APIC_T_VEC_A);
	conf_apic_end(ctx, &saved);
}

/* A fixed self-IPI while software-disabled — Expect: dropped; accepted once enabled */
CONF_SCENARIO(svm_apic_svr_disabled_drops_fixed, "apic",
	      "Expect: with SVR bit 8 clear a fixed self-IPI is not accepted (IRR bit 42h stays "
	      "clear, also after SVR bit 8 is set again, and the processor takes nothing); the "
	      "same IPI sent with the APIC enabled is accepted and taken",
	      "SDM vol. 3 §11.4.7.2", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;

	if (!begin(ctx, &saved, &g))
		return;
	arch_apic_write(APIC_SVR, 0xffu);
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_A);
	conf_check_true(ctx, "IRR bit 42h while disabled", !conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
	conf_apic_sw_enable();
	conf_check_true(ctx, "IRR bit 42h after enabling", !conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
	conf_check_u64(ctx, "vector taken after enabling", (uint64_t)(int64_t)take(ctx, &g),
		       (uint64_t)-1);
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_A);
	conf_check_true(ctx, "IRR bit 42h for an IPI sent while enabled",
			conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
	conf_check_u64(ctx, "vector taken", (uint64_t)(int64_t)take(ctx, &g), APIC_T_VEC_A);
	conf_apic_end(ctx, &saved);
}

/* Vectors 42h and 81h pending — Expect: 81h is taken first, then 42h */
CONF_SCENARIO(svm_apic_irr_priority_order, "apic",
	      "Expect: with vectors 42h and 81h both in the IRR (42h sent first) the processor "
	      "takes 81h, the higher priority class, first; after its EOI it takes 42h; then "
	      "nothing is left",
	      "SDM vol. 3 §11.8.3, §11.8.4", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;

	if (!begin(ctx, &saved, &g))
		return;
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_A);
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_B);
	conf_check_true(ctx, "IRR holds both",
			conf_apic_bit(APIC_IRR, APIC_T_VEC_A) && conf_apic_bit(APIC_IRR, APIC_T_VEC_B));
	if (conf_check_u64(ctx, "first vector taken", (uint64_t)(int64_t)take(ctx, &g),
			   APIC_T_VEC_B) &&
	    conf_check_u64(ctx, "second vector taken", (uint64_t)(int64_t)take(ctx, &g),
			   APIC_T_VEC_A))
		conf_check_u64(ctx, "third run takes", (uint64_t)(int64_t)take(ctx, &g),
			       (uint64_t)-1);
	conf_apic_end(ctx, &saved);
}

/* TPR at or above the pending vector's class — Expect: held in the IRR until TPR drops below */
CONF_SCENARIO(svm_apic_tpr_holds_fixed, "apic",
	      "Expect: vector 42h (class 4) stays in the IRR and is not taken with TPR = 50h or "
	      "TPR = 40h (a class must be above the processor priority class); with TPR = 3Fh it "
	      "is taken",
	      "SDM vol. 3 §11.8.3", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	struct conf_apic_guest g;

	if (!begin(ctx, &saved, &g))
		return;
	conf_apic_self_ipi(APIC_DM_FIXED, APIC_T_VEC_A);
	arch_apic_write(APIC_TPR, 0x50);
	conf_check_u64(ctx, "taken with TPR = 50h", (uint64_t)(int64_t)take(ctx, &g), (uint64_t)-1);
	arch_apic_write(APIC_TPR, 0x40);
	conf_check_u64(ctx, "taken with TPR = 40h", (uint64_t)(int64_t)take(ctx, &g), (uint64_t)-1);
	conf_check_true(ctx, "IRR bit 42h still set", conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
	arch_apic_write(APIC_TPR, 0x3f);
	conf_check_u64(ctx, "taken with TPR = 3Fh", (uint64_t)(int64_t)take(ctx, &g), APIC_T_VEC_A);
	conf_apic_end(ctx, &saved);
}

/* PPR while vector 61h is in service — Expect: the higher of TPR and the ISR class */
CONF_SCENARIO(svm_apic_ppr_follows_isr, "apic",
	      "Expect: with 61h in service PPR = 60h for TPR 0 and 35h, PPR = TPR for TPR 72h and "
	      "6Ah (TPR class >= ISR class), 60h again for TPR 0; after the EOI PPR = 0",
	      "SDM vol. 3 §11.8.3.1", conf_svm_unsupported)
{
	static const struct {
		uint32_t tpr, ppr;
	} cases[] = { { 0x00, 0x60 }, { 0x35, 0x60 }, { 0x72, 0x72 }, { 0x6a, 0x6a }, { 0x00, 0x60 } };
	struct conf_apic_saved saved;
	struct conf_apic_guest g;
	int vector = -1;
	const char *why;

	if (!begin(ctx, &saved, &g))
		return;
	conf_apic_self_ipi(APIC_DM_FIXED, VEC_CLASS6);
	if ((why = conf_apic_take_begin(&g, &vector)) != NULL) {
		conf_error(ctx, "running the guest: %s", why);
		conf_apic_end(ctx, &saved);
		return;
	}
	if (!conf_check_u64(ctx, "vector in service", (uint64_t)(int64_t)vector, VEC_CLASS6)) {
		conf_apic_end(ctx, &saved);
		return;
	}
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		arch_apic_write(APIC_TPR, cases[i].tpr);
		if (!conf_check_u64(ctx, "PPR", arch_apic_read(APIC_PPR) & 0xffu, cases[i].ppr))
			break;
	}
	if ((why = conf_apic_take_finish(&g)) != NULL)
		conf_error(ctx, "the guest's EOI: %s", why);
	else
		conf_check_u64(ctx, "PPR after the EOI", arch_apic_read(APIC_PPR) & 0xffu, 0);
	conf_apic_end(ctx, &saved);
}

/* An NMI IPI to the own APIC ID with GIF = 0 — Expect: held, taken once after STGI, no IRR bit */
CONF_SCENARIO(svm_apic_nmi_held_by_gif, "apic",
	      "Expect: an NMI IPI addressed to the processor's own APIC ID (physical, no "
	      "shorthand, vector field 47h) is not taken while GIF = 0 and sets no IRR bit (the "
	      "vector is ignored); STGI lets the host take it exactly once",
	      "SDM vol. 3 §11.6.1; APM vol. 2 §15.17", conf_svm_unsupported)
{
	struct conf_apic_saved saved;
	uint32_t before;
	int rc;

	conf_apic_save(&saved);
	conf_apic_sw_enable();
	if ((rc = hv_svm_enable()) != HV_OK) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		conf_apic_end(ctx, &saved);
		return;
	}
	before = arch_host_nmis();
	if (conf_check_u64(ctx, "CLGI", arch_clgi(), ARCH_OK)) {
		arch_apic_send_ipi(conf_apic_self_id(), APIC_INT_ASSERT | APIC_DM_NMI | VEC_NMI_FIELD);
		conf_check_u64(ctx, "host NMIs with GIF = 0", arch_host_nmis() - before, 0);
		conf_check_true(ctx, "IRR bit 47h clear", !conf_apic_bit(APIC_IRR, VEC_NMI_FIELD));
		conf_check_u64(ctx, "STGI", arch_stgi(), ARCH_OK);
		conf_check_u64(ctx, "host NMIs after STGI", arch_host_nmis() - before, 1);
		conf_check_u64(ctx, "STGI again", arch_stgi(), ARCH_OK);
		conf_check_u64(ctx, "host NMIs after a second STGI", arch_host_nmis() - before, 1);
	}
	conf_apic_end(ctx, &saved);
}
