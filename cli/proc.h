/* SPDX-License-Identifier: MIT */
/*
 * Running a child program (QEMU, through hw/run-qemu.sh) with its stdout and
 * stderr captured, its stdin on /dev/null and a deadline after which its
 * whole process group is killed, so a hung guest cannot hang vxemu.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_PROC_H
#define VX_CLI_PROC_H

#include <stdbool.h>
#include <stddef.h>

struct vx_proc_result {
	char *out;       /* captured stdout, NUL-terminated (malloc'd) */
	size_t out_len;
	char *err;       /* captured stderr, NUL-terminated (malloc'd) */
	size_t err_len;
	int exit_code;   /* valid when !signalled && !timed_out */
	bool signalled;  /* ended by a signal it did not get from us */
	bool timed_out;  /* we killed it at the deadline */
	double seconds;  /* wall time from start to end */
};

/* 0 when the program ran (whatever its status), -1 with errno when not. */
int vx_proc_run(char *const argv[], double timeout_s, struct vx_proc_result *r);
void vx_proc_result_free(struct vx_proc_result *r);

/* An executable called name in $PATH, copied to buf; false if none. */
bool vx_find_in_path(const char *name, char *buf, size_t len);

#endif
