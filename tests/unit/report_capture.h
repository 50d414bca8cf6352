/* SPDX-License-Identifier: MIT */
/*
 * For the report tests: a conf_writer that collects everything written
 * into one NUL-terminated buffer, and a scenario body that does nothing
 * (the tests fill in the results themselves).
 * Who may include it: tests/unit/ (after <cmocka.h>).
 */
#ifndef TESTS_UNIT_REPORT_CAPTURE_H
#define TESTS_UNIT_REPORT_CAPTURE_H

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

struct buf {
	char *p;
	size_t n;
};

static inline void buf_write(void *user, const char *s, size_t n)
{
	struct buf *b = user;

	b->p = realloc(b->p, b->n + n + 1);
	assert_non_null(b->p);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void nothing(struct conf_ctx *ctx)
{
	(void)ctx;
}

#endif
