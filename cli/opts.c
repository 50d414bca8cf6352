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
	/* Which model-only options were given, to refuse them on a peer. */
	const char *model_only = NULL;
	static const char *const platforms[] = { "model", "qemu", "bochs" };

	memset(o, 0, sizeof(*o));
	o->format = CONF_FMT_TABLE;
	o->platform = VX_PLATFORM_MODEL;
	o->vnmi = true;
	o->nrips = true;
	o->decode_assists = true;
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
				return bad(err, errlen, "--platform needs model, qemu or bochs");
			if (strcmp(v, "model") == 0)
				o->platform = VX_PLATFORM_MODEL;
			else if (strcmp(v, "qemu") == 0)
				o->platform = VX_PLATFORM_QEMU;
			else if (strcmp(v, "bochs") == 0)
				o->platform = VX_PLATFORM_BOCHS;
			else
				return bad(err, errlen, "unknown platform '%s' (model, qemu or bochs)", v);
		} else if ((r = take(argc, argv, &i, "--vendor", true, &v)) != 0) {
			if (r < 0)
				return bad(err, errlen, "--vendor needs intel or amd");
			if (strcmp(v, "intel") != 0 && strcmp(v, "amd") != 0)
				return bad(err, errlen, "unknown vendor '%s' (intel or amd)", v);
			o->vendor = v;
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
		} else if (strcmp(a, "--no-decode-assists") == 0) {
			o->decode_assists = false;
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
		} else if ((r = take(argc, argv, &i, "--trace", true, &v)) != 0) {
			if (r < 0 || !*v)
				return bad(err, errlen, "--trace needs a DIR");
			o->trace_dir = v;
		} else if (a[0] == '-') {
			return bad(err, errlen, "unknown option '%s'", a);
		} else {
			return bad(err, errlen, "unexpected argument '%s'", a);
		}
	}

	/* The hardware decides these on a peer; accepting them would mislead. */
	if (o->platform != VX_PLATFORM_MODEL && model_only && !o->list)
		return bad(err, errlen, "%s applies to the model only, not to --platform %s",
			   model_only, platforms[o->platform]);
	if (o->platform == VX_PLATFORM_MODEL && o->image)
		return bad(err, errlen, "--image applies to --platform qemu or bochs only");
	if (o->platform != VX_PLATFORM_BOCHS && o->vendor)
		return bad(err, errlen, "--vendor applies to --platform bochs only");
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

static const char *const verbs[] = {
	[VX_TRACE_DUMP] = "dump",
	[VX_TRACE_DIFF] = "diff",
	[VX_TRACE_REPLAY] = "replay",
	[VX_TRACE_IMPORT] = "import",
};

/* --vnmi / --no-vnmi style switches of a replay. */
static bool replay_switch(const char *a, const char *name, int *out)
{
	if (strncmp(a, "--", 2) != 0)
		return false;
	if (strcmp(a + 2, name) == 0) {
		*out = 1;
		return true;
	}
	if (strncmp(a + 2, "no-", 3) == 0 && strcmp(a + 5, name) == 0) {
		*out = 0;
		return true;
	}
	return false;
}

enum vx_opts_result vx_trace_opts_parse(int argc, char *const argv[], struct vx_trace_opts *o,
					char *err, size_t errlen)
{
	static const unsigned files[] = { 1, 2, 1, 1 };
	unsigned nfiles = 0;
	size_t v;

	memset(o, 0, sizeof(*o));
	o->context = VX_TRACE_CONTEXT_DEFAULT;
	o->replay.vnmi = o->replay.nrips = o->replay.npt = o->replay.decode_assists = -1;
	if (errlen)
		err[0] = '\0';
	if (argc < 2)
		return bad(err, errlen, "no verb given (dump, diff, replay or import)");
	if (is_help(argv[1]))
		return VX_OPTS_HELP;
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		if (strcmp(argv[1], verbs[v]) == 0)
			break;
	}
	if (v == sizeof(verbs) / sizeof(verbs[0]))
		return bad(err, errlen, "unknown verb '%s' (dump, diff, replay or import)", argv[1]);
	o->verb = (enum vx_trace_verb)v;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int r;

		if (is_help(a))
			return VX_OPTS_HELP;
		if (o->verb == VX_TRACE_DUMP && (r = take(argc, argv, &i, "--format", true, &val)) != 0) {
			if (r < 0 || (strcmp(val, "text") != 0 && strcmp(val, "json") != 0))
				return bad(err, errlen, "--format needs text or json");
			o->json = strcmp(val, "json") == 0;
		} else if ((o->verb == VX_TRACE_DIFF || o->verb == VX_TRACE_REPLAY) &&
			   (r = take(argc, argv, &i, "--context", true, &val)) != 0) {
			uint32_t n;

			if (r < 0 || !vx_parse_u32(val, 0, VX_TRACE_CONTEXT_MAX, &n))
				return bad(err, errlen, "--context wants a number from 0 to %u",
					   VX_TRACE_CONTEXT_MAX);
			o->context = n;
		} else if ((o->verb == VX_TRACE_IMPORT || o->verb == VX_TRACE_REPLAY) &&
			   ((r = take(argc, argv, &i, "--output", true, &val)) != 0 ||
			    (r = take(argc, argv, &i, "-o", true, &val)) != 0)) {
			if (r < 0 || !*val)
				return bad(err, errlen, "--output needs a FILE");
			o->out = val;
		} else if (o->verb == VX_TRACE_IMPORT &&
			   (r = take(argc, argv, &i, "--scenario", true, &val)) != 0) {
			if (r < 0 || !*val)
				return bad(err, errlen, "--scenario needs a NAME");
			o->scenario = val;
		} else if (o->verb == VX_TRACE_REPLAY &&
			   (replay_switch(a, "vnmi", &o->replay.vnmi) ||
			    replay_switch(a, "nrips", &o->replay.nrips) ||
			    replay_switch(a, "npt", &o->replay.npt) ||
			    replay_switch(a, "decode-assists", &o->replay.decode_assists))) {
			continue;
		} else if (o->verb == VX_TRACE_REPLAY &&
			   (r = take(argc, argv, &i, "--cpus", true, &val)) != 0) {
			if (r < 0 || !vx_parse_u32(val, 1, EMU_MAX_CPUS, &o->replay.cpus))
				return bad(err, errlen, "--cpus wants a whole number from 1 to %d",
					   EMU_MAX_CPUS);
		} else if (a[0] == '-' && a[1] != '\0') {
			return bad(err, errlen, "unknown option '%s' for trace %s", a, verbs[o->verb]);
		} else if (nfiles < files[o->verb]) {
			o->file[nfiles++] = a;
		} else {
			return bad(err, errlen, "unexpected argument '%s'", a);
		}
	}
	if (nfiles < files[o->verb])
		return bad(err, errlen, "trace %s needs %s", verbs[o->verb],
			   files[o->verb] == 2 ? "two trace files" : "a FILE");
	if (o->verb == VX_TRACE_IMPORT && !o->out)
		return bad(err, errlen, "trace import needs --output FILE");
	return VX_OPTS_RUN;
}
