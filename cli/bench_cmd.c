/* SPDX-License-Identifier: MIT */
/*
 * `vxemu bench`: every measurement in one run, each set beside its peer
 * measured in the same run (DESIGN.md "What good looks like"), then the
 * targets with the figure each was judged on. Every time printed says which
 * clock it is (bench.h "Clocks").
 */
#include <stdio.h>

#include "bench.h"
#include "bench_loop.h"
#include "cli.h"
#include "monotonic.h"
#include "opts.h"

/* The targets. */
#define SUITE_CPU_TARGET_S 2.0
#define STORE_LOAD_TARGET 2.0 /* a store loop at most this many times slower */
#define ROUNDTRIP_RATIO_TARGET 15.0
#define TRACE_OVERHEAD_TARGET 0.20 /* recording slows the suite by less */
#define TRACE_COMPARE_TARGET 5e6   /* records per second through a replay's comparison */

#define MIB 1048576.0

/* A label column wide enough for the longest, so the figures line up. */
#define LABEL "%-50s"

static const char *verdict(bool pass)
{
	return pass ? "PASS" : "FAIL";
}

static void print_rate(const char *what, const struct vx_bench_rate *r, const char *unit,
		       double scale)
{
	if (r->ok)
		printf(LABEL " %12.1f %-5s (%llu in %.2f s %s%s%s)\n", what,
		       vx_bench_per_second(r) / scale, unit, (unsigned long long)r->count,
		       r->seconds, r->wall ? "wall" : "CPU", r->note[0] ? "; " : "", r->note);
	else
		printf(LABEL " %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

/* a's rate over b's, or < 0 when either is missing. */
static double ratio(const struct vx_bench_rate *a, const struct vx_bench_rate *b)
{
	return a->ok && b->ok && vx_bench_per_second(b) > 0
		       ? vx_bench_per_second(a) / vx_bench_per_second(b)
		       : -1.0;
}

static void print_ratio(const char *what, double r)
{
	if (r >= 0)
		printf("%s: %.3f\n", what, r);
	else
		printf("%s: n/a\n", what);
	fflush(stdout);
}

static void print_ipi(const struct vx_bench_ipi *r)
{
	const char *cyc = "IPI round trip on the model, model cycles";
	const char *ns = "IPI round trip on the model, CPU time";

	if (r->ok) {
		/* The model is deterministic: the cycle figure is an exact integer. */
		printf(LABEL " %12llu cycles (mean of %u round trips, processor 0's TSC; "
		       "2 processors)\n",
		       cyc, (unsigned long long)r->cycles_per_trip, r->fixed_trips);
		printf(LABEL " %12.1f ns     (%llu in %.2f s CPU)\n", ns,
		       r->seconds * 1e9 / (double)r->trips, (unsigned long long)r->trips,
		       r->seconds);
	} else {
		printf(LABEL " %12s  (%s)\n", cyc, "n/a", r->why);
		printf(LABEL " %12s  (%s)\n", ns, "n/a", r->why);
	}
	fflush(stdout);
}

static void print_apboot(const struct vx_bench_apboot *r)
{
	const char *what = "4-vCPU AP boot (svm_mp_ap_boot), CPU time";

	if (r->ok)
		printf(LABEL " %12.3f ms     (median of %u runs on a fresh machine, %.3f ms of "
		       "it in the scenario; %llu model cycles%s)\n",
		       what, r->median_seconds * 1e3, r->runs, r->median_run_seconds * 1e3,
		       (unsigned long long)r->cycles,
		       r->cycles_agree ? "" : ", not the same in every run");
	else
		printf(LABEL " %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

static void print_suite(const struct vx_bench_suite *r)
{
	printf(LABEL " %12.3f s      (%u scenarios, %u failed; %.3f s wall; the slowest, "
	       "%s, %.3f s CPU)\n",
	       "conformance suite on the model, CPU time", r->seconds, r->scenarios, r->failed,
	       r->wall_seconds, r->slowest, r->slowest_seconds);
	fflush(stdout);
}

static void print_qemu_suite(const struct vx_bench_qemu_suite *r)
{
	const char *what = "conformance suite on QEMU TCG (image), wall time";

	if (r->ok)
		printf(LABEL " %12.3f s      (%u results: %u passed, %u failed, %u skipped; "
		       "-smp %s; QEMU's CPU time %.2f s)\n",
		       what, r->seconds, r->results, r->passed, r->failed, r->skipped, r->smp,
		       r->cpu_seconds);
	else
		printf(LABEL " %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

static uint64_t peak_limit(const struct vx_bench_peak *r)
{
	return VX_BENCH_PEAK_LIMIT + r->ram_size;
}

static void print_peak(const struct vx_bench_peak *r)
{
	char what[64];

	snprintf(what, sizeof(what), "peak memory of a %u-processor model machine", r->ncpus);
	if (r->ok)
		printf(LABEL " %12.1f MiB    (%s, the largest of %u scenarios, each on a fresh "
		       "machine in a child process; limit %.0f MiB + %.0f MiB of RAM = %.0f MiB) "
		       "%s\n",
		       what, (double)r->peak / MIB, r->scenario, r->scenarios,
		       (double)VX_BENCH_PEAK_LIMIT / MIB, (double)r->ram_size / MIB,
		       (double)peak_limit(r) / MIB, verdict(r->peak < peak_limit(r)));
	else
		printf(LABEL " %12s  (%s)\n", what, "n/a", r->why);
	fflush(stdout);
}

static void print_memory(const struct vx_bench_rss *mem)
{
	if (mem->ok) {
		double per = mem->after >= mem->before
				     ? (double)(mem->after - mem->before) / (double)mem->trips
				     : -(double)(mem->before - mem->after) / (double)mem->trips;

		printf("memory: RSS %.1f MiB before, %.1f MiB after %llu round trips: "
		       "%.4f bytes per round trip\n",
		       (double)mem->before / MIB, (double)mem->after / MIB,
		       (unsigned long long)mem->trips, per);
	} else {
		printf("memory: n/a (%s)\n", mem->why);
	}
	fflush(stdout);
}

/* One line of the summary: the figure and its verdict, or (figure NULL) why
 * there is none. */
static void print_target(const char *what, const char *figure, const char *target,
			 const char *result)
{
	if (figure)
		printf("  %-42s %14s  %-20s %s\n", what, figure, target, result);
	else
		printf("  %-42s %14s  %-20s n/a (%s)\n", what, "-", target, result);
}

struct bench_figures {
	struct vx_bench_rate trips, mips, raw, hooked, load, store, qemu, bochs;
	struct vx_bench_vmx vmx;
	struct vx_bench_tsc tsc;
	struct vx_bench_suite suite;
	struct vx_bench_trace traced;
	struct vx_bench_rate compare;
	struct vx_bench_qemu_suite qemu_suite;
	struct vx_bench_peak peak;
	struct vx_bench_rss mem;
	struct vx_bench_ipi ipi;
	struct vx_bench_apboot apboot;
};

/* Recording's cost: the traced suite beside the untraced one of this run. */
static double trace_overhead(const struct bench_figures *f)
{
	return f->traced.ok && f->suite.ok && f->suite.seconds > 0
		       ? f->traced.seconds / f->suite.seconds - 1.0
		       : -1.0;
}

static void print_traced(const struct bench_figures *f)
{
	const struct vx_bench_trace *r = &f->traced;
	const char *what = "conformance suite on the model, traced, CPU time";

	if (!r->ok) {
		printf(LABEL " %12s  (%s)\n", what, "n/a", r->why);
		return;
	}
	printf(LABEL " %12.3f s      (%llu records, %.1f MiB of trace files; the most, "
	       "%zu, in %s)\n",
	       what, r->seconds, (unsigned long long)r->records, (double)r->bytes / MIB,
	       r->largest_records, r->largest);
	printf("trace recording overhead on the suite: %+.1f%% (target: under %.0f%%)\n",
	       100.0 * trace_overhead(f), 100.0 * TRACE_OVERHEAD_TARGET);
}

/* Round trips on the model over round trips under QEMU, model CPU time
 * against QEMU wall time; < 0 when either is missing. */
static double roundtrip_ratio(const struct bench_figures *f)
{
	return ratio(&f->trips, &f->qemu);
}

/* The same with QEMU's CPU time, all its threads; < 0 when unknown. */
static double roundtrip_ratio_cpu(const struct bench_figures *f)
{
	double rt = roundtrip_ratio(f);

	return rt >= 0 && f->qemu.child_cpu_seconds > 0
		       ? rt * f->qemu.child_cpu_seconds / f->qemu.seconds
		       : -1.0;
}

/*
 * The target is judged on the lower ratio: QEMU's wall time flatters the
 * model when QEMU waits for a core on a busy machine, its CPU time when
 * QEMU's other threads work beside the one that runs the guest.
 */
static double roundtrip_ratio_judged(const struct bench_figures *f)
{
	double rt = roundtrip_ratio(f), cpu = roundtrip_ratio_cpu(f);

	return cpu >= 0 && cpu < rt ? cpu : rt;
}

static void print_roundtrip_ratios(const struct bench_figures *f)
{
	double rt = roundtrip_ratio(f), cpu = roundtrip_ratio_cpu(f);

	if (rt < 0) {
		printf("round-trip ratio model/qemu: n/a\n");
		return;
	}
	printf("round-trip ratio model/qemu, model CPU time against QEMU wall time: %.3f "
	       "(target: at least %g) %s\n",
	       rt, ROUNDTRIP_RATIO_TARGET, verdict(rt >= ROUNDTRIP_RATIO_TARGET));
	if (cpu >= 0)
		printf("round-trip ratio model/qemu, CPU time on both sides: %.3f "
		       "(target: at least %g) %s\n",
		       cpu, ROUNDTRIP_RATIO_TARGET, verdict(cpu >= ROUNDTRIP_RATIO_TARGET));
	fflush(stdout);
}

static void print_vmx(const struct vx_bench_vmx *r)
{
	const char *cyc = "VMX round trip on the model, model cycles";

	print_rate("model VMX round trips (VMRESUME->VMCALL->exit)", &r->rate, "/s", 1.0);
	if (r->rate.ok)
		printf(LABEL " %12.1f cycles (mean of %llu round trips, processor 0's TSC; "
		       "Intel model)\n",
		       cyc, r->cycles_per_trip, (unsigned long long)r->cycle_trips);
	else
		printf(LABEL " %12s  (%s)\n", cyc, "n/a", r->rate.why);
	fflush(stdout);
}

/* The TSC-deadline round trip through both exit paths, the slow one as the peer. */
static void print_tsc(const struct vx_bench_tsc *r)
{
	static const char *const what[2] = { "TSC-deadline round trip, exit fastpath",
					     "TSC-deadline round trip, full exit path" };
	const struct vx_bench_tsc_path *p[2] = { &r->fast, &r->slow };

	for (unsigned i = 0; i < 2; i++) {
		if (!p[i]->ok) {
			printf(LABEL " %12s  (%s)\n", what[i], "n/a", p[i]->why);
			continue;
		}
		printf(LABEL " %12.1f cycles %9.0f ns CPU time (mean of %llu; %llu fastpath exits; "
		       "Intel model, hv core)\n",
		       what[i], p[i]->cycles_per_trip, p[i]->ns_per_trip,
		       (unsigned long long)p[i]->trips, (unsigned long long)p[i]->fastpath_exits);
	}
	if (r->fast.ok && r->slow.ok && r->fast.cycles_per_trip > 0 && r->fast.ns_per_trip > 0)
		printf("TSC-deadline ratio slow/fast: %.3f in model cycles, %.3f in CPU time\n",
		       r->slow.cycles_per_trip / r->fast.cycles_per_trip,
		       r->slow.ns_per_trip / r->fast.ns_per_trip);
	fflush(stdout);
}

/* The VMX loop on the model against the same loop under Bochs: CPU time on
 * both sides (Bochs runs the guest on one thread). */
static void print_bochs_ratio(const struct bench_figures *f)
{
	double r = ratio(&f->vmx.rate, &f->bochs);

	if (r >= 0)
		printf("round-trip ratio model/bochs: %.3f (VMX; model CPU time against Bochs' CPU "
		       "time)\n",
		       r);
	else
		printf("round-trip ratio model/bochs: n/a (%s)\n",
		       !f->bochs.ok ? f->bochs.why : f->vmx.rate.why);
	fflush(stdout);
}

static void print_store_load(const struct bench_figures *f)
{
	double slow = ratio(&f->load, &f->store);

	if (slow >= 0)
		printf("guest MIPS ratio load/store: %.3f (target: under %g) %s\n", slow,
		       STORE_LOAD_TARGET, verdict(slow < STORE_LOAD_TARGET));
	else
		printf("guest MIPS ratio load/store: n/a\n");
	fflush(stdout);
}

static void print_summary(const struct bench_figures *f)
{
	char what[64], fig[32], goal[32];
	double slow = ratio(&f->load, &f->store), rt = roundtrip_ratio_judged(f);

	printf("\n  %-42s %14s  %-20s %s\n", "target", "this run", "goal", "verdict");

	snprintf(fig, sizeof(fig), "%.3f s", f->suite.seconds);
	snprintf(goal, sizeof(goal), "under %g s", SUITE_CPU_TARGET_S);
	print_target("conformance suite on the model, CPU time", fig, goal,
		     verdict(f->suite.seconds < SUITE_CPU_TARGET_S));

	snprintf(fig, sizeof(fig), "%+.1f%%", 100.0 * trace_overhead(f));
	snprintf(goal, sizeof(goal), "under %.0f%%", 100.0 * TRACE_OVERHEAD_TARGET);
	print_target("suite slower when traced by", trace_overhead(f) > -1.0 ? fig : NULL, goal,
		     trace_overhead(f) > -1.0 ? verdict(trace_overhead(f) < TRACE_OVERHEAD_TARGET)
					      : f->traced.why);
	snprintf(fig, sizeof(fig), "%.2f M/s", vx_bench_per_second(&f->compare) / 1e6);
	snprintf(goal, sizeof(goal), "at least %.0f M/s", TRACE_COMPARE_TARGET / 1e6);
	print_target("replay comparison, records per second", f->compare.ok ? fig : NULL, goal,
		     f->compare.ok ? verdict(vx_bench_per_second(&f->compare) >= TRACE_COMPARE_TARGET)
				   : f->compare.why);

	snprintf(what, sizeof(what), "peak memory of a %u-processor machine", f->peak.ncpus);
	snprintf(fig, sizeof(fig), "%.1f MiB", (double)f->peak.peak / MIB);
	snprintf(goal, sizeof(goal), "under %.0f MiB", (double)peak_limit(&f->peak) / MIB);
	print_target(what, f->peak.ok ? fig : NULL, goal,
		     f->peak.ok ? verdict(f->peak.peak < peak_limit(&f->peak)) : f->peak.why);

	snprintf(fig, sizeof(fig), "%.2fx", slow);
	snprintf(goal, sizeof(goal), "under %gx", STORE_LOAD_TARGET);
	print_target("store loop slower than load loop by", slow >= 0 ? fig : NULL, goal,
		     slow >= 0 ? verdict(slow < STORE_LOAD_TARGET)
			       : (!f->load.ok ? f->load.why : f->store.why));

	snprintf(fig, sizeof(fig), "%.2fx", rt);
	snprintf(goal, sizeof(goal), "at least %gx", ROUNDTRIP_RATIO_TARGET);
	print_target("round trips, model/QEMU (the lower ratio)", rt >= 0 ? fig : NULL, goal,
		     rt >= 0 ? verdict(rt >= ROUNDTRIP_RATIO_TARGET)
			     : (!f->qemu.ok ? f->qemu.why : f->trips.why));
	fflush(stdout);
}

int vx_cmd_bench(int argc, char *argv[])
{
	struct vx_bench_opts o;
	struct bench_figures f = { 0 };
	char err[VX_OPTS_ERR_MAX];
	double w0 = vx_monotonic(), c0 = vx_cpu_seconds(), k0 = vx_children_cpu_seconds();

	switch (vx_bench_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case VX_OPTS_HELP:
		vx_usage_bench(stdout);
		return VX_EXIT_OK;
	case VX_OPTS_BAD:
		return vx_usage_error(vx_usage_bench, err);
	case VX_OPTS_RUN:
		break;
	}

	printf("vxemu %s bench: each measurement aims for %g s\n"
	       "Model figures are this process's CPU time (the model runs in it, on one "
	       "thread); QEMU figures are wall time (QEMU is a child process); Bochs figures are "
	       "Bochs' CPU time.\n\n",
	       vx_version(), o.seconds);
	fflush(stdout);

	vx_bench_model_roundtrips(o.seconds, &f.trips);
	print_rate("model round trips (VMRUN->VMMCALL->#VMEXIT)", &f.trips, "/s", 1.0);
	vx_bench_model_vmx_roundtrips(o.seconds, &f.vmx);
	print_vmx(&f.vmx);
	vx_bench_model_tsc_deadline(&f.tsc);
	print_tsc(&f.tsc);

	vx_bench_model_mips(o.seconds, &vx_bench_loop_count, &f.mips);
	print_rate("guest MIPS, model, cycle accounting on", &f.mips, "MIPS", 1e6);
	vx_bench_unicorn_mips(o.seconds, false, &f.raw);
	print_rate("guest MIPS, raw Unicorn, no hooks", &f.raw, "MIPS", 1e6);
	vx_bench_unicorn_mips(o.seconds, true, &f.hooked);
	print_rate("guest MIPS, Unicorn + empty block hook", &f.hooked, "MIPS", 1e6);
	print_ratio("guest MIPS ratio model/unicorn", ratio(&f.mips, &f.raw));
	print_ratio("guest MIPS ratio empty-hook/unicorn", ratio(&f.hooked, &f.raw));

	vx_bench_model_mips(o.seconds, &vx_bench_loop_load, &f.load);
	print_rate("guest MIPS, model, 8 loads + dec + jnz", &f.load, "MIPS", 1e6);
	vx_bench_model_mips(o.seconds, &vx_bench_loop_store, &f.store);
	print_rate("guest MIPS, model, 8 stores + dec + jnz", &f.store, "MIPS", 1e6);
	print_store_load(&f);

	vx_bench_suite(&f.suite);
	print_suite(&f.suite);
	vx_bench_suite_traced(&f.traced);
	print_traced(&f);
	vx_bench_trace_compare(o.seconds, f.traced.ok ? f.traced.largest : NULL, &f.compare);
	print_rate("trace decode + diff (a replay's comparison)", &f.compare, "M rec/s", 1e6);
	vx_bench_qemu_suite(&f.qemu_suite);
	print_qemu_suite(&f.qemu_suite);
	vx_bench_peak_memory(&f.peak);
	print_peak(&f.peak);

	/* A sixth of the budget: the whole bench should stay near a minute. */
	vx_bench_model_ipi(o.seconds / 6.0, &f.ipi);
	print_ipi(&f.ipi);
	vx_bench_apboot(&f.apboot);
	print_apboot(&f.apboot);

	vx_bench_qemu_roundtrips(o.seconds, &f.qemu);
	print_rate("QEMU TCG round trips (VMRUN->VMMCALL->#VMEXIT)", &f.qemu, "/s", 1.0);
	print_roundtrip_ratios(&f);
	vx_bench_bochs_vmx_roundtrips(o.seconds, &f.bochs);
	print_rate("Bochs VMX round trips (VMRESUME->VMCALL->exit)", &f.bochs, "/s", 1.0);
	print_bochs_ratio(&f);

	vx_bench_memory(o.seconds, &f.mem);
	print_memory(&f.mem);

	print_summary(&f);
	printf("\nbench took %.1f s wall: %.1f s CPU in vxemu, %.1f s in the processes it "
	       "started\n",
	       vx_monotonic() - w0, vx_cpu_seconds() - c0, vx_children_cpu_seconds() - k0);

	/*
	 * QEMU and Bochs are optional peers; the model's own figures are not. The targets
	 * do not decide the status: on a shared machine a time is a report,
	 * not a verdict to stop a build on.
	 */
	return f.trips.ok && f.vmx.rate.ok && f.tsc.fast.ok && f.tsc.slow.ok && f.mips.ok && f.raw.ok && f.load.ok && f.store.ok && f.suite.ok &&
			       f.peak.ok && f.ipi.ok && f.apboot.ok && f.mem.ok
		       ? VX_EXIT_OK
		       : VX_EXIT_FAIL;
}
