/* SPDX-License-Identifier: MIT */
/*
 * IPIs between processors: physical destination by APIC ID, the
 * all-excluding-self shorthand, flat logical destinations, and NMI (SDM
 * vol. 3 §11.6.1, §11.6.2; facts §(e) "ICR").
 *
 * Each receiving processor runs `receiver` (arch_cpu_start): it enables its
 * APIC, says it is ready, waits for processor 0's "sent", watches its own
 * IRR (or its NMI count) with a bounded spin and writes what it saw into
 * shared memory; only processor 0 evaluates checks. A receiver retires
 * what it got itself (conf_apic_restore), which takes the interrupts through a
 * guest on that processor: the fixed-IPI scenarios need SVM for that.
 */
#include "apic_util.h"

#define MAX_RX 16u
/* After the first NMI: time for a wrongly duplicated second one to arrive. */
#define NMI_SETTLE_TICKS 20000000ull
#define VEC_NMI_FIELD 0x47u
/* Processor 0 waits for a report this many times the helpers' bound. */
#define RX_WAITS 4u

struct rx {
	uint32_t watch[2];      /* vectors to wait for in the IRR (0: none) */
	bool nmi;               /* wait for an NMI instead */
	uint32_t ldr;           /* flat logical ID to take (LDR bits 31:24), 0 for none */
	uint32_t ready, go, done;
	uint32_t apic_id;
	uint32_t seen[2];       /* 1 when watch[i] reached the IRR */
	uint32_t nmis;          /* NMIs taken while waiting */
	const char *err;        /* from leaving the APIC clean */
};

static struct rx rxs[MAX_RX];

static void receiver(void *arg)
{
	struct rx *r = arg;
	struct conf_apic_saved saved;
	uint32_t nmis0;

	conf_apic_save(&saved);
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	if (r->ldr) {
		arch_apic_write(APIC_DFR, APIC_DFR_FLAT);
		arch_apic_write(APIC_LDR, r->ldr << 24);
	}
	r->apic_id = conf_apic_self_id();
	nmis0 = arch_host_nmis();
	__atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);
	if (conf_apic_wait_flag(&r->go)) {
		for (unsigned i = 0; i < 2; i++)
			if (r->watch[i])
				r->seen[i] = conf_apic_wait_irr(r->watch[i]);
		if (r->nmi) {
			uint64_t t0 = arch_rdtsc();

			while (arch_host_nmis() == nmis0 && arch_rdtsc() - t0 < NMI_SETTLE_TICKS * 100)
				arch_cpu_pause();
			conf_apic_delay(NMI_SETTLE_TICKS);
			r->nmis = arch_host_nmis() - nmis0;
		}
	}
	r->err = conf_apic_restore(&saved);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

/* Starts receivers on processors 1..n-1 and waits until they are ready. */
static bool start(struct conf_ctx *ctx, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		if (arch_cpu_start(i, receiver, &rxs[i]) != 0) {
			conf_error(ctx, "arch_cpu_start(%u) refused", i);
			return false;
		}
	}
	for (uint32_t i = 1; i < n; i++) {
		if (!conf_apic_wait_flag(&rxs[i].ready)) {
			conf_error(ctx, "processor %u did not get ready", i);
			return false;
		}
	}
	return true;
}

/* Tells receivers 1..n-1 the IPI is out, then waits for their reports. */
static bool finish(struct conf_ctx *ctx, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		__atomic_store_n(&rxs[i].go, 1, __ATOMIC_RELEASE);
	for (uint32_t i = 1; i < n; i++) {
		/* A receiver waits up to two bounded spins for its vectors: outwait it,
		 * so that a missing IPI is reported as what it is. */
		bool done = false;

		for (unsigned k = 0; k < RX_WAITS && !done; k++)
			done = conf_apic_wait_flag(&rxs[i].done);
		if (!done || !conf_apic_join(i)) {
			conf_error(ctx, "processor %u did not report", i);
			return false;
		}
	}
	return true;
}

/* After the checks: what the receivers and processor 0 left behind. */
static void end(struct conf_ctx *ctx, const struct conf_apic_saved *saved, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		conf_apic_report(ctx, "another processor", rxs[i].err);
	conf_apic_end(ctx, saved);
}

static void prepare(struct conf_apic_saved *saved, uint32_t n)
{
	hv_memset(rxs, 0, sizeof(rxs));
	conf_apic_save(saved);
	conf_apic_sw_enable();
	arch_apic_write(APIC_TPR, 0);
	(void)n;
}

/* A fixed IPI to processor 1's APIC ID — Expect: in processor 1's IRR, not in the sender's */
CONF_SCENARIO(svm_apic_ipi_fixed_physical, "apic",
	      "Expect: a fixed IPI (vector 52h, physical destination = processor 1's APIC ID, no "
	      "shorthand) sets IRR bit 52h on processor 1 and not on the sending processor 0",
	      "SDM vol. 3 §11.6.1, §11.6.2.1", conf_apic_need2_svm)
{
	struct conf_apic_saved saved;

	prepare(&saved, 2);
	rxs[1].watch[0] = APIC_T_VEC_IPI;
	if (start(ctx, 2)) {
		arch_apic_send_ipi(rxs[1].apic_id,
				   APIC_INT_ASSERT | APIC_DM_FIXED | APIC_T_VEC_IPI);
		if (finish(ctx, 2)) {
			conf_check_u64(ctx, "processor 1 saw IRR bit 52h", rxs[1].seen[0], 1);
			conf_check_true(ctx, "processor 0's IRR bit 52h clear",
					!conf_apic_bit(APIC_IRR, APIC_T_VEC_IPI));
		}
	}
	end(ctx, &saved, 2);
}

/* The all-excluding-self shorthand — Expect: every other processor gets it, the sender not */
CONF_SCENARIO(svm_apic_ipi_all_but_self, "apic",
	      "Expect: a fixed IPI (vector 52h) with the all-excluding-self shorthand (ICR bits "
	      "19:18 = 11b) sets IRR bit 52h on every other processor and not on the sender",
	      "SDM vol. 3 §11.6.1", conf_apic_need2_svm)
{
	struct conf_apic_saved saved;
	uint32_t n = arch_cpu_count();

	/* Every processor must be a receiver: a parked one would keep the IPI pending. */
	if (n > MAX_RX) {
		conf_error(ctx, "more than %u processors", MAX_RX);
		return;
	}
	prepare(&saved, n);
	for (uint32_t i = 1; i < n; i++)
		rxs[i].watch[0] = APIC_T_VEC_IPI;
	if (start(ctx, n)) {
		arch_apic_send_ipi(0, APIC_DEST_ALLBUT | APIC_INT_ASSERT | APIC_DM_FIXED |
					      APIC_T_VEC_IPI);
		if (finish(ctx, n)) {
			for (uint32_t i = 1; i < n; i++)
				if (!conf_check_u64(ctx, "another processor saw IRR bit 52h",
						    rxs[i].seen[0], 1))
					break;
			conf_check_true(ctx, "processor 0's IRR bit 52h clear",
					!conf_apic_bit(APIC_IRR, APIC_T_VEC_IPI));
		}
	}
	end(ctx, &saved, n);
}

/* Flat logical destinations 02h and 03h — Expect: the processors whose LDR bit matches */
CONF_SCENARIO(svm_apic_ipi_logical_flat, "apic",
	      "Expect: with DFR = FFFFFFFFh (flat) and LDR[31:24] = 01h on processor 0 and 02h on "
	      "processor 1, a fixed logical IPI to 02h (vector 42h) reaches processor 1 only, and "
	      "one to 03h (vector 81h) reaches both",
	      "SDM vol. 3 §11.6.2.2", conf_apic_need2_svm_xapic)
{
	struct conf_apic_saved saved;

	prepare(&saved, 2);
	arch_apic_write(APIC_DFR, APIC_DFR_FLAT);
	arch_apic_write(APIC_LDR, 0x01u << 24);
	if (!conf_check_u64(ctx, "processor 0 LDR", arch_apic_read(APIC_LDR), 0x01000000u) ||
	    !conf_check_u64(ctx, "processor 0 DFR model (bits 31:28)",
			    arch_apic_read(APIC_DFR) >> 28, 0xf)) {
		conf_apic_end(ctx, &saved);
		return;
	}
	rxs[1].ldr = 0x02;
	rxs[1].watch[0] = APIC_T_VEC_A;
	rxs[1].watch[1] = APIC_T_VEC_B;
	if (start(ctx, 2)) {
		arch_apic_send_ipi(0x02, APIC_DEST_LOGICAL | APIC_INT_ASSERT | APIC_DM_FIXED |
						 APIC_T_VEC_A);
		arch_apic_send_ipi(0x03, APIC_DEST_LOGICAL | APIC_INT_ASSERT | APIC_DM_FIXED |
						 APIC_T_VEC_B);
		if (finish(ctx, 2)) {
			conf_check_u64(ctx, "processor 1 saw 42h (destination 02h)", rxs[1].seen[0],
				       1);
			conf_check_u64(ctx, "processor 1 saw 81h (destination 03h)", rxs[1].seen[1],
				       1);
			conf_check_true(ctx, "processor 0 did not get 42h (destination 02h)",
					!conf_apic_bit(APIC_IRR, APIC_T_VEC_A));
			conf_check_true(ctx, "processor 0 got 81h (destination 03h)",
					conf_apic_bit(APIC_IRR, APIC_T_VEC_B));
		}
	}
	end(ctx, &saved, 2);
}

/* An NMI IPI to processor 1 — Expect: processor 1 takes exactly one NMI, the sender none */
CONF_SCENARIO(apic_ipi_nmi_other_processor, "apic",
	      "Expect: an NMI IPI (physical destination = processor 1's APIC ID, GIF = 1 there) "
	      "is taken by processor 1 exactly once; the sender takes none",
	      "SDM vol. 3 §11.6.1", conf_apic_need2)
{
	struct conf_apic_saved saved;
	uint32_t before;

	prepare(&saved, 2);
	rxs[1].nmi = true;
	if (start(ctx, 2)) {
		before = arch_host_nmis();
		arch_apic_send_ipi(rxs[1].apic_id, APIC_INT_ASSERT | APIC_DM_NMI | VEC_NMI_FIELD);
		if (finish(ctx, 2)) {
			conf_check_u64(ctx, "NMIs taken by processor 1", rxs[1].nmis, 1);
			conf_check_u64(ctx, "NMIs taken by processor 0", arch_host_nmis() - before, 0);
		}
	}
	end(ctx, &saved, 2);
}
