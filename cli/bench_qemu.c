/* SPDX-License-Identifier: MIT */
/*
 * The peer for round trips: the hardware image under QEMU TCG. A boot costs
 * far more than the loop, so the image boots twice with bench=N for two N,
 * and the difference of the wall times over the difference of the N cancels
 * the boot. QEMU is a child process with threads of its own, so the figure
 * is wall time; QEMU's own CPU time over the same difference goes beside it.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_image_line.h"
#include "qemu.h"

/* QEMU TCG does about 200k round trips per second on a small machine. */
#define QEMU_GUESS_PER_SECOND 200000.0
#define QEMU_BASE_TRIPS 1000u
#define QEMU_BENCH_TIMEOUT_S 300.0

/*
 * The image times its loop itself too ("bench roundtrips N ... per_second
 * R"): worth showing beside the boot-difference figure as a cross-check.
 */
static unsigned long long image_rate(const char *out_text)
{
	struct vx_bench_image_line l;

	return vx_bench_image_line_parse(out_text, "roundtrips", &l) ? l.per_second : 0;
}

struct boot {
	double wall, cpu;         /* wall time of the boot, QEMU's CPU time */
	unsigned long long image; /* the image's own count per second, or 0 */
};

/* One boot with bench=trips; 0, or -1 with out->why set. */
static int boot(const struct vx_peer *q, uint64_t trips, struct boot *b,
		struct vx_bench_rate *out)
{
	struct vx_proc_result pr;
	char cmdline[64];
	double cpu0 = vx_children_cpu_seconds();
	int r = 0;

	*b = (struct boot){ 0 };
	snprintf(cmdline, sizeof(cmdline), "bench=%llu", (unsigned long long)trips);
	if (vx_peer_boot(q, cmdline, QEMU_BENCH_TIMEOUT_S, &pr) != 0) {
		snprintf(out->why, sizeof(out->why), "cannot start QEMU");
		return -1;
	}
	b->wall = pr.seconds;
	b->cpu = vx_children_cpu_seconds() - cpu0;
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
		r = -1;
	} else {
		b->image = image_rate(pr.out);
	}
	vx_proc_result_free(&pr);
	return r;
}

void vx_bench_qemu_roundtrips(double seconds, struct vx_bench_rate *out)
{
	struct vx_peer q;
	uint64_t extra = (uint64_t)(QEMU_GUESS_PER_SECOND * seconds);
	struct boot base = { 0 }, more = { 0 };

	out->ok = false;
	out->wall = true;
	if (vx_peer_locate(&vx_peer_qemu, NULL, &q, out->why, sizeof(out->why)) != 0)
		return;
	if (boot(&q, QEMU_BASE_TRIPS, &base, out) != 0 ||
	    boot(&q, QEMU_BASE_TRIPS + extra, &more, out) != 0)
		return;
	/* Too short a difference drowns in boot-time noise: once more, longer. */
	if (more.wall - base.wall < seconds / 2) {
		double d = more.wall - base.wall;

		extra = (uint64_t)((double)extra * seconds / (d > 0.05 ? d : 0.05));
		if (boot(&q, QEMU_BASE_TRIPS + extra, &more, out) != 0)
			return;
	}
	if (more.wall <= base.wall) {
		snprintf(out->why, sizeof(out->why),
			 "boot time noise exceeded the round trips (%.3f s vs %.3f s)", more.wall,
			 base.wall);
		return;
	}
	out->ok = true;
	out->count = extra;
	out->seconds = more.wall - base.wall;
	out->child_cpu_seconds = more.cpu - base.cpu;
	snprintf(out->note, sizeof(out->note), "QEMU's CPU time for them %.2f s",
		 out->child_cpu_seconds);
	if (more.image)
		snprintf(out->note + strlen(out->note), sizeof(out->note) - strlen(out->note),
			 "; the image's own TSC count: %llu/s", more.image);
}
