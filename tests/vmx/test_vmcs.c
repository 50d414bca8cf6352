/* SPDX-License-Identifier: MIT */
/*
 * VMREAD and VMWRITE on the model's VMCS (vmx-model/vmcs.c): the error
 * numbers of SDM table 31-1, the operand sizes of chapter 31, the high
 * halves of 64-bit fields (§25.11.2), launch state and revision identifier.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vmx-model/caps.h"
#include "vmx-model/vmcs.h"
#include "x86/vmcs_fields.h"

static struct vmx_caps caps;
static struct vmx_vmcs vmcs;

static void setup_with(void (*change)(struct vmx_caps_config *cfg))
{
	struct vmx_caps_config cfg;

	vmx_caps_config_default(&cfg);
	if (change)
		change(&cfg);
	assert_true(vmx_caps_init(&caps, &cfg));
	vmx_vmcs_init(&vmcs, 0x76780001u);
}

static uint64_t rd(uint64_t enc, bool long_mode)
{
	uint64_t v = 0xbadbadbadull;

	assert_int_equal(vmx_vmread(&vmcs, &caps, enc, long_mode, &v), 0);
	return v;
}

static void wr(uint64_t enc, uint64_t v, bool long_mode)
{
	assert_int_equal(vmx_vmwrite(&vmcs, &caps, enc, v, long_mode), 0);
}

static const uint32_t all[] = {
#define ENC(enc, name) enc,
	VMCS_FIELDS(ENC)
#undef ENC
};

static uint64_t pattern(size_t i)
{
	return 0x0123456789abcdefull * (i + 1) ^ 0xa5a5a5a5a5a5a5a5ull;
}

static uint64_t width_mask(uint32_t enc)
{
	switch (enc >> 13 & 3) { /* bits 14:13, written out from §25.11.2 */
	case 0: return 0xffff;
	case 2: return 0xffffffff;
	default: return ~0ull;
	}
}

/*
 * Every field keeps its own value at its own width: a field placed over
 * another, or in a member of the wrong size, reads back something else.
 */
static void test_every_field_holds_its_value(void **state)
{
	(void)state;
	setup_with(NULL);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		wr(all[i], pattern(i), true);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		uint64_t got = rd(all[i], true), want = pattern(i) & width_mask(all[i]);

		if (got != want)
			fail_msg("field 0x%04x: 0x%llx, expected 0x%llx", all[i],
				 (unsigned long long)got, (unsigned long long)want);
	}
}

static void test_unsupported_components(void **state)
{
	uint64_t v;

	(void)state;
	setup_with(NULL);
	static const uint64_t bad[] = {
		0x4828,                    /* GUEST_SMBASE: SMM is not modelled */
		0x2012,                    /* virtual-APIC address: no TPR shadow */
		0x4827,                    /* high access to a 32-bit field */
		0x6401,                    /* high access to a natural-width field */
		0x0001,                    /* high access to a 16-bit field */
		0x5826,                    /* bit 12 set */
		0x14826,                   /* bit 16 set */
		0x100004826ull,            /* bits 63:32 set */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vmx_vmread(&vmcs, &caps, bad[i], true, &v), 12);
		assert_int_equal(vmx_vmwrite(&vmcs, &caps, bad[i], 0, true), 12);
	}
}

static void no_ept_vpid(struct vmx_caps_config *cfg)
{
	cfg->ept = cfg->ept_execute_only = cfg->ept_ad = cfg->unrestricted_guest = false;
	cfg->vpid = false;
}

/* Without EPT and VPID their fields are not supported components. */
static void test_fields_of_absent_features(void **state)
{
	static const uint64_t gone[] = { 0x0000, 0x201a, 0x201b, 0x2400, 0x280a, 0x2810, 0x2811 };
	uint64_t v;

	(void)state;
	setup_with(no_ept_vpid);
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		assert_int_equal(vmx_vmread(&vmcs, &caps, gone[i], true, &v), 12);
		assert_int_equal(vmx_vmwrite(&vmcs, &caps, gone[i], 0, true), 12);
	}
	wr(0x681e, 0x1000, true);
	assert_int_equal(rd(0x681e, true), 0x1000);
}

static void test_high_halves(void **state)
{
	(void)state;
	setup_with(NULL);
	wr(0x2010, 0x1122334455667788ull, true); /* TSC_OFFSET */
	assert_int_equal(rd(0x2011, true), 0x11223344ull);
	wr(0x2011, 0xffffffffaabbccddull, true); /* only bits 31:0 of the operand count */
	assert_int_equal(rd(0x2010, true), 0xaabbccdd55667788ull);
	assert_int_equal(rd(0x2011, true), 0xaabbccddull);
}

static void test_narrow_fields_truncate(void **state)
{
	(void)state;
	setup_with(NULL);
	wr(0x0802, 0x12345678ull, true); /* GUEST_CS_SELECTOR, 16 bits */
	assert_int_equal(rd(0x0802, true), 0x5678);
	wr(0x4826, 0x100000003ull, true); /* GUEST_ACTIVITY_STATE, 32 bits */
	assert_int_equal(rd(0x4826, true), 3);
	wr(0x681e, 0xfedcba9876543210ull, true); /* GUEST_RIP, natural width */
	assert_int_equal(rd(0x681e, true), 0xfedcba9876543210ull);
}

/* Outside 64-bit mode the operands are 32 bits (SDM chapter 31, VMREAD and VMWRITE). */
static void test_outside_long_mode(void **state)
{
	(void)state;
	setup_with(NULL);
	wr(0x681e, 0xffffffff12345678ull, true);
	assert_int_equal(rd(0x681e, false), 0x12345678ull);
	wr(0x681e, 0xdeadbeef00001000ull, false);
	assert_int_equal(rd(0x681e, true), 0x1000);
	wr(0x2010, 0x1122334455667788ull, true);
	assert_int_equal(rd(0x2010, false), 0x55667788ull);
	wr(0x2010, 0x99999999aabbccddull, false); /* the field's bits 63:32 are cleared */
	assert_int_equal(rd(0x2010, true), 0xaabbccddull);
	wr(0x2011, 0x12345678ull, false);
	assert_int_equal(rd(0x2010, true), 0x12345678aabbccddull);
}

static void no_vmwrite_any(struct vmx_caps_config *cfg) { cfg->vmwrite_any_field = false; }

/* Error 13 exactly where IA32_VMX_MISC bit 29 is clear. */
static void test_read_only_fields(void **state)
{
	static const uint64_t ro[] = { 0x4400, 0x4402, 0x4408, 0x440e, 0x6400, 0x640a, 0x2400, 0x2401 };

	(void)state;
	setup_with(no_vmwrite_any);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		assert_int_equal(vmx_vmwrite(&vmcs, &caps, ro[i], 0x21, true), 13);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		assert_int_equal(rd(ro[i], true), 0);

	setup_with(NULL);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		wr(ro[i], 0x21, true);
	assert_int_equal(rd(0x4402, true), 0x21);
	assert_int_equal(rd(0x6400, true), 0x21);
}

static void test_revision_and_launch_state(void **state)
{
	(void)state;
	setup_with(NULL);
	assert_int_equal(*(const uint32_t *)&vmcs, 0x76780001u);
	assert_int_equal(vmx_vmptrld_check(&vmcs, &caps), 0);
	vmcs.revision_id = 0x76780002u;
	assert_int_equal(vmx_vmptrld_check(&vmcs, &caps), 11);
	/* the shadow-VMCS indicator: VMCS shadowing is not modelled */
	vmcs.revision_id = 0x80000000u | 0x76780001u;
	assert_int_equal(vmx_vmptrld_check(&vmcs, &caps), 11);

	vmx_vmcs_init(&vmcs, 0x76780001u);
	assert_int_equal(vmx_launch_state_check(&vmcs, false), 0);
	assert_int_equal(vmx_launch_state_check(&vmcs, true), 5);
	vmx_vmcs_set_launched(&vmcs);
	assert_int_equal(vmx_launch_state_check(&vmcs, false), 4);
	assert_int_equal(vmx_launch_state_check(&vmcs, true), 0);
	wr(0x681e, 0x4000, true);
	vmx_vmcs_clear(&vmcs);
	assert_int_equal(vmx_launch_state_check(&vmcs, false), 0);
	assert_int_equal(vmx_launch_state_check(&vmcs, true), 5);
	assert_int_equal(rd(0x681e, true), 0x4000); /* VMCLEAR keeps the data */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field_holds_its_value),
		cmocka_unit_test(test_unsupported_components),
		cmocka_unit_test(test_fields_of_absent_features),
		cmocka_unit_test(test_high_halves),
		cmocka_unit_test(test_narrow_fields_truncate),
		cmocka_unit_test(test_outside_long_mode),
		cmocka_unit_test(test_read_only_fields),
		cmocka_unit_test(test_revision_and_launch_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
