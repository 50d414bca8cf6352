/* SPDX-License-Identifier: MIT */
/*
 * How two traces are compared (traces/src/diff.c, docs/traces.md
 * "Comparing traces"), on traces built record by record: what is compared,
 * what is left out because it is a matter of timing or of what one side
 * cannot see, and where the first divergence is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hv/vm.h"
#include "x86/svm.h"
#include "vxtrace/diff.h"
#include "vxtrace/trace.h"

static void start(struct vxt_trace *t, uint32_t platform, uint32_t svm_edx)
{
	vxt_init(t);
	t->hdr.platform = platform;
	t->hdr.ncpus = 2;
	t->hdr.cpuid_8000000a_edx = svm_edx;
	t->hdr.scenario = vxt_intern(t, "s");
}

static void ev(struct vxt_trace *t, uint32_t cpu, uint16_t type, uint8_t source, uint64_t v0,
	       uint64_t v1, uint64_t v2, const char *text)
{
	struct hv_event e = { .type = type, .source = source, .cpu = cpu, .text = text,
			      .v = { v0, v1, v2 } };

	/* Time only grows; the comparison never looks at it. */
	e.cycle = t->nrec;
	vxt_add_event(t, &e);
}

static void entry(struct vxt_trace *t, uint32_t cpu, uint64_t rip, uint64_t int_ctl)
{
	ev(t, cpu, HV_EV_VMRUN, HV_SRC_SEAM, rip, 0x5000, int_ctl, NULL);
}

static void exit_(struct vxt_trace *t, uint32_t cpu, uint64_t reason, uint64_t rip,
		  uint64_t info1)
{
	ev(t, cpu, HV_EV_VMEXIT, HV_SRC_SEAM, reason, rip, info1, NULL);
}

static void check(struct vxt_trace *t, const char *what, bool pass, uint64_t got)
{
	struct hv_event e = { .type = HV_EV_CHECK, .source = HV_SRC_SCENARIO, .text = what,
			      .v = { pass, got, got, 6 } };

	e.cycle = t->nrec;
	vxt_add_event(t, &e);
}

static struct vxt_diff run(struct vxt_trace *a, struct vxt_trace *b)
{
	struct vxt_diff d;
	char err[128];

	assert_int_equal(vxt_diff(a, b, &d, err, sizeof(err)), 0);
	vxt_free(a);
	vxt_free(b);
	return d;
}

/* The same events agree; a different exit reason is the divergence, named. */
static void test_same_and_different(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, SVM_FEATURE_NRIPS);
	start(&b, VXT_PLATFORM_MODEL, SVM_FEATURE_NRIPS);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	exit_(&a, 0, SVM_EXIT_CPUID, 0x1000, 0);
	exit_(&b, 0, SVM_EXIT_CPUID, 0x1000, 0);
	d = run(&a, &b);
	assert_true(d.same);
	assert_int_equal(d.compared, 2);

	start(&a, VXT_PLATFORM_MODEL, SVM_FEATURE_NRIPS);
	start(&b, VXT_PLATFORM_MODEL, SVM_FEATURE_NRIPS);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	exit_(&a, 0, SVM_EXIT_CPUID, 0x1000, 0);
	exit_(&b, 0, 0x81, 0x1000, 0);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.a, 1);
	assert_int_equal(d.b, 1);
	assert_int_equal(d.fields, 1u << 0);
}

/* Steps come from the checks; a check's verdict and name are compared, not the value read. */
static void test_checks(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	check(&a, "TSC moved", true, 100);
	check(&b, "TSC moved", true, 900);
	check(&a, "IRR", true, 0);
	check(&b, "IRR", false, 0x20);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.step, 1);
	assert_int_equal(d.a, 1);
	assert_int_equal(d.fields, 1u << 0);

	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	check(&a, "one", true, 0);
	check(&b, "another", true, 0);
	d = run(&a, &b);
	assert_false(d.same);
	assert_true(d.text_differs);
}

/* Processors are compared each in its own order: how their events interleave is timing. */
static void test_processors_apart(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&a, 1, 0x2000, 0);
	entry(&b, 1, 0x2000, 0);
	entry(&b, 0, 0x1000, 0);
	d = run(&a, &b);
	assert_true(d.same);
	assert_int_equal(d.compared, 2);
}

/* A guest spinning with PAUSE intercepted: the number of turns is not compared. */
static void test_pause_spin(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	for (int i = 0; i < 5; i++) {
		exit_(&a, 0, SVM_EXIT_PAUSE, 0x1004, 0);
		entry(&a, 0, 0x1006, 0);
	}
	exit_(&b, 0, SVM_EXIT_PAUSE, 0x1004, 0);
	entry(&b, 0, 0x1006, 0);
	exit_(&a, 0, SVM_EXIT_CPUID, 0x1010, 0);
	exit_(&b, 0, SVM_EXIT_CPUID, 0x1010, 0);
	d = run(&a, &b);
	assert_true(d.same);
}

/* Where an interrupt lands and the re-entry after it is timing; a visit that
 * changes nothing is the host's business; a kick IPI is sent only when the
 * vCPU is found in the guest. */
static void test_interrupt_timing(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_QEMU_TCG, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	/* A: one host interrupt's visit more, and the core's kick. */
	exit_(&a, 0, SVM_EXIT_INTR, 0x1003, 0);
	entry(&a, 0, 0x1003, 0);
	ev(&a, 0, HV_EV_IPI, HV_SRC_SEAM, 1, 0x4000 | HV_KICK_VECTOR, 0, NULL);
	/* Both: an interrupt that injects a virtual one, at different RIPs. */
	exit_(&a, 0, SVM_EXIT_INTR, 0x1005, 0);
	exit_(&b, 0, SVM_EXIT_INTR, 0x1009, 0);
	entry(&a, 0, 0x1005, 0x100);
	entry(&b, 0, 0x1009, 0x100);
	d = run(&a, &b);
	assert_true(d.same);
	assert_int_equal(d.compared, 3);

	/* The same visits with the interrupt state changed are events. */
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	exit_(&a, 0, SVM_EXIT_INTR, 0x1003, 0);
	entry(&a, 0, 0x1003, 0x100);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.a, 1);
	assert_int_equal(d.b, VXT_NONE);
}

/* A VM exit's RIP is left out where timing decides it: timer, interrupt, NMI, INIT. */
static void test_vmx_exit_timing(void **state)
{
	static const struct {
		uint64_t reason, intr_info;
		bool rip_compared;
	} cases[] = {
		{ 52, 0, false },          /* preemption timer */
		{ 1, 0, false },           /* external interrupt */
		{ 3, 0, false },           /* INIT */
		{ 0, 0x80000202, false },  /* NMI */
		{ 0, 0x80000306, true },   /* #UD: an instruction's */
		{ 10, 0, true },           /* CPUID */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vxt_trace a, b;
		struct vxt_diff d;

		start(&a, VXT_PLATFORM_MODEL, 0);
		start(&b, VXT_PLATFORM_METAL, 0);
		ev(&a, 0, HV_EV_VMX_EXIT, HV_SRC_SEAM, cases[i].reason, 0x1003, 0, NULL);
		ev(&b, 0, HV_EV_VMX_EXIT, HV_SRC_SEAM, cases[i].reason, 0x1007, 0, NULL);
		a.rec[0].v[4] = b.rec[0].v[4] = cases[i].intr_info;
		d = run(&a, &b);
		assert_int_equal(d.same, !cases[i].rip_compared);
	}
}

/* A machine cannot see inside the processor: the model's own records are out. */
static void test_model_only_records(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_METAL, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	ev(&a, 0, HV_EV_DELIVER, HV_SRC_MODEL, 6, 3, 0, NULL);
	ev(&a, 0, HV_EV_GUEST_CODE, HV_SRC_MODEL, 0x1000, 3 << 8, 0, NULL);
	d = run(&a, &b);
	assert_true(d.same);
	assert_int_equal(d.compared, 1);

	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	entry(&a, 0, 0x1000, 0);
	entry(&b, 0, 0x1000, 0);
	ev(&a, 0, HV_EV_DELIVER, HV_SRC_MODEL, 6, 3, 0, NULL);
	d = run(&a, &b);
	assert_false(d.same);
}

/* Fields a machine does not define: next_rip without NRIP save, EXITINFO1 of
 * a CR access without decode assists, EXITINTINFO with V clear, the save
 * area after VMEXIT_INVALID. A field one side defines is compared. */
static void test_fields_machines_define(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;
	struct hv_event x = { .type = HV_EV_VMEXIT, .source = HV_SRC_SEAM,
			      .v = { SVM_EXIT_CPUID, 0x1000, 0, 0, 0x342, 0, 0x1002 } };
	struct hv_event y = x;

	(void)state;
	y.v[4] = 0;
	y.v[6] = 0;
	start(&a, VXT_PLATFORM_QEMU_TCG, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	vxt_add_event(&a, &x);
	vxt_add_event(&b, &y);
	d = run(&a, &b);
	assert_true(d.same);

	start(&a, VXT_PLATFORM_QEMU_TCG, 0);
	start(&b, VXT_PLATFORM_MODEL, SVM_FEATURE_NRIPS);
	vxt_add_event(&a, &x);
	vxt_add_event(&b, &y);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.fields, 1u << 6);

	start(&a, VXT_PLATFORM_QEMU_TCG, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	exit_(&a, 0, SVM_EXIT_READ_CR0, 0x1000, 0);
	exit_(&b, 0, SVM_EXIT_READ_CR0, 0x1000, 0x8000000000000002ull);
	d = run(&a, &b);
	assert_true(d.same);

	start(&a, VXT_PLATFORM_QEMU_TCG, 0);
	start(&b, VXT_PLATFORM_MODEL, SVM_FEATURE_DECODEASSISTS);
	exit_(&a, 0, SVM_EXIT_READ_CR0, 0x1000, 0);
	exit_(&b, 0, SVM_EXIT_READ_CR0, 0x1000, 0x8000000000000002ull);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.fields, 1u << 2);

	start(&a, VXT_PLATFORM_QEMU_TCG, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	exit_(&a, 0, 0xffffffffu, 0x11011c8, 0);
	exit_(&b, 0, UINT64_MAX, 0x110005, 0);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.fields, 1u << 0);
}

/* Two scenarios are not two runs of one. */
static void test_different_scenarios(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;
	char err[128];

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_MODEL, 0);
	b.hdr.scenario = vxt_intern(&b, "other");
	assert_int_equal(vxt_diff(&a, &b, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "different scenarios"));
	vxt_free(&a);
	vxt_free(&b);
}

/* An import has no steps and no checks: the kinds both hold are compared in order. */
static void test_import(void **state)
{
	struct vxt_trace a, b;
	struct vxt_diff d;
	struct vxt_record r = { .kind = VXT_KVM_NESTED_VMEXIT_INJECT, .source = VXT_SRC_IMPORT,
				.known = 1, .v = { SVM_EXIT_CPUID } };

	(void)state;
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_IMPORT, 0);
	entry(&a, 0, 0x1000, 0);
	exit_(&a, 0, SVM_EXIT_CPUID, 0x1000, 0);
	check(&a, "CPUID", true, 0);
	vxt_push(&b, &r);
	d = run(&a, &b);
	assert_true(d.same);
	assert_int_equal(d.compared, 1);

	/* An import names no machine: what KVM printed is compared. */
	start(&a, VXT_PLATFORM_MODEL, 0);
	start(&b, VXT_PLATFORM_IMPORT, 0);
	exit_(&a, 0, SVM_EXIT_READ_CR0, 0x1000, 0);
	r.known = 1u << 0 | 1u << 2;
	r.v[0] = SVM_EXIT_READ_CR0;
	r.v[2] = 0x8000000000000002ull;
	vxt_push(&b, &r);
	d = run(&a, &b);
	assert_false(d.same);
	assert_int_equal(d.fields, 1u << 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_and_different),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_processors_apart),
		cmocka_unit_test(test_pause_spin),
		cmocka_unit_test(test_interrupt_timing),
		cmocka_unit_test(test_vmx_exit_timing),
		cmocka_unit_test(test_model_only_records),
		cmocka_unit_test(test_fields_machines_define),
		cmocka_unit_test(test_different_scenarios),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
