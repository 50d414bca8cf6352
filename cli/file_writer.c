/* SPDX-License-Identifier: MIT */
/* conf_writer over a stdio stream (see file_writer.h). */
#include "file_writer.h"

static void write_file(void *user, const char *s, size_t n)
{
	fwrite(s, 1, n, (FILE *)user);
}

struct conf_writer vx_file_writer(FILE *f)
{
	struct conf_writer w = { write_file, f };

	return w;
}
