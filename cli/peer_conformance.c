/* SPDX-License-Identifier: MIT */
/*
 * `vxemu conformance --platform qemu`: boot the hardware image with the same
 * selection, read the KTAP it prints on serial, and report it through the
 * same reporters as the model, so the two platforms print identically. A
 * scenario without a result is an ERROR that says why; when QEMU or the
 * image broke (qemu_outcome.h) the run exits VX_EXIT_USAGE whatever the
 * results say.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conformance_cmd.h"
#include "ktap_parse.h"
#include "qemu.h"
#include "qemu_outcome.h"
#include "serial_traces.h"
#include "trace_dir.h"

/* Generous: the whole suite under TCG takes seconds, a hung guest forever. */
#define QEMU_SUITE_TIMEOUT_S 600.0

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

int vx_qemu_conformance(const struct vx_conf_opts *o, const struct conf_scenario *const *sel,
			size_t n)
{
	struct vx_qemu q;
	struct vx_proc_result pr;
	struct vx_ktap k;
	struct vx_qemu_verdict v;
	struct conf_result *results;
	char err[VX_PATH_MAX + 128];
	char cmdline[2 * VX_OPTS_ERR_MAX + 64];
	int status, parse_rc;

	/* The image reads a blank-separated command line. */
	if (has_blank(o->filter) || has_blank(o->group))
		return vx_usage_error(vx_usage_conformance,
				      "--filter and --group cannot contain blanks with --platform qemu");
	if (vx_qemu_locate(o->image, &q, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: cannot run on QEMU: %s\n", err);
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
	/* Event lines on a serial port are slow under TCG (about 100 KB/s): a
	 * traced suite needs more than the launcher's default two minutes, and
	 * less than this command's own deadline. */
	if (o->trace_dir && setenv("VXEMU_QEMU_TIMEOUT", "580", 0) != 0) {
		perror("vxemu: setenv");
		return VX_EXIT_USAGE;
	}

	if (vx_qemu_boot(&q, cmdline, QEMU_SUITE_TIMEOUT_S, &pr) != 0) {
		perror("vxemu: cannot start QEMU");
		return VX_EXIT_USAGE;
	}
	results = calloc(n ? n : 1, sizeof(*results));
	if (!results) {
		fprintf(stderr, "vxemu: out of memory\n");
		vx_proc_result_free(&pr);
		return VX_EXIT_FAIL;
	}
	parse_rc = vx_ktap_parse(pr.out, pr.out_len, &k);
	vx_qemu_judge(&pr, &k, parse_rc, QEMU_SUITE_TIMEOUT_S, &v);

	for (size_t i = 0; i < n; i++) {
		const struct vx_ktap_result *kr = find(&k, sel[i]->name);

		results[i].scenario = sel[i];
		if (kr) {
			results[i].status = kr->status;
			memcpy(results[i].message, kr->message, sizeof(results[i].message));
		} else {
			results[i].status = CONF_ERROR;
			snprintf(results[i].message, sizeof(results[i].message), "no result: %s",
				 v.outcome == VX_QEMU_REPORTED ? "the image does not have this scenario"
							       : v.why);
		}
	}
	status = vx_report_results(o->format, results, n);
	if (o->trace_dir && pr.out &&
	    vx_serial_traces(o->trace_dir, "vxemu conformance --platform qemu", pr.out, pr.out_len,
			     &k) != 0)
		status = VX_EXIT_USAGE;
	if (v.outcome != VX_QEMU_REPORTED) {
		fprintf(stderr, "vxemu: %s\n", v.why);
		/* What QEMU said is the best clue there is. */
		if (pr.err_len) {
			fprintf(stderr, "vxemu: QEMU's messages:\n");
			fwrite(pr.err, 1, pr.err_len, stderr);
		}
	}
	if (VX_QEMU_BROKE(v.outcome))
		status = VX_EXIT_USAGE;
	else if (v.outcome != VX_QEMU_REPORTED)
		status = VX_EXIT_FAIL;
	free(results);
	vx_ktap_free(&k);
	vx_proc_result_free(&pr);
	return status;
}
