/* SPDX-License-Identifier: MIT */
/*
 * `vxemu trace dump|diff|replay|import` (docs/traces.md). Every verb exits 2
 * on a file it cannot read or accept; diff and replay exit 0 when the traces
 * agree and 1 at a divergence.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emu/emu.h"
#include "model_run.h"
#include "ktap_parse.h"
#include "opts.h"
#include "qemu.h"
#include "select.h"
#include "serial_traces.h"
#include "trace_dir.h"
#include "trace_replay.h"
#include "vxtrace/diff.h"
#include "vxtrace/dump.h"
#include "vxtrace/import.h"
#include "vxtrace/trace.h"

/* Largest text a trace import reads: mail-sized pastes, not whole disks. */
#define IMPORT_TEXT_MAX (256u << 20)

static int load(const char *path, struct vxt_trace *t)
{
	char err[4096 + 256];

	if (vxt_load(path, t, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "vxemu: %s\n", err);
	return -1;
}

static int cmd_dump(const struct vx_trace_opts *o)
{
	struct vxt_trace t;
	int rc;

	if (load(o->file[0], &t))
		return VX_EXIT_USAGE;
	rc = vxt_dump(stdout, &t, o->json ? VXT_DUMP_JSON : VXT_DUMP_TEXT);
	vxt_free(&t);
	return rc ? VX_EXIT_USAGE : VX_EXIT_OK;
}

static int cmd_diff(const struct vx_trace_opts *o)
{
	struct vxt_trace a, b;
	struct vxt_diff d;
	char err[256];
	int rc;

	if (load(o->file[0], &a))
		return VX_EXIT_USAGE;
	if (load(o->file[1], &b)) {
		vxt_free(&a);
		return VX_EXIT_USAGE;
	}
	if (vxt_diff(&a, &b, &d, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s\n", err);
		rc = VX_EXIT_USAGE;
	} else {
		vxt_diff_report(stdout, &a, o->file[0], &b, o->file[1], &d, o->context);
		rc = d.same ? VX_EXIT_OK : VX_EXIT_FAIL;
	}
	vxt_free(&a);
	vxt_free(&b);
	return rc;
}

static int cmd_replay(const struct vx_trace_opts *o)
{
	struct vxt_trace rec, run;
	struct vxt_diff d;
	char err[512];
	int rc;

	if (load(o->file[0], &rec))
		return VX_EXIT_USAGE;
	vxt_init(&run);
	if (vx_trace_replay(&rec, &o->replay, &run, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s: %s\n", o->file[0], err);
		rc = VX_EXIT_USAGE;
	} else if (vxt_diff(&rec, &run, &d, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s\n", err);
		rc = VX_EXIT_USAGE;
	} else {
		vxt_diff_report(stdout, &rec, o->file[0], &run, "replay on the model", &d, o->context);
		rc = d.same ? VX_EXIT_OK : VX_EXIT_FAIL;
		if (o->out && vxt_save(&run, o->out, err, sizeof(err)) != 0) {
			fprintf(stderr, "vxemu: %s\n", err);
			rc = VX_EXIT_USAGE;
		}
	}
	vxt_free(&rec);
	vxt_free(&run);
	return rc;
}

static char *read_text(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		perror(path);
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *p;

			if (cap >= IMPORT_TEXT_MAX) {
				fprintf(stderr, "vxemu: %s: more than %u MiB of text\n", path,
					IMPORT_TEXT_MAX >> 20);
				free(buf);
				buf = NULL;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap);
			if (!p) {
				fprintf(stderr, "vxemu: out of memory\n");
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				fprintf(stderr, "vxemu: %s: read error\n", path);
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

/*
 * The serial log of the hardware image booted with `trace` (a real
 * machine's, say): one trace per scenario in the folder --output names.
 */
static int import_serial(const struct vx_trace_opts *o, const char *text, size_t len)
{
	struct vx_ktap k;
	char err[VX_PATH_MAX + 128];
	int rc = VX_EXIT_OK;

	if (vx_ktap_parse(text, len, &k) != 0) {
		fprintf(stderr, "vxemu: %s: %s\n", o->file[0], k.error);
		return VX_EXIT_USAGE;
	}
	if (k.count == 0) {
		fprintf(stderr, "vxemu: %s: the image's log holds no scenario result\n", o->file[0]);
		rc = VX_EXIT_USAGE;
	} else if (vx_trace_dir_prepare(o->out, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s\n", err);
		rc = VX_EXIT_USAGE;
	} else if (vx_serial_traces(o->out, o->file[0], text, len, &k) != 0) {
		rc = VX_EXIT_USAGE;
	} else {
		printf("%s: %zu traces, one per scenario of the image's log\n", o->out, k.count);
	}
	vx_ktap_free(&k);
	return rc;
}

static int cmd_import(const struct vx_trace_opts *o)
{
	struct vxt_trace t;
	struct vxt_import_stats st;
	char err[4096 + 256];
	size_t len;
	char *text = read_text(o->file[0], &len);
	int rc = VX_EXIT_OK;

	if (!text)
		return VX_EXIT_USAGE;
	if (vx_serial_is_traced(text, len)) {
		rc = import_serial(o, text, len);
		free(text);
		return rc;
	}
	vxt_init(&t);
	t.hdr.platform = VXT_PLATFORM_IMPORT;
	t.hdr.vxemu_version = vxt_intern(&t, vx_version());
	t.hdr.origin = vxt_intern(&t, o->file[0]);
	t.hdr.scenario = vxt_intern(&t, o->scenario);
	if (vxt_import_text(text, len, &t, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s: %s\n", o->file[0], err);
		rc = VX_EXIT_USAGE;
	} else if (vxt_save(&t, o->out, err, sizeof(err)) != 0) {
		fprintf(stderr, "vxemu: %s\n", err);
		rc = VX_EXIT_USAGE;
	} else {
		printf("%s: %zu events from %zu lines, %zu lines skipped", o->out, st.events, st.lines,
		       st.skipped);
		if (st.skipped)
			printf(" (the first is line %zu)", st.first_skipped_line);
		printf("\n");
	}
	free(text);
	vxt_free(&t);
	return rc;
}

int vx_cmd_trace(int argc, char *argv[])
{
	struct vx_trace_opts o;
	char err[VX_OPTS_ERR_MAX];

	switch (vx_trace_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case VX_OPTS_HELP:
		vx_usage_trace(stdout);
		return VX_EXIT_OK;
	case VX_OPTS_BAD:
		return vx_usage_error(vx_usage_trace, err);
	case VX_OPTS_RUN:
		break;
	}
	switch (o.verb) {
	case VX_TRACE_DUMP:
		return cmd_dump(&o);
	case VX_TRACE_DIFF:
		return cmd_diff(&o);
	case VX_TRACE_REPLAY:
		return cmd_replay(&o);
	case VX_TRACE_IMPORT:
		return cmd_import(&o);
	}
	return VX_EXIT_USAGE;
}
