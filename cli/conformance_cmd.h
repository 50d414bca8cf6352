/* SPDX-License-Identifier: MIT */
/*
 * Pieces of `vxemu conformance` shared by its two platforms.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_CONFORMANCE_CMD_H
#define VX_CLI_CONFORMANCE_CMD_H

#include <stdio.h>

#include "conf/conf.h"
#include "opts.h"
#include "peer.h"

/* --list: name, groups and Expect line of each scenario. */
void vx_list_print(FILE *f, const struct conf_scenario *const *sel, size_t n);

/*
 * Prints a whole report of n finished results on stdout; returns the exit
 * status the results earn. A write that fails is noted for vx_output_close.
 */
int vx_report_results(enum conf_format fmt, const struct conf_result *results, size_t n);

/* The exit status that a run with these totals earns. */
int vx_exit_status(const struct conf_totals *t);

/* --platform qemu or bochs: boots the image on that peer, reads its KTAP,
 * reports in o->format. */
int vx_peer_conformance(const struct vx_peer_kind *kind, const struct vx_conf_opts *o,
			const struct conf_scenario *const *sel, size_t n);

#endif
