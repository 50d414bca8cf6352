/* SPDX-License-Identifier: MIT */
/*
 * A conf_writer that writes to a stdio stream, so the portable reporters can
 * print from the hosted CLI.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_FILE_WRITER_H
#define VX_CLI_FILE_WRITER_H

#include <stdio.h>

#include "conf/conf.h"

struct conf_writer vx_file_writer(FILE *f);

#endif
