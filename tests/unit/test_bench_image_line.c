/* SPDX-License-Identifier: MIT */
/* Reading the image's benchmark line back (cli/bench_image_line.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bench_image_line.h"

/* The line as docs/hardware.md shows it, amid a boot's other output. */
static void test_svm_line_with_rate(void **state)
{
	struct vx_bench_image_line l;

	(void)state;
	assert_true(vx_bench_image_line_parse(
		"# boot\nbench roundtrips 300000 tsc 10776803432 tsc_hz 2099673120 ns 5132610378 "
		"per_second 58449\n# vxemu-hw: finished with exit code 0\n",
		"roundtrips", &l));
	assert_int_equal(l.trips, 300000);
	assert_int_equal(l.tsc, 10776803432ull);
	assert_int_equal(l.per_second, 58449);
}

/* Without the PIT the line stops after tsc; serial lines may end in CR LF. */
static void test_vmx_line_without_rate(void **state)
{
	struct vx_bench_image_line l;

	(void)state;
	assert_true(vx_bench_image_line_parse("x\r\nbench vmx_roundtrips 1000 tsc 424242\r\n",
					      "vmx_roundtrips", &l));
	assert_int_equal(l.trips, 1000);
	assert_int_equal(l.tsc, 424242);
	assert_int_equal(l.per_second, 0);
}

/* One loop's line is not the other's. */
static void test_loops_apart(void **state)
{
	struct vx_bench_image_line l;

	(void)state;
	assert_false(vx_bench_image_line_parse("bench roundtrips 5 tsc 9\n", "vmx_roundtrips", &l));
	assert_false(vx_bench_image_line_parse("bench vmx_roundtrips 5 tsc 9\n", "roundtrips", &l));
	assert_int_equal(l.trips, 0);
}

/* Only at the start of a line, and only whole well-formed numbers. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"xbench vmx_roundtrips 5 tsc 9\n",
		"Bail out! bench vmx_roundtrips 5 tsc 9\n",
		"bench vmx_roundtrips tsc 9\n",
		"bench vmx_roundtrips 5x tsc 9\n",
		"bench vmx_roundtrips 5 tsc\n",
		"bench vmx_roundtrips 5 tsc -9\n",
		"bench vmx_roundtrips 5  tsc 9\n",
		"bench vmx_roundtrips 0 tsc 9\n",
		"bench vmx_roundtrips 99999999999999999999999 tsc 9\n",
		"bench vmx_roundtrips 5 tsc 9 tsc_hz 100\n",
		"bench vmx_roundtrips 5 tsc 9 tsc_hz 100 ns 7 per_second\n",
		"bench vmx_roundtrips 5 tsc 9 tsc_hz 100 ns 7 per_sec 3\n",
	};
	struct vx_bench_image_line l;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vx_bench_image_line_parse(bad[i], "vmx_roundtrips", &l))
			fail_msg("accepted: %s", bad[i]);
	}
}

/* A malformed line earlier does not hide a good one later. */
static void test_good_after_bad(void **state)
{
	struct vx_bench_image_line l;

	(void)state;
	assert_true(vx_bench_image_line_parse("bench vmx_roundtrips 5 tsc\nbench vmx_roundtrips 6 "
					      "tsc 7 tsc_hz 8 ns 9 per_second 10",
					      "vmx_roundtrips", &l));
	assert_int_equal(l.trips, 6);
	assert_int_equal(l.tsc, 7);
	assert_int_equal(l.per_second, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svm_line_with_rate),
		cmocka_unit_test(test_vmx_line_without_rate),
		cmocka_unit_test(test_loops_apart),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_good_after_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
