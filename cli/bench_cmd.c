/* SPDX-License-Identifier: MIT */
/*
 * `vxemu bench`: every measurement in one run, each set beside its peer
 * measured in the same run (DESIGN.md "What good looks like").
 */
#include <stdio.h>

#include "bench.h"
#include "cli.h"
#include "monotonic.h"
#include "opts.h"

static void print_rate(const char *what, const struct vx_bench_rate *r, const char *unit,
		       double scale)
{
	if (r->ok)
		printf("%-46s %12.1f %s  (%llu in %.2f s%s%s)\n", what,
		       vx_bench_per_second(r) / scale, unit, (unsigned long long)r->count,
		       r->seconds, r->note[0] ? "; " : "", r->note);
	else
		printf("%-46s %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

static void print_ratio(const char *what, const struct vx_bench_rate *a,
			const struct vx_bench_rate *b)
{
	if (a->ok && b->ok && vx_bench_per_second(b) > 0)
		printf("%s: %.3f\n", what, vx_bench_per_second(a) / vx_bench_per_second(b));
	else
		printf("%s: n/a\n", what);
	fflush(stdout);
}

static void print_ipi(const struct vx_bench_ipi *r)
{
	const char *cyc = "IPI round trip on the model, model cycles";
	const char *ns = "IPI round trip on the model, host time";

	if (r->ok) {
		/* The model is deterministic: the cycle figure is an exact integer. */
		printf("%-46s %12llu cycles  (mean of %u round trips, processor 0's TSC; "
		       "2 processors)\n",
		       cyc, (unsigned long long)r->cycles_per_trip, r->fixed_trips);
		printf("%-46s %12.1f ns  (%llu in %.2f s)\n", ns,
		       r->seconds * 1e9 / (double)r->trips, (unsigned long long)r->trips,
		       r->seconds);
	} else {
		printf("%-46s %12s  (%s)\n", cyc, "n/a", r->why);
		printf("%-46s %12s  (%s)\n", ns, "n/a", r->why);
	}
	fflush(stdout);
}

static void print_apboot(const struct vx_bench_apboot *r)
{
	const char *what = "4-vCPU AP boot (svm_mp_ap_boot) on the model";

	if (r->ok)
		printf("%-46s %12.3f ms  (median of %u runs on a fresh machine, %.3f ms of it "
		       "in the scenario; %llu model cycles%s)\n",
		       what, r->median_seconds * 1e3, r->runs, r->median_run_seconds * 1e3,
		       (unsigned long long)r->cycles,
		       r->cycles_agree ? "" : ", not the same in every run");
	else
		printf("%-46s %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

int vx_cmd_bench(int argc, char *argv[])
{
	struct vx_bench_opts o;
	struct vx_bench_rate trips = { 0 }, mips = { 0 }, raw = { 0 }, hooked = { 0 };
	struct vx_bench_rate suite = { 0 }, qemu = { 0 };
	struct vx_bench_rss mem = { 0 };
	struct vx_bench_ipi ipi = { 0 };
	struct vx_bench_apboot apboot = { 0 };
	char err[VX_OPTS_ERR_MAX];
	uint32_t suite_failed = 0;
	double t0 = vx_monotonic();

	switch (vx_bench_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case VX_OPTS_HELP:
		vx_usage_bench(stdout);
		return VX_EXIT_OK;
	case VX_OPTS_BAD:
		return vx_usage_error(vx_usage_bench, err);
	case VX_OPTS_RUN:
		break;
	}

	printf("vxemu %s bench: each measurement aims for %g s\n\n", vx_version(), o.seconds);
	fflush(stdout);

	vx_bench_model_roundtrips(o.seconds, &trips);
	print_rate("model round trips (VMRUN->VMMCALL->#VMEXIT)", &trips, "/s", 1.0);

	vx_bench_model_mips(o.seconds, &mips);
	print_rate("guest MIPS, model, cycle accounting on", &mips, "MIPS", 1e6);
	vx_bench_unicorn_mips(o.seconds, false, &raw);
	print_rate("guest MIPS, raw Unicorn, no hooks", &raw, "MIPS", 1e6);
	vx_bench_unicorn_mips(o.seconds, true, &hooked);
	print_rate("guest MIPS, Unicorn + empty block hook", &hooked, "MIPS", 1e6);
	print_ratio("guest MIPS ratio model/unicorn", &mips, &raw);
	print_ratio("guest MIPS ratio empty-hook/unicorn", &hooked, &raw);

	vx_bench_suite(&suite, &suite_failed);
	printf("%-46s %12.3f s   (%llu scenarios, %u failed)\n", "conformance suite on the model",
	       suite.seconds, (unsigned long long)suite.count, suite_failed);
	fflush(stdout);

	/* A sixth of the budget: the whole bench should stay near half a minute. */
	vx_bench_model_ipi(o.seconds / 6.0, &ipi);
	print_ipi(&ipi);
	vx_bench_apboot(&apboot);
	print_apboot(&apboot);

	vx_bench_qemu_roundtrips(o.seconds, &qemu);
	print_rate("QEMU TCG round trips (VMRUN->VMMCALL->#VMEXIT)", &qemu, "/s", 1.0);
	print_ratio("round-trip ratio model/qemu", &trips, &qemu);

	vx_bench_memory(o.seconds, &mem);
	if (mem.ok) {
		double per = mem.after >= mem.before
				     ? (double)(mem.after - mem.before) / (double)mem.trips
				     : -(double)(mem.before - mem.after) / (double)mem.trips;

		printf("memory: RSS %.1f MiB before, %.1f MiB after %llu round trips: "
		       "%.4f bytes per round trip\n",
		       (double)mem.before / 1048576.0, (double)mem.after / 1048576.0,
		       (unsigned long long)mem.trips, per);
	} else {
		printf("memory: n/a (%s)\n", mem.why);
	}
	printf("\nbench took %.1f s\n", vx_monotonic() - t0);

	/* QEMU is an optional peer; the model's own figures are not. */
	return trips.ok && mips.ok && raw.ok && suite.ok && ipi.ok && apboot.ok && mem.ok
		       ? VX_EXIT_OK
		       : VX_EXIT_FAIL;
}
