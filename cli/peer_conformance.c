/* SPDX-License-Identifier: MIT */
/*
 * `vxemu conformance --platform qemu|bochs`: boot the hardware image on the
 * peer with the same selection, read the KTAP it prints on serial, and
 * report it through the same reporters as the model, so every platform
 * prints identically. A scenario without a result is an ERROR that says
 * why; when the peer or the image broke (peer_outcome.h) the run exits
 * VX_EXIT_USAGE whatever the results say.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conformance_cmd.h"
#include "ktap_parse.h"
#include "peer.h"
#include "peer_outcome.h"
#include "serial_traces.h"
#include "trace_dir.h"


static bool has_blank(const char *s)
{
	return s && strpbrk(s, " \t\n\r") != NULL;
}

static const struct vx_ktap_result *find(const struct vx_ktap *k, const char *name)
{
	for (size_t i = 0; i < k->count; i++) {
		if (strcmp(k->results[i].name, name) == 0)
			return &k->results[i];
	}
	return NULL;
}

int vx_peer_conformance(const struct vx_peer_kind *kind, const struct vx_conf_opts *o,
			const struct conf_scenario *const *sel, size_t n)
{
	struct vx_peer q;
	struct vx_proc_result pr;
	struct vx_ktap k;
	struct vx_peer_verdict v;
	struct conf_result *results;
	char err[VX_PATH_MAX + 128];
	char cmdline[2 * VX_OPTS_ERR_MAX + 64];
	char source[64];
	int status, parse_rc;

	/* The image reads a blank-separated command line. */
	if (has_blank(o->filter) || has_blank(o->group)) {
		snprintf(err, sizeof(err),
			 "--filter and --group cannot contain blanks with --platform %s",
			 kind->platform);
		return vx_usage_error(vx_usage_conformance, err);
	}
	if (vx_peer_locate(kind, o->image, &q, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: cannot run on %s: %s\n", kind->name, err);
		return VX_EXIT_USAGE;
	}
	/* hw/run-bochs.sh picks the processor by this; QEMU's has one kind. */
	if (o->vendor && setenv("VXEMU_BOCHS_VENDOR", o->vendor, 1) != 0) {
		perror("vxemu: setenv");
		return VX_EXIT_USAGE;
	}
	if ((o->filter && strlen(o->filter) > VX_OPTS_ERR_MAX) ||
	    (o->group && strlen(o->group) > VX_OPTS_ERR_MAX))
		return vx_usage_error(vx_usage_conformance, "--filter or --group is too long");
	/* The image can print any format, but KTAP is the one read back here. */
	snprintf(cmdline, sizeof(cmdline), "format=ktap%s%s%s%s%s", o->trace_dir ? " trace" : "",
		 o->filter ? " filter=" : "", o->filter ? o->filter : "", o->group ? " group=" : "",
		 o->group ? o->group : "");
	if (o->trace_dir && vx_trace_dir_prepare(o->trace_dir, err, sizeof(err)) != 0)
		return vx_usage_error(vx_usage_conformance, err);
	if (o->trace_dir && setenv(kind->timeout_env, kind->traced_timeout, 0) != 0) {
		perror("vxemu: setenv");
		return VX_EXIT_USAGE;
	}

	if (vx_peer_boot(&q, cmdline, kind->suite_timeout_s, &pr) != 0) {
		fprintf(stderr, "vxemu: cannot start %s: %s\n", kind->name, strerror(errno));
		return VX_EXIT_USAGE;
	}
	results = calloc(n ? n : 1, sizeof(*results));
	if (!results) {
		fprintf(stderr, "vxemu: out of memory\n");
		vx_proc_result_free(&pr);
		return VX_EXIT_FAIL;
	}
	parse_rc = vx_ktap_parse(pr.out, pr.out_len, &k);
	vx_peer_judge(kind, &pr, &k, parse_rc, kind->suite_timeout_s, &v);

	for (size_t i = 0; i < n; i++) {
		const struct vx_ktap_result *kr = find(&k, sel[i]->name);

		results[i].scenario = sel[i];
		if (kr) {
			results[i].status = kr->status;
			memcpy(results[i].message, kr->message, sizeof(results[i].message));
		} else {
			results[i].status = CONF_ERROR;
			snprintf(results[i].message, sizeof(results[i].message), "no result: %s",
				 v.outcome == VX_PEER_REPORTED ? "the image does not have this scenario"
							       : v.why);
		}
	}
	status = vx_report_results(o->format, results, n);
	snprintf(source, sizeof(source), "vxemu conformance --platform %s", kind->platform);
	if (o->trace_dir && pr.out &&
	    vx_serial_traces(o->trace_dir, source, pr.out, pr.out_len, &k) != 0)
		status = VX_EXIT_USAGE;
	if (v.outcome != VX_PEER_REPORTED) {
		fprintf(stderr, "vxemu: %s\n", v.why);
		/* What the peer said is the best clue there is. */
		if (pr.err_len) {
			fprintf(stderr, "vxemu: %s's messages:\n", kind->name);
			fwrite(pr.err, 1, pr.err_len, stderr);
		}
	}
	if (VX_PEER_BROKE(v.outcome))
		status = VX_EXIT_USAGE;
	else if (v.outcome != VX_PEER_REPORTED)
		status = VX_EXIT_FAIL;
	free(results);
	vx_ktap_free(&k);
	vx_proc_result_free(&pr);
	return status;
}
