/* SPDX-License-Identifier: MIT */
/*
 * `vxemu trace replay`: the recorded scenario, run again on the model with
 * the machine the trace's header describes.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_TRACE_REPLAY_H
#define VX_CLI_TRACE_REPLAY_H

#include <stddef.h>

#include "opts.h"

struct vxt_trace;

/*
 * Runs rec's scenario on a model machine configured from rec's header (the
 * processors, memory, vNMI/NRIPS/NPT and the cost table), with ov's switches
 * applied over it, recording into run. -1 with a message when the trace
 * cannot be replayed (an import, an unknown scenario, a configuration the
 * model cannot build).
 */
int vx_trace_replay(const struct vxt_trace *rec, const struct vx_replay_overrides *ov,
		    struct vxt_trace *run, char *err, size_t errlen);

#endif
