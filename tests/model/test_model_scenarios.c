/* SPDX-License-Identifier: MIT */
/*
 * Every conformance scenario on the default model, one cmocka test each.
 * The model implements everything it advertises, so anything but PASS is a
 * failure here, SKIP included.
 */
#include <setjmp.h>
#include <stdarg.h>
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

static void run_scenario(void **state)
{
	const struct conf_scenario *sc = *state;
	struct emu_config cfg;
	struct conf_result r;

	emu_config_default(&cfg);
	/* As `vxemu conformance` runs them: the mp scenarios need processors. */
	cfg.ncpus = VX_CONFORMANCE_CPUS;
	vx_model_run_scenario(&cfg, sc, &r);
	if (r.status != CONF_PASS)
		fail_msg("%s: %s: %s (%s; %s)", sc->name,
			 r.status <= CONF_ERROR ? status_names[r.status] : "?", r.message,
			 sc->expect ? sc->expect : "", sc->ref ? sc->ref : "");
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
