/* SPDX-License-Identifier: MIT */
/*
 * The measurements of `vxemu bench`. Each fills a result; a measurement that
 * cannot run says why in it instead of failing the rest.
 *
 * Clocks: the model runs in this process on one host thread, so its figures
 * are this process's CPU time (vx_cpu_seconds), which other load on a shared
 * machine barely moves. QEMU is a child process with threads of its own: its
 * figures are wall time (vx_monotonic) and say so. Bochs runs its guest on
 * one thread: its figure is its CPU time (vx_children_cpu_seconds), wall
 * time beside it. Neither clock is read in the model.
 *
 * Who may include it: cli/.
 */
#ifndef VX_CLI_BENCH_H
#define VX_CLI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vx_bench_loop;

struct vx_bench_rate {
	bool ok;
	bool wall;           /* seconds is wall time, not this process's CPU time */
	uint64_t count;      /* round trips, instructions, scenarios... */
	double seconds;      /* the time the count took */
	double child_cpu_seconds; /* beside wall time: the child process's CPU time */
	char why[256];       /* when !ok: why it could not be measured */
	char note[128];      /* when ok: anything worth printing beside it */
};

static inline double vx_bench_per_second(const struct vx_bench_rate *r)
{
	return r->ok && r->seconds > 0 ? (double)r->count / r->seconds : 0.0;
}

/* CPU time of this process (CLOCK_PROCESS_CPUTIME_ID), in seconds. */
double vx_cpu_seconds(void);
/* CPU time of the child processes waited for so far (RUSAGE_CHILDREN). */
double vx_children_cpu_seconds(void);

/* Model VMRUN -> VMMCALL -> #VMEXIT round trips (the hv core's loop). */
void vx_bench_model_roundtrips(double seconds, struct vx_bench_rate *out);
/* Guest instructions of a bench loop (bench_loop.h) on the model, cycle
 * accounting on. */
void vx_bench_model_mips(double seconds, const struct vx_bench_loop *loop,
			 struct vx_bench_rate *out);
/* The counting loop on bare Unicorn, with no hooks or with one empty block hook. */
void vx_bench_unicorn_mips(double seconds, bool block_hook, struct vx_bench_rate *out);
/* The whole conformance suite on the model. */
struct vx_bench_suite {
	bool ok;
	uint32_t scenarios, failed;
	double seconds;         /* CPU time */
	double wall_seconds;    /* wall time, beside it */
	char slowest[64];       /* the scenario that took the most CPU time... */
	double slowest_seconds; /* ...and how much */
};
void vx_bench_suite(struct vx_bench_suite *out);

/* The same suite recording every scenario's trace (bench_trace.c). */
struct vx_bench_trace {
	bool ok;
	char why[256];
	double seconds;          /* CPU time */
	uint64_t records, bytes; /* all the traces' records and file bytes */
	char largest[64];        /* the scenario with the most records... */
	size_t largest_records;  /* ...and how many */
};
void vx_bench_suite_traced(struct vx_bench_trace *out);
/* Records per CPU second through decode + diff of scenario's trace. */
void vx_bench_trace_compare(double seconds, const char *scenario, struct vx_bench_rate *out);
/* Model VMRESUME -> VMCALL -> VM exit round trips on an Intel machine
 * (conf/bench.h), and the model cycles each took. */
struct vx_bench_vmx {
	struct vx_bench_rate rate; /* CPU time */
	uint64_t cycle_trips;      /* the batch difference the cycle figure is from */
	double cycles_per_trip;    /* processor 0's TSC over it */
};
void vx_bench_model_vmx_roundtrips(double seconds, struct vx_bench_vmx *out);
/*
 * The hv core's TSC-deadline timer round trip on an Intel model machine
 * (conf/bench.h), through the exit fastpath and the full exit path: model
 * cycles and host CPU time per round trip, from the difference of two
 * fixed batches, and the exits the fastpath took in the longer one.
 */
struct vx_bench_tsc_path {
	bool ok;
	uint64_t trips;
	double cycles_per_trip;
	double ns_per_trip;
	uint64_t fastpath_exits;
	char why[200];
};
struct vx_bench_tsc {
	struct vx_bench_tsc_path fast, slow;
};
void vx_bench_model_tsc_deadline(struct vx_bench_tsc *out);
/*
 * The same loop in the hardware image under Bochs (benchvmx=N), from two
 * boots: Bochs' CPU time over the difference, wall time beside it. out->ok
 * false, with the reason, when Bochs or the boot ISO is missing.
 */
void vx_bench_bochs_vmx_roundtrips(double seconds, struct vx_bench_rate *out);
/* QEMU TCG round trips from two boots with bench=N; out->ok false if absent. */
void vx_bench_qemu_roundtrips(double seconds, struct vx_bench_rate *out);

/* The whole suite in the hardware image under QEMU TCG, wall time. */
struct vx_bench_qemu_suite {
	bool ok;
	double seconds;     /* wall time of the boot, start to end */
	double cpu_seconds; /* QEMU's own CPU time, all its threads */
	char smp[16];       /* the processors QEMU gave the image */
	uint32_t results, passed, failed, skipped;
	char why[256];
};
void vx_bench_qemu_suite(struct vx_bench_qemu_suite *out);

/* IPI round trips between processors 0 and 1 of a two-processor model. */
struct vx_bench_ipi {
	bool ok;
	uint32_t fixed_trips;     /* the batch the cycle figure comes from */
	uint64_t cycles_per_trip; /* processor 0's TSC over that batch */
	uint64_t trips;           /* the batch sized to the time target */
	double seconds;           /* its CPU time */
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
/* The 4-vCPU AP-boot scenario on a four-processor model (CPU time). */
void vx_bench_apboot(struct vx_bench_apboot *out);

struct vx_bench_rss {
	bool ok;
	uint64_t trips;
	uint64_t before, after; /* resident bytes */
	char why[256];
};
/* RSS around many round trips on one machine (after a warm-up). */
void vx_bench_memory(double seconds, struct vx_bench_rss *out);

/* The memory target: a machine's peak above its start, under this plus its RAM. */
#define VX_BENCH_PEAK_LIMIT (UINT64_C(64) << 20)

/* Each scenario on a fresh machine of its own, in a child process. */
struct vx_bench_peak {
	bool ok;
	uint32_t scenarios;     /* measured: the whole suite */
	uint32_t ncpus;
	uint64_t ram_size;      /* the machine's guest RAM */
	uint64_t peak;          /* the largest growth in resident bytes... */
	char scenario[64];      /* ...and the scenario it was */
	char why[256];
};
void vx_bench_peak_memory(struct vx_bench_peak *out);

/* Resident set size from /proc/self/statm, or 0 when it cannot be read. */
uint64_t vx_rss_bytes(void);

#endif
