/* SPDX-License-Identifier: MIT */
/*
 * vxemu's standard output, where every report goes. A report that cannot be
 * written (a full disk, a closed stdout) must not end in a status that reads
 * as a result. Writes go through stdio and fail long before the stream is
 * closed, so a command that sees a write fail notes it (and may stop early),
 * and main, which closes stdout last of all, turns any failure into one
 * message on stderr and VX_EXIT_USAGE.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_OUTPUT_H
#define VX_CLI_OUTPUT_H

/*
 * Opens /dev/null on any of descriptors 0 to 2 that is closed, in the
 * direction that fails (read-only for stdout and stderr), so that a file or
 * pipe vxemu opens later cannot take descriptor 1 and receive the report,
 * and a write to a closed stdout still fails. Call it first in main.
 */
void vx_output_open(void);

/* Notes the errno of a failed write to stdout; the first one is kept. */
void vx_output_failed(int err);

/*
 * Flushes and closes stdout. Returns status when every write reached it;
 * otherwise prints "vxemu: cannot write to stdout: ..." on stderr and
 * returns VX_EXIT_USAGE.
 */
int vx_output_close(int status);

#endif
