/* SPDX-License-Identifier: MIT */
/*
 * What traces cost (docs/traces.md): the suite on the model recording every
 * scenario's trace and encoding its file image, beside the same suite
 * untraced in the same run; and the rate at which a replay's comparison
 * goes through records -- decoding a file image and diffing it against a
 * trace of the same run, the work `vxemu trace replay` does after the model
 * has run -- on the largest trace of the suite.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "model_run.h"
#include "vxtrace/diff.h"
#include "vxtrace/trace.h"

static void config(struct emu_config *cfg)
{
	emu_config_default(cfg);
	cfg->ncpus = VX_CONFORMANCE_CPUS;
}

void vx_bench_suite_traced(struct vx_bench_trace *out)
{
	struct emu_config cfg;
	struct vxt_trace t;
	double t0;

	memset(out, 0, sizeof(*out));
	config(&cfg);
	vxt_init(&t);
	t0 = vx_cpu_seconds();
	for (size_t i = 0; i < conf_suite_len; i++) {
		struct conf_result r;
		uint8_t *image;
		size_t n;

		vx_model_run_traced(&cfg, conf_suite[i], &r, &t);
		image = vxt_encode(&t, &n);
		if (!image || t.oom) {
			snprintf(out->why, sizeof(out->why), "out of memory recording %s",
				 conf_suite[i]->name);
			free(image);
			vxt_free(&t);
			return;
		}
		out->records += t.nrec;
		out->bytes += n;
		if (t.nrec > out->largest_records) {
			out->largest_records = t.nrec;
			snprintf(out->largest, sizeof(out->largest), "%s", conf_suite[i]->name);
		}
		free(image);
	}
	out->seconds = vx_cpu_seconds() - t0;
	vxt_free(&t);
	out->ok = true;
}

void vx_bench_trace_compare(double seconds, const char *scenario, struct vx_bench_rate *out)
{
	const struct conf_scenario *sc = NULL;
	struct emu_config cfg;
	struct vxt_trace rec, dec;
	struct conf_result r;
	uint8_t *image;
	size_t n;
	double t0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < conf_suite_len && scenario; i++) {
		if (strcmp(conf_suite[i]->name, scenario) == 0)
			sc = conf_suite[i];
	}
	if (!sc) {
		snprintf(out->why, sizeof(out->why), "no trace was recorded");
		return;
	}
	config(&cfg);
	vxt_init(&rec);
	vx_model_run_traced(&cfg, sc, &r, &rec);
	image = vxt_encode(&rec, &n);
	if (!image) {
		snprintf(out->why, sizeof(out->why), "out of memory");
		vxt_free(&rec);
		return;
	}
	t0 = vx_cpu_seconds();
	do {
		struct vxt_diff d;
		char err[256];

		if (vxt_decode(image, n, &dec, err, sizeof(err)) != 0 ||
		    vxt_diff(&dec, &rec, &d, err, sizeof(err)) != 0 || !d.same) {
			snprintf(out->why, sizeof(out->why), "%s: the trace does not agree with itself",
				 sc->name);
			vxt_free(&dec);
			break;
		}
		vxt_free(&dec);
		out->count += rec.nrec;
		out->seconds = vx_cpu_seconds() - t0;
	} while (out->seconds < seconds);
	out->ok = out->why[0] == '\0';
	snprintf(out->note, sizeof(out->note), "%s, %zu records", sc->name, rec.nrec);
	free(image);
	vxt_free(&rec);
}
