/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite: scenario descriptions, the runner and the reports.
 * Portable (freestanding C11): the same code runs on the model platform and
 * in the hardware image, so two runs can be compared line by line.
 *
 * Who may include it: conformance/, cli/, hw/, tests/.
 */
#ifndef CONF_CONF_H
#define CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most severe wins when a scenario reports more than once. */
enum conf_status {
	CONF_PASS = 0,  /* the thing under test did what the manual says */
	CONF_SKIP = 1,  /* the platform lacks a feature; the message names the bit */
	CONF_FAIL = 2,  /* the thing under test is wrong */
	CONF_ERROR = 3, /* the scenario or the environment broke */
};

struct conf_ctx;

struct conf_scenario {
	const char *name;   /* e.g. "svm_vnmi_delivery_sets_mask" */
	const char *groups; /* space-separated, e.g. "svm vnmi" */
	const char *expect; /* "Expect: ..." — the architectural result */
	const char *ref;    /* manual section, e.g. "APM vol. 2 §15.21.10" */
	/* NULL when runnable here, else the reason to SKIP (the CPUID/MSR bit). */
	const char *(*unsupported)(void);
	void (*run)(struct conf_ctx *ctx);
};

/* The suite, in a fixed order (conformance/src/suite.c). */
extern const struct conf_scenario *const conf_suite[];
extern const size_t conf_suite_len;

#define CONF_MESSAGE_MAX 256

struct conf_result {
	const struct conf_scenario *scenario;
	enum conf_status status;
	uint32_t checks;                  /* checks evaluated */
	char message[CONF_MESSAGE_MAX];   /* first failure or skip reason */
};

/* Recording outcomes from inside a scenario. */
void conf_fail(struct conf_ctx *ctx, const char *fmt, ...);
void conf_error(struct conf_ctx *ctx, const char *fmt, ...);
void conf_skip(struct conf_ctx *ctx, const char *fmt, ...);
/* Counts a check; on mismatch records a failure naming both sides. */
bool conf_check_u64(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t want);
bool conf_check_true(struct conf_ctx *ctx, const char *what, bool cond);
bool conf_failed(const struct conf_ctx *ctx);

/* Selection: glob over names (* and ?), and group membership. */
bool conf_glob_match(const char *pattern, const char *name);
bool conf_in_group(const struct conf_scenario *sc, const char *group);

/* Runs one scenario on the calling processor and fills *out. */
void conf_run(const struct conf_scenario *sc, struct conf_result *out);

/* Reports. Each format ends its human summary with "N passed, N failed, N skipped". */
enum conf_format { CONF_FMT_TABLE, CONF_FMT_KTAP, CONF_FMT_TAP13, CONF_FMT_JUNIT };

struct conf_writer {
	void (*write)(void *user, const char *s, size_t n);
	void *user;
};

struct conf_totals {
	uint32_t passed, failed, skipped, errors;
};

void conf_report_begin(const struct conf_writer *w, enum conf_format fmt, size_t count);
void conf_report_result(const struct conf_writer *w, enum conf_format fmt, size_t index,
			const struct conf_result *r, struct conf_totals *totals);
void conf_report_end(const struct conf_writer *w, enum conf_format fmt,
		     const struct conf_totals *totals);

#endif
