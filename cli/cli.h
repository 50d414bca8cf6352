/* SPDX-License-Identifier: MIT */
/*
 * The vxemu commands and their usage texts. main.c picks a command by name;
 * each command parses its own options (opts.h) and returns the exit status.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_CLI_H
#define VX_CLI_CLI_H

#include <stdio.h>

int vx_cmd_conformance(int argc, char *argv[]);
int vx_cmd_bench(int argc, char *argv[]);
int vx_cmd_trace(int argc, char *argv[]);

void vx_usage_main(FILE *f);
void vx_usage_conformance(FILE *f);
void vx_usage_bench(FILE *f);
void vx_usage_trace(FILE *f);

/* "vxemu: MESSAGE" then the usage on stderr; returns VX_EXIT_USAGE. */
int vx_usage_error(void (*usage)(FILE *f), const char *message);

const char *vx_version(void);

/* Model processors for `vxemu conformance` when --cpus is not given. */
#define VX_CONFORMANCE_CPUS 4u

#endif
