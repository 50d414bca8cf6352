/* SPDX-License-Identifier: MIT */
/* KTAP reader (see ktap_parse.h for what it accepts). */
#include "ktap_parse.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

static bool starts(struct span s, const char *prefix)
{
	size_t k = strlen(prefix);

	return s.n >= k && memcmp(s.p, prefix, k) == 0;
}

static struct span skip(struct span s, size_t k)
{
	s.p += k;
	s.n -= k;
	return s;
}

static struct span trim(struct span s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
		s = skip(s, 1);
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

static void copy(char *dst, size_t cap, struct span s)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

/* Reads a decimal number at the front of *s; false if there is none. */
static bool number(struct span *s, unsigned long *out)
{
	unsigned long v = 0;
	size_t i = 0;

	while (i < s->n && s->p[i] >= '0' && s->p[i] <= '9' && i < 9)
		v = v * 10 + (unsigned long)(s->p[i++] - '0');
	if (i == 0 || (i < s->n && s->p[i] >= '0' && s->p[i] <= '9'))
		return false;
	*s = skip(*s, i);
	*out = v;
	return true;
}

/* Case-insensitive "word" at the front of s, followed by a blank or the end. */
static bool directive(struct span s, const char *word, struct span *rest)
{
	size_t k = strlen(word);

	if (s.n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = s.p[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != word[i])
			return false;
	}
	if (s.n > k && s.p[k] != ' ' && s.p[k] != '\t')
		return false;
	*rest = trim(skip(s, k));
	return true;
}

struct parser {
	struct vx_ktap *k;
	size_t cap;
	char diag[CONF_MESSAGE_MAX]; /* first diagnostic since the last result */
	unsigned long passed, failed, skipped; /* of the results so far, as the summary counts */
};

static void start_over(struct parser *ps)
{
	ps->k->plan = -1;
	ps->k->count = 0;
	ps->k->summary = false;
	ps->k->bail[0] = '\0';
	ps->diag[0] = '\0';
	ps->passed = ps->failed = ps->skipped = 0;
}

/* "N passed, N failed, N skipped": true when it counts the results so far. */
static bool summary_matches(const struct parser *ps, struct span line)
{
	static const char *const words[3] = { " passed, ", " failed, ", " skipped" };
	const unsigned long want[3] = { ps->passed, ps->failed, ps->skipped };

	for (int i = 0; i < 3; i++) {
		unsigned long v;

		if (!number(&line, &v) || !starts(line, words[i]) || v != want[i])
			return false;
		line = skip(line, strlen(words[i]));
	}
	return line.n == 0;
}

static int add_result(struct parser *ps, struct span line, bool ok)
{
	struct vx_ktap_result *r;
	struct span name, tail = { NULL, 0 };
	unsigned long num;

	line = skip(line, ok ? 2 : 6); /* "ok" or "not ok" */
	line = trim(line);
	if (!number(&line, &num))
		return 0; /* not a result line after all */

	if (ps->k->count == VX_KTAP_RESULTS_MAX) {
		snprintf(ps->k->error, sizeof(ps->k->error),
			 "more than %d results after the header", VX_KTAP_RESULTS_MAX);
		return -1;
	}
	if (ps->k->count == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		struct vx_ktap_result *more;

		if (cap > VX_KTAP_RESULTS_MAX)
			cap = VX_KTAP_RESULTS_MAX;
		more = realloc(ps->k->results, cap * sizeof(*more));
		if (!more) {
			snprintf(ps->k->error, sizeof(ps->k->error), "out of memory");
			return -1;
		}
		ps->k->results = more;
		ps->cap = cap;
	}
	r = &ps->k->results[ps->k->count++];
	memset(r, 0, sizeof(*r));
	r->number = (uint32_t)num;

	/* The description runs up to " #", where the directive starts. */
	name = trim(line);
	if (name.n && name.p[0] == '-') /* TAP allows "ok 1 - name" */
		name = trim(skip(name, 1));
	for (size_t i = 0; i < name.n; i++) {
		if (name.p[i] == '#' && (i == 0 || name.p[i - 1] == ' ' || name.p[i - 1] == '\t')) {
			tail = trim(skip(name, i + 1));
			name.n = i;
			break;
		}
	}
	copy(r->name, sizeof(r->name), trim(name));

	struct span reason;

	if (tail.p && directive(tail, "SKIP", &reason)) {
		r->status = CONF_SKIP;
	} else if (tail.p && (directive(tail, "ERROR", &reason) || directive(tail, "TIMEOUT", &reason))) {
		r->status = CONF_ERROR;
	} else {
		r->status = ok ? CONF_PASS : CONF_FAIL;
		reason = tail.p ? tail : (struct span){ "", 0 };
	}
	if (reason.n)
		copy(r->message, sizeof(r->message), reason);
	else if (r->status != CONF_PASS)
		memcpy(r->message, ps->diag, sizeof(r->message));
	ps->diag[0] = '\0';
	ps->passed += r->status == CONF_PASS;
	ps->skipped += r->status == CONF_SKIP;
	ps->failed += r->status == CONF_FAIL || r->status == CONF_ERROR;
	ps->k->summary = false;
	return 0;
}

int vx_ktap_parse(const char *text, size_t len, struct vx_ktap *k)
{
	struct parser ps;
	bool started = false;
	size_t pos = 0, lineno = 0;

	memset(k, 0, sizeof(*k));
	memset(&ps, 0, sizeof(ps));
	ps.k = k;
	start_over(&ps);

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		struct span line = { text + pos, nl ? (size_t)(nl - (text + pos)) : len - pos };

		pos += line.n + 1;
		lineno++;
		if (started && line.n > VX_KTAP_LINE_MAX) {
			snprintf(k->error, sizeof(k->error), "line %zu is longer than %d bytes", lineno,
				 VX_KTAP_LINE_MAX);
			goto fail;
		}
		/* Serial consoles end lines with CR LF. */
		while (line.n && (line.p[line.n - 1] == '\r' || line.p[line.n - 1] == '\0'))
			line.n--;

		if (starts(line, "KTAP version ") || starts(line, "TAP version ")) {
			struct span v = skip(line, line.p[0] == 'K' ? 13 : 12);
			unsigned long ver;

			/* A second header is a second run: only the last one counts. */
			if (number(&v, &ver)) {
				k->version = (int)ver;
				start_over(&ps);
				started = true;
			}
			continue;
		}
		if (starts(line, "Bail out!")) {
			copy(k->bail, sizeof(k->bail), line);
			continue;
		}
		if (!started)
			continue;
		if (starts(line, "1..")) {
			struct span p = skip(line, 3);
			unsigned long plan;

			if (number(&p, &plan))
				k->plan = (long)plan;
		} else if (starts(line, "ok ")) {
			if (add_result(&ps, line, true) < 0)
				goto fail;
		} else if (starts(line, "not ok ")) {
			if (add_result(&ps, line, false) < 0)
				goto fail;
		} else if (starts(line, "#")) {
			/* The image's trace lines (docs/hardware.md) are records, not
			 * a failure's reason. */
			if (!ps.diag[0] && !starts(line, "#ev ") && !starts(line, "#platform "))
				copy(ps.diag, sizeof(ps.diag), trim(skip(line, 1)));
		} else if (line.n && line.p[0] >= '0' && line.p[0] <= '9') {
			k->summary = summary_matches(&ps, line);
		}
	}
	return 0;
fail:
	free(k->results);
	k->results = NULL;
	k->count = 0;
	return -1;
}

void vx_ktap_free(struct vx_ktap *k)
{
	free(k->results);
	k->results = NULL;
	k->count = 0;
}
