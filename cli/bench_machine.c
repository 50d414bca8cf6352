/* SPDX-License-Identifier: MIT */
#include "bench_machine.h"

#include <stdbool.h>
#include <stdio.h>

#include "emu/emu.h"

int vx_bench_on_machine(const struct emu_config *cfg, void (*fn)(void *arg), void *arg,
			struct emu_stats *stats, char *why, size_t whylen)
{
	struct emu_machine *m;
	int r;

	why[0] = '\0';
	m = emu_machine_create(cfg, why, whylen);
	if (!m)
		return -1;
	r = emu_machine_run(m, fn, arg);
	if (stats)
		emu_machine_stats(m, stats);
	if (r != 0)
		snprintf(why, whylen, "model stopped the run: %s", emu_machine_error(m));
	emu_machine_destroy(m);
	return r == 0 ? 0 : -1;
}

static int on_default(bool intel, void (*fn)(void *arg), void *arg, struct emu_stats *stats,
		      char *why, size_t whylen)
{
	struct emu_config cfg;

	emu_config_default(&cfg);
	if (intel)
		cfg.vendor = EMU_VENDOR_INTEL;
	/* A benchmark runs as long as it was sized to, not to a cycle budget. */
	cfg.max_cycles = 0;
	cfg.max_host_ms = 0;
	return vx_bench_on_machine(&cfg, fn, arg, stats, why, whylen);
}

int vx_bench_on_model(void (*fn)(void *arg), void *arg, struct emu_stats *stats, char *why,
		      size_t whylen)
{
	return on_default(false, fn, arg, stats, why, whylen);
}

int vx_bench_on_intel_model(void (*fn)(void *arg), void *arg, char *why, size_t whylen)
{
	return on_default(true, fn, arg, NULL, why, whylen);
}
