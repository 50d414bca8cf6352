/* SPDX-License-Identifier: MIT */
/* Judging a boot of the hardware image on a peer (see peer_outcome.h). */
#include "peer_outcome.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Every launcher: 0 passed, 1 failed, 2 broke, 124 its own deadline. */
#define LAUNCHER_PASS 0
#define LAUNCHER_FAIL 1
#define LAUNCHER_TIMEOUT 124

static void say(struct vx_peer_verdict *v, enum vx_peer_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct vx_peer_verdict *v, enum vx_peer_outcome o, const char *fmt, ...)
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

/* The first line of what the launcher wrote on stderr: its own error, when it failed. */
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

void vx_peer_judge(const struct vx_peer_kind *kind, const struct vx_proc_result *pr,
		   const struct vx_ktap *k, int parse_rc, double timeout_s,
		   struct vx_peer_verdict *v)
{
	const char *peer = kind->name;
	const char *launcher = vx_peer_launcher_name(kind);
	const char *err;
	int errn = first_line(pr->err, pr->err_len, &err);
	int status = pr->exit_code;

	if (!errn) {
		err = "it said nothing";
		errn = (int)strlen(err);
	}

	if (pr->overflowed)
		say(v, VX_PEER_UNREADABLE, "%s wrote more than %u MiB; it was stopped there", peer,
		    VX_PROC_CAPTURE_MAX >> 20);
	else if (parse_rc != 0)
		say(v, VX_PEER_UNREADABLE, "the report cannot be read: %s", k->error);
	else if (k->version && k->bail[0])
		say(v, VX_PEER_BAILED, "%s", k->bail);
	else if (pr->timed_out)
		say(v, VX_PEER_TIMED_OUT, "%s was stopped after %.0f s", peer, timeout_s);
	else if (!pr->signalled && status == LAUNCHER_TIMEOUT)
		say(v, VX_PEER_TIMED_OUT, "%s was stopped at %s", peer, kind->timeout_env);
	else if (pr->signalled)
		say(v, VX_PEER_INCOMPLETE, "the %s launcher was killed by a signal", peer);
	else if (!k->version && blank(pr->out, pr->out_len))
		say(v, VX_PEER_NOT_STARTED, "%s failed to start or rejected the image: %.*s", peer, errn,
		    err);
	else if (!k->version)
		say(v, VX_PEER_NO_REPORT, "the image printed no KTAP report (%s status %d)%s%s",
		    launcher, status, k->bail[0] ? ": " : "", k->bail);
	else if (k->plan < 0 || k->count != (size_t)k->plan || !k->summary)
		say(v, VX_PEER_INCOMPLETE,
		    "%s ended without a complete report: %zu of %ld results%s (%s status %d)",
		    peer, k->count, k->plan < 0 ? 0L : k->plan, k->summary ? "" : ", no summary line",
		    launcher, status);
	else if ((status != LAUNCHER_PASS && status != LAUNCHER_FAIL) ||
		 (status == LAUNCHER_FAIL) != any_failed(k))
		say(v, VX_PEER_CONTRADICTED,
		    "%s status %d contradicts the image's report", launcher, status);
	else
		say(v, VX_PEER_REPORTED, "the image reported every result");
}
