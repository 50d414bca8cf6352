/* SPDX-License-Identifier: MIT */
/*
 * The capability MSRs of a model processor (vmx-model/caps.c). Expected
 * values are written out from SDM vol. 3D appendix A and the list of
 * controls the model implements (docs/modelled.md), bit by bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vmx-model/caps.h"
#include "x86/msr.h"

static struct vmx_caps caps_of(const struct vmx_caps_config *cfg)
{
	struct vmx_caps caps;

	assert_true(vmx_caps_init(&caps, cfg));
	return caps;
}

static uint64_t rdmsr(const struct vmx_caps *caps, uint32_t msr)
{
	uint64_t v = 0;

	if (!vmx_caps_rdmsr(caps, msr, &v))
		fail_msg("MSR 0x%x does not exist", msr);
	return v;
}

static void test_default_values(void **state)
{
	struct vmx_caps_config cfg;
	struct vmx_caps caps;

	(void)state;
	vmx_caps_config_default(&cfg);
	caps = caps_of(&cfg);
	/* locked, VMXON outside SMX */
	assert_int_equal(rdmsr(&caps, 0x3a), 0x5);
	/* revision 0x76780001, 4096 bytes, WB (6) in 53:50, bit 54 INS/OUTS, bit 55 TRUE controls */
	assert_int_equal(rdmsr(&caps, 0x480), 0x00d8100076780001ull);
	/* allowed-0: bits 1, 2, 4; allowed-1: those and 0, 3, 5, 6 */
	assert_int_equal(rdmsr(&caps, 0x481), 0x0000007f00000016ull);
	/*
	 * allowed-0: default1 (1, 4-6, 8, 13-16, 26); allowed-1: those and
	 * 2, 3, 7, 9-12, 19, 20, 22-25, 28-31 (no 21 TPR shadow, no 27 MTF)
	 */
	assert_int_equal(rdmsr(&caps, 0x482), 0xf7d9fffe0401e172ull);
	/* allowed-0: default1 (0-8, 10, 11, 13, 14, 16, 17); allowed-1: those and 9, 15, 18-22 */
	assert_int_equal(rdmsr(&caps, 0x483), 0x007fefff00036dffull);
	/* allowed-0: default1 (0-8, 12); allowed-1: those and 9, 14, 15 */
	assert_int_equal(rdmsr(&caps, 0x484), 0x0000d3ff000011ffull);
	/* rate 5, bit 5 (EFER.LMA saved), activity 6-8, 4 CR3 targets (24:16), bit 29 */
	assert_int_equal(rdmsr(&caps, 0x485), 0x200401e5ull);
	assert_int_equal(rdmsr(&caps, 0x486), 0x80000021ull);
	assert_int_equal(rdmsr(&caps, 0x487), 0xffffffffull);
	assert_int_equal(rdmsr(&caps, 0x488), 0x2000ull);
	/* CR4 bits 0-11, 13 (VMXE), 16-18, 20-22 */
	assert_int_equal(rdmsr(&caps, 0x489), 0x772fffull);
	/* highest index 0x17 (VMX_PREEMPTION_TIMER_VALUE, 0x482e) in bits 9:1 */
	assert_int_equal(rdmsr(&caps, 0x48a), 0x2eull);
	/* allowed-1: EPT 1, descriptor tables 2, RDTSCP 3, VPID 5, WBINVD 6, unrestricted 7 */
	assert_int_equal(rdmsr(&caps, 0x48b), 0x000000ee00000000ull);
	/* 0 execute-only, 6 walk of 4, 14 WB, 16 2M, 17 1G, 20 INVEPT, 21 A/D, 25-26 INVEPT types,
	 * 32 INVVPID, 40-43 INVVPID types */
	assert_int_equal(rdmsr(&caps, 0x48c), 0x00000f0106334041ull);
	/* TRUE: as above, but CR3-load/store exiting (15, 16) and save/load debug controls (2) may be 0 */
	assert_int_equal(rdmsr(&caps, 0x48d), 0x0000007f00000016ull);
	assert_int_equal(rdmsr(&caps, 0x48e), 0xf7d9fffe04006172ull);
	assert_int_equal(rdmsr(&caps, 0x48f), 0x007fefff00036dfbull);
	assert_int_equal(rdmsr(&caps, 0x490), 0x0000d3ff000011fbull);
	assert_int_equal(caps.maxphyaddr, 40);
}

static uint64_t misc_with(void (*change)(struct vmx_caps_config *cfg))
{
	struct vmx_caps_config cfg;
	struct vmx_caps caps;

	vmx_caps_config_default(&cfg);
	change(&cfg);
	caps = caps_of(&cfg);
	return rdmsr(&caps, 0x485);
}

static void no_hlt(struct vmx_caps_config *cfg) { cfg->activity_hlt = false; }
static void no_shutdown(struct vmx_caps_config *cfg) { cfg->activity_shutdown = false; }
static void no_wait_sipi(struct vmx_caps_config *cfg) { cfg->activity_wait_sipi = false; }
static void no_vmwrite_any(struct vmx_caps_config *cfg) { cfg->vmwrite_any_field = false; }
static void rate_0(struct vmx_caps_config *cfg) { cfg->preemption_timer_rate = 0; }
static void rate_31(struct vmx_caps_config *cfg) { cfg->preemption_timer_rate = 31; }

/* Each activity state is its own bit of IA32_VMX_MISC (bits 6, 7, 8), the rate bits 4:0. */
static void test_misc_switches(void **state)
{
	(void)state;
	assert_int_equal(misc_with(no_hlt), 0x200401a5ull);
	assert_int_equal(misc_with(no_shutdown), 0x20040165ull);
	assert_int_equal(misc_with(no_wait_sipi), 0x200400e5ull);
	assert_int_equal(misc_with(no_vmwrite_any), 0x000401e5ull);
	assert_int_equal(misc_with(rate_0), 0x200401e0ull);
	assert_int_equal(misc_with(rate_31), 0x200401ffull);
}

static void test_second_level_switches(void **state)
{
	struct vmx_caps_config cfg;
	struct vmx_caps caps;
	uint64_t v;

	(void)state;
	/* no EPT: no EPT or unrestricted guest allowed, only the VPID half of EPT_VPID_CAP */
	vmx_caps_config_default(&cfg);
	cfg.ept = cfg.ept_execute_only = cfg.ept_ad = cfg.unrestricted_guest = false;
	caps = caps_of(&cfg);
	assert_int_equal(rdmsr(&caps, 0x48b), 0x0000006c00000000ull);
	assert_int_equal(rdmsr(&caps, 0x48c), 0x00000f0100000000ull);

	/* neither EPT nor VPID: IA32_VMX_EPT_VPID_CAP does not exist */
	cfg.vpid = false;
	caps = caps_of(&cfg);
	assert_int_equal(rdmsr(&caps, 0x48b), 0x0000004c00000000ull);
	assert_false(vmx_caps_rdmsr(&caps, 0x48c, &v));

	/* EPT without execute-only, without A/D, without unrestricted guest */
	vmx_caps_config_default(&cfg);
	cfg.ept_execute_only = false;
	caps = caps_of(&cfg);
	assert_int_equal(rdmsr(&caps, 0x48c), 0x00000f0106334040ull);
	cfg.ept_ad = false;
	caps = caps_of(&cfg);
	assert_int_equal(rdmsr(&caps, 0x48c), 0x00000f0106134040ull);
	cfg.unrestricted_guest = false;
	caps = caps_of(&cfg);
	assert_int_equal(rdmsr(&caps, 0x48b), 0x0000006e00000000ull);
}

static void test_impossible_configs_refused(void **state)
{
	struct vmx_caps_config cfg;
	struct vmx_caps caps = { .basic = 0x1234 };

	(void)state;
	vmx_caps_config_default(&cfg);
	cfg.preemption_timer_rate = 32;
	assert_false(vmx_caps_init(&caps, &cfg));
	vmx_caps_config_default(&cfg);
	cfg.ept = false; /* unrestricted guest needs EPT (SDM §27.2.1.1) */
	assert_false(vmx_caps_init(&caps, &cfg));
	vmx_caps_config_default(&cfg);
	cfg.ept = cfg.unrestricted_guest = cfg.ept_ad = false;
	assert_false(vmx_caps_init(&caps, &cfg)); /* execute-only without EPT */
	vmx_caps_config_default(&cfg);
	cfg.maxphyaddr = 53;
	assert_false(vmx_caps_init(&caps, &cfg));
	assert_int_equal(caps.basic, 0x1234);
}

static void test_msrs_that_do_not_exist(void **state)
{
	struct vmx_caps_config cfg;
	struct vmx_caps caps;
	uint64_t v;

	(void)state;
	vmx_caps_config_default(&cfg);
	caps = caps_of(&cfg);
	assert_false(vmx_caps_rdmsr(&caps, 0x491, &v)); /* VMFUNC: no VM functions */
	assert_false(vmx_caps_rdmsr(&caps, 0x492, &v));
	assert_false(vmx_caps_rdmsr(&caps, 0x47f, &v));
	assert_false(vmx_caps_rdmsr(&caps, 0x10, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_values),
		cmocka_unit_test(test_misc_switches),
		cmocka_unit_test(test_second_level_switches),
		cmocka_unit_test(test_impossible_configs_refused),
		cmocka_unit_test(test_msrs_that_do_not_exist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
