/* SPDX-License-Identifier: MIT */
/* The image's command line; see cmdline.h. */
#include "cmdline.h"

#include <stddef.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "key=" prefix of word, returning the value after it, or NULL. */
static const char *value_of(const char *word, const char *key)
{
	while (*key && *word == *key) {
		word++;
		key++;
	}
	return *key == '\0' && *word == '=' ? word + 1 : NULL;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool parse_format(const char *s, enum conf_format *out)
{
	static const struct {
		const char *name;
		enum conf_format fmt;
	} formats[] = {
		{ "ktap", CONF_FMT_KTAP },
		{ "tap13", CONF_FMT_TAP13 },
		{ "table", CONF_FMT_TABLE },
		{ "junit", CONF_FMT_JUNIT },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (same(s, formats[i].name)) {
			*out = formats[i].fmt;
			return true;
		}
	}
	return false;
}

/* Decimal, the whole word, 1..max. */
static bool parse_count(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	if (v == 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* One word: NULL if it is a good option, else why not. */
static const char *parse_word(const char *w, struct hw_options *o)
{
	const char *v;

	if (same(w, "trace")) {
		o->trace = true;
		return NULL;
	}
	if ((v = value_of(w, "filter")) != NULL) {
		o->filter = v;
		return *v ? NULL : "filter= needs a glob";
	}
	if ((v = value_of(w, "group")) != NULL) {
		o->group = v;
		return *v ? NULL : "group= needs a group name";
	}
	if ((v = value_of(w, "skip")) != NULL) {
		if (!*v)
			return "skip= needs a glob";
		if (o->nskip == HW_SKIP_MAX)
			return "at most " STR(HW_SKIP_MAX) " skip= words";
		o->skip[o->nskip++] = v;
		return NULL;
	}
	if ((v = value_of(w, "format")) != NULL)
		return parse_format(v, &o->format) ? NULL
						   : "format= takes ktap, tap13, table or junit";
	if ((v = value_of(w, "bench")) != NULL) {
		if (o->bench_vmx)
			return "bench= and benchvmx= exclude each other";
		return parse_count(v, HW_BENCH_MAX, &o->bench)
			       ? NULL
			       : "bench= takes a count from 1 to 1000000000";
	}
	if ((v = value_of(w, "benchvmx")) != NULL) {
		if (o->bench)
			return "bench= and benchvmx= exclude each other";
		return parse_count(v, HW_BENCH_MAX, &o->bench_vmx)
			       ? NULL
			       : "benchvmx= takes a count from 1 to 1000000000";
	}
	if ((v = value_of(w, "cpus")) != NULL)
		return parse_count(v, HW_MAX_CPUS, &o->cpus) ? NULL
							     : "cpus= takes a count from 1 to " STR(HW_MAX_CPUS);
	if ((v = value_of(w, "selftest")) != NULL) {
		if (!same(v, "smp"))
			return "selftest= takes smp";
		o->selftest = HW_SELFTEST_SMP;
		return NULL;
	}
	return "unknown option";
}

/* A word that names an option, whatever its value. */
static bool is_option(const char *w)
{
	static const char *const keys[] = { "filter", "group", "format", "bench", "benchvmx",
					    "cpus", "selftest", "skip" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (value_of(w, keys[i]))
			return true;
	return false;
}

const char *hw_cmdline_parse(char *line, struct hw_options *o, const char **bad)
{
	bool first = true;
	char *p = line;

	o->filter = NULL;
	o->group = NULL;
	o->format = CONF_FMT_KTAP;
	o->trace = false;
	o->bench = 0;
	o->bench_vmx = 0;
	o->cpus = 0;
	o->selftest = HW_SELFTEST_NONE;
	o->nskip = 0;
	*bad = NULL;

	while (*p) {
		const char *why;
		char *word;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
		why = parse_word(word, o);
		if (why && first && !is_option(word)) {
			/* The loader's copy of the image name. */
			first = false;
			continue;
		}
		first = false;
		if (why) {
			*bad = word;
			return why;
		}
	}
	return NULL;
}
