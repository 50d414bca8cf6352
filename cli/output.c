/* SPDX-License-Identifier: MIT */
/* The end of vxemu's standard output (see output.h). */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"

static int first_error;

void vx_output_open(void)
{
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The lowest free descriptor is this one: those below are open. */
		got = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
		if (got >= 0 && got != fd)
			close(got);
	}
}

void vx_output_failed(int err)
{
	if (!first_error)
		first_error = err ? err : EIO;
}

int vx_output_close(int status)
{
	int err = first_error;
	bool failed = err != 0 || ferror(stdout);

	errno = 0;
	if (fclose(stdout) != 0) {
		failed = true;
		if (!err)
			err = errno;
	}
	if (!failed)
		return status;
	fprintf(stderr, "vxemu: cannot write to stdout%s%s; the output is incomplete\n",
		err ? ": " : "", err ? strerror(err) : "");
	return VX_EXIT_USAGE;
}
