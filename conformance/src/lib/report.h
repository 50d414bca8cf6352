/* SPDX-License-Identifier: MIT */
/* Private to the reporters: writing through a struct conf_writer. */
#ifndef CONF_SRC_REPORT_H
#define CONF_SRC_REPORT_H

#include <stddef.h>

#include "conf/conf.h"

void conf_emit(const struct conf_writer *w, const char *s);
/* Writes s with control characters turned into spaces: one line stays one line. */
void conf_emit_line_safe(const struct conf_writer *w, const char *s);
void conf_emitf(const struct conf_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *conf_result_name(const struct conf_result *r);
void conf_tally(const struct conf_result *r, struct conf_totals *totals);
/* "N passed, N failed, N skipped" with errors counted as failed, and a newline. */
void conf_emit_summary(const struct conf_writer *w, const struct conf_totals *t);

void conf_junit_begin(const struct conf_writer *w, size_t count);
void conf_junit_result(const struct conf_writer *w, const struct conf_result *r);
void conf_junit_end(const struct conf_writer *w, const struct conf_totals *t);

#endif
