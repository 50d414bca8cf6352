/* SPDX-License-Identifier: MIT */
/*
 * The peer for VMX round trips: the hardware image under Bochs with a VMX
 * processor (hw/run-bochs.sh, VXEMU_BOCHS_VENDOR=intel). A boot costs far
 * more than the loop, so the image boots twice with benchvmx=N for two N,
 * and the difference of the times over the difference of the N cancels the
 * boot. Bochs runs the guest on one host thread, so its CPU time over that
 * difference is the figure, set beside the model's CPU time; the wall time
 * goes beside it. The image's own TSC is no clock here: with sync=none
 * Bochs' TSC counts emulated instructions, not host time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_image_line.h"
#include "peer.h"

/* A guess to size the first difference; a second try corrects it. */
#define BOCHS_GUESS_PER_SECOND 50000.0
#define BOCHS_BASE_TRIPS 1000u
#define BOCHS_BENCH_TIMEOUT_S 600.0

struct boot {
	double wall, cpu; /* wall time of the boot, Bochs' CPU time */
	struct vx_bench_image_line line;
};

/* The last line of what the launcher said, for a message. */
static void last_line(const struct vx_proc_result *pr, const char **s, int *len)
{
	const char *tail = pr->err_len ? pr->err : pr->out;
	size_t end = pr->err_len ? pr->err_len : pr->out_len, start;

	while (end && (tail[end - 1] == '\n' || tail[end - 1] == '\r'))
		end--;
	start = end;
	while (start && tail[start - 1] != '\n')
		start--;
	*s = tail + start;
	*len = (int)(end - start > 160 ? 160 : end - start);
}

/* One boot with benchvmx=trips; 0, or -1 with out->why set. */
static int boot(const struct vx_peer *q, uint64_t trips, struct boot *b,
		struct vx_bench_rate *out)
{
	struct vx_proc_result pr;
	char cmdline[64];
	double cpu0 = vx_children_cpu_seconds();
	const char *s;
	int len, r = 0;

	*b = (struct boot){ 0 };
	snprintf(cmdline, sizeof(cmdline), "benchvmx=%llu", (unsigned long long)trips);
	if (vx_peer_boot(q, cmdline, BOCHS_BENCH_TIMEOUT_S, &pr) != 0) {
		snprintf(out->why, sizeof(out->why), "cannot start Bochs");
		return -1;
	}
	b->wall = pr.seconds;
	b->cpu = vx_children_cpu_seconds() - cpu0;
	if (pr.timed_out || pr.signalled || pr.exit_code != 0) {
		last_line(&pr, &s, &len);
		snprintf(out->why, sizeof(out->why), "Bochs %s (benchvmx=%llu): %.*s",
			 pr.timed_out ? "timed out" : "failed", (unsigned long long)trips, len, s);
		r = -1;
	} else if (!vx_bench_image_line_parse(pr.out, "vmx_roundtrips", &b->line) ||
		   b->line.trips != trips) {
		snprintf(out->why, sizeof(out->why),
			 "the image printed no 'bench vmx_roundtrips %llu tsc T' line",
			 (unsigned long long)trips);
		r = -1;
	}
	vx_proc_result_free(&pr);
	return r;
}

/* setenv, remembering what was there; false on failure. */
static bool set(const char *name, const char *value, char **saved)
{
	const char *old = getenv(name);

	*saved = old ? strdup(old) : NULL;
	return setenv(name, value, 1) == 0;
}

static void restore(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

static void measure(const struct vx_peer *q, double seconds, struct vx_bench_rate *out)
{
	uint64_t extra = (uint64_t)(BOCHS_GUESS_PER_SECOND * seconds);
	struct boot base, more;

	if (extra < 1)
		extra = 1;
	if (boot(q, BOCHS_BASE_TRIPS, &base, out) != 0 ||
	    boot(q, BOCHS_BASE_TRIPS + extra, &more, out) != 0)
		return;
	/* Too short a difference drowns in boot-time noise: once more, longer. */
	if (more.cpu - base.cpu < seconds / 2) {
		double d = more.cpu - base.cpu;

		extra = (uint64_t)((double)extra * seconds / (d > 0.05 ? d : 0.05));
		if (boot(q, BOCHS_BASE_TRIPS + extra, &more, out) != 0)
			return;
	}
	if (more.cpu <= base.cpu || more.wall <= base.wall) {
		snprintf(out->why, sizeof(out->why),
			 "boot time noise exceeded the round trips (%.3f s vs %.3f s CPU)", more.cpu,
			 base.cpu);
		return;
	}
	out->ok = true;
	out->count = extra;
	out->seconds = more.cpu - base.cpu;
	out->child_cpu_seconds = out->seconds;
	snprintf(out->note, sizeof(out->note), "Bochs' CPU time; wall %.2f s", more.wall - base.wall);
	if (more.line.tsc > base.line.tsc)
		snprintf(out->note + strlen(out->note), sizeof(out->note) - strlen(out->note),
			 "; %.0f emulated TSC ticks each",
			 (double)(more.line.tsc - base.line.tsc) / (double)extra);
}

void vx_bench_bochs_vmx_roundtrips(double seconds, struct vx_bench_rate *out)
{
	struct vx_peer q;
	char err[sizeof(out->why) - 32];
	char *vendor, *cpus;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (vx_peer_locate(&vx_peer_bochs, NULL, &q, err, sizeof(err)) != 0) {
		snprintf(out->why, sizeof(out->why), "peer unavailable: %s", err);
		return;
	}
	/* A VMX processor, and one: the loop runs on processor 0 alone, and
	 * every further processor makes the boot longer. */
	ok = set("VXEMU_BOCHS_VENDOR", "intel", &vendor);
	ok = set("VXEMU_BOCHS_CPUS", "1", &cpus) && ok;
	if (ok)
		measure(&q, seconds, out);
	else
		snprintf(out->why, sizeof(out->why), "setenv failed");
	restore("VXEMU_BOCHS_VENDOR", vendor);
	restore("VXEMU_BOCHS_CPUS", cpus);
}
