/* SPDX-License-Identifier: MIT */
/*
 * Running a child program (QEMU, through hw/run-qemu.sh) in a process group
 * of its own, with its stdout and stderr captured, its stdin on /dev/null
 * and a deadline, so a hung or runaway guest cannot hang vxemu, and vxemu
 * leaves nothing running behind it.
 *
 * Ending the child means ending its whole group (the launcher, `timeout`,
 * QEMU): SIGTERM, then SIGKILL after VX_PROC_GRACE_S. That happens at the
 * deadline, when the child's output outgrows VX_PROC_CAPTURE_MAX, and when
 * SIGHUP, SIGINT or SIGTERM reaches vxemu while the child runs; in the last
 * case vxemu then ends itself by the same signal, as if it had not caught it
 * (a signal vxemu was started with ignored stays ignored).
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_PROC_H
#define VX_CLI_PROC_H

#include <stdbool.h>
#include <stddef.h>

/* Per stream: far more than any report or a traced suite's event lines
 * (tens of MiB, docs/traces.md), far less than a runaway stream. */
#define VX_PROC_CAPTURE_MAX (256u << 20)
#define VX_PROC_GRACE_S 2.0

struct vx_proc_result {
	char *out;       /* captured stdout, NUL-terminated (malloc'd) */
	size_t out_len;
	char *err;       /* captured stderr, NUL-terminated (malloc'd) */
	size_t err_len;
	int exit_code;   /* valid when !signalled && !timed_out && !overflowed */
	bool signalled;  /* ended by a signal it did not get from us */
	bool timed_out;  /* we ended it at the deadline */
	bool overflowed; /* we ended it when its output did not fit: each
			  * capture keeps at most VX_PROC_CAPTURE_MAX bytes */
	double seconds;  /* wall time from start to end */
};

/* 0 when the program ran (whatever its status), -1 with errno when not. */
int vx_proc_run(char *const argv[], double timeout_s, struct vx_proc_result *r);
void vx_proc_result_free(struct vx_proc_result *r);

/* An executable called name in $PATH, copied to buf; false if none. */
bool vx_find_in_path(const char *name, char *buf, size_t len);

#endif
