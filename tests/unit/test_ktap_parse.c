/* SPDX-License-Identifier: MIT */
/* Reading the hardware image's KTAP back into results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "ktap_parse.h"
#include "report_capture.h"

static void parse(const char *text, struct vx_ktap *k)
{
	assert_int_equal(vx_ktap_parse(text, strlen(text), k), 0);
}

static void expect(const struct vx_ktap *k, size_t i, uint32_t number, const char *name,
		   enum conf_status status, const char *message)
{
	assert_true(i < k->count);
	assert_int_equal(k->results[i].number, number);
	assert_string_equal(k->results[i].name, name);
	assert_int_equal(k->results[i].status, status);
	assert_string_equal(k->results[i].message, message);
}

/* Written by hand from the KTAP specification, as a serial console shows it. */
static const char serial[] =
	"SeaBIOS (version 1.16)\r\n"
	"Booting from ROM...\r\n"
	"ok 99 not_a_result_before_the_header\r\n"
	"KTAP version 1\r\n"
	"1..5\r\n"
	"ok 1 svm_vmrun_basic\r\n"
	"# exit_code: got 0x81, want 0x7b\r\n"
	"# a second diagnostic line\r\n"
	"not ok 2 svm_vmmcall_exit\r\n"
	"ok 3 svm_vnmi_delivery # SKIP CPUID Fn8000_000A EDX[25] (vNMI) is clear\r\n"
	"not ok 4 svm_nrip_save # ERROR no page left\r\n"
	"not ok 5 svm_eventinj # exit_int_info: got 0, want 0x80000202\r\n"
	"# 1 passed, 3 failed, 1 skipped\r\n";

static void serial_report(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse(serial, &k);
	assert_int_equal(k.version, 1);
	assert_int_equal(k.plan, 5);
	assert_int_equal(k.count, 5);
	expect(&k, 0, 1, "svm_vmrun_basic", CONF_PASS, "");
	expect(&k, 1, 2, "svm_vmmcall_exit", CONF_FAIL, "exit_code: got 0x81, want 0x7b");
	expect(&k, 2, 3, "svm_vnmi_delivery", CONF_SKIP, "CPUID Fn8000_000A EDX[25] (vNMI) is clear");
	expect(&k, 3, 4, "svm_nrip_save", CONF_ERROR, "no page left");
	expect(&k, 4, 5, "svm_eventinj", CONF_FAIL, "exit_int_info: got 0, want 0x80000202");
	vx_ktap_free(&k);
}

static void tap_variants(void **state)
{
	struct vx_ktap k;

	(void)state;
	/* TAP 13 header, "- " before names, lower-case directives, subtests. */
	parse("TAP version 13\n"
	      "1..3\n"
	      "ok 1 - first\n"
	      "    KTAP version 1\n"
	      "    not ok 1 inner\n"
	      "  ---\n"
	      "  message: yaml is ignored\n"
	      "  ...\n"
	      "ok 2 - second # skip no vNMI\n"
	      "not ok 3 third # timeout",
	      &k);
	assert_int_equal(k.version, 13);
	assert_int_equal(k.count, 3);
	expect(&k, 0, 1, "first", CONF_PASS, "");
	expect(&k, 1, 2, "second", CONF_SKIP, "no vNMI");
	expect(&k, 2, 3, "third", CONF_ERROR, "");
	vx_ktap_free(&k);
}

static void diagnostics_belong_to_the_next_result_only(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse("KTAP version 1\n"
	      "# said before a pass\n"
	      "ok 1 a\n"
	      "not ok 2 b\n",
	      &k);
	expect(&k, 0, 1, "a", CONF_PASS, "");
	expect(&k, 1, 2, "b", CONF_FAIL, "");
	vx_ktap_free(&k);
}

/* A traced run's event lines are not the reason a scenario failed. */
static void trace_lines_are_not_reasons(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse("KTAP version 1\n"
	      "#platform 1.eax=0x60fb1 cpus=1 hypervisor=none\n"
	      "#ev 1104913362 0 1 1 0x110000 0x111000 0x0 0x0 0x0 0x0 0x0 0x1\n"
	      "# exit_code: got 0xffffffff, want 0xffffffffffffffff\n"
	      "not ok 1 a\n",
	      &k);
	expect(&k, 0, 1, "a", CONF_FAIL, "exit_code: got 0xffffffff, want 0xffffffffffffffff");
	vx_ktap_free(&k);
}

static void a_second_header_starts_over(void **state)
{
	struct vx_ktap k;

	(void)state;
	/* A machine that reset mid-run prints its banner and report again. */
	parse("KTAP version 1\n1..2\nok 1 a\n"
	      "KTAP version 1\n1..2\nok 1 a\nnot ok 2 b\n",
	      &k);
	assert_int_equal(k.count, 2);
	expect(&k, 1, 2, "b", CONF_FAIL, "");
	vx_ktap_free(&k);
}

static void nothing_to_read(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse("", &k);
	assert_int_equal(k.version, 0);
	assert_int_equal(k.plan, -1);
	assert_int_equal(k.count, 0);
	vx_ktap_free(&k);
	parse("qemu: could not load kernel\n", &k);
	assert_int_equal(k.version, 0);
	assert_int_equal(k.count, 0);
	vx_ktap_free(&k);
}

static void malformed_lines_are_not_results(void **state)
{
	struct vx_ktap k;
	char longname[600];
	char text[800];

	(void)state;
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "KTAP version 1\n1..x\nok\nok x name\nnot ok\nokay 1 a\nok 12345678901 huge\n"
		 "ok 7 %s\nok 8\n",
		 longname);
	parse(text, &k);
	assert_int_equal(k.plan, -1);
	assert_int_equal(k.count, 2);
	assert_int_equal(k.results[0].number, 7);
	assert_int_equal(strlen(k.results[0].name), VX_KTAP_NAME_MAX - 1);
	expect(&k, 1, 8, "", CONF_PASS, "");
	vx_ktap_free(&k);
}

static void text_is_not_nul_terminated(void **state)
{
	static const char buf[] = { 'K', 'T', 'A', 'P', ' ', 'v', 'e', 'r', 's', 'i', 'o', 'n', ' ',
				    '1', '\n', 'o', 'k', ' ', '1', ' ', 'a', 'b' };
	struct vx_ktap k;

	(void)state;
	/* Only the first 21 bytes count: the name ends at "a". */
	assert_int_equal(vx_ktap_parse(buf, 21, &k), 0);
	assert_int_equal(k.count, 1);
	expect(&k, 0, 1, "a", CONF_PASS, "");
	vx_ktap_free(&k);
}

/* Text of "KTAP version 1\n" and then n copies of line; malloc'd. */
static char *repeat(const char *line, size_t n, size_t *len)
{
	static const char head[] = "KTAP version 1\n";
	size_t k = strlen(line);
	char *t = malloc(sizeof(head) + n * k);

	assert_non_null(t);
	memcpy(t, head, sizeof(head) - 1);
	for (size_t i = 0; i < n; i++)
		memcpy(t + sizeof(head) - 1 + i * k, line, k);
	*len = sizeof(head) - 1 + n * k;
	return t;
}

static void results_are_bounded(void **state)
{
	struct vx_ktap k;
	size_t len;
	char *t = repeat("ok 1 a\n", VX_KTAP_RESULTS_MAX, &len);

	(void)state;
	assert_int_equal(vx_ktap_parse(t, len, &k), 0);
	assert_int_equal(k.count, VX_KTAP_RESULTS_MAX);
	vx_ktap_free(&k);
	free(t);

	/* One more, as an endless stream of results would have. */
	t = repeat("ok 1 a\n", VX_KTAP_RESULTS_MAX + 1, &len);
	assert_int_equal(vx_ktap_parse(t, len, &k), -1);
	assert_non_null(strstr(k.error, "more than 4096 results"));
	assert_int_equal(k.count, 0);
	assert_null(k.results);
	vx_ktap_free(&k);
	free(t);
}

static void report_lines_are_bounded(void **state)
{
	struct vx_ktap k;
	char *text = malloc(VX_KTAP_LINE_MAX + 64);
	size_t n;

	(void)state;
	assert_non_null(text);
	/* Firmware noise before the header may be any length: it is not kept. */
	memset(text, 'x', VX_KTAP_LINE_MAX + 1);
	n = VX_KTAP_LINE_MAX + 1;
	memcpy(text + n, "\nKTAP version 1\nok 1 a\n", 23);
	assert_int_equal(vx_ktap_parse(text, n + 23, &k), 0);
	assert_int_equal(k.count, 1);
	vx_ktap_free(&k);

	/* After it, a line of VX_KTAP_LINE_MAX bytes is read, one more is not. */
	memcpy(text, "KTAP version 1\n# ", 17);
	memset(text + 17, 'x', VX_KTAP_LINE_MAX - 2);
	text[15 + VX_KTAP_LINE_MAX] = '\n';
	assert_int_equal(vx_ktap_parse(text, 16 + VX_KTAP_LINE_MAX, &k), 0);
	vx_ktap_free(&k);
	text[15 + VX_KTAP_LINE_MAX] = 'x';
	text[16 + VX_KTAP_LINE_MAX] = '\n';
	assert_int_equal(vx_ktap_parse(text, 17 + VX_KTAP_LINE_MAX, &k), -1);
	assert_string_equal(k.error, "line 2 is longer than 4096 bytes");
	assert_int_equal(k.count, 0);
	vx_ktap_free(&k);
	free(text);
}

static void the_summary_must_count_the_results(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse("KTAP version 1\n1..3\nok 1 a\nnot ok 2 b # ERROR x\nok 3 c # SKIP y\n"
	      "1 passed, 1 failed, 1 skipped\n",
	      &k);
	assert_true(k.summary);
	vx_ktap_free(&k);
	parse("KTAP version 1\n1..2\nok 1 a\nok 2 b\n1 passed, 0 failed, 0 skipped\n", &k);
	assert_false(k.summary); /* says 1 of the 2 passes */
	vx_ktap_free(&k);
	parse("KTAP version 1\nok 1 a\n1 passed, 0 failed, 0 skipped\nok 2 b\n", &k);
	assert_false(k.summary); /* a result after it */
	vx_ktap_free(&k);
	parse("KTAP version 1\nok 1 a\n1 passed, 0 failed, 0 skipped, 7 more\n", &k);
	assert_false(k.summary);
	vx_ktap_free(&k);
	parse("KTAP version 1\nok 1 a\n", &k);
	assert_false(k.summary);
	vx_ktap_free(&k);
}

static void a_bail_out_is_kept(void **state)
{
	struct vx_ktap k;

	(void)state;
	parse("Bail out! vxemu-hw: command line: unknown word: 'x'\n", &k);
	assert_int_equal(k.version, 0);
	assert_string_equal(k.bail, "Bail out! vxemu-hw: command line: unknown word: 'x'");
	vx_ktap_free(&k);
	parse("KTAP version 1\nok 1 a\nBail out! #PF in b\r\n", &k);
	assert_string_equal(k.bail, "Bail out! #PF in b");
	vx_ktap_free(&k);
	/* A run that started over did not bail out. */
	parse("KTAP version 1\nBail out! first run\nKTAP version 1\nok 1 a\n", &k);
	assert_string_equal(k.bail, "");
	vx_ktap_free(&k);
}

/* The image prints with conf_report_*; reading that back must give it all back. */

static const struct conf_scenario sc[4] = {
	{ .name = "rt_pass", .groups = "rt", .expect = "Expect: pass", .run = nothing },
	{ .name = "rt_fail", .groups = "rt", .expect = "Expect: fail", .run = nothing },
	{ .name = "rt_skip", .groups = "rt", .expect = "Expect: skip", .run = nothing },
	{ .name = "rt_error", .groups = "rt", .expect = "Expect: error", .run = nothing },
};

static void reads_back_what_the_reporter_wrote(void **state)
{
	struct buf b = { NULL, 0 };
	struct conf_writer w = { buf_write, &b };
	struct conf_totals t = { 0 };
	struct conf_result r[4];
	struct vx_ktap k;
	static const enum conf_status st[4] = { CONF_PASS, CONF_FAIL, CONF_SKIP, CONF_ERROR };
	static const char *const msg[4] = { "", "exit_code: got 0x81, want 0x7b",
					    "vNMI is not advertised", "no page left" };

	(void)state;
	conf_report_begin(&w, CONF_FMT_KTAP, 4);
	for (size_t i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].scenario = &sc[i];
		r[i].status = st[i];
		r[i].checks = 3;
		strcpy(r[i].message, msg[i]);
		conf_report_result(&w, CONF_FMT_KTAP, i, &r[i], &t);
	}
	conf_report_end(&w, CONF_FMT_KTAP, &t);

	parse(b.p, &k);
	assert_int_equal(k.plan, 4);
	assert_int_equal(k.count, 4);
	assert_true(k.summary);
	for (size_t i = 0; i < 4; i++)
		expect(&k, i, (uint32_t)i + 1, sc[i].name, st[i], msg[i]);
	vx_ktap_free(&k);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serial_report),
		cmocka_unit_test(tap_variants),
		cmocka_unit_test(diagnostics_belong_to_the_next_result_only),
		cmocka_unit_test(trace_lines_are_not_reasons),
		cmocka_unit_test(a_second_header_starts_over),
		cmocka_unit_test(nothing_to_read),
		cmocka_unit_test(malformed_lines_are_not_results),
		cmocka_unit_test(text_is_not_nul_terminated),
		cmocka_unit_test(results_are_bounded),
		cmocka_unit_test(report_lines_are_bounded),
		cmocka_unit_test(the_summary_must_count_the_results),
		cmocka_unit_test(a_bail_out_is_kept),
		cmocka_unit_test(reads_back_what_the_reporter_wrote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
