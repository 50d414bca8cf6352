/* SPDX-License-Identifier: MIT */
/*
 * The CLI's model runner: a scenario's verdict arrives intact, and a machine
 * the model cannot build becomes an ERROR that says why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "conf/conf.h"
#include "emu/emu.h"
#include "model_run.h"

static void passes_two_checks(struct conf_ctx *ctx)
{
	conf_check_true(ctx, "true is true", true);
	conf_check_u64(ctx, "answer", 42, 42);
}

static void fails_one_check(struct conf_ctx *ctx)
{
	conf_check_u64(ctx, "exit_code", 0x81, 0x7b);
}

static const char *never_supported(void)
{
	return "CPUID Fn8000_000A EDX[99] is clear";
}

static const struct conf_scenario passing = {
	.name = "cli_model_run_pass", .groups = "cli", .expect = "Expect: pass",
	.run = passes_two_checks,
};
static const struct conf_scenario failing = {
	.name = "cli_model_run_fail", .groups = "cli", .expect = "Expect: fail",
	.run = fails_one_check,
};
static const struct conf_scenario unsupported = {
	.name = "cli_model_run_skip", .groups = "cli", .expect = "Expect: skip",
	.unsupported = never_supported, .run = passes_two_checks,
};

static void a_pass_is_reported_with_its_checks(void **state)
{
	struct emu_config cfg;
	struct conf_result r;

	(void)state;
	emu_config_default(&cfg);
	vx_model_run_scenario(&cfg, &passing, &r);
	assert_ptr_equal(r.scenario, &passing);
	assert_int_equal(r.status, CONF_PASS);
	assert_int_equal(r.checks, 2);
}

static void a_failed_check_is_a_failure_naming_it(void **state)
{
	struct emu_config cfg;
	struct conf_result r;

	(void)state;
	emu_config_default(&cfg);
	vx_model_run_scenario(&cfg, &failing, &r);
	assert_int_equal(r.status, CONF_FAIL);
	assert_non_null(strstr(r.message, "exit_code"));
}

static void an_unsupported_scenario_skips_with_its_reason(void **state)
{
	struct emu_config cfg;
	struct conf_result r;

	(void)state;
	emu_config_default(&cfg);
	vx_model_run_scenario(&cfg, &unsupported, &r);
	assert_int_equal(r.status, CONF_SKIP);
	assert_non_null(strstr(r.message, "EDX[99]"));
}

static void a_machine_that_cannot_be_built_is_an_error(void **state)
{
	struct emu_config cfg;
	struct conf_result r;

	(void)state;
	emu_config_default(&cfg);
	cfg.ncpus = EMU_MAX_CPUS + 1;
	vx_model_run_scenario(&cfg, &passing, &r);
	assert_ptr_equal(r.scenario, &passing);
	assert_int_equal(r.status, CONF_ERROR);
	assert_non_null(strstr(r.message, "not created"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_pass_is_reported_with_its_checks),
		cmocka_unit_test(a_failed_check_is_a_failure_naming_it),
		cmocka_unit_test(an_unsupported_scenario_skips_with_its_reason),
		cmocka_unit_test(a_machine_that_cannot_be_built_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
