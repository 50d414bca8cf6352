/* SPDX-License-Identifier: MIT */
/* `vxemu conformance`: options, selection, and the run on the model. */
#include "conformance_cmd.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emu/emu.h"
#include "model_run.h"
#include "output.h"
#include "peer.h"
#include "select.h"
#include "file_writer.h"
#include "trace_dir.h"
#include "vxtrace/trace.h"

int vx_exit_status(const struct conf_totals *t)
{
	return t->failed || t->errors ? VX_EXIT_FAIL : VX_EXIT_OK;
}

int vx_report_results(enum conf_format fmt, const struct conf_result *results, size_t n)
{
	struct vx_file_writer fw;
	struct conf_totals t;

	vx_file_writer_init(&fw, stdout);
	memset(&t, 0, sizeof(t));
	conf_report_begin(&fw.w, fmt, n);
	for (size_t i = 0; i < n; i++)
		conf_report_result(&fw.w, fmt, i, &results[i], &t);
	conf_report_end(&fw.w, fmt, &t);
	if (vx_file_writer_flush(&fw))
		vx_output_failed(fw.error);
	return vx_exit_status(&t);
}

static int run_on_model(const struct vx_conf_opts *o, const struct conf_scenario *const *sel,
			size_t n)
{
	struct vx_file_writer fw;
	struct emu_config cfg;
	struct emu_costs *costs = NULL;
	struct conf_totals t;
	struct vxt_trace trace;
	char err[VX_OPTS_ERR_MAX + 64];
	char terr[VX_PATH_MAX + 128];
	bool trace_lost = false;

	if (o->trace_dir && vx_trace_dir_prepare(o->trace_dir, terr, sizeof(terr)) != 0)
		return vx_usage_error(vx_usage_conformance, terr);
	emu_config_default(&cfg);
	cfg.vnmi = o->vnmi;
	cfg.nrips = o->nrips;
	cfg.decode_assists = o->decode_assists;
	/* Four processors unless asked: the multi-processor scenarios need them,
	 * and the hardware image is compared under QEMU with -smp 4. */
	cfg.ncpus = o->cpus ? o->cpus : VX_CONFORMANCE_CPUS;
	if (o->costs) {
		costs = emu_costs_new();
		if (!costs) {
			fprintf(stderr, "vxemu: out of memory\n");
			return VX_EXIT_FAIL;
		}
		err[0] = '\0';
		if (emu_costs_load(costs, o->costs, err, sizeof(err)) != 0) {
			char msg[sizeof(err) + 64];

			snprintf(msg, sizeof(msg), "--costs %s: %s", o->costs,
				 err[0] ? err : "cannot be read");
			emu_costs_free(costs);
			return vx_usage_error(vx_usage_conformance, msg);
		}
		cfg.costs = costs;
	}

	/*
	 * Results go out one by one, so a long run shows its progress. Once a
	 * write is lost nobody can read the report: stop running scenarios.
	 */
	vx_file_writer_init(&fw, stdout);
	memset(&t, 0, sizeof(t));
	vxt_init(&trace);
	conf_report_begin(&fw.w, o->format, n);
	for (size_t i = 0; i < n && !vx_file_writer_flush(&fw); i++) {
		struct conf_result r;

		if (!o->trace_dir) {
			vx_model_run_scenario(&cfg, sel[i], &r);
		} else {
			vx_model_run_traced(&cfg, sel[i], &r, &trace);
			/* A lost trace is reported, and the run goes on. */
			if (vx_trace_dir_save(o->trace_dir, sel[i]->name, &trace, terr,
					      sizeof(terr)) != 0) {
				fprintf(stderr, "vxemu: %s\n", terr);
				trace_lost = true;
			}
		}
		conf_report_result(&fw.w, o->format, i, &r, &t);
	}
	conf_report_end(&fw.w, o->format, &t);
	vxt_free(&trace);
	if (vx_file_writer_flush(&fw))
		vx_output_failed(fw.error);
	emu_costs_free(costs);
	return trace_lost ? VX_EXIT_USAGE : vx_exit_status(&t);
}

int vx_cmd_conformance(int argc, char *argv[])
{
	struct vx_conf_opts o;
	char err[VX_OPTS_ERR_MAX];
	const struct conf_scenario **sel;
	size_t n;
	int status;

	switch (vx_conf_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case VX_OPTS_HELP:
		vx_usage_conformance(stdout);
		return VX_EXIT_OK;
	case VX_OPTS_BAD:
		return vx_usage_error(vx_usage_conformance, err);
	case VX_OPTS_RUN:
		break;
	}

	sel = vx_select(o.filter, o.group, &n);
	if (!sel) {
		fprintf(stderr, "vxemu: out of memory\n");
		return VX_EXIT_FAIL;
	}
	if (n == 0) {
		/* Running nothing and calling it a pass would hide a typo. */
		snprintf(err, sizeof(err), "no scenario matches%s%s%s%s",
			 o.filter ? " --filter " : "", o.filter ? o.filter : "",
			 o.group ? " --group " : "", o.group ? o.group : "");
		free(sel);
		return vx_usage_error(vx_usage_conformance, err);
	}

	if (o.list) {
		vx_list_print(stdout, sel, n);
		status = VX_EXIT_OK;
	} else if (o.platform == VX_PLATFORM_QEMU) {
		status = vx_peer_conformance(&vx_peer_qemu, &o, sel, n);
	} else if (o.platform == VX_PLATFORM_BOCHS) {
		status = vx_peer_conformance(&vx_peer_bochs, &o, sel, n);
	} else {
		status = run_on_model(&o, sel, n);
	}
	free(sel);
	return status;
}
