/* SPDX-License-Identifier: MIT */
/* The cycle cost table and its text format (docs/cycle-costs.md). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/emu.h"

static int parse(const char *text, char *err, size_t n)
{
	struct emu_costs *c = emu_costs_new();
	int rc;

	assert_non_null(c);
	rc = emu_costs_parse(c, text, err, n);
	emu_costs_free(c);
	return rc;
}

/* Comments, blank lines, mnemonics and world-switch names are accepted. */
static void test_valid(void **state)
{
	char err[128] = "";

	(void)state;
	assert_int_equal(parse("# costs\n\ncpuid 120\n  div 30  # slow\nvmrun 900\n"
			       "event-delivery 1\n", err, sizeof(err)), 0);
}

/* Each malformed line is refused with its line number. */
static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"cpuid\n",                 /* no cost */
		"cpuid ten\n",             /* not a number */
		"cpuid -3\n",              /* negative */
		"cpuid 70000\n",           /* above an instruction's 16-bit range */
		"frobnicate 3\n",          /* unknown name */
		"nop 1\ncpuid 1 2\n",      /* trailing junk, line 2 */
		"vmrun 99999999999\n",     /* above 32 bits */
		"cpuid 0\n",               /* a free instruction stops the clock */
		"nop 0\n",
		"vmexit 0\n",              /* stands for the instruction that exits */
		"event-delivery 0\n",      /* stands for the instruction that faults */
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "line"));
	}
	assert_int_equal(parse("nop 1\ncpuid 1 2\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2"));
}

/* Host-side costs may be 0: no guest step is left without a cost by it. */
static void test_zero_host_costs(void **state)
{
	char err[128] = "";

	(void)state;
	assert_int_equal(parse("vmrun 0\nvmload 0\nvmsave 0\nhost-op 0\n", err, sizeof(err)), 0);
	assert_int_equal(parse("jmp 0\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"jmp\" cannot cost 0"));
}

static int load(const char *path, char *err, size_t n)
{
	struct emu_costs *c = emu_costs_new();
	int rc;

	assert_non_null(c);
	err[0] = '\0';
	rc = emu_costs_load(c, path, err, n);
	emu_costs_free(c);
	return rc;
}

/* A file with no size to read up to is refused, not read for ever. */
static void test_not_a_regular_file(void **state)
{
	static const char *const paths[] = { "/dev/zero", "/dev/urandom", "/dev/null", "/" };
	char dir[] = "/tmp/vxemu-costs-XXXXXX";
	char fifo[sizeof(dir) + 8];
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(load(paths[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "not a regular file"));
	}
	/* Opening a FIFO nobody writes to would wait for ever. */
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(load(fifo, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(fifo);
	rmdir(dir);
}

static void test_missing_file(void **state)
{
	struct emu_costs *c = emu_costs_new();
	char err[256];

	(void)state;
	assert_int_equal(emu_costs_load(c, "/nonexistent/vxemu-costs", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "vxemu-costs"));
	emu_costs_free(c);
}

int main(void)
{
	/* A load that blocks must fail the test, not hang it. */
	alarm(60);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_zero_host_costs),
		cmocka_unit_test(test_not_a_regular_file),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
