/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor core's freestanding printf (hv/src/lib/printf.c) against
 * the C library's, format by format, for the conversions and flags the
 * core and the scenarios use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hv/lib.h"

#define SAME(...)                                                     \
	do {                                                          \
		char want[128], got[128];                             \
		int nw = snprintf(want, sizeof(want), __VA_ARGS__);   \
		int ng = hv_snprintf(got, sizeof(got), __VA_ARGS__);  \
		assert_string_equal(got, want);                       \
		assert_int_equal(ng, nw);                             \
	} while (0)

static void test_hex_alternate_form(void **state)
{
	(void)state;
	SAME("%#llx", 0x63ull);
	SAME("%#llx", 0ull);
	SAME("%#x", 0xfee00080u);
	SAME("%#X", 0xabcu);
	SAME("%#018llx", 0x1234ull);
}

static void test_plain_conversions(void **state)
{
	(void)state;
	SAME("%x %X %u %d %i", 0xbeefu, 0xbeefu, 42u, -7, 13);
	SAME("%08x|%-6d|%6s|%c|%%", 0x1fu, 5, "ab", 'z');
	SAME("%llu %lld %zu", 18446744073709551615ull, -9223372036854775807ll - 1,
	     (size_t)77);
	SAME("%*d|%-*d", 5, 3, 4, 9);
}

static void test_truncation(void **state)
{
	char buf[5];

	(void)state;
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%#x", 0x123456u), 8);
	assert_string_equal(buf, "0x12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_alternate_form),
		cmocka_unit_test(test_plain_conversions),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
