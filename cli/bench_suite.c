/* SPDX-License-Identifier: MIT */
/* Whole-suite wall time on the model, run exactly as `vxemu conformance` does. */
#include <stdio.h>

#include "bench.h"
#include "cli.h"
#include "model_run.h"
#include "monotonic.h"

void vx_bench_suite(struct vx_bench_rate *out, uint32_t *failed)
{
	struct emu_config cfg;
	double t0;

	emu_config_default(&cfg);
	/* The processors `vxemu conformance` gives it, or the mp scenarios skip. */
	cfg.ncpus = VX_CONFORMANCE_CPUS;
	*failed = 0;
	t0 = vx_monotonic();
	for (size_t i = 0; i < conf_suite_len; i++) {
		struct conf_result r;

		vx_model_run_scenario(&cfg, conf_suite[i], &r);
		if (r.status == CONF_FAIL || r.status == CONF_ERROR)
			(*failed)++;
	}
	out->seconds = vx_monotonic() - t0;
	out->count = conf_suite_len;
	out->ok = true;
}
