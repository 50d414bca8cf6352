/* SPDX-License-Identifier: MIT */
/*
 * The report formats. The expected lines are written by hand from the
 * format specifications (the kernel's KTAP document, TAP version 13, the
 * JUnit XML schema as CI servers read it) and from conf.h's promise that
 * every human summary ends with "N passed, N failed, N skipped".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "report_capture.h"


static const struct conf_scenario sc[4] = {
	{ .name = "rep_pass", .groups = "rep", .expect = "Expect: pass", .run = nothing },
	{ .name = "rep_fail", .groups = "rep", .expect = "Expect: fail", .run = nothing },
	{ .name = "rep_skip", .groups = "rep", .expect = "Expect: skip", .run = nothing },
	{ .name = "rep_error", .groups = "rep", .expect = "Expect: error", .run = nothing },
};

#define FAIL_MSG "exit_code: got 0x81 <VMMCALL> & \"more\", want 0x7b"
#define SKIP_MSG "CPUID Fn8000_000A EDX[25] (vNMI) is clear"
#define ERROR_MSG "no page left"

/* The four outcomes, reported in fmt; the caller frees the text. */
static char *report(enum conf_format fmt, size_t n, struct conf_totals *t)
{
	static const enum conf_status st[4] = { CONF_PASS, CONF_FAIL, CONF_SKIP, CONF_ERROR };
	static const char *const msg[4] = { "", FAIL_MSG, SKIP_MSG, ERROR_MSG };
	struct buf b = { NULL, 0 };
	struct conf_writer w = { buf_write, &b };

	memset(t, 0, sizeof(*t));
	conf_report_begin(&w, fmt, n);
	for (size_t i = 0; i < n; i++) {
		struct conf_result r;

		memset(&r, 0, sizeof(r));
		r.scenario = &sc[i];
		r.status = st[i];
		r.checks = 2;
		strcpy(r.message, msg[i]);
		conf_report_result(&w, fmt, i, &r, t);
	}
	conf_report_end(&w, fmt, t);
	if (!b.p)
		buf_write(&b, "", 0);
	return b.p;
}

/* Line number no (from 1) of text, in buf. */
static const char *line(const char *text, int no, char *buf, size_t len)
{
	const char *p = text;

	while (--no > 0 && (p = strchr(p, '\n')) != NULL)
		p++;
	if (!p || !*p)
		return "";
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

/* The last non-empty line of text, in buf. */
static const char *last_line(const char *text, char *buf, size_t len)
{
	size_t n = strlen(text);
	size_t end;

	while (n && text[n - 1] == '\n')
		n--;
	end = n;
	while (n && text[n - 1] != '\n')
		n--;
	snprintf(buf, len, "%.*s", (int)(end - n), text + n);
	return buf;
}

/* Does some whole line of text start with prefix? */
static bool has_line_starting(const char *text, const char *prefix)
{
	size_t k = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, prefix, k) == 0)
			return true;
	}
	return false;
}

static bool has_line(const char *text, const char *want)
{
	size_t k = strlen(want);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, want, k) == 0 && (p[k] == '\n' || p[k] == '\0'))
			return true;
	}
	return false;
}

/* The last line, with or without a "# " in front, is exactly summary. */
static bool summary_is_last(const char *text, const char *summary)
{
	char l[512];
	const char *last = last_line(text, l, sizeof(l));

	if (strncmp(last, "# ", 2) == 0)
		last += 2;
	if (strcmp(last, summary) != 0)
		fail_msg("last line \"%s\" is not \"%s\"", l, summary);
	return true;
}

/*
 * XML allows only comments and blanks after the root element; the summary
 * line may live in such a comment and must then be a line of its own.
 */
static bool only_comments_after_root(const char *text)
{
	const char *p = NULL, *q = text;

	while ((q = strstr(q, "</testsuite")) != NULL)
		p = q++;
	assert_non_null(p);
	p = strchr(p, '>') + 1;
	while (*p) {
		if (*p == ' ' || *p == '\n') {
			p++;
		} else if (strncmp(p, "<!--", 4) == 0) {
			const char *end = strstr(p, "-->");

			if (!end)
				fail_msg("unterminated comment after the root element");
			p = end + 3;
		} else {
			fail_msg("text after the root element: %s", p);
		}
	}
	assert_true(has_line(text, "1 passed, 2 failed, 1 skipped"));
	return true;
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

#define ASSERT_HAS_LINE(text, want) \
	do { if (!has_line(text, want)) fail_msg("no line \"%s\" in:\n%s", want, text); } while (0)
#define ASSERT_HAS_LINE_STARTING(text, want) \
	do { if (!has_line_starting(text, want)) fail_msg("no line starting \"%s\" in:\n%s", want, text); } while (0)

static void totals_count_each_outcome(void **state)
{
	struct conf_totals t;

	(void)state;
	free(report(CONF_FMT_TABLE, 4, &t));
	assert_int_equal(t.passed, 1);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.skipped, 1);
	assert_int_equal(t.errors, 1);
}

static void table(void **state)
{
	struct conf_totals t;
	char *text = report(CONF_FMT_TABLE, 4, &t);
	char l[512];

	(void)state;
	/* An error is a failure for the summary: it is not a pass nor a skip. */
	assert_string_equal(last_line(text, l, sizeof(l)), "1 passed, 2 failed, 1 skipped");
	for (size_t i = 0; i < 4; i++)
		assert_non_null(strstr(text, sc[i].name));
	assert_non_null(strstr(text, "0x81"));
	assert_non_null(strstr(text, SKIP_MSG));
	free(text);
}

static void ktap(void **state)
{
	struct conf_totals t;
	char *text = report(CONF_FMT_KTAP, 4, &t);
	char l[512];

	(void)state;
	assert_string_equal(line(text, 1, l, sizeof(l)), "KTAP version 1");
	assert_string_equal(line(text, 2, l, sizeof(l)), "1..4");
	ASSERT_HAS_LINE(text, "ok 1 rep_pass");
	ASSERT_HAS_LINE_STARTING(text, "not ok 2 rep_fail");
	ASSERT_HAS_LINE(text, "ok 3 rep_skip # SKIP " SKIP_MSG);
	ASSERT_HAS_LINE_STARTING(text, "not ok 4 rep_error");
	assert_non_null(strstr(text, FAIL_MSG));
	assert_non_null(strstr(text, ERROR_MSG));
	/*
	 * KTAP readers skip lines they do not know; the only one allowed here
	 * besides results and "#" diagnostics is the summary, and it is last.
	 */
	for (int no = 3; *line(text, no, l, sizeof(l)); no++) {
		if (strncmp(l, "ok ", 3) && strncmp(l, "not ok ", 7) && strncmp(l, "#", 1) &&
		    strcmp(l, "1 passed, 2 failed, 1 skipped"))
			fail_msg("line %d is neither a result nor a diagnostic: %s", no, l);
	}
	assert_true(summary_is_last(text, "1 passed, 2 failed, 1 skipped"));
	free(text);
}

static void ktap_empty(void **state)
{
	struct conf_totals t;
	char *text = report(CONF_FMT_KTAP, 0, &t);
	char l[512];

	(void)state;
	assert_string_equal(line(text, 1, l, sizeof(l)), "KTAP version 1");
	assert_string_equal(line(text, 2, l, sizeof(l)), "1..0");
	assert_true(summary_is_last(text, "0 passed, 0 failed, 0 skipped"));
	free(text);
}

static void tap13(void **state)
{
	struct conf_totals t;
	char *text = report(CONF_FMT_TAP13, 4, &t);
	char l[512];

	(void)state;
	assert_string_equal(line(text, 1, l, sizeof(l)), "TAP version 13");
	assert_string_equal(line(text, 2, l, sizeof(l)), "1..4");
	/* TAP 13 allows "ok 1 name" and "ok 1 - name"; directives follow " # ". */
	if (!has_line(text, "ok 1 rep_pass") && !has_line(text, "ok 1 - rep_pass"))
		fail_msg("no result line for rep_pass in:\n%s", text);
	if (!has_line_starting(text, "not ok 2 rep_fail") &&
	    !has_line_starting(text, "not ok 2 - rep_fail"))
		fail_msg("no result line for rep_fail in:\n%s", text);
	if (!has_line(text, "ok 3 rep_skip # SKIP " SKIP_MSG) &&
	    !has_line(text, "ok 3 - rep_skip # SKIP " SKIP_MSG))
		fail_msg("no SKIP line for rep_skip in:\n%s", text);
	if (!has_line_starting(text, "not ok 4 rep_error") &&
	    !has_line_starting(text, "not ok 4 - rep_error"))
		fail_msg("no result line for rep_error in:\n%s", text);
	assert_non_null(strstr(text, "0x81"));
	assert_true(summary_is_last(text, "1 passed, 2 failed, 1 skipped"));
	free(text);
}

static void junit(void **state)
{
	struct conf_totals t;
	char *text = report(CONF_FMT_JUNIT, 4, &t);

	(void)state;
	assert_int_equal(strncmp(text, "<?xml version=\"1.0\"", 19), 0);
	assert_non_null(strstr(text, "<testsuite"));
	assert_non_null(strstr(text, "tests=\"4\""));
	for (size_t i = 0; i < 4; i++) {
		char want[64];

		snprintf(want, sizeof(want), "name=\"%s\"", sc[i].name);
		assert_non_null(strstr(text, want));
	}
	assert_int_equal(count(text, "<testcase"), 4);
	assert_int_equal(count(text, "<failure"), 1);
	assert_int_equal(count(text, "<error"), 1);
	assert_int_equal(count(text, "<skipped"), 1);
	/* Markup characters in a message are escaped, never copied raw. */
	assert_null(strstr(text, "<VMMCALL>"));
	assert_null(strstr(text, " & "));
	assert_non_null(strstr(text, "&lt;VMMCALL&gt; &amp; "));
	assert_non_null(strstr(text, "</testsuite>"));
	assert_true(only_comments_after_root(text));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(totals_count_each_outcome),
		cmocka_unit_test(table),
		cmocka_unit_test(ktap),
		cmocka_unit_test(ktap_empty),
		cmocka_unit_test(tap13),
		cmocka_unit_test(junit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
