/* SPDX-License-Identifier: MIT */
/* Parsing of the conformance and bench options (see opts.h). */
#include "opts.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/emu.h"

static enum vx_opts_result bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return VX_OPTS_BAD;
}

bool vx_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	/* strtoull accepts a sign and leading blanks; a count has neither. */
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool vx_parse_seconds(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool vx_parse_format(const char *s, enum conf_format *out)
{
	static const struct {
		const char *name;
		enum conf_format fmt;
	} names[] = {
		{ "table", CONF_FMT_TABLE },
		{ "ktap", CONF_FMT_KTAP },
		{ "tap13", CONF_FMT_TAP13 },
		{ "junit", CONF_FMT_JUNIT },
	};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].fmt;
			return true;
		}
	}
	return false;
}

/*
 * One step over argv: recognises "--name", "--name VALUE" and
 * "--name=VALUE". Returns 1 when argv[*i] is the option (with *value set
 * when it takes one), 0 when it is not, -1 when its value is missing.
 */
static int take(int argc, char *const argv[], int *i, const char *name, bool has_value,
		const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '\0') {
		if (!has_value)
			return 1;
		if (*i + 1 >= argc)
			return -1;
		*value = argv[++*i];
		return 1;
	}
	if (a[n] == '=' && has_value) {
		*value = a + n + 1;
		return 1;
	}
	return 0;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

enum vx_opts_result vx_conf_opts_parse(int argc, char *const argv[], struct vx_conf_opts *o,
				       char *err, size_t errlen)
{
	/* Which model-only options were given, to refuse them with qemu. */
	const char *model_only = NULL;

	memset(o, 0, sizeof(*o));
	o->format = CONF_FMT_TABLE;
	o->platform = VX_PLATFORM_MODEL;
	o->vnmi = true;
	o->nrips = true;
	if (errlen)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		int r;

		if (is_help(a))
			return VX_OPTS_HELP;
		if (strcmp(a, "--list") == 0) {
			o->list = true;
		} else if ((r = take(argc, argv, &i, "--filter", true, &v)) != 0) {
			if (r < 0 || !*v)
				return bad(err, errlen, "--filter needs a GLOB");
			o->filter = v;
		} else if ((r = take(argc, argv, &i, "--group", true, &v)) != 0) {
			if (r < 0 || !*v)
				return bad(err, errlen, "--group needs a NAME");
			o->group = v;
		} else if ((r = take(argc, argv, &i, "--format", true, &v)) != 0) {
			if (r < 0)
				return bad(err, errlen, "--format needs one of table, ktap, tap13, junit");
			if (!vx_parse_format(v, &o->format))
				return bad(err, errlen,
					   "unknown format '%s' (table, ktap, tap13 or junit)", v);
		} else if ((r = take(argc, argv, &i, "--platform", true, &v)) != 0) {
			if (r < 0)
				return bad(err, errlen, "--platform needs model or qemu");
			if (strcmp(v, "model") == 0)
				o->platform = VX_PLATFORM_MODEL;
			else if (strcmp(v, "qemu") == 0)
				o->platform = VX_PLATFORM_QEMU;
			else
				return bad(err, errlen, "unknown platform '%s' (model or qemu)", v);
		} else if ((r = take(argc, argv, &i, "--image", true, &v)) != 0) {
			if (r < 0 || !*v)
				return bad(err, errlen, "--image needs a PATH");
			o->image = v;
		} else if (strcmp(a, "--no-vnmi") == 0) {
			o->vnmi = false;
			model_only = a;
		} else if (strcmp(a, "--no-nrips") == 0) {
			o->nrips = false;
			model_only = a;
		} else if ((r = take(argc, argv, &i, "--cpus", true, &v)) != 0) {
			if (r < 0)
				return bad(err, errlen, "--cpus needs a number");
			if (!vx_parse_u32(v, 1, EMU_MAX_CPUS, &o->cpus))
				return bad(err, errlen, "--cpus wants a whole number from 1 to %d, not '%s'",
					   EMU_MAX_CPUS, v);
			model_only = "--cpus";
		} else if ((r = take(argc, argv, &i, "--costs", true, &v)) != 0) {
			if (r < 0 || !*v)
				return bad(err, errlen, "--costs needs a FILE");
			o->costs = v;
			model_only = "--costs";
		} else if (a[0] == '-') {
			return bad(err, errlen, "unknown option '%s'", a);
		} else {
			return bad(err, errlen, "unexpected argument '%s'", a);
		}
	}

	/* The hardware decides these on QEMU; accepting them would mislead. */
	if (o->platform == VX_PLATFORM_QEMU && model_only && !o->list)
		return bad(err, errlen, "%s applies to the model only, not to --platform qemu",
			   model_only);
	if (o->platform == VX_PLATFORM_MODEL && o->image)
		return bad(err, errlen, "--image applies to --platform qemu only");
	return VX_OPTS_RUN;
}

enum vx_opts_result vx_bench_opts_parse(int argc, char *const argv[], struct vx_bench_opts *o,
					char *err, size_t errlen)
{
	o->seconds = VX_BENCH_SECONDS_DEFAULT;
	if (errlen)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		int r;

		if (is_help(a))
			return VX_OPTS_HELP;
		if ((r = take(argc, argv, &i, "--seconds", true, &v)) != 0) {
			if (r < 0)
				return bad(err, errlen, "--seconds needs a number");
			if (!vx_parse_seconds(v, VX_BENCH_SECONDS_MIN, VX_BENCH_SECONDS_MAX,
					      &o->seconds))
				return bad(err, errlen, "--seconds wants a number from %g to %g, not '%s'",
					   VX_BENCH_SECONDS_MIN, VX_BENCH_SECONDS_MAX, v);
		} else if (a[0] == '-') {
			return bad(err, errlen, "unknown option '%s'", a);
		} else {
			return bad(err, errlen, "unexpected argument '%s'", a);
		}
	}
	return VX_OPTS_RUN;
}
