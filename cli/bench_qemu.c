/* SPDX-License-Identifier: MIT */
/*
 * The peer for round trips: the hardware image under QEMU TCG. A boot costs
 * far more than the loop, so the image boots twice with bench=N for two N,
 * and the difference of the wall times over the difference of the N cancels
 * the boot.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "qemu.h"

/* QEMU TCG does about 200k round trips per second on a small machine. */
#define QEMU_GUESS_PER_SECOND 200000.0
#define QEMU_BASE_TRIPS 1000u
#define QEMU_BENCH_TIMEOUT_S 300.0

/*
 * The image times its loop itself too ("bench roundtrips N ... per_second
 * R"): worth showing beside the boot-difference figure as a cross-check.
 */
static void note_image_rate(const char *out_text, struct vx_bench_rate *out)
{
	const char *p = strstr(out_text, " per_second ");
	unsigned long long rate;

	if (p && sscanf(p, " per_second %llu", &rate) == 1)
		snprintf(out->note, sizeof(out->note), "the image's own TSC count: %llu/s", rate);
}

/* One boot with bench=trips; wall seconds, or < 0 with out->why set. */
static double boot(const struct vx_qemu *q, uint64_t trips, struct vx_bench_rate *out)
{
	struct vx_proc_result pr;
	char cmdline[64];
	double t;

	snprintf(cmdline, sizeof(cmdline), "bench=%llu", (unsigned long long)trips);
	if (vx_qemu_boot(q, cmdline, QEMU_BENCH_TIMEOUT_S, &pr) != 0) {
		snprintf(out->why, sizeof(out->why), "cannot start QEMU");
		return -1.0;
	}
	t = pr.seconds;
	if (pr.timed_out || pr.signalled || pr.exit_code != 0) {
		/* The last line QEMU wrote is the likeliest explanation. */
		const char *tail = pr.err_len ? pr.err : pr.out;
		size_t len = pr.err_len ? pr.err_len : pr.out_len;

		while (len && (tail[len - 1] == '\n' || tail[len - 1] == '\r'))
			len--;
		size_t start = len;
		while (start && tail[start - 1] != '\n')
			start--;
		snprintf(out->why, sizeof(out->why), "QEMU %s (%s=%llu): %.*s",
			 pr.timed_out ? "timed out" : "failed", "bench", (unsigned long long)trips,
			 (int)(len - start > 160 ? 160 : len - start), tail + start);
		t = -1.0;
	} else {
		note_image_rate(pr.out, out);
	}
	vx_proc_result_free(&pr);
	return t;
}

void vx_bench_qemu_roundtrips(double seconds, struct vx_bench_rate *out)
{
	struct vx_qemu q;
	uint64_t extra = (uint64_t)(QEMU_GUESS_PER_SECOND * seconds);
	double t_base, t_more;

	out->ok = false;
	if (vx_qemu_locate(NULL, &q, out->why, sizeof(out->why)) != 0)
		return;
	t_base = boot(&q, QEMU_BASE_TRIPS, out);
	if (t_base < 0)
		return;
	t_more = boot(&q, QEMU_BASE_TRIPS + extra, out);
	/* Too short a difference drowns in boot-time noise: once more, longer. */
	if (t_more >= 0 && t_more - t_base < seconds / 2) {
		double d = t_more - t_base;

		extra = (uint64_t)((double)extra * seconds / (d > 0.05 ? d : 0.05));
		t_more = boot(&q, QEMU_BASE_TRIPS + extra, out);
	}
	if (t_more < 0)
		return;
	if (t_more <= t_base) {
		snprintf(out->why, sizeof(out->why),
			 "boot time noise exceeded the round trips (%.3f s vs %.3f s)", t_more,
			 t_base);
		return;
	}
	out->ok = true;
	out->count = extra;
	out->seconds = t_more - t_base;
}
