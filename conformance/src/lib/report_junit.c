/* SPDX-License-Identifier: MIT */
/*
 * JUnit XML, as CI systems read it. The summary line sits alone on a line
 * inside a trailing comment, so the document stays well-formed.
 */
#include "conf/conf.h"
#include "hv/lib.h"
#include "report.h"

/* Attribute and text escaping for & < > " ' and control characters. */
static void xml_text(const struct conf_writer *w, const char *s)
{
	char one[2] = { 0, 0 };

	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			conf_emit(w, "&amp;");
			break;
		case '<':
			conf_emit(w, "&lt;");
			break;
		case '>':
			conf_emit(w, "&gt;");
			break;
		case '"':
			conf_emit(w, "&quot;");
			break;
		case '\'':
			conf_emit(w, "&apos;");
			break;
		default:
			one[0] = ((unsigned char)*s < 0x20) ? ' ' : *s;
			conf_emit(w, one);
			break;
		}
	}
}

/* classname "vxemu.<first group>", so CI tools fold scenarios by topic. */
static void classname(const struct conf_writer *w, const struct conf_scenario *sc)
{
	const char *g = sc && sc->groups ? sc->groups : "";
	char buf[48];
	size_t n = 0;

	while (*g && *g != ' ' && n < sizeof(buf) - 1)
		buf[n++] = *g++;
	buf[n] = '\0';
	conf_emit(w, "vxemu.");
	xml_text(w, n ? buf : "conformance");
}

void conf_junit_begin(const struct conf_writer *w, size_t count)
{
	conf_emitf(w,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites name=\"vxemu conformance\" tests=\"%llu\">\n"
		   "  <testsuite name=\"vxemu.conformance\" tests=\"%llu\">\n",
		   (unsigned long long)count, (unsigned long long)count);
}

void conf_junit_result(const struct conf_writer *w, const struct conf_result *r)
{
	const struct conf_scenario *sc = r->scenario;

	conf_emit(w, "    <testcase classname=\"");
	classname(w, sc);
	conf_emit(w, "\" name=\"");
	xml_text(w, conf_result_name(r));
	conf_emitf(w, "\" assertions=\"%u\"", r->checks);
	switch (r->status) {
	case CONF_PASS:
		conf_emit(w, "/>\n");
		return;
	case CONF_SKIP:
		conf_emit(w, ">\n      <skipped message=\"");
		xml_text(w, r->message);
		conf_emit(w, "\"/>\n");
		break;
	case CONF_FAIL:
	case CONF_ERROR:
		conf_emit(w, r->status == CONF_FAIL ? ">\n      <failure message=\""
						    : ">\n      <error message=\"");
		xml_text(w, r->message);
		conf_emit(w, r->status == CONF_FAIL ? "\" type=\"fail\">" : "\" type=\"error\">");
		if (sc && sc->expect)
			xml_text(w, sc->expect);
		if (sc && sc->ref) {
			conf_emit(w, " (");
			xml_text(w, sc->ref);
			conf_emit(w, ")");
		}
		conf_emit(w, r->status == CONF_FAIL ? "</failure>\n" : "</error>\n");
		break;
	}
	conf_emit(w, "    </testcase>\n");
}

void conf_junit_end(const struct conf_writer *w, const struct conf_totals *t)
{
	conf_emit(w, "  </testsuite>\n</testsuites>\n<!--\n");
	conf_emit_summary(w, t);
	conf_emit(w, "-->\n");
}
