/* SPDX-License-Identifier: MIT */
/* Judging a boot of the hardware image under QEMU (see qemu_outcome.h). */
#include "qemu_outcome.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* hw/run-qemu.sh: 0 passed, 1 failed, 2 broke, 124 its own deadline. */
#define RUN_QEMU_PASS 0
#define RUN_QEMU_FAIL 1
#define RUN_QEMU_TIMEOUT 124

static void say(struct vx_qemu_verdict *v, enum vx_qemu_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct vx_qemu_verdict *v, enum vx_qemu_outcome o, const char *fmt, ...)
{
	va_list ap;

	v->outcome = o;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '\0')
			return false;
	}
	return true;
}

/* The first line of what QEMU wrote on stderr: its own error, when it failed. */
static int first_line(const char *s, size_t n, const char **start)
{
	while (n && (*s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	*start = s;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\0')
			return (int)(i > 160 ? 160 : i);
	}
	return (int)(n > 160 ? 160 : n);
}

static bool any_failed(const struct vx_ktap *k)
{
	for (size_t i = 0; i < k->count; i++) {
		if (k->results[i].status == CONF_FAIL || k->results[i].status == CONF_ERROR)
			return true;
	}
	return false;
}

void vx_qemu_judge(const struct vx_proc_result *pr, const struct vx_ktap *k, int parse_rc,
		   double timeout_s, struct vx_qemu_verdict *v)
{
	const char *err;
	int errn = first_line(pr->err, pr->err_len, &err);
	int status = pr->exit_code;

	if (!errn) {
		err = "it said nothing";
		errn = (int)strlen(err);
	}

	if (pr->overflowed)
		say(v, VX_QEMU_UNREADABLE, "QEMU wrote more than %u MiB; it was stopped there",
		    VX_PROC_CAPTURE_MAX >> 20);
	else if (parse_rc != 0)
		say(v, VX_QEMU_UNREADABLE, "the report cannot be read: %s", k->error);
	else if (k->version && k->bail[0])
		say(v, VX_QEMU_BAILED, "%s", k->bail);
	else if (pr->timed_out)
		say(v, VX_QEMU_TIMED_OUT, "QEMU was stopped after %.0f s", timeout_s);
	else if (!pr->signalled && status == RUN_QEMU_TIMEOUT)
		say(v, VX_QEMU_TIMED_OUT, "QEMU was stopped at VXEMU_QEMU_TIMEOUT");
	else if (pr->signalled)
		say(v, VX_QEMU_INCOMPLETE, "the QEMU launcher was killed by a signal");
	else if (!k->version && blank(pr->out, pr->out_len))
		say(v, VX_QEMU_NOT_STARTED, "QEMU failed to start or rejected the image: %.*s", errn,
		    err);
	else if (!k->version)
		say(v, VX_QEMU_NO_REPORT, "the image printed no KTAP report (run-qemu.sh status %d)%s%s",
		    status, k->bail[0] ? ": " : "", k->bail);
	else if (k->plan < 0 || k->count != (size_t)k->plan || !k->summary)
		say(v, VX_QEMU_INCOMPLETE,
		    "QEMU ended without a complete report: %zu of %ld results%s (run-qemu.sh status %d)",
		    k->count, k->plan < 0 ? 0L : k->plan, k->summary ? "" : ", no summary line",
		    status);
	else if ((status != RUN_QEMU_PASS && status != RUN_QEMU_FAIL) ||
		 (status == RUN_QEMU_FAIL) != any_failed(k))
		say(v, VX_QEMU_CONTRADICTED,
		    "run-qemu.sh status %d contradicts the image's report", status);
	else
		say(v, VX_QEMU_REPORTED, "the image reported every result");
}
