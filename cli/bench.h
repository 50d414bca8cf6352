/* SPDX-License-Identifier: MIT */
/*
 * The measurements of `vxemu bench`. Each fills a vx_bench_rate; a
 * measurement that cannot run says why in it instead of failing the rest.
 * Wall-clock time (CLOCK_MONOTONIC) is read here and nowhere in the model.
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_BENCH_H
#define VX_CLI_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct vx_bench_rate {
	bool ok;
	uint64_t count;    /* round trips, instructions, scenarios... */
	double seconds;    /* wall time the count took */
	char why[256];     /* when !ok: why it could not be measured */
	char note[128];    /* when ok: anything worth printing beside it */
};

static inline double vx_bench_per_second(const struct vx_bench_rate *r)
{
	return r->ok && r->seconds > 0 ? (double)r->count / r->seconds : 0.0;
}

/* Model VMRUN -> VMMCALL -> #VMEXIT round trips (the hv core's loop). */
void vx_bench_model_roundtrips(double seconds, struct vx_bench_rate *out);
/* Guest instructions of a tight loop on the model, cycle accounting on. */
void vx_bench_model_mips(double seconds, struct vx_bench_rate *out);
/* The same loop on a bare Unicorn engine with no hooks. */
/* The loop on bare Unicorn, with no hooks or with one empty block hook. */
void vx_bench_unicorn_mips(double seconds, bool block_hook, struct vx_bench_rate *out);
/* The whole conformance suite on the model; count = scenarios, *failed set. */
void vx_bench_suite(struct vx_bench_rate *out, uint32_t *failed);
/* QEMU TCG round trips from two boots with bench=N; out->ok false if absent. */
void vx_bench_qemu_roundtrips(double seconds, struct vx_bench_rate *out);

/* IPI round trips between processors 0 and 1 of a two-processor model. */
struct vx_bench_ipi {
	bool ok;
	uint32_t fixed_trips;     /* the batch the cycle figure comes from */
	uint64_t cycles_per_trip; /* processor 0's TSC over that batch */
	uint64_t trips;           /* the batch sized to the wall-clock target */
	double seconds;           /* its wall time */
	char why[256];
};
void vx_bench_model_ipi(double seconds, struct vx_bench_ipi *out);

/* Runs of svm_mp_ap_boot; odd, so the median is one of them. */
#define VX_BENCH_APBOOT_RUNS 11u
struct vx_bench_apboot {
	bool ok;
	uint32_t runs;
	double median_seconds; /* fresh machine to destroyed machine, as conformance runs it */
	double median_run_seconds; /* the scenario alone, on a machine already built */
	uint64_t cycles;       /* processor 0's clock at the end of the run */
	bool cycles_agree;     /* every run took the same cycles, as a deterministic model must */
	char why[256];
};
/* The 4-vCPU AP-boot scenario on a four-processor model. */
void vx_bench_apboot(struct vx_bench_apboot *out);

struct vx_bench_rss {
	bool ok;
	uint64_t trips;
	uint64_t before, after; /* resident bytes */
	char why[256];
};
/* RSS around many round trips on one machine (after a warm-up). */
void vx_bench_memory(double seconds, struct vx_bench_rss *out);

/* Resident set size from /proc/self/statm, or 0 when it cannot be read. */
uint64_t vx_rss_bytes(void);

#endif
