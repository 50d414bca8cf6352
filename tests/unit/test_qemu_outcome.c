/* SPDX-License-Identifier: MIT */
/*
 * Judging a boot of the hardware image under QEMU: only a report the image
 * finished, with the exit status it wrote, counts as one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "qemu_outcome.h"

static const char whole[] = "KTAP version 1\n1..2\nok 1 a\nnot ok 2 b\n"
			    "# Totals: pass:1 fail:1 skip:0 error:0\n"
			    "1 passed, 1 failed, 0 skipped\n"
			    "# vxemu-hw: finished with exit code 1\n";

/* Judges serial output out and stderr err after run-qemu.sh exited with status. */
static enum vx_qemu_outcome judge(const char *out, const char *err, int status,
				  struct vx_qemu_verdict *v)
{
	struct vx_proc_result pr;
	struct vx_ktap k;
	int rc;

	memset(&pr, 0, sizeof(pr));
	pr.out = (char *)out;
	pr.out_len = strlen(out);
	pr.err = (char *)err;
	pr.err_len = strlen(err);
	pr.exit_code = status;
	rc = vx_ktap_parse(out, strlen(out), &k);
	vx_qemu_judge(&pr, &k, rc, 600.0, v);
	vx_ktap_free(&k);
	return v->outcome;
}

static void a_finished_report_counts(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	assert_int_equal(judge(whole, "", 1, &v), VX_QEMU_REPORTED);
	assert_false(VX_QEMU_BROKE(v.outcome));
}

static void qemu_that_fails_on_its_own_did_not_run_the_image(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	assert_int_equal(judge("", "qemu-system-x86_64: -kernel x: Error loading\nrun-qemu.sh: ...\n",
			       2, &v),
			 VX_QEMU_NOT_STARTED);
	assert_string_equal(v.why, "QEMU failed to start or rejected the image: "
				   "qemu-system-x86_64: -kernel x: Error loading");
	assert_true(VX_QEMU_BROKE(v.outcome));
	/* Even when the status reads as a pass (a launcher that maps 1 to 0). */
	assert_int_equal(judge("\r\n", "", 0, &v), VX_QEMU_NOT_STARTED);
	assert_string_equal(v.why, "QEMU failed to start or rejected the image: it said nothing");
}

static void output_without_a_header_is_no_report(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	assert_int_equal(judge("SeaBIOS\r\n", "", 0, &v), VX_QEMU_NO_REPORT);
	assert_int_equal(judge("Bail out! vxemu-hw: command line: x\n", "", 2, &v),
			 VX_QEMU_NO_REPORT);
	assert_non_null(strstr(v.why, "Bail out! vxemu-hw: command line: x"));
}

static void a_report_cut_short_is_incomplete(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	/* Fewer results than the plan, whatever the status says. */
	assert_int_equal(judge("KTAP version 1\n1..2\nok 1 a\n", "", 0, &v), VX_QEMU_INCOMPLETE);
	assert_non_null(strstr(v.why, "1 of 2 results"));
	/* Every result, but no summary after them. */
	assert_int_equal(judge("KTAP version 1\n1..2\nok 1 a\nok 2 b\n", "", 0, &v),
			 VX_QEMU_INCOMPLETE);
	/* No plan. */
	assert_int_equal(judge("KTAP version 1\nok 1 a\n1 passed, 0 failed, 0 skipped\n", "", 0, &v),
			 VX_QEMU_INCOMPLETE);
	assert_true(VX_QEMU_BROKE(v.outcome));
}

static void a_status_that_contradicts_the_report(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	/* A failure in the report, but "all passed" as the status. */
	assert_int_equal(judge(whole, "", 0, &v), VX_QEMU_CONTRADICTED);
	/* The launcher saw no "finished" line. */
	assert_int_equal(judge(whole, "", 2, &v), VX_QEMU_CONTRADICTED);
	assert_true(VX_QEMU_BROKE(v.outcome));
}

static void a_bail_out_and_a_deadline_are_scenarios_that_broke(void **state)
{
	struct vx_qemu_verdict v;

	(void)state;
	assert_int_equal(judge("KTAP version 1\n1..2\nok 1 a\nBail out! #PF in b\n", "", 2, &v),
			 VX_QEMU_BAILED);
	assert_string_equal(v.why, "Bail out! #PF in b");
	assert_int_equal(judge("KTAP version 1\n1..2\nok 1 a\n", "", 124, &v), VX_QEMU_TIMED_OUT);
	assert_false(VX_QEMU_BROKE(v.outcome));
}

static void output_beyond_the_bounds_is_unreadable(void **state)
{
	struct vx_proc_result pr;
	struct vx_ktap k;
	struct vx_qemu_verdict v;

	(void)state;
	memset(&pr, 0, sizeof(pr));
	memset(&k, 0, sizeof(k));
	pr.out = (char *)whole;
	pr.out_len = strlen(whole);
	pr.err = (char *)"";
	pr.overflowed = true;
	vx_qemu_judge(&pr, &k, 0, 600.0, &v);
	assert_int_equal(v.outcome, VX_QEMU_UNREADABLE);
	pr.overflowed = false;
	strcpy(k.error, "line 9 is longer than 4096 bytes");
	vx_qemu_judge(&pr, &k, -1, 600.0, &v);
	assert_int_equal(v.outcome, VX_QEMU_UNREADABLE);
	assert_non_null(strstr(v.why, "line 9 is longer than 4096 bytes"));
	assert_true(VX_QEMU_BROKE(v.outcome));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_finished_report_counts),
		cmocka_unit_test(qemu_that_fails_on_its_own_did_not_run_the_image),
		cmocka_unit_test(output_without_a_header_is_no_report),
		cmocka_unit_test(a_report_cut_short_is_incomplete),
		cmocka_unit_test(a_status_that_contradicts_the_report),
		cmocka_unit_test(a_bail_out_and_a_deadline_are_scenarios_that_broke),
		cmocka_unit_test(output_beyond_the_bounds_is_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
