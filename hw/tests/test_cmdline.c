/* SPDX-License-Identifier: MIT */
/* The hardware image's command-line parser (hw/src/cmdline.c), hosted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmdline.h"

struct parsed {
	char line[256];
	struct hw_options o;
	const char *why;
	const char *bad;
};

static void parse(struct parsed *p, const char *text)
{
	strcpy(p->line, text);
	p->why = hw_cmdline_parse(p->line, &p->o, &p->bad);
}

/* An empty line: every scenario, KTAP, no trace, no benchmark. */
static void test_defaults(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "");
	assert_null(p.why);
	assert_null(p.o.filter);
	assert_null(p.o.group);
	assert_int_equal(p.o.format, CONF_FMT_KTAP);
	assert_false(p.o.trace);
	assert_int_equal(p.o.bench, 0);
	assert_int_equal(p.o.bench_vmx, 0);
	assert_int_equal(p.o.cpus, 0);
	assert_int_equal(p.o.selftest, HW_SELFTEST_NONE);
	assert_int_equal(p.o.nskip, 0);
}

/* QEMU, GRUB and iPXE put the image name first; it is not an option. */
static void test_image_name_first(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "build/dev/hw/vxemu-hw.elf filter=svm_* trace");
	assert_null(p.why);
	assert_string_equal(p.o.filter, "svm_*");
	assert_true(p.o.trace);
}

/* Every option, with blanks of several kinds between the words. */
static void test_all_options(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "  filter=a?c\tgroup=vnmi   format=tap13 trace bench=250000 \n");
	assert_null(p.why);
	assert_string_equal(p.o.filter, "a?c");
	assert_string_equal(p.o.group, "vnmi");
	assert_int_equal(p.o.format, CONF_FMT_TAP13);
	assert_true(p.o.trace);
	assert_int_equal(p.o.bench, 250000);
}

static void test_formats(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "format=table");
	assert_int_equal(p.o.format, CONF_FMT_TABLE);
	parse(&p, "format=junit");
	assert_int_equal(p.o.format, CONF_FMT_JUNIT);
	parse(&p, "format=ktap");
	assert_int_equal(p.o.format, CONF_FMT_KTAP);
	parse(&p, "x format=xml");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "format=xml");
}

/* A typo after the first word is an error, not silently ignored. */
static void test_unknown_option(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "vxemu-hw.elf filtr=svm_*");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "filtr=svm_*");
	parse(&p, "vxemu-hw.elf trace extra");
	assert_string_equal(p.bad, "extra");
}

/* An option in first place with a bad value is reported, not taken for
 * the image name. */
static void test_bad_first_option(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "bench=0");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "bench=0");
}

static void test_bench_bounds(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "k bench=1");
	assert_null(p.why);
	assert_int_equal(p.o.bench, 1);
	parse(&p, "k bench=1000000000");
	assert_null(p.why);
	assert_int_equal(p.o.bench, HW_BENCH_MAX);
	parse(&p, "k bench=1000000001");
	assert_non_null(p.why);
	parse(&p, "k bench=12x");
	assert_non_null(p.why);
	parse(&p, "k bench=");
	assert_non_null(p.why);
	parse(&p, "k bench=99999999999999999999999");
	assert_non_null(p.why);
}

/* cpus= counts processors, 1 to HW_MAX_CPUS; selftest= knows smp. */
/* benchvmx=N: the VMX loop's count, bounded like bench=; never both. */
static void test_bench_vmx(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "k benchvmx=250000");
	assert_null(p.why);
	assert_int_equal(p.o.bench_vmx, 250000);
	assert_int_equal(p.o.bench, 0);
	parse(&p, "benchvmx=1");
	assert_null(p.why);
	assert_int_equal(p.o.bench_vmx, 1);
	parse(&p, "k benchvmx=1000000000");
	assert_null(p.why);
	assert_int_equal(p.o.bench_vmx, HW_BENCH_MAX);
	parse(&p, "k benchvmx=1000000001");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "benchvmx=1000000001");
	parse(&p, "k benchvmx=0");
	assert_non_null(p.why);
	parse(&p, "k benchvmx=");
	assert_non_null(p.why);
	parse(&p, "k benchvmx=5x");
	assert_non_null(p.why);
	parse(&p, "k bench=5 benchvmx=5");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "benchvmx=5");
	parse(&p, "k benchvmx=5 bench=5");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "bench=5");
}

static void test_smp_options(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "k cpus=4 selftest=smp");
	assert_null(p.why);
	assert_int_equal(p.o.cpus, 4);
	assert_int_equal(p.o.selftest, HW_SELFTEST_SMP);
	parse(&p, "k cpus=16");
	assert_null(p.why);
	assert_int_equal(p.o.cpus, HW_MAX_CPUS);
	parse(&p, "k cpus=17");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "cpus=17");
	parse(&p, "k cpus=0");
	assert_non_null(p.why);
	parse(&p, "k selftest=smpx");
	assert_non_null(p.why);
	parse(&p, "cpus=0");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "cpus=0");
}

static void test_empty_values(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "k filter=");
	assert_non_null(p.why);
	parse(&p, "k group=");
	assert_non_null(p.why);
}

/* skip= repeats, up to HW_SKIP_MAX words; each keeps its glob. */
static void test_skip(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "k skip=svm_a skip=svm_b* group=svm");
	assert_null(p.why);
	assert_int_equal(p.o.nskip, 2);
	assert_string_equal(p.o.skip[0], "svm_a");
	assert_string_equal(p.o.skip[1], "svm_b*");
	assert_string_equal(p.o.group, "svm");
	parse(&p, "skip=a skip=b skip=c skip=d skip=e skip=f skip=g skip=h skip=i");
	assert_non_null(p.why);
	assert_string_equal(p.bad, "skip=i");
	parse(&p, "k skip=");
	assert_non_null(p.why);
	/* Never taken for the image's name. */
	parse(&p, "skip= filter=x");
	assert_non_null(p.why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_image_name_first),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_bad_first_option),
		cmocka_unit_test(test_bench_bounds),
		cmocka_unit_test(test_bench_vmx),
		cmocka_unit_test(test_smp_options),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_skip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
