/* SPDX-License-Identifier: MIT */
/*
 * Local APIC registers read and written in host mode, with nothing
 * delivered: version, ID, the software-enable bit's hold on the LVT, TPR
 * and PPR, and the error status register (SDM vol. 3 §11.4, §11.5.3,
 * §11.8.3.1; facts §(e)).
 */
#include "apic_util.h"

#include "x86/msr.h"

/* Version register — Expect: an integrated APIC (10h–15h), 4 to 7 LVT entries */
CONF_SCENARIO(apic_version, "apic",
	      "Expect: the version register reads version 10h-15h (an integrated APIC) in bits "
	      "7:0, max LVT entry 3-6 in bits 23:16 (four to seven LVT registers) and 0 in the "
	      "reserved bits 15:8",
	      "SDM vol. 3 §11.4.8; facts §(e)", NULL)
{
	uint32_t v = arch_apic_read(APIC_VERSION);

	conf_check_range(ctx, "version (bits 7:0)", v & 0xffu, 0x10, 0x15);
	/* Timer, LINT0, LINT1 and error at least; CMCI at most is the seventh. */
	conf_check_range(ctx, "max LVT entry (bits 23:16)", (v >> 16) & 0xffu, 3, 6);
	conf_check_masked(ctx, "reserved bits 15:8", v, 0xff00u, 0);
}

#define MAX_IDS 16u

struct id_report {
	uint32_t reg_id, cpuid_id, done;
};

static struct id_report id_reports[MAX_IDS];

static void report_id(void *arg)
{
	struct id_report *r = arg;
	struct arch_cpuid c;

	arch_cpuid(1, 0, &c);
	r->reg_id = conf_apic_self_id();
	r->cpuid_id = c.ebx >> 24;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

/* Every processor's ID register — Expect: its initial APIC ID, and no two alike */
CONF_SCENARIO(apic_id_per_processor, "apic",
	      "Expect: on every processor the APIC ID register (bits 31:24 in xAPIC mode) holds "
	      "the initial APIC ID of CPUID Fn0000_0001 EBX[31:24], and the IDs are distinct",
	      "SDM vol. 3 §11.4.6; APM vol. 2 §16.3.3", conf_apic_need2)
{
	uint32_t n = arch_cpu_count();

	if (n > MAX_IDS)
		n = MAX_IDS;
	hv_memset(id_reports, 0, sizeof(id_reports));
	report_id(&id_reports[0]);
	for (uint32_t i = 1; i < n; i++) {
		if (arch_cpu_start(i, report_id, &id_reports[i]) != 0) {
			conf_error(ctx, "arch_cpu_start(%u) refused", i);
			return;
		}
	}
	for (uint32_t i = 1; i < n; i++) {
		if (!conf_apic_wait_flag(&id_reports[i].done) || !conf_apic_join(i)) {
			conf_error(ctx, "processor %u did not report", i);
			return;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		/* The xAPIC ID is 8 bits; CPUID's initial ID is its low byte in x2APIC mode. */
		if (!conf_check_u64(ctx, "APIC ID register vs CPUID initial APIC ID",
				    id_reports[i].reg_id & 0xffu, id_reports[i].cpuid_id))
			return;
		for (uint32_t j = 0; j < i; j++)
			if (!conf_check_true(ctx, "APIC IDs distinct",
					     id_reports[i].reg_id != id_reports[j].reg_id))
				return;
	}
}

/* LVT writes while software-disabled — Expect: mask bits stay set until the APIC is enabled */
CONF_SCENARIO(apic_svr_disable_masks_lvt, "apic",
	      "Expect: with SVR bit 8 clear every LVT entry reads masked and a write that clears "
	      "the mask (LVT timer = 63h) reads back with bit 16 set; once SVR bit 8 is set the "
	      "entries stay masked until written, and the same write then clears the mask",
	      "SDM vol. 3 §11.4.7.2, §11.5.1", NULL)
{
	struct conf_apic_saved saved;

	conf_apic_save(&saved);
	arch_apic_write(APIC_LVT_TIMER, APIC_T_VEC_TIMER);
	arch_apic_write(APIC_SVR, 0xffu);
	conf_check_bit(ctx, "SVR after clearing bit 8", arch_apic_read(APIC_SVR), APIC_SVR_ENABLE,
		       false);
	conf_check_bit(ctx, "LVT timer after software disable", arch_apic_read(APIC_LVT_TIMER),
		       APIC_LVT_MASKED, true);
	conf_check_bit(ctx, "LVT LINT0 after software disable", arch_apic_read(APIC_LVT_LINT0),
		       APIC_LVT_MASKED, true);
	conf_check_bit(ctx, "LVT error after software disable", arch_apic_read(APIC_LVT_ERROR),
		       APIC_LVT_MASKED, true);
	arch_apic_write(APIC_LVT_TIMER, APIC_T_VEC_TIMER);
	conf_check_u64(ctx, "LVT timer written 63h while disabled", arch_apic_read(APIC_LVT_TIMER),
		       APIC_LVT_MASKED | APIC_T_VEC_TIMER);
	conf_apic_sw_enable();
	conf_check_bit(ctx, "LVT timer after software enable", arch_apic_read(APIC_LVT_TIMER),
		       APIC_LVT_MASKED, true);
	arch_apic_write(APIC_LVT_TIMER, APIC_T_VEC_TIMER);
	conf_check_u64(ctx, "LVT timer written 63h while enabled", arch_apic_read(APIC_LVT_TIMER),
		       APIC_T_VEC_TIMER);
	conf_apic_end(ctx, &saved);
}

/* TPR with nothing in service — Expect: TPR reads back what was written; PPR equals it */
CONF_SCENARIO(apic_tpr_ppr, "apic",
	      "Expect: TPR reads back each value written (bits 7:0); with the ISR empty PPR "
	      "equals TPR, class and sub-class",
	      "SDM vol. 3 §11.8.3.1", NULL)
{
	static const uint32_t values[] = { 0x00, 0x10, 0x35, 0x7f, 0xa1, 0xff, 0x20 };
	struct conf_apic_saved saved;

	conf_apic_save(&saved);
	conf_apic_sw_enable();
	if (!conf_check_true(ctx, "ISR empty", conf_apic_highest(APIC_ISR) < 0)) {
		conf_apic_end(ctx, &saved);
		return;
	}
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		arch_apic_write(APIC_TPR, values[i]);
		if (!conf_check_u64(ctx, "TPR", arch_apic_read(APIC_TPR) & 0xffu, values[i]) ||
		    !conf_check_u64(ctx, "PPR", arch_apic_read(APIC_PPR) & 0xffu, values[i]))
			break;
	}
	conf_apic_end(ctx, &saved);
}

/* A fixed self-IPI with vector 5 — Expect: not accepted; ESR bit 5 after the write-then-read */
CONF_SCENARIO(apic_esr_send_illegal_vector, "apic",
	      "Expect: ESR reads 0 after two writes; a fixed IPI with vector 5 (< 16) is not "
	      "accepted (IRR bits 15:0 stay 0) and, after the next ESR write, ESR has bit 5 (send "
	      "illegal vector) set; one more write clears it",
	      "SDM vol. 3 §11.5.3", NULL)
{
	struct conf_apic_saved saved;

	conf_apic_save(&saved);
	conf_apic_sw_enable();
	/* Masked: the error is recorded without an interrupt (§11.5.3). */
	arch_apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED | 0xfeu);
	arch_apic_write(APIC_ESR, 0);
	arch_apic_write(APIC_ESR, 0);
	if (!conf_check_u64(ctx, "ESR before the IPI", arch_apic_read(APIC_ESR), 0)) {
		conf_apic_end(ctx, &saved);
		return;
	}
	conf_apic_self_ipi(APIC_DM_FIXED, 5);
	conf_check_masked(ctx, "IRR bits 15:0", arch_apic_read(APIC_IRR), 0xffffu, 0);
	arch_apic_write(APIC_ESR, 0);
	conf_check_bit(ctx, "ESR after the write", arch_apic_read(APIC_ESR),
		       APIC_ESR_SEND_ILLEGAL_VECTOR, true);
	arch_apic_write(APIC_ESR, 0);
	conf_check_u64(ctx, "ESR after a second write", arch_apic_read(APIC_ESR), 0);
	conf_apic_end(ctx, &saved);
}
