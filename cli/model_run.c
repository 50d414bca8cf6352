/* SPDX-License-Identifier: MIT */
/* One scenario on a fresh model machine (see model_run.h). */
#include "model_run.h"

#include <stdio.h>
#include <string.h>

struct run_arg {
	const struct conf_scenario *sc;
	struct conf_result *out;
};

static void run_on_bsp(void *p)
{
	struct run_arg *a = p;

	conf_run(a->sc, a->out);
}

static void set_error(struct conf_result *out, const char *what, const char *why)
{
	out->status = CONF_ERROR;
	snprintf(out->message, sizeof(out->message), "%s: %s", what, why && *why ? why : "no reason given");
}

void vx_model_run_scenario(const struct emu_config *cfg, const struct conf_scenario *sc,
			   struct conf_result *out)
{
	char err[CONF_MESSAGE_MAX];
	struct emu_machine *m;
	struct run_arg arg = { sc, out };

	memset(out, 0, sizeof(*out));
	out->scenario = sc;
	err[0] = '\0';
	m = emu_machine_create(cfg, err, sizeof(err));
	if (!m) {
		set_error(out, "model machine not created", err);
		return;
	}
	/* Until conf_run says otherwise, a run that never got there is an error. */
	out->status = CONF_ERROR;
	snprintf(out->message, sizeof(out->message), "scenario did not run to its end");
	if (emu_machine_run(m, run_on_bsp, &arg) != 0) {
		/* Keep the check count the scenario reached; replace the verdict. */
		out->scenario = sc;
		set_error(out, "model stopped the run", emu_machine_error(m));
	}
	emu_machine_destroy(m);
}
