/* SPDX-License-Identifier: MIT */
/*
 * selftest=smp: proof that every application processor came up and takes
 * work through arch_cpu_start. Each one records its arch_cpu_index() and the
 * ID in its own local APIC's ID register, and adds one to a shared counter
 * with a locked instruction; the BSP checks these against what bring-up
 * recorded and reports KTAP, one line per processor, then one line for the
 * mailbox's refusals (the caller itself, an index that does not exist, a
 * processor still busy).
 */
#include "vx/arch.h"
#include "hw.h"
#include "percpu.h"
#include "x86/apic.h"
#include "x86/msr.h"

/* About a second or more: each function takes microseconds. */
#define DONE_TICKS 4000000000ull

struct ap_slot {
	uint32_t index;
	uint32_t apic_id;
	uint32_t ran;
};

static struct ap_slot slots[HW_MAX_CPUS];
static uint32_t arrivals;
static uint32_t hold_release;

/* The ID register: bits 31:24 in xAPIC mode, all 32 in x2APIC (SDM §11.4.6,
 * §11.12.5.1). */
static uint32_t apic_id_register(void)
{
	uint64_t base = 0;
	uint32_t v = arch_apic_read(APIC_ID);

	(void)arch_rdmsr(MSR_IA32_APIC_BASE, &base);
	return (base & MSR_APIC_BASE_EXTD) ? v : v >> 24;
}

static void record(void *arg)
{
	struct ap_slot *s = arg;

	s->index = arch_cpu_index();
	s->apic_id = apic_id_register();
	/* A LOCK-prefixed add: the counter is shared by every processor. */
	__atomic_fetch_add(&arrivals, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->ran, 1, __ATOMIC_RELEASE);
}

/* Keeps a processor busy until the BSP lets it go. */
static void hold(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&hold_release, __ATOMIC_ACQUIRE))
		arch_cpu_pause();
}

static bool wait_done(uint32_t idx)
{
	uint64_t t0 = arch_rdtsc();

	while (!arch_cpu_done(idx)) {
		if (arch_rdtsc() - t0 >= DONE_TICKS)
			return false;
		arch_cpu_pause();
	}
	return true;
}

/* The refusals of arch_cpu_start and the busy/done states; NULL or why not. */
static const char *mailbox_checks(uint32_t n)
{
	if (__atomic_load_n(&arrivals, __ATOMIC_ACQUIRE) != n - 1)
		return "the shared counter does not match the processors that ran";
	if (arch_cpu_start(0, record, &slots[0]) != -1)
		return "arch_cpu_start accepted the calling processor";
	if (arch_cpu_start(n, record, &slots[0]) != -1)
		return "arch_cpu_start accepted an index past arch_cpu_count()";
	if (arch_cpu_start(1, hold, NULL) != 0)
		return "arch_cpu_start(1) refused an idle processor";
	if (arch_cpu_start(1, record, &slots[1]) != -1) {
		__atomic_store_n(&hold_release, 1, __ATOMIC_RELEASE);
		return "arch_cpu_start accepted a processor still running a function";
	}
	if (arch_cpu_done(1)) {
		__atomic_store_n(&hold_release, 1, __ATOMIC_RELEASE);
		return "arch_cpu_done is true while the function runs";
	}
	__atomic_store_n(&hold_release, 1, __ATOMIC_RELEASE);
	if (!wait_done(1))
		return "the held processor did not finish once released";
	return NULL;
}

void hw_selftest_smp(void)
{
	uint32_t n = arch_cpu_count();
	uint64_t hz = hw_tsc_hz();
	int rc[HW_MAX_CPUS];
	bool all = n >= 2;
	const char *why;

	hw_printf("# vxemu-hw smp self-test: %u processors, BSP APIC ID %u, TSC %llu Hz\n", n,
		  hw_cpus[0]->apic_id, (unsigned long long)hz);
	for (uint32_t i = 1; i < n; i++) {
		uint64_t t = hw_cpus[i]->boot_ticks;

		hw_printf("# cpu%u apic-id %u: first SIPI to parked in %llu TSC ticks", i,
			  hw_cpus[i]->apic_id, (unsigned long long)t);
		if (hz >= 1000000u)
			hw_printf(" (%llu us)", (unsigned long long)(t / (hz / 1000000u)));
		hw_printf("\n");
	}
	hw_printf("KTAP version 1\n1..%u\n", n);

	for (uint32_t i = 1; i < n; i++)
		rc[i] = arch_cpu_start(i, record, &slots[i]);
	for (uint32_t i = 1; i < n; i++) {
		const struct ap_slot *s = &slots[i];
		uint32_t want = hw_cpus[i]->apic_id;

		why = rc[i] != 0	     ? "arch_cpu_start refused it"
		      : !wait_done(i)	     ? "its function did not return in time"
		      : !s->ran		     ? "arch_cpu_done is true but the function did not run"
		      : s->index != i	     ? "arch_cpu_index() is another processor's"
		      : s->apic_id != want ? "its APIC ID is not the one it was started with"
					     : NULL;
		if (why) {
			hw_printf("# %s (index %u, APIC ID %u, want %u)\n", why, s->index, s->apic_id,
				  want);
			all = false;
		}
		hw_printf("%sok %u cpu%u apic-id %u\n", why ? "not " : "", i, i, s->apic_id);
	}

	why = n < 2 ? "no application processor reported in" : mailbox_checks(n);
	if (why) {
		hw_printf("# %s\n", why);
		all = false;
	}
	hw_printf("%sok %u arch_cpu_start_mailbox\n", why ? "not " : "", n);
	hw_printf("# totals: %s\n", all ? "pass" : "fail");
	hw_exit(all ? HW_EXIT_PASS : HW_EXIT_FAIL);
}
