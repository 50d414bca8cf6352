/* SPDX-License-Identifier: MIT */
/*
 * Command-line options of the vxemu commands, parsed into plain structs.
 * The parsers print nothing and never exit: they return VX_OPTS_* and, on a
 * usage error, a one-line message, so the command decides what to print and
 * the unit tests can check every case.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_OPTS_H
#define VX_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

/* Exit statuses of every vxemu command. */
enum {
	VX_EXIT_OK = 0,    /* nothing failed */
	VX_EXIT_FAIL = 1,  /* a scenario failed or broke, or a benchmark could not run */
	VX_EXIT_USAGE = 2, /* bad arguments, the platform asked for is not there or
			    * broke, or stdout lost the report */
};

enum vx_opts_result {
	VX_OPTS_RUN = 0,  /* options are good: run the command */
	VX_OPTS_HELP = 1, /* --help was given: print usage to stdout, exit 0 */
	VX_OPTS_BAD = 2,  /* usage error: the message says why */
};

enum vx_platform { VX_PLATFORM_MODEL, VX_PLATFORM_QEMU, VX_PLATFORM_BOCHS };

#define VX_OPTS_ERR_MAX 160

struct vx_conf_opts {
	bool list;
	const char *filter;      /* NULL: every scenario */
	const char *group;       /* NULL: every group */
	enum conf_format format;
	enum vx_platform platform;
	const char *image;       /* NULL: the image the build made */
	const char *vendor;      /* bochs only: "intel" or "amd"; NULL: intel */
	bool vnmi;               /* model only: false after --no-vnmi */
	bool nrips;              /* model only: false after --no-nrips */
	bool decode_assists;     /* model only: false after --no-decode-assists */
	uint32_t cpus;           /* model only: 0 keeps the model's default */
	const char *costs;       /* model only: cost table overrides, or NULL */
	const char *trace_dir;   /* one trace file per scenario here, or NULL */
};

/* argv[0] is the command name ("conformance"); options follow. */
enum vx_opts_result vx_conf_opts_parse(int argc, char *const argv[], struct vx_conf_opts *o,
				       char *err, size_t errlen);

struct vx_bench_opts {
	double seconds; /* how long each timed measurement aims to run */
};

#define VX_BENCH_SECONDS_DEFAULT 3.0
#define VX_BENCH_SECONDS_MIN 0.05
#define VX_BENCH_SECONDS_MAX 600.0

enum vx_opts_result vx_bench_opts_parse(int argc, char *const argv[], struct vx_bench_opts *o,
					char *err, size_t errlen);

enum vx_trace_verb { VX_TRACE_DUMP, VX_TRACE_DIFF, VX_TRACE_REPLAY, VX_TRACE_IMPORT };

/* Machine switches a replay may change from the recorded ones: -1 keeps. */
struct vx_replay_overrides {
	int vnmi, nrips, npt, decode_assists;
	uint32_t cpus; /* 0 keeps */
};

struct vx_trace_opts {
	enum vx_trace_verb verb;
	const char *file[2];
	bool json;              /* dump --format json */
	unsigned context;       /* diff, replay: events of context (default 4) */
	const char *out;        /* import: the trace written; replay: the replay's trace */
	const char *scenario;   /* import: the scenario the text is a run of */
	struct vx_replay_overrides replay;
};

#define VX_TRACE_CONTEXT_DEFAULT 4u
#define VX_TRACE_CONTEXT_MAX 64u

/* argv[0] is "trace", argv[1] the verb. */
enum vx_opts_result vx_trace_opts_parse(int argc, char *const argv[], struct vx_trace_opts *o,
					char *err, size_t errlen);

/* Strict number parsers shared by the options: the whole string or nothing. */
bool vx_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
bool vx_parse_seconds(const char *s, double min, double max, double *out);
/* "table", "ktap", "tap13", "junit". */
bool vx_parse_format(const char *s, enum conf_format *out);

#endif
