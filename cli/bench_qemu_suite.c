/* SPDX-License-Identifier: MIT */
/*
 * The peer for the suite's time: the same suite in the hardware image under
 * QEMU TCG, booted as `vxemu conformance --platform qemu` boots it. The
 * figure is the boot's wall time, start to end, QEMU's own start-up and the
 * image's included; QEMU's CPU time goes beside it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ktap_parse.h"
#include "qemu.h"
#include "qemu_outcome.h"

/* As for `vxemu conformance --platform qemu`: seconds when it works. */
#define QEMU_SUITE_TIMEOUT_S 600.0
/* The model machine's processors, so the mp scenarios run on both sides. */
#define QEMU_SUITE_SMP "4"

static void count(const struct vx_ktap *k, struct vx_bench_qemu_suite *out)
{
	for (size_t i = 0; i < k->count; i++) {
		switch (k->results[i].status) {
		case CONF_PASS:
			out->passed++;
			break;
		case CONF_SKIP:
			out->skipped++;
			break;
		default:
			out->failed++;
			break;
		}
	}
	out->results = (uint32_t)k->count;
}

void vx_bench_qemu_suite(struct vx_bench_qemu_suite *out)
{
	struct vx_peer q;
	struct vx_proc_result pr;
	struct vx_ktap k;
	struct vx_qemu_verdict v;
	const char *smp = getenv("VXEMU_QEMU_SMP");
	bool set_smp = !smp || !*smp;
	double cpu0;
	int parse_rc, rc;

	memset(out, 0, sizeof(*out));
	if (vx_peer_locate(&vx_peer_qemu, NULL, &q, out->why, sizeof(out->why)) != 0)
		return;
	/* hw/run-qemu.sh reads the processor count from its environment; a
	 * count the user set is theirs to keep. */
	if (set_smp && setenv("VXEMU_QEMU_SMP", QEMU_SUITE_SMP, 1) != 0) {
		snprintf(out->why, sizeof(out->why), "cannot set VXEMU_QEMU_SMP");
		return;
	}
	snprintf(out->smp, sizeof(out->smp), "%s", set_smp ? QEMU_SUITE_SMP : smp);
	cpu0 = vx_children_cpu_seconds();
	rc = vx_peer_boot(&q, "format=ktap", QEMU_SUITE_TIMEOUT_S, &pr);
	if (set_smp)
		unsetenv("VXEMU_QEMU_SMP");
	if (rc != 0) {
		snprintf(out->why, sizeof(out->why), "cannot start QEMU");
		return;
	}
	out->cpu_seconds = vx_children_cpu_seconds() - cpu0;
	out->seconds = pr.seconds;
	parse_rc = vx_ktap_parse(pr.out, pr.out_len, &k);
	vx_qemu_judge(&pr, &k, parse_rc, QEMU_SUITE_TIMEOUT_S, &v);
	/* A boot that did not finish its report measured something else. */
	if (v.outcome != VX_QEMU_REPORTED)
		snprintf(out->why, sizeof(out->why), "%.250s", v.why);
	else
		count(&k, out);
	out->ok = v.outcome == VX_QEMU_REPORTED;
	vx_ktap_free(&k);
	vx_proc_result_free(&pr);
}
