/* SPDX-License-Identifier: MIT */
/*
 * The conformance scenario svm_mp_ap_boot on a four-processor model, run
 * several times as `vxemu conformance` runs one scenario (a fresh machine
 * each time); its median CPU time and the model cycles it took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_machine.h"
#include "conf/conf.h"
#include "emu/emu.h"

#define SCENARIO "svm_mp_ap_boot"
/* The guest's BSP boots three APs: one vCPU per processor, four in all. */
#define APBOOT_CPUS 4u

struct boot_run {
	const struct conf_scenario *sc;
	struct conf_result res;
	double run_seconds; /* conf_run alone, without building the machine */
};

static void boot_on_bsp(void *p)
{
	struct boot_run *b = p;
	double t0 = vx_cpu_seconds();

	conf_run(b->sc, &b->res);
	b->run_seconds = vx_cpu_seconds() - t0;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static const struct conf_scenario *find_scenario(void)
{
	for (size_t i = 0; i < conf_suite_len; i++) {
		if (strcmp(conf_suite[i]->name, SCENARIO) == 0)
			return conf_suite[i];
	}
	return NULL;
}

void vx_bench_apboot(struct vx_bench_apboot *out)
{
	const struct conf_scenario *sc = find_scenario();
	double t[VX_BENCH_APBOOT_RUNS], run[VX_BENCH_APBOOT_RUNS];
	struct emu_config cfg;

	memset(out, 0, sizeof(*out));
	if (!sc) {
		snprintf(out->why, sizeof(out->why), "no scenario named %s in the suite", SCENARIO);
		return;
	}
	/* As `vxemu conformance` configures it, cycle limit included. */
	emu_config_default(&cfg);
	cfg.ncpus = APBOOT_CPUS;
	out->cycles_agree = true;
	for (uint32_t i = 0; i < VX_BENCH_APBOOT_RUNS; i++) {
		struct boot_run b = { .sc = sc };
		struct emu_stats st;
		char why[sizeof(out->why)];
		double t0 = vx_cpu_seconds();
		int r = vx_bench_on_machine(&cfg, boot_on_bsp, &b, &st, why, sizeof(why));

		t[i] = vx_cpu_seconds() - t0;
		run[i] = b.run_seconds;
		if (r != 0) {
			snprintf(out->why, sizeof(out->why), "%s", why);
			return;
		}
		if (b.res.status != CONF_PASS) {
			snprintf(out->why, sizeof(out->why), "%s did not pass: %.200s", SCENARIO,
				 b.res.message[0] ? b.res.message : "no message");
			return;
		}
		/* The scenario starts and ends on processor 0: its clock is the span. */
		if (i > 0 && st.cycles[0] != out->cycles)
			out->cycles_agree = false;
		out->cycles = st.cycles[0];
	}
	qsort(t, VX_BENCH_APBOOT_RUNS, sizeof(t[0]), cmp_double);
	qsort(run, VX_BENCH_APBOOT_RUNS, sizeof(run[0]), cmp_double);
	out->ok = true;
	out->runs = VX_BENCH_APBOOT_RUNS;
	out->median_seconds = t[VX_BENCH_APBOOT_RUNS / 2];
	out->median_run_seconds = run[VX_BENCH_APBOOT_RUNS / 2];
}
