/* SPDX-License-Identifier: MIT */
/*
 * Running one scenario on the model: a fresh machine per scenario, so no
 * scenario can see what an earlier one left behind.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_MODEL_RUN_H
#define VX_CLI_MODEL_RUN_H

#include "conf/conf.h"
#include "emu/emu.h"

/*
 * Creates a machine from cfg, runs conf_run(sc) on processor 0, destroys the
 * machine and fills *out. A machine that cannot be created, or a run the
 * model had to stop, gives CONF_ERROR with the model's message.
 */
void vx_model_run_scenario(const struct emu_config *cfg, const struct conf_scenario *sc,
			   struct conf_result *out);

struct vxt_trace;
/*
 * The same, recording into trace (reset first): the header names the
 * machine, its configuration and the outcome, the records every event of
 * the run (docs/traces.md).
 */
void vx_model_run_traced(const struct emu_config *cfg, const struct conf_scenario *sc,
			 struct conf_result *out, struct vxt_trace *trace);

#endif
