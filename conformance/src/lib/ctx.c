/* SPDX-License-Identifier: MIT */
/*
 * Recording a scenario's outcome, and running one. The status vocabulary is
 * the one of conf/conf.h: the most severe status reported wins, and the
 * message is the first one given at that severity. Every check is also an
 * event on the one stream (HV_EV_CHECK), so traces show where a run failed.
 */
#include <stdarg.h>

#include "conf/conf.h"
#include "conf/check.h"
#include "ctx.h"
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/lib.h"

static void record(struct conf_ctx *ctx, enum conf_status status, const char *fmt, va_list ap)
{
	struct conf_result *r = ctx->result;

	if (status < r->status)
		return;
	if (status > r->status || r->message[0] == '\0')
		hv_vsnprintf(r->message, sizeof(r->message), fmt, ap);
	r->status = status;
}

void conf_fail(struct conf_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ctx, CONF_FAIL, fmt, ap);
	va_end(ap);
}

void conf_error(struct conf_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ctx, CONF_ERROR, fmt, ap);
	va_end(ap);
}

void conf_skip(struct conf_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ctx, CONF_SKIP, fmt, ap);
	va_end(ap);
}

static void check_event(const char *what, bool pass, uint64_t got, uint64_t want, unsigned which)
{
	struct hv_event ev = { .type = HV_EV_CHECK, .source = HV_SRC_SCENARIO,
			       .v = { pass ? 1 : 0, got, want, which }, .text = what };

	arch_event(&ev);
}

bool conf_check_true(struct conf_ctx *ctx, const char *what, bool cond)
{
	ctx->result->checks++;
	check_event(what, cond, 0, 0, 0);
	if (!cond)
		conf_fail(ctx, "%s: false", what);
	return cond;
}

bool conf_check_u64(struct conf_ctx *ctx, const char *what, uint64_t got, uint64_t want)
{
	bool ok = got == want;

	ctx->result->checks++;
	check_event(what, ok, got, want, CONF_EV_GOT | CONF_EV_WANT);
	if (!ok)
		conf_fail(ctx, "%s: got 0x%llx, want 0x%llx", what, (unsigned long long)got,
			  (unsigned long long)want);
	return ok;
}

bool conf_failed(const struct conf_ctx *ctx)
{
	return ctx->result->status >= CONF_FAIL;
}

void conf_count_check(struct conf_ctx *ctx, const char *what, bool pass)
{
	ctx->result->checks++;
	check_event(what, pass, 0, 0, 0);
}

void conf_count_check_values(struct conf_ctx *ctx, const char *what, bool pass, uint64_t got,
			     uint64_t want, unsigned which)
{
	ctx->result->checks++;
	check_event(what, pass, got, want, which);
}

void conf_run(const struct conf_scenario *sc, struct conf_result *out)
{
	struct conf_ctx ctx = { .result = out };
	const char *why;

	hv_memset(out, 0, sizeof(*out));
	out->scenario = sc;
	out->status = CONF_PASS;
	why = sc->unsupported ? sc->unsupported() : NULL;
	if (why) {
		conf_skip(&ctx, "%s", why);
		return;
	}
	sc->run(&ctx);
	/* A scenario that checked nothing proved nothing: never a PASS. */
	if (out->status == CONF_PASS && out->checks == 0)
		conf_error(&ctx, "the scenario evaluated no check");
}
