/* SPDX-License-Identifier: MIT */
/*
 * `--trace DIR`: the folder of a run's traces, one file per scenario named
 * SCENARIO.vxt (docs/traces.md).
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_TRACE_DIR_H
#define VX_CLI_TRACE_DIR_H

#include <stddef.h>

struct vxt_trace;

/* Creates dir when missing; -1 with a message when it is not a usable folder. */
int vx_trace_dir_prepare(const char *dir, char *err, size_t errlen);
/* Writes t as dir/scenario.vxt; -1 with a message. */
int vx_trace_dir_save(const char *dir, const char *scenario, const struct vxt_trace *t, char *err,
		      size_t errlen);

#endif
