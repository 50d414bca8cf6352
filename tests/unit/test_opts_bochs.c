/* SPDX-License-Identifier: MIT */
/* `vxemu conformance --platform bochs` and its --vendor: what the parser
 * takes and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "opts.h"

#define ARGV(...) ((char *const[]){ __VA_ARGS__ })
#define ARGC(...) ((int)(sizeof((char *const[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, err, ...) \
	vx_conf_opts_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (err), sizeof(err))

/* Bochs with its default vendor, and with each vendor named. */
static void bochs_and_vendors(void **state)
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];

	(void)state;
	assert_int_equal(PARSE(&o, err, "conformance", "--platform", "bochs"), VX_OPTS_RUN);
	assert_int_equal(o.platform, VX_PLATFORM_BOCHS);
	assert_null(o.vendor);
	assert_int_equal(PARSE(&o, err, "conformance", "--platform=bochs", "--vendor", "amd",
			       "--image", "x.iso", "--group", "svm"),
			 VX_OPTS_RUN);
	assert_string_equal(o.vendor, "amd");
	assert_string_equal(o.image, "x.iso");
	assert_int_equal(PARSE(&o, err, "conformance", "--vendor=intel", "--platform", "bochs"),
			 VX_OPTS_RUN);
	assert_string_equal(o.vendor, "intel");
}

static const struct {
	const char *argv[6];
	const char *says; /* the message names this */
} bad[] = {
	{ { "conformance", "--platform", "bochs", "--vendor", "via" }, "via" },
	{ { "conformance", "--platform", "bochs", "--vendor" }, "--vendor" },
	{ { "conformance", "--vendor", "amd" }, "bochs" },
	{ { "conformance", "--platform", "qemu", "--vendor", "amd" }, "bochs" },
	{ { "conformance", "--platform", "bochs", "--no-nrips" }, "--platform bochs" },
	{ { "conformance", "--platform", "bochs", "--cpus", "2" }, "--cpus" },
};

/* Every refusal is a usage error whose message names what is wrong. */
static void bochs_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vx_conf_opts o;
		char err[VX_OPTS_ERR_MAX];
		int argc = 0;

		while (argc < 6 && bad[i].argv[argc])
			argc++;
		memset(err, 0, sizeof(err));
		assert_int_equal(vx_conf_opts_parse(argc, (char *const *)bad[i].argv, &o, err,
						    sizeof(err)),
				 VX_OPTS_BAD);
		assert_non_null(strstr(err, bad[i].says));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bochs_and_vendors),
		cmocka_unit_test(bochs_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
