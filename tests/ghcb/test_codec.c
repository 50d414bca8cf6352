/* SPDX-License-Identifier: MIT */
/*
 * ghcb/: the page's accessors and valid bitmap, the scratch-area rule and
 * the MSR protocol's encoders and decoders, against the values of facts
 * §(b) (offsets, bit positions, KVM's example SEV_INFO value).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ghcb/ghcb.h"
#include "ghcb/msr.h"

static struct ghcb page;

/* Setting a field sets exactly its bit, offset / 8, and nothing else. */
static void test_valid_bits(void **state)
{
	static const struct {
		size_t off;
		unsigned bit;
	} want[] = {
		{ 0x0cb, 25 }, { 0x1f8, 63 }, { 0x308, 97 }, { 0x318, 99 },
		{ 0x390, 114 }, { 0x398, 115 }, { 0x3a0, 116 }, { 0x3a8, 117 }, { 0x3e8, 125 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(ghcb_bit(want[i].off), want[i].bit);
	memset(&page, 0, sizeof(page));
	ghcb_set_sw_exit_code(&page, 0x72);
	assert_true(ghcb_sw_exit_code_is_valid(&page));
	assert_false(ghcb_sw_exit_info_1_is_valid(&page));
	assert_int_equal(ghcb_get_sw_exit_code(&page), 0x72);
	assert_int_equal(page.save.valid_bitmap[114 / 8], 1u << (114 % 8));
	ghcb_set_cpl(&page, 3);
	assert_int_equal(page.save.valid_bitmap[25 / 8], 1u << (25 % 8));
	assert_int_equal(((uint8_t *)&page)[0x0cb], 3);
	ghcb_set_rax(&page, 0x1122334455667788ull);
	assert_memory_equal((uint8_t *)&page + 0x1f8, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
	ghcb_clear_valid(&page);
	assert_false(ghcb_sw_exit_code_is_valid(&page));
	assert_false(ghcb_cpl_is_valid(&page));
	assert_false(ghcb_rax_is_valid(&page));
}

/* Inside the page only the shared buffer; outside, at most 16 pages. */
static void test_scratch(void **state)
{
	const uint64_t g = 0x100000;

	(void)state;
	assert_true(ghcb_scratch_ok(g, g + 0x800, 0x7f0));
	assert_false(ghcb_scratch_ok(g, g + 0x800, 0x7f1));
	assert_false(ghcb_scratch_ok(g, g + 0x7ff, 1));
	assert_false(ghcb_scratch_ok(g, g + 0xff0, 1));
	assert_true(ghcb_scratch_ok(g, 0x200000, 16 * 4096));
	assert_false(ghcb_scratch_ok(g, 0x200000, 16 * 4096 + 1));
	assert_false(ghcb_scratch_ok(g, ~0ull - 8, 16));
}

static void test_msr_protocol(void **state)
{
	uint64_t req;

	(void)state;
	/* facts §(b): a v2 VM with C-bit 51 answers 0x0002_0001_3300_0001. */
	assert_int_equal(ghcb_msr_sev_info(2, 1, 51), 0x0002000133000001ull);
	assert_int_equal(ghcb_msr_sev_info_max(0x0002000133000001ull), 2);
	assert_int_equal(ghcb_msr_sev_info_min(0x0002000133000001ull), 1);
	assert_int_equal(ghcb_msr_sev_info_cbit(0x0002000133000001ull), 51);
	assert_int_equal(ghcb_msr_code(0x0002000133000001ull), GHCB_MSR_SEV_INFO_RESP);

	req = ghcb_msr_cpuid_req(0x8000001f, GHCB_CPUID_EBX);
	assert_int_equal(req, 0x8000001f40000004ull);
	assert_int_equal(ghcb_msr_cpuid_fn(req), 0x8000001f);
	assert_int_equal(ghcb_msr_cpuid_reg(req), GHCB_CPUID_EBX);
	/* The response keeps the request's bits 31:12, the selector among them. */
	assert_int_equal(ghcb_msr_cpuid_resp(req, 0xdeadbeef), 0xdeadbeef40000005ull);

	assert_int_equal(ghcb_msr_ap_reset_hold_resp(1), 0x1007);
	assert_int_equal(ghcb_msr(0x3, GHCB_MSR_HV_FT_RESP), 0x3081);
	assert_int_equal(ghcb_msr(GHCB_MSR_GPA_NONE, GHCB_MSR_PREF_GPA_RESP),
			 0xfffffffffffff011ull);
	assert_int_equal(ghcb_msr_term_req(GHCB_TERM_SET_GENERAL, GHCB_TERM_GENERAL_REQUEST),
			 0x100);
	assert_int_equal(ghcb_msr_term_req(1, 2), 0x21100);
	assert_int_equal(ghcb_msr_term_set(0x21100), 1);
	assert_int_equal(ghcb_msr_term_code(0x21100), 2);
	assert_int_equal(ghcb_msr_psc_req(0x12345, 2), 0x0020000012345014ull);
	assert_true(ghcb_msr_is_page(0x7000));
	assert_false(ghcb_msr_is_page(0x7002));
	assert_int_equal(ghcb_msr_data(0x7000), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_bits),
		cmocka_unit_test(test_scratch),
		cmocka_unit_test(test_msr_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
