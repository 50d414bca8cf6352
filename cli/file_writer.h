/* SPDX-License-Identifier: MIT */
/*
 * A conf_writer that writes to a stdio stream, so the portable reporters can
 * print from the hosted CLI. The reporters cannot see a write fail, so the
 * writer keeps the first failure for the caller to check.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_FILE_WRITER_H
#define VX_CLI_FILE_WRITER_H

#include <stdio.h>

#include "conf/conf.h"

struct vx_file_writer {
	struct conf_writer w; /* what the reporters write through */
	FILE *f;
	int error;            /* errno of the first write that failed; 0 while none has */
};

void vx_file_writer_init(struct vx_file_writer *fw, FILE *f);

/* Flushes the stream; 0 when everything so far reached it, else fw->error. */
int vx_file_writer_flush(struct vx_file_writer *fw);

#endif
