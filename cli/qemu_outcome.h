/* SPDX-License-Identifier: MIT */
/*
 * What a boot of the hardware image under QEMU amounted to, judged from
 * hw/run-qemu.sh's exit status (docs/hardware.md "Exit codes"), what QEMU
 * wrote on stderr, and the KTAP report read back from the serial port. Only
 * a report the image finished counts as one: QEMU that fails on its own, a
 * report cut short or one that contradicts its exit status is the platform
 * breaking, and must never read as a pass.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_QEMU_OUTCOME_H
#define VX_CLI_QEMU_OUTCOME_H

#include <stddef.h>

#include "ktap_parse.h"
#include "proc.h"

enum vx_qemu_outcome {
	VX_QEMU_REPORTED,     /* a whole report, and the exit status agrees with it */
	VX_QEMU_BAILED,       /* the image stopped with a "Bail out!" after its header */
	VX_QEMU_TIMED_OUT,    /* stopped at a deadline: a scenario never ended */
	/* The platform broke: */
	VX_QEMU_NOT_STARTED,  /* nothing on the serial port: QEMU did not run the image */
	VX_QEMU_NO_REPORT,    /* the serial port carried no KTAP header */
	VX_QEMU_INCOMPLETE,   /* the report stops short of its plan or its summary */
	VX_QEMU_UNREADABLE,   /* the output broke the bounds of proc.h or ktap_parse.h */
	VX_QEMU_CONTRADICTED, /* the exit status the image wrote contradicts its report */
};

/* For every outcome from VX_QEMU_NOT_STARTED on. */
#define VX_QEMU_BROKE(o) ((o) >= VX_QEMU_NOT_STARTED)

struct vx_qemu_verdict {
	enum vx_qemu_outcome outcome;
	/* What happened, for the user, and after "no result: " for each result
	 * the image never gave. */
	char why[CONF_MESSAGE_MAX - 16];
};

/*
 * pr: the run of hw/run-qemu.sh; k and parse_rc: vx_ktap_parse of pr->out;
 * timeout_s: the deadline pr ran under.
 */
void vx_qemu_judge(const struct vx_proc_result *pr, const struct vx_ktap *k, int parse_rc,
		   double timeout_s, struct vx_qemu_verdict *v);

#endif
