/* SPDX-License-Identifier: MIT */
/*
 * The hv core's TSC-deadline timer round trip (conf/bench.h) on an Intel
 * model machine, through the exit fastpath and the full exit path, in one
 * run: model cycles and host CPU time per round trip, each from the
 * difference of two fixed batches so that the VM's set-up cancels and a
 * deterministic model prints the same cycle figure every time.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_machine.h"
#include "conf/bench.h"
#include "emu/emu.h"
#include "vx/arch.h"

#define SHORT_TRIPS 500u
#define LONG_TRIPS 5500u

struct tsc_run {
	bool fastpath;
	uint64_t cycles[2], fast_exits;
	double t[2];
	bool ok;
	char why[160];
};

static void tsc_on_model(void *p)
{
	static const uint64_t trips[2] = { SHORT_TRIPS, LONG_TRIPS };
	struct tsc_run *a = p;

	for (unsigned i = 0; i < 2; i++) {
		double t0 = vx_cpu_seconds();
		uint64_t c0 = arch_rdtsc(), done;

		done = conf_tsc_deadline_roundtrips(trips[i], a->fastpath, &a->fast_exits, a->why,
						    sizeof(a->why));
		a->cycles[i] = arch_rdtsc() - c0;
		a->t[i] = vx_cpu_seconds() - t0;
		if (done != trips[i]) {
			if (!a->why[0])
				snprintf(a->why, sizeof(a->why), "%llu of %llu round trips",
					 (unsigned long long)done, (unsigned long long)trips[i]);
			return;
		}
	}
	a->ok = true;
}

static void one_path(bool fastpath, struct vx_bench_tsc_path *out)
{
	struct tsc_run a;
	char why[sizeof(out->why)];

	memset(&a, 0, sizeof(a));
	memset(out, 0, sizeof(*out));
	a.fastpath = fastpath;
	if (vx_bench_on_intel_model(tsc_on_model, &a, why, sizeof(why)) != 0) {
		snprintf(out->why, sizeof(out->why), "%s", a.why[0] ? a.why : why);
		return;
	}
	if (!a.ok || a.cycles[1] <= a.cycles[0]) {
		snprintf(out->why, sizeof(out->why), "conf_tsc_deadline_roundtrips: %s",
			 a.why[0] ? a.why : "the round trips did not run");
		return;
	}
	out->ok = true;
	out->trips = LONG_TRIPS - SHORT_TRIPS;
	out->cycles_per_trip = (double)(a.cycles[1] - a.cycles[0]) / (double)out->trips;
	out->ns_per_trip = (a.t[1] - a.t[0]) * 1e9 / (double)out->trips;
	out->fastpath_exits = a.fast_exits;
}

void vx_bench_model_tsc_deadline(struct vx_bench_tsc *out)
{
	one_path(true, &out->fast);
	one_path(false, &out->slow);
}
