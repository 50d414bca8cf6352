/* SPDX-License-Identifier: MIT */
/*
 * Model VMX world switches: the portable VMRESUME -> VMCALL -> VM exit loop
 * (conf/bench.h) on an Intel model machine, the same function the hardware
 * image runs for benchvmx=N, so the model and Bochs measure one piece of
 * code.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_machine.h"
#include "conf/bench.h"
#include "emu/emu.h"
#include "vx/arch.h"

#define CALIBRATION_TRIPS 20000u
/* The cycle figure: two fixed batches, so the set-up each does cancels. */
#define CYCLES_SHORT 1000u
#define MAX_TRIPS (UINT64_C(1) << 32)

struct vmx_run {
	double seconds;
	uint64_t short_cycles, calib_cycles;
	uint64_t calib_done;
	double calib_t;
	uint64_t trips, done;
	double t;
	char why[192];
};

static bool batch(struct vmx_run *a, uint64_t n, uint64_t *cycles, double *t)
{
	double t0 = vx_cpu_seconds();
	uint64_t c0 = arch_rdtsc(), done;

	done = conf_vmx_bench_roundtrips(n, a->why, sizeof(a->why));
	*cycles = arch_rdtsc() - c0;
	*t = vx_cpu_seconds() - t0;
	if (done != n && !a->why[0])
		snprintf(a->why, sizeof(a->why), "stopped after %llu of %llu round trips",
			 (unsigned long long)done, (unsigned long long)n);
	return done == n;
}

/* On processor 0 of the model: the cycle batches, then the measured one. */
static void vmx_on_model(void *p)
{
	struct vmx_run *a = p;
	uint64_t cycles;
	double t, n;

	if (!batch(a, CYCLES_SHORT, &a->short_cycles, &t) ||
	    !batch(a, CALIBRATION_TRIPS, &a->calib_cycles, &a->calib_t))
		return;
	a->calib_done = CALIBRATION_TRIPS;
	n = (double)CALIBRATION_TRIPS * a->seconds / (a->calib_t > 1e-6 ? a->calib_t : 1e-6);
	a->trips = n < 1.0 ? 1 : n > (double)MAX_TRIPS ? MAX_TRIPS : (uint64_t)n;
	if (batch(a, a->trips, &cycles, &a->t))
		a->done = a->trips;
}

void vx_bench_model_vmx_roundtrips(double seconds, struct vx_bench_vmx *out)
{
	struct vmx_run a;
	char why[sizeof(out->rate.why)];

	memset(&a, 0, sizeof(a));
	memset(out, 0, sizeof(*out));
	a.seconds = seconds;
	if (vx_bench_on_intel_model(vmx_on_model, &a, why, sizeof(why)) != 0) {
		snprintf(out->rate.why, sizeof(out->rate.why), "%s", a.why[0] ? a.why : why);
		return;
	}
	if (a.done != a.trips || !a.trips || a.calib_cycles <= a.short_cycles) {
		snprintf(out->rate.why, sizeof(out->rate.why), "conf_vmx_bench_roundtrips: %s",
			 a.why[0] ? a.why : "the round trips did not run");
		return;
	}
	out->rate.ok = true;
	out->rate.count = a.done;
	out->rate.seconds = a.t;
	out->cycle_trips = CALIBRATION_TRIPS - CYCLES_SHORT;
	out->cycles_per_trip =
		(double)(a.calib_cycles - a.short_cycles) / (double)out->cycle_trips;
}
