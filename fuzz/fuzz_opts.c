/* SPDX-License-Identifier: MIT */
/*
 * The option parsers of the vxemu commands (cli/opts.c: conformance, bench,
 * trace) on any command line. Input: arguments separated by NUL bytes;
 * argv[0] is the command name, as main() passes it. The error buffer is exactly as long as the
 * first byte picks (0-159 bytes; none at all for 0). Besides memory safety:
 *   - a usage error comes with a message, cut to the buffer and ended;
 *   - accepted options hold what the usage allows (docs in cli/opts.h): a
 *     CPU count of 0 (the default) to EMU_MAX_CPUS, a finite time within
 *     the bench's limits, no model-only option with --platform qemu, no
 *     --image on the model, and strings that are the arguments' own;
 *   - vx_parse_u32 accepts exactly the strings of decimal digits whose
 *     value is in range, and returns that value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/emu.h"
#include "fuzz.h"
#include "opts.h"

#define ARGS_MAX 64

/* Is p the start of one of the arguments, or inside one ("--name=VALUE")? */
static bool from_argv(const char *p, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

/* The reference for vx_parse_u32: digits only, no sign, no blank, in range. */
static void check_u32(const char *s, uint32_t min, uint32_t max)
{
	uint64_t v = 0;
	bool digits = *s != '\0', big = false;
	uint32_t got = 0;

	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9') {
			digits = false;
			break;
		}
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			big = true;
	}
	if (vx_parse_u32(s, min, max, &got))
		FZ_CHECK(digits && !big && v >= min && v <= max && got == v);
	else
		FZ_CHECK(!digits || big || v < min || v > max);
}

static void check_conf(int argc, char **argv, char *err, size_t errlen)
{
	struct vx_conf_opts o;
	enum vx_opts_result r = vx_conf_opts_parse(argc, argv, &o, err, errlen);

	FZ_CHECK(r == VX_OPTS_RUN || r == VX_OPTS_HELP || r == VX_OPTS_BAD);
	if (r == VX_OPTS_BAD && errlen)
		FZ_CHECK(memchr(err, '\0', errlen) != NULL && (errlen == 1 || err[0] != '\0'));
	if (r != VX_OPTS_RUN)
		return;
	FZ_CHECK(o.cpus <= EMU_MAX_CPUS);
	FZ_CHECK(o.format == CONF_FMT_TABLE || o.format == CONF_FMT_KTAP ||
		 o.format == CONF_FMT_TAP13 || o.format == CONF_FMT_JUNIT);
	if (o.platform == VX_PLATFORM_QEMU && !o.list)
		FZ_CHECK(o.vnmi && o.nrips && o.cpus == 0 && !o.costs);
	if (o.platform == VX_PLATFORM_MODEL)
		FZ_CHECK(!o.image);
	else
		FZ_CHECK(o.platform == VX_PLATFORM_QEMU);
	FZ_CHECK(!o.filter || (*o.filter && from_argv(o.filter, argc, argv)));
	FZ_CHECK(!o.group || (*o.group && from_argv(o.group, argc, argv)));
	FZ_CHECK(!o.image || (*o.image && from_argv(o.image, argc, argv)));
	FZ_CHECK(!o.costs || (*o.costs && from_argv(o.costs, argc, argv)));
}

static void check_bench(int argc, char **argv, char *err, size_t errlen)
{
	struct vx_bench_opts o;
	enum vx_opts_result r = vx_bench_opts_parse(argc, argv, &o, err, errlen);

	FZ_CHECK(r == VX_OPTS_RUN || r == VX_OPTS_HELP || r == VX_OPTS_BAD);
	if (r == VX_OPTS_BAD && errlen)
		FZ_CHECK(memchr(err, '\0', errlen) != NULL && (errlen == 1 || err[0] != '\0'));
	if (r == VX_OPTS_RUN)
		FZ_CHECK(o.seconds >= VX_BENCH_SECONDS_MIN && o.seconds <= VX_BENCH_SECONDS_MAX);
}

static void check_trace(int argc, char **argv, char *err, size_t errlen)
{
	static const unsigned files[] = { 1, 2, 1, 1 };
	struct vx_trace_opts o;
	enum vx_opts_result r = vx_trace_opts_parse(argc, argv, &o, err, errlen);

	FZ_CHECK(r == VX_OPTS_RUN || r == VX_OPTS_HELP || r == VX_OPTS_BAD);
	if (r == VX_OPTS_BAD && errlen)
		FZ_CHECK(memchr(err, '\0', errlen) != NULL && (errlen == 1 || err[0] != '\0'));
	if (r != VX_OPTS_RUN)
		return;
	FZ_CHECK(o.verb <= VX_TRACE_IMPORT);
	for (unsigned i = 0; i < 2; i++)
		FZ_CHECK(i < files[o.verb] ? o.file[i] && from_argv(o.file[i], argc, argv) : !o.file[i]);
	FZ_CHECK(o.context <= VX_TRACE_CONTEXT_MAX);
	FZ_CHECK(o.replay.cpus <= EMU_MAX_CPUS);
	FZ_CHECK(o.replay.vnmi >= -1 && o.replay.vnmi <= 1 && o.replay.nrips >= -1 &&
		 o.replay.nrips <= 1 && o.replay.npt >= -1 && o.replay.npt <= 1 &&
		 o.replay.decode_assists >= -1 && o.replay.decode_assists <= 1);
	FZ_CHECK(o.verb != VX_TRACE_IMPORT || (o.out && *o.out));
	FZ_CHECK(!o.out || (*o.out && from_argv(o.out, argc, argv)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[ARGS_MAX + 1], *text, *err;
	size_t errlen;
	int argc = 0;

	if (size < 1)
		return 0;
	errlen = data[0] % VX_OPTS_ERR_MAX;
	/* The arguments, each its own allocation so a read past one is caught. */
	for (size_t i = 1; i <= size && argc < ARGS_MAX;) {
		size_t n = 0;

		while (i + n < size && data[i + n] != '\0')
			n++;
		text = malloc(n + 1);
		FZ_CHECK(text != NULL);
		memcpy(text, data + i, n);
		text[n] = '\0';
		argv[argc++] = text;
		i += n + 1;
	}
	argv[argc] = NULL;
	err = errlen ? malloc(errlen) : NULL;
	FZ_CHECK(!errlen || err);
	check_conf(argc, argv, err, errlen);
	check_bench(argc, argv, err, errlen);
	check_trace(argc, argv, err, errlen);
	for (int i = 0; i < argc; i++)
		check_u32(argv[i], 1, EMU_MAX_CPUS);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(err);
	return 0;
}
