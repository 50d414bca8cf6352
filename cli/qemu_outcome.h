/* SPDX-License-Identifier: MIT */
/*
 * The judge of a boot (peer_outcome.h) with QEMU as the peer, under the
 * names the QEMU benchmark and its unit test use.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_QEMU_OUTCOME_H
#define VX_CLI_QEMU_OUTCOME_H

#include "peer_outcome.h"

#define VX_QEMU_REPORTED VX_PEER_REPORTED
#define VX_QEMU_BAILED VX_PEER_BAILED
#define VX_QEMU_TIMED_OUT VX_PEER_TIMED_OUT
#define VX_QEMU_NOT_STARTED VX_PEER_NOT_STARTED
#define VX_QEMU_NO_REPORT VX_PEER_NO_REPORT
#define VX_QEMU_INCOMPLETE VX_PEER_INCOMPLETE
#define VX_QEMU_UNREADABLE VX_PEER_UNREADABLE
#define VX_QEMU_CONTRADICTED VX_PEER_CONTRADICTED
#define VX_QEMU_BROKE(o) VX_PEER_BROKE(o)
#define vx_qemu_verdict vx_peer_verdict
#define vx_qemu_outcome vx_peer_outcome

static inline void vx_qemu_judge(const struct vx_proc_result *pr, const struct vx_ktap *k,
				 int parse_rc, double timeout_s, struct vx_qemu_verdict *v)
{
	vx_peer_judge(&vx_peer_qemu, pr, k, parse_rc, timeout_s, v);
}

#endif
