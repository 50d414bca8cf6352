/* SPDX-License-Identifier: MIT */
/* The option parsers of `vxemu conformance` and `vxemu bench`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "emu/emu.h"
#include "opts.h"

#define ARGV(...) ((char *const[]){ __VA_ARGS__ })
#define ARGC(...) ((int)(sizeof((char *const[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE_CONF(o, err, ...) \
	vx_conf_opts_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (err), sizeof(err))
#define PARSE_BENCH(o, err, ...) \
	vx_bench_opts_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (err), sizeof(err))

static void conf_defaults(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_CONF(&o, err, "conformance"), VX_OPTS_RUN);
	assert_false(o.list);
	assert_null(o.filter);
	assert_null(o.group);
	assert_int_equal(o.format, CONF_FMT_TABLE);
	assert_int_equal(o.platform, VX_PLATFORM_MODEL);
	assert_null(o.image);
	assert_true(o.vnmi);
	assert_true(o.nrips);
	assert_int_equal(o.cpus, 0);
	assert_null(o.costs);
}

static void conf_every_model_option(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_CONF(&o, err, "conformance", "--list", "--filter", "svm_*",
				    "--group", "vnmi", "--format", "junit", "--platform", "model",
				    "--no-vnmi", "--no-nrips", "--cpus", "4", "--costs", "c.txt"),
			 VX_OPTS_RUN);
	assert_true(o.list);
	assert_string_equal(o.filter, "svm_*");
	assert_string_equal(o.group, "vnmi");
	assert_int_equal(o.format, CONF_FMT_JUNIT);
	assert_int_equal(o.platform, VX_PLATFORM_MODEL);
	assert_false(o.vnmi);
	assert_false(o.nrips);
	assert_int_equal(o.cpus, 4);
	assert_string_equal(o.costs, "c.txt");
}

static void conf_equals_form(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_CONF(&o, err, "conformance", "--filter=a?c", "--group=svm",
				    "--format=ktap", "--cpus=16"),
			 VX_OPTS_RUN);
	assert_string_equal(o.filter, "a?c");
	assert_string_equal(o.group, "svm");
	assert_int_equal(o.format, CONF_FMT_KTAP);
	assert_int_equal(o.cpus, EMU_MAX_CPUS);
}

static void conf_qemu_with_image(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_CONF(&o, err, "conformance", "--platform", "qemu", "--image",
				    "images/hw.elf", "--format", "tap13"),
			 VX_OPTS_RUN);
	assert_int_equal(o.platform, VX_PLATFORM_QEMU);
	assert_string_equal(o.image, "images/hw.elf");
	assert_int_equal(o.format, CONF_FMT_TAP13);
}

static void conf_help_wins_over_errors_after_it(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_CONF(&o, err, "conformance", "--help", "--bogus"), VX_OPTS_HELP);
	assert_int_equal(PARSE_CONF(&o, err, "conformance", "-h"), VX_OPTS_HELP);
}

/* Each bad command line, and a word its message must contain. */
static const struct {
	const char *argv[6];
	const char *says;
} conf_bad[] = {
	{ { "conformance", "--bogus" }, "--bogus" },
	{ { "conformance", "svm" }, "svm" },
	{ { "conformance", "--format", "xml" }, "xml" },
	{ { "conformance", "--format" }, "--format" },
	{ { "conformance", "--filter" }, "--filter" },
	{ { "conformance", "--filter=" }, "--filter" },
	{ { "conformance", "--group" }, "--group" },
	{ { "conformance", "--platform", "kvm" }, "kvm" },
	{ { "conformance", "--cpus", "0" }, "--cpus" },
	{ { "conformance", "--cpus", "17" }, "--cpus" },
	{ { "conformance", "--cpus", "-1" }, "--cpus" },
	{ { "conformance", "--cpus", " 2" }, "--cpus" },
	{ { "conformance", "--cpus", "2x" }, "--cpus" },
	{ { "conformance", "--cpus", "99999999999999999999" }, "--cpus" },
	{ { "conformance", "--image", "a.elf" }, "--image" },
	{ { "conformance", "--platform", "qemu", "--no-vnmi" }, "--no-vnmi" },
	{ { "conformance", "--platform", "qemu", "--cpus", "2" }, "--cpus" },
	{ { "conformance", "--costs", "c", "--platform", "qemu" }, "--costs" },
	{ { "conformance", "--listing" }, "--listing" },
	{ { "conformance", "--list=yes" }, "--list=yes" },
};

static void conf_bad_arguments(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(conf_bad) / sizeof(conf_bad[0]); i++) {
		struct vx_conf_opts o;
		char err[VX_OPTS_ERR_MAX];
		int argc = 0;

		while (argc < 6 && conf_bad[i].argv[argc])
			argc++;
		memset(err, 0, sizeof(err));
		assert_int_equal(vx_conf_opts_parse(argc, (char *const *)conf_bad[i].argv, &o, err,
						    sizeof(err)),
				 VX_OPTS_BAD);
		if (!strstr(err, conf_bad[i].says))
			fail_msg("case %zu: message '%s' does not name '%s'", i, err, conf_bad[i].says);
	}
}

static void bench_options(void **state)
{
	struct vx_bench_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE_BENCH(&o, err, "bench"), VX_OPTS_RUN);
	assert_true(o.seconds == VX_BENCH_SECONDS_DEFAULT);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "0.5"), VX_OPTS_RUN);
	assert_true(o.seconds == 0.5);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds=7"), VX_OPTS_RUN);
	assert_true(o.seconds == 7.0);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--help"), VX_OPTS_HELP);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "0"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "-1"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "nan"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "inf"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "1e9"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds", "2s"), VX_OPTS_BAD);
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--seconds"), VX_OPTS_BAD);
	assert_non_null(strstr(err, "--seconds"));
	assert_int_equal(PARSE_BENCH(&o, err, "bench", "--fast"), VX_OPTS_BAD);
	assert_non_null(strstr(err, "--fast"));
}

static void number_parsers(void **state)
{
	uint32_t u;
	enum conf_format f;

	(void)state;
	assert_true(vx_parse_u32("1", 1, 16, &u));
	assert_int_equal(u, 1);
	assert_true(vx_parse_u32("16", 1, 16, &u));
	assert_int_equal(u, 16);
	assert_false(vx_parse_u32("", 1, 16, &u));
	assert_false(vx_parse_u32("+3", 1, 16, &u));
	assert_false(vx_parse_u32("0x3", 1, 16, &u));
	assert_false(vx_parse_u32("4294967296", 0, UINT32_MAX, &u));
	assert_true(vx_parse_u32("4294967295", 0, UINT32_MAX, &u));
	assert_int_equal(u, UINT32_MAX);
	assert_true(vx_parse_format("tap13", &f));
	assert_int_equal(f, CONF_FMT_TAP13);
	assert_false(vx_parse_format("TAP13", &f));
	assert_false(vx_parse_format(NULL, &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conf_defaults),
		cmocka_unit_test(conf_every_model_option),
		cmocka_unit_test(conf_equals_form),
		cmocka_unit_test(conf_qemu_with_image),
		cmocka_unit_test(conf_help_wins_over_errors_after_it),
		cmocka_unit_test(conf_bad_arguments),
		cmocka_unit_test(bench_options),
		cmocka_unit_test(number_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
