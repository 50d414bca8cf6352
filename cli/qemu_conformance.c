/* SPDX-License-Identifier: MIT */
/*
 * `vxemu conformance --platform qemu`: boot the hardware image with the same
 * selection, read the KTAP it prints on serial, and report it through the
 * same reporters as the model, so the two platforms print identically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conformance_cmd.h"
#include "ktap_parse.h"
#include "qemu.h"

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

/* Why a scenario the image should have run has no result. */
static void why_missing(const struct vx_proc_result *pr, const struct vx_ktap *k, char *buf,
			size_t len)
{
	/* An image that gives up says why on a "Bail out!" line (TAP's word). */
	const char *bail = strstr(pr->out, "Bail out!");

	if (bail)
		snprintf(buf, len, "no result: %.*s", (int)strcspn(bail, "\r\n"), bail);
	else if (pr->timed_out)
		snprintf(buf, len, "no result: QEMU was stopped after %.0f s", QEMU_SUITE_TIMEOUT_S);
	else if (!k->version)
		snprintf(buf, len, "no result: the image printed no KTAP header (QEMU exit status %d%s)",
			 pr->exit_code, pr->signalled ? ", killed by a signal" : "");
	else
		snprintf(buf, len, "no result: the image stopped after %zu results", k->count);
}

int vx_qemu_conformance(const struct vx_conf_opts *o, const struct conf_scenario *const *sel,
			size_t n)
{
	struct vx_qemu q;
	struct vx_proc_result pr;
	struct vx_ktap k;
	struct conf_result *results;
	char err[VX_PATH_MAX + 128];
	char cmdline[2 * VX_OPTS_ERR_MAX + 64];
	size_t missing = 0;
	int status;

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
	snprintf(cmdline, sizeof(cmdline), "format=ktap%s%s%s%s", o->filter ? " filter=" : "",
		 o->filter ? o->filter : "", o->group ? " group=" : "", o->group ? o->group : "");

	if (vx_qemu_boot(&q, cmdline, QEMU_SUITE_TIMEOUT_S, &pr) != 0) {
		perror("vxemu: cannot start QEMU");
		return VX_EXIT_FAIL;
	}
	results = calloc(n ? n : 1, sizeof(*results));
	if (!results || vx_ktap_parse(pr.out, pr.out_len, &k) != 0) {
		fprintf(stderr, "vxemu: out of memory\n");
		free(results);
		vx_proc_result_free(&pr);
		return VX_EXIT_FAIL;
	}

	for (size_t i = 0; i < n; i++) {
		const struct vx_ktap_result *kr = find(&k, sel[i]->name);

		results[i].scenario = sel[i];
		if (kr) {
			results[i].status = kr->status;
			memcpy(results[i].message, kr->message, sizeof(results[i].message));
		} else {
			results[i].status = CONF_ERROR;
			why_missing(&pr, &k, results[i].message, sizeof(results[i].message));
			missing++;
		}
	}
	/* When the image broke, what QEMU said is the best clue there is. */
	if (missing && pr.err_len) {
		fprintf(stderr, "vxemu: QEMU's messages:\n");
		fwrite(pr.err, 1, pr.err_len, stderr);
	}
	status = vx_report_results(o->format, results, n);
	free(results);
	vx_ktap_free(&k);
	vx_proc_result_free(&pr);
	return status;
}
