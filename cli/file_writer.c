/* SPDX-License-Identifier: MIT */
/* conf_writer over a stdio stream (see file_writer.h). */
#include "file_writer.h"

#include <errno.h>

static void write_file(void *user, const char *s, size_t n)
{
	struct vx_file_writer *fw = user;

	/* After a lost write the rest would be a report with a hole in it. */
	if (fw->error)
		return;
	errno = 0;
	if (fwrite(s, 1, n, fw->f) != n)
		fw->error = errno ? errno : EIO;
}

void vx_file_writer_init(struct vx_file_writer *fw, FILE *f)
{
	fw->w.write = write_file;
	fw->w.user = fw;
	fw->f = f;
	fw->error = 0;
}

int vx_file_writer_flush(struct vx_file_writer *fw)
{
	if (!fw->error) {
		errno = 0;
		if (fflush(fw->f) != 0 || ferror(fw->f))
			fw->error = errno ? errno : EIO;
	}
	return fw->error;
}
