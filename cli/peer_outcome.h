/* SPDX-License-Identifier: MIT */
/*
 * What a boot of the hardware image on a peer amounted to, judged from its
 * launcher's exit status (docs/hardware.md "Exit codes"), what the peer
 * wrote on stderr, and the KTAP report read back from the serial port. Only
 * a report the image finished counts as one: an emulator that fails on its
 * own, a report cut short or one that contradicts its exit status is the
 * platform breaking, and must never read as a pass.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_PEER_OUTCOME_H
#define VX_CLI_PEER_OUTCOME_H

#include <stddef.h>

#include "ktap_parse.h"
#include "peer.h"
#include "proc.h"

enum vx_peer_outcome {
	VX_PEER_REPORTED,     /* a whole report, and the exit status agrees with it */
	VX_PEER_BAILED,       /* the image stopped with a "Bail out!" after its header */
	VX_PEER_TIMED_OUT,    /* stopped at a deadline: a scenario never ended */
	/* The platform broke: */
	VX_PEER_NOT_STARTED,  /* nothing on the serial port: the peer did not run the image */
	VX_PEER_NO_REPORT,    /* the serial port carried no KTAP header */
	VX_PEER_INCOMPLETE,   /* the report stops short of its plan or its summary */
	VX_PEER_UNREADABLE,   /* the output broke the bounds of proc.h or ktap_parse.h */
	VX_PEER_CONTRADICTED, /* the exit status the image wrote contradicts its report */
};

/* For every outcome from VX_PEER_NOT_STARTED on. */
#define VX_PEER_BROKE(o) ((o) >= VX_PEER_NOT_STARTED)

struct vx_peer_verdict {
	enum vx_peer_outcome outcome;
	/* What happened, for the user, and after "no result: " for each result
	 * the image never gave. */
	char why[CONF_MESSAGE_MAX - 16];
};

/*
 * kind: the peer, for its names; pr: the run of its launcher; k and
 * parse_rc: vx_ktap_parse of pr->out; timeout_s: the deadline pr ran under.
 */
void vx_peer_judge(const struct vx_peer_kind *kind, const struct vx_proc_result *pr,
		   const struct vx_ktap *k, int parse_rc, double timeout_s,
		   struct vx_peer_verdict *v);

#endif
