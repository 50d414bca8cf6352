/* SPDX-License-Identifier: MIT */
/*
 * Every conformance scenario on the model, one cmocka test each, on an AMD
 * and on an Intel machine. The model implements everything it advertises,
 * so a scenario must pass on the machine whose features it needs; on the
 * other it may only skip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "cli.h"
#include "emu/emu.h"
#include "model_run.h"

static const char *const status_names[] = { "PASS", "SKIP", "FAIL", "ERROR" };

static void run_on(const struct conf_scenario *sc, enum emu_vendor vendor,
		   struct conf_result *r)
{
	struct emu_config cfg;

	emu_config_default(&cfg);
	cfg.vendor = vendor;
	/* As `vxemu conformance` runs them: the mp scenarios need processors. */
	cfg.ncpus = VX_CONFORMANCE_CPUS;
	vx_model_run_scenario(&cfg, sc, r);
}

/*
 * Every scenario passes on the model machine of one vendor, and on the
 * other's passes too or skips for the feature that processor lacks: never
 * a failure, and never skipped on both.
 */
static void run_scenario(void **state)
{
	const struct conf_scenario *sc = *state;
	static const enum emu_vendor vendors[] = { EMU_VENDOR_AMD, EMU_VENDOR_INTEL };
	static const char *const vendor_names[] = { "amd", "intel" };
	bool passed = false;

	for (size_t v = 0; v < 2; v++) {
		struct conf_result r;

		run_on(sc, vendors[v], &r);
		if (r.status == CONF_PASS)
			passed = true;
		else if (r.status != CONF_SKIP)
			fail_msg("%s on %s: %s: %s (%s; %s)", sc->name, vendor_names[v],
				 r.status <= CONF_ERROR ? status_names[r.status] : "?", r.message,
				 sc->expect ? sc->expect : "", sc->ref ? sc->ref : "");
	}
	if (!passed)
		fail_msg("%s skips on both the AMD and the Intel model machine", sc->name);
}

int main(void)
{
	struct CMUnitTest *tests;
	int failed;

	if (conf_suite_len == 0) {
		fprintf(stderr, "the conformance suite has no scenarios\n");
		return 1;
	}
	tests = calloc(conf_suite_len, sizeof(*tests));
	if (!tests)
		return 1;
	for (size_t i = 0; i < conf_suite_len; i++) {
		tests[i].name = conf_suite[i]->name;
		tests[i].test_func = run_scenario;
		tests[i].initial_state = (void *)conf_suite[i];
	}
	failed = _cmocka_run_group_tests("model_scenarios", tests, conf_suite_len, NULL, NULL);
	free(tests);
	return failed;
}
