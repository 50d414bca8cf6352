/* SPDX-License-Identifier: MIT */
/*
 * The whole suite on the model, run exactly as `vxemu conformance` does:
 * its CPU time, with its wall time beside it, and the scenario that took
 * the most, which is where to look when the total grows.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "model_run.h"
#include "monotonic.h"

void vx_bench_suite(struct vx_bench_suite *out)
{
	struct emu_config cfg;
	double t0, w0;

	memset(out, 0, sizeof(*out));
	emu_config_default(&cfg);
	/* The processors `vxemu conformance` gives it, or the mp scenarios skip. */
	cfg.ncpus = VX_CONFORMANCE_CPUS;
	w0 = vx_monotonic();
	t0 = vx_cpu_seconds();
	for (size_t i = 0; i < conf_suite_len; i++) {
		struct conf_result r;
		double s0 = vx_cpu_seconds(), s;

		vx_model_run_scenario(&cfg, conf_suite[i], &r);
		s = vx_cpu_seconds() - s0;
		if (r.status == CONF_FAIL || r.status == CONF_ERROR)
			out->failed++;
		if (s > out->slowest_seconds) {
			out->slowest_seconds = s;
			snprintf(out->slowest, sizeof(out->slowest), "%s", conf_suite[i]->name);
		}
	}
	out->seconds = vx_cpu_seconds() - t0;
	out->wall_seconds = vx_monotonic() - w0;
	out->scenarios = (uint32_t)conf_suite_len;
	out->ok = true;
}
