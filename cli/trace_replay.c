/* SPDX-License-Identifier: MIT */
/* The recorded scenario on the model again (see trace_replay.h). */
#include "trace_replay.h"

#include <stdio.h>
#include <string.h>

#include "emu/emu.h"
#include "model_run.h"
#include "select.h"
#include "vxtrace/trace.h"

static bool pick(int override, bool recorded)
{
	return override < 0 ? recorded : override != 0;
}

int vx_trace_replay(const struct vxt_trace *rec, const struct vx_replay_overrides *ov,
		    struct vxt_trace *run, char *err, size_t errlen)
{
	const struct vxt_header *h = &rec->hdr;
	const char *name = vxt_string(rec, h->scenario);
	const char *costs_text = vxt_string(rec, h->costs);
	const struct conf_scenario *sc;
	struct emu_config cfg;
	struct emu_costs *costs = NULL;
	struct conf_result r;
	char why[256];

	if (h->platform == VXT_PLATFORM_IMPORT) {
		snprintf(err, errlen, "an imported trace names no scenario to replay; "
			 "compare it with 'vxemu trace diff' instead");
		return -1;
	}
	if (!name || !(sc = vx_scenario_by_name(name, strlen(name)))) {
		snprintf(err, errlen, "scenario '%s' is not in this vxemu's suite", name ? name : "");
		return -1;
	}
	emu_config_default(&cfg);
	/* The machine the trace names: an Intel processor by its vendor string. */
	if (memcmp(h->cpuid_vendor, "GenuineIntel", 12) == 0)
		cfg.vendor = EMU_VENDOR_INTEL;
	cfg.ncpus = ov->cpus ? ov->cpus : h->ncpus;
	/* A loader reports memory in KiB; the model's comes in whole pages. */
	if (h->ram_size)
		cfg.ram_size = h->ram_size & ~0xfffull;
	cfg.vnmi = pick(ov->vnmi, h->machine_flags & VXT_MACHINE_VNMI);
	cfg.nrips = pick(ov->nrips, h->machine_flags & VXT_MACHINE_NRIPS);
	cfg.npt = pick(ov->npt, h->machine_flags & VXT_MACHINE_NPT);
	cfg.decode_assists = pick(ov->decode_assists, h->machine_flags & VXT_MACHINE_DECODE_ASSISTS);
	/* A machine's own clock has no table: the model's built-in one stands in. */
	if (costs_text) {
		costs = emu_costs_new();
		if (!costs) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (emu_costs_parse(costs, costs_text, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "the recorded cost table: %s", why);
			emu_costs_free(costs);
			return -1;
		}
		cfg.costs = costs;
	}
	vx_model_run_traced(&cfg, sc, &r, run);
	emu_costs_free(costs);
	if (r.status == CONF_ERROR && r.checks == 0 && run->nrec == 0) {
		snprintf(err, errlen, "the model cannot run it: %s", r.message);
		return -1;
	}
	return 0;
}
