/* SPDX-License-Identifier: MIT */
/*
 * Decode assists as a machine switch (emu_config.decode_assists, APM vol.
 * 2 §15.8): with them, a MOV-from-CR intercept reports the MOV and its GPR
 * in EXITINFO1 (§15.8.1) and CPUID Fn8000_000A EDX[7] is set; without
 * them, as on QEMU TCG, EXITINFO1 is 0 and the bit is clear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "x86/svm.h"

extern const uint8_t t64_read_cr0[], t64_read_cr0_end[];

static struct {
	uint64_t exit_code, info1;
	uint32_t svm_edx;
} r;

static void host(void *arg)
{
	struct tguest g;
	struct arch_cpuid id;

	(void)arg;
	arch_cpuid(0x8000000au, 0, &id);
	r.svm_edx = id.edx;
	tg_svm_on();
	tg_long(&g, t64_read_cr0, (size_t)(t64_read_cr0_end - t64_read_cr0));
	g.vmcb->control.intercepts[VMCB_INTERCEPT_CR] |= 1u << 0;
	tg_run(&g);
	r.exit_code = g.vmcb->control.exit_code;
	r.info1 = g.vmcb->control.exit_info_1;
}

static void run(bool decode_assists)
{
	struct emu_config cfg;

	memset(&r, 0, sizeof(r));
	emu_config_default(&cfg);
	cfg.decode_assists = decode_assists;
	assert_int_equal(tg_machine_run(&cfg, host, NULL, 0), 0);
}

static void test_with(void **state)
{
	(void)state;
	run(true);
	assert_true(r.svm_edx & SVM_FEATURE_DECODEASSISTS);
	assert_int_equal(r.exit_code, SVM_EXIT_READ_CR0);
	assert_int_equal(r.info1, SVM_CRX_MOV | 2); /* RDX is GPR 2 */
}

static void test_without(void **state)
{
	(void)state;
	run(false);
	assert_false(r.svm_edx & SVM_FEATURE_DECODEASSISTS);
	assert_int_equal(r.exit_code, SVM_EXIT_READ_CR0);
	assert_int_equal(r.info1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_with),
		cmocka_unit_test(test_without),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
