/* SPDX-License-Identifier: MIT */
/*
 * Model world switches: the hv core's own round-trip loop (VMRUN -> VMMCALL
 * -> #VMEXIT), the same function the hardware image runs for bench=N, so
 * the two platforms are measured on one piece of code.
 */
#include <stdio.h>

#include "bench.h"
#include "bench_machine.h"
#include "hv/hv.h"

#define CALIBRATION_TRIPS 20000u
#define MAX_TRIPS (UINT64_C(1) << 32)

struct trips_run {
	double seconds;      /* the CPU time the measured batch should take */
	uint64_t calib_done; /* round trips of the sizing batch, and its time */
	double calib_t;
	uint64_t trips, done;
	double t;
	/* For the memory measurement: RSS around the measured batch. */
	uint64_t rss_before, rss_after;
};

static uint64_t size_batch(double seconds, uint64_t done, double t)
{
	double n = (double)done * seconds / (t > 1e-6 ? t : 1e-6);

	if (n < 1.0)
		return 1;
	return n > (double)MAX_TRIPS ? MAX_TRIPS : (uint64_t)n;
}

/* On processor 0 of the model: a sizing batch, then the measured one. */
static void trips_on_model(void *p)
{
	struct trips_run *a = p;
	double t0;

	t0 = vx_cpu_seconds();
	a->calib_done = hv_bench_roundtrips(CALIBRATION_TRIPS);
	a->calib_t = vx_cpu_seconds() - t0;
	if (a->calib_done != CALIBRATION_TRIPS)
		return;
	a->trips = size_batch(a->seconds, a->calib_done, a->calib_t);
	a->rss_before = vx_rss_bytes();
	t0 = vx_cpu_seconds();
	a->done = hv_bench_roundtrips(a->trips);
	a->t = vx_cpu_seconds() - t0;
	a->rss_after = vx_rss_bytes();
}

static int run_trips(double seconds, struct trips_run *a, char *why, size_t whylen)
{
	*a = (struct trips_run){ .seconds = seconds };
	if (vx_bench_on_model(trips_on_model, a, NULL, why, whylen) != 0)
		return -1;
	if (a->calib_done != CALIBRATION_TRIPS || a->done != a->trips) {
		snprintf(why, whylen, "hv_bench_roundtrips stopped after %llu of %llu round trips",
			 (unsigned long long)(a->calib_done != CALIBRATION_TRIPS ? a->calib_done
										: a->done),
			 (unsigned long long)(a->calib_done != CALIBRATION_TRIPS ? CALIBRATION_TRIPS
										: a->trips));
		return -1;
	}
	return 0;
}

void vx_bench_model_roundtrips(double seconds, struct vx_bench_rate *out)
{
	struct trips_run a;

	out->ok = false;
	if (run_trips(seconds, &a, out->why, sizeof(out->why)) != 0)
		return;
	out->ok = true;
	out->count = a.done;
	out->seconds = a.t;
}

void vx_bench_memory(double seconds, struct vx_bench_rss *out)
{
	struct trips_run a;

	out->ok = false;
	if (run_trips(seconds, &a, out->why, sizeof(out->why)) != 0)
		return;
	if (!a.rss_before || !a.rss_after) {
		snprintf(out->why, sizeof(out->why), "/proc/self/statm cannot be read");
		return;
	}
	out->ok = true;
	out->trips = a.done;
	out->before = a.rss_before;
	out->after = a.rss_after;
}
