/* SPDX-License-Identifier: MIT */
/*
 * Reports: an aligned table for people, KTAP version 1 (the kernel's format,
 * read back by the CLI from the hardware image's serial port), TAP version 13
 * with YAML diagnostics, and JUnit XML (report_junit.c). Every format ends
 * its human summary with the line "N passed, N failed, N skipped", errors
 * counted as failed.
 */
#include <stdarg.h>

#include "conf/conf.h"
#include "hv/lib.h"
#include "report.h"

void conf_emit(const struct conf_writer *w, const char *s)
{
	w->write(w->user, s, hv_strlen(s));
}

void conf_emit_line_safe(const struct conf_writer *w, const char *s)
{
	char buf[128];
	size_t n = 0;

	for (; *s; s++) {
		buf[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
		if (n == sizeof(buf)) {
			w->write(w->user, buf, n);
			n = 0;
		}
	}
	if (n)
		w->write(w->user, buf, n);
}

void conf_emitf(const struct conf_writer *w, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w->write(w->user, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

const char *conf_result_name(const struct conf_result *r)
{
	return r->scenario && r->scenario->name ? r->scenario->name : "(unnamed)";
}

void conf_tally(const struct conf_result *r, struct conf_totals *t)
{
	switch (r->status) {
	case CONF_PASS:
		t->passed++;
		break;
	case CONF_SKIP:
		t->skipped++;
		break;
	case CONF_FAIL:
		t->failed++;
		break;
	case CONF_ERROR:
		t->errors++;
		break;
	}
}

void conf_emit_summary(const struct conf_writer *w, const struct conf_totals *t)
{
	conf_emitf(w, "%u passed, %u failed, %u skipped\n", t->passed, t->failed + t->errors,
		   t->skipped);
}

static const char *status_word(enum conf_status s)
{
	switch (s) {
	case CONF_PASS:
		return "PASS";
	case CONF_SKIP:
		return "SKIP";
	case CONF_FAIL:
		return "FAIL";
	case CONF_ERROR:
		return "ERROR";
	}
	return "?";
}

/* The name column fits the longest name in the suite. */
static int name_width(void)
{
	size_t w = 8;

	for (size_t i = 0; i < conf_suite_len; i++) {
		size_t n = hv_strlen(conf_suite[i]->name);

		if (n > w)
			w = n;
	}
	return (int)w;
}

static void table_result(const struct conf_writer *w, const struct conf_result *r)
{
	conf_emitf(w, "%-6s %-*s", status_word(r->status), name_width(), conf_result_name(r));
	if (r->status != CONF_PASS && r->message[0]) {
		conf_emit(w, "  ");
		conf_emit_line_safe(w, r->message);
	}
	conf_emit(w, "\n");
}

/* KTAP: a failure's message is its first diagnostic line, before the result. */
static void ktap_result(const struct conf_writer *w, size_t index, const struct conf_result *r)
{
	const struct conf_scenario *sc = r->scenario;
	unsigned long long n = (unsigned long long)index + 1;

	switch (r->status) {
	case CONF_PASS:
		conf_emitf(w, "ok %llu %s\n", n, conf_result_name(r));
		return;
	case CONF_SKIP:
		conf_emitf(w, "ok %llu %s # SKIP ", n, conf_result_name(r));
		conf_emit_line_safe(w, r->message);
		conf_emit(w, "\n");
		return;
	case CONF_FAIL:
		conf_emit(w, "# ");
		conf_emit_line_safe(w, r->message);
		conf_emit(w, "\n");
		if (sc && sc->expect) {
			conf_emit(w, "# ");
			conf_emit_line_safe(w, sc->expect);
			conf_emit(w, "\n");
		}
		if (sc && sc->ref) {
			conf_emit(w, "# Ref: ");
			conf_emit_line_safe(w, sc->ref);
			conf_emit(w, "\n");
		}
		conf_emitf(w, "not ok %llu %s\n", n, conf_result_name(r));
		return;
	case CONF_ERROR:
		conf_emitf(w, "not ok %llu %s # ERROR ", n, conf_result_name(r));
		conf_emit_line_safe(w, r->message);
		conf_emit(w, "\n");
		return;
	}
}

/* YAML double-quoted scalar. */
static void yaml_string(const struct conf_writer *w, const char *s)
{
	char buf[2] = { 0, 0 };

	conf_emit(w, "\"");
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\') {
			buf[0] = '\\';
			conf_emit(w, buf);
		}
		buf[0] = ((unsigned char)*s < 0x20) ? ' ' : *s;
		conf_emit(w, buf);
	}
	conf_emit(w, "\"");
}

static void tap13_result(const struct conf_writer *w, size_t index, const struct conf_result *r)
{
	const struct conf_scenario *sc = r->scenario;
	unsigned long long n = (unsigned long long)index + 1;

	if (r->status == CONF_PASS) {
		conf_emitf(w, "ok %llu - %s\n", n, conf_result_name(r));
		return;
	}
	if (r->status == CONF_SKIP) {
		conf_emitf(w, "ok %llu - %s # SKIP ", n, conf_result_name(r));
		conf_emit_line_safe(w, r->message);
		conf_emit(w, "\n");
		return;
	}
	conf_emitf(w, "not ok %llu - %s\n  ---\n  message: ", n, conf_result_name(r));
	yaml_string(w, r->message);
	conf_emitf(w, "\n  severity: %s\n", r->status == CONF_ERROR ? "error" : "fail");
	if (sc && sc->expect) {
		conf_emit(w, "  expect: ");
		yaml_string(w, sc->expect);
		conf_emit(w, "\n");
	}
	if (sc && sc->ref) {
		conf_emit(w, "  ref: ");
		yaml_string(w, sc->ref);
		conf_emit(w, "\n");
	}
	conf_emitf(w, "  checks: %u\n  ...\n", r->checks);
}

void conf_report_begin(const struct conf_writer *w, enum conf_format fmt, size_t count)
{
	switch (fmt) {
	case CONF_FMT_TABLE:
		conf_emitf(w, "%-6s %-*s  %s\n", "STATUS", name_width(), "SCENARIO", "MESSAGE");
		return;
	case CONF_FMT_KTAP:
		conf_emitf(w, "KTAP version 1\n1..%llu\n", (unsigned long long)count);
		return;
	case CONF_FMT_TAP13:
		conf_emitf(w, "TAP version 13\n1..%llu\n", (unsigned long long)count);
		return;
	case CONF_FMT_JUNIT:
		conf_junit_begin(w, count);
		return;
	}
}

void conf_report_result(const struct conf_writer *w, enum conf_format fmt, size_t index,
			const struct conf_result *r, struct conf_totals *totals)
{
	conf_tally(r, totals);
	switch (fmt) {
	case CONF_FMT_TABLE:
		table_result(w, r);
		return;
	case CONF_FMT_KTAP:
		ktap_result(w, index, r);
		return;
	case CONF_FMT_TAP13:
		tap13_result(w, index, r);
		return;
	case CONF_FMT_JUNIT:
		conf_junit_result(w, r);
		return;
	}
}

void conf_report_end(const struct conf_writer *w, enum conf_format fmt,
		     const struct conf_totals *t)
{
	switch (fmt) {
	case CONF_FMT_TABLE:
		if (t->errors)
			conf_emitf(w, "%u of the failures are errors (the scenario or platform broke)\n",
				   t->errors);
		conf_emit_summary(w, t);
		return;
	case CONF_FMT_KTAP:
		conf_emitf(w, "# Totals: pass:%u fail:%u skip:%u error:%u\n", t->passed, t->failed,
			   t->skipped, t->errors);
		conf_emit_summary(w, t);
		return;
	case CONF_FMT_TAP13:
		conf_emit_summary(w, t);
		return;
	case CONF_FMT_JUNIT:
		conf_junit_end(w, t);
		return;
	}
}
