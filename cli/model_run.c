/* SPDX-License-Identifier: MIT */
/* One scenario on a fresh model machine (see model_run.h). */
#include "model_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxtrace/trace.h"

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

static void record(void *user, const struct hv_event *ev)
{
	vxt_add_event(user, ev);
}

/* What the trace's header says about the machine (docs/traces.md). */
static void machine_header(struct vxt_trace *t, struct emu_machine *m,
			   const struct emu_config *cfg, const struct conf_scenario *sc)
{
	struct vxt_header *h = &t->hdr;
	uint32_t r[4];
	size_t n;
	char *costs;

	h->platform = VXT_PLATFORM_MODEL;
	h->vxemu_version = vxt_intern(t, VXEMU_VERSION);
	emu_machine_cpuid(m, 0, 0, r);
	memcpy(h->cpuid_vendor, &r[1], 4);
	memcpy(h->cpuid_vendor + 4, &r[3], 4);
	memcpy(h->cpuid_vendor + 8, &r[2], 4);
	emu_machine_cpuid(m, 1, 0, r);
	h->cpuid_1_eax = r[0];
	h->cpuid_1_ecx = r[2];
	emu_machine_cpuid(m, 0x80000001u, 0, r);
	h->cpuid_80000001_ecx = r[2];
	emu_machine_cpuid(m, 0x8000000au, 0, r);
	h->cpuid_8000000a_eax = r[0];
	h->cpuid_8000000a_ebx = r[1];
	h->cpuid_8000000a_edx = r[3];
	emu_machine_cpuid(m, 0x8000001fu, 0, r);
	h->cpuid_8000001f_eax = r[0];
	h->ncpus = cfg->ncpus;
	h->ram_size = cfg->ram_size;
	h->machine_flags = (cfg->vnmi ? VXT_MACHINE_VNMI : 0) | (cfg->nrips ? VXT_MACHINE_NRIPS : 0) |
			   (cfg->npt ? VXT_MACHINE_NPT : 0) |
			   (cfg->decode_assists ? VXT_MACHINE_DECODE_ASSISTS : 0);
	n = emu_costs_format(cfg->costs, NULL, 0) + 1;
	costs = malloc(n);
	if (costs) {
		emu_costs_format(cfg->costs, costs, n);
		h->costs = vxt_intern(t, costs);
		free(costs);
	} else {
		t->oom = true;
	}
	h->scenario = vxt_intern(t, sc->name);
	h->origin = vxt_intern(t, "vxemu conformance");
}

void vx_model_run_scenario(const struct emu_config *cfg, const struct conf_scenario *sc,
			   struct conf_result *out)
{
	vx_model_run_traced(cfg, sc, out, NULL);
}

void vx_model_run_traced(const struct emu_config *cfg, const struct conf_scenario *sc,
			 struct conf_result *out, struct vxt_trace *trace)
{
	char err[CONF_MESSAGE_MAX];
	struct emu_machine *m;
	struct run_arg arg = { sc, out };

	memset(out, 0, sizeof(*out));
	out->scenario = sc;
	err[0] = '\0';
	if (trace)
		vxt_reset(trace);
	m = emu_machine_create(cfg, err, sizeof(err));
	if (!m) {
		set_error(out, "model machine not created", err);
		return;
	}
	if (trace) {
		machine_header(trace, m, cfg, sc);
		emu_set_event_listener(m, record, trace);
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
	if (trace) {
		trace->hdr.status = (uint32_t)out->status;
		trace->hdr.checks = out->checks;
		trace->hdr.message = vxt_intern(trace, out->message[0] ? out->message : NULL);
	}
}
