/* SPDX-License-Identifier: MIT */
/*
 * The application processors: bring-up with INIT-SIPI-SIPI, the parked
 * loop, and the mailbox behind arch_cpu_start / arch_cpu_done.
 *
 * Bring-up follows the universal start-up algorithm (SDM vol. 3 §8.4.4.1):
 * for one APIC ID at a time, INIT (assert, then the level de-assert that
 * older APICs need and newer ones ignore), a 10 ms wait, a Startup IPI,
 * 200 µs, a second Startup IPI, then a bounded wait for the processor to
 * report in. Waits are counted in TSC ticks without
 * calibration, with bounds long enough for a TSC of up to 5 GHz.
 *
 * Which APIC IDs: the lowest ones other than the BSP's, as many as the
 * command line (cpus=N) or CPUID Fn0000_0001 EBX[23:16] says there are
 * processors. An ID where nobody answers costs one timeout.
 */
#include "vx/arch.h"
#include "hw.h"
#include "percpu.h"
#include "x86/apic.h"

/* At least 10 ms and 200 µs for a TSC of up to 5 GHz (§8.4.4.1). */
#define INIT_WAIT_TICKS 50000000ull
#define SIPI_WAIT_TICKS 1000000ull
/* Reporting in takes microseconds on hardware and a few milliseconds under
 * QEMU TCG; a processor silent for this long (about a second) is absent. */
#define REPORT_TICKS 4000000000ull

/* CPUID Fn0000_0001 EDX[28]: EBX[23:16] holds a logical processor count. */
#define CPUID_1_EDX_HTT (1u << 28)

/* Initial xAPIC IDs are 8 bits; 0xff is the broadcast destination. */
#define APIC_IDS 255u

extern const char hw_trampoline_start[], hw_trampoline_end[];

/*
 * The stack top an application processor takes, by initial APIC ID.
 * trampoline.S exchanges its entry with 0 to claim it; the BSP does the
 * same to take it back from a processor that never came.
 */
uint64_t hw_ap_stacks[256];

__attribute__((noreturn)) void hw_ap_main(void);

enum start_outcome {
	AP_UP,     /* reported in */
	AP_ABSENT, /* never took its stack: the area may be used again */
	AP_LOST,   /* took its stack and went silent: the area is written off */
};

static void wait_ticks(uint64_t ticks)
{
	uint64_t t0 = arch_rdtsc();

	while (arch_rdtsc() - t0 < ticks)
		arch_cpu_pause();
}

static bool wait_online(const struct hw_cpu *c, uint64_t since, uint64_t ticks)
{
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (arch_rdtsc() - since >= ticks)
			return false;
		arch_cpu_pause();
	}
	return true;
}

static enum start_outcome start_one(uint32_t apic_id, uint32_t area, uint32_t index)
{
	struct hw_cpu_area *a = &hw_cpu_areas[area];
	struct hw_cpu *c = &a->head.cpu;
	uint64_t t_sipi;

	memset(&a->head, 0, sizeof(a->head));
	c->index = index;
	c->area = area;
	c->apic_id = apic_id;
	c->state = HW_CPU_IDLE;
	__atomic_store_n(&hw_ap_stacks[apic_id], (uint64_t)(uintptr_t)(a->stack + sizeof(a->stack)),
			 __ATOMIC_RELEASE);
	/* The stores above must be visible before the INIT leaves: an x2APIC
	 * ICR write (WRMSR) is not ordered with them (SDM §11.12.3). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	hw_apic_send(apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
	hw_apic_send(apic_id, APIC_DM_INIT | APIC_INT_LEVELTRIG);
	wait_ticks(INIT_WAIT_TICKS);
	t_sipi = arch_rdtsc();
	hw_apic_send(apic_id, APIC_DM_STARTUP | HW_SIPI_VECTOR);
	wait_ticks(SIPI_WAIT_TICKS);
	/* Ignored by a processor that already left wait-for-SIPI. */
	hw_apic_send(apic_id, APIC_DM_STARTUP | HW_SIPI_VECTOR);

	if (!wait_online(c, t_sipi, REPORT_TICKS)) {
		if (__atomic_exchange_n(&hw_ap_stacks[apic_id], 0, __ATOMIC_ACQ_REL) != 0)
			return AP_ABSENT;
		/* It took the stack just now: give it one more period. */
		if (!wait_online(c, arch_rdtsc(), REPORT_TICKS))
			return AP_LOST;
	}
	/* The processor stamped its arrival: its climb alone, not the waits. */
	c->boot_ticks -= t_sipi;
	return AP_UP;
}

/* The real-mode entry at the page whose number is the SIPI vector. */
static void place_trampoline(void)
{
	memcpy(arch_phys_to_virt(HW_TRAMPOLINE_PA), hw_trampoline_start,
	       (size_t)(hw_trampoline_end - hw_trampoline_start));
}

/* Processors the CPUID reports in this package, 1 if it reports none. */
static uint32_t cpuid_count(void)
{
	struct arch_cpuid r;
	uint32_t n;

	arch_cpuid(1, 0, &r);
	if (!(r.edx & CPUID_1_EDX_HTT))
		return 1;
	n = r.ebx >> 16 & 0xff;
	return n ? n : 1;
}

void hw_smp_init(uint32_t want)
{
	uint32_t n = want ? want : cpuid_count();
	uint32_t self = hw_cpus[0]->apic_id;
	uint32_t tried = 0, area = 1;

	if (n > HW_MAX_CPUS)
		n = HW_MAX_CPUS;
	if (n <= 1)
		return;
	place_trampoline();

	for (uint32_t id = 0; id < APIC_IDS && tried < n - 1 && area < HW_MAX_CPUS; id++) {
		if (id == self)
			continue;
		tried++;
		switch (start_one(id, area, hw_cpu_online)) {
		case AP_UP:
			hw_cpus[hw_cpu_online] = &hw_cpu_areas[area].head.cpu;
			__atomic_store_n(&hw_cpu_online, hw_cpu_online + 1, __ATOMIC_RELEASE);
			area++;
			break;
		case AP_LOST:
			hw_printf("# vxemu-hw: APIC ID %u started but never reported in\n", id);
			area++;
			break;
		case AP_ABSENT:
			break;
		}
	}
}

/* An application processor, in long mode on its own stack (trampoline.S). */
void hw_ap_main(void)
{
	struct hw_cpu *c = hw_cpu_self();

	hw_cpu_init_ap();
	c->boot_ticks = arch_rdtsc();
	__atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
	for (;;) {
		while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != HW_CPU_PENDING)
			arch_cpu_pause();
		__atomic_store_n(&c->state, HW_CPU_RUNNING, __ATOMIC_RELAXED);
		c->fn(c->arg);
		/* The next fn starts on the processor as bring-up left it, as
		 * each scenario does on the BSP. */
		hw_cpu_reset();
		__atomic_store_n(&c->state, HW_CPU_IDLE, __ATOMIC_RELEASE);
	}
}

/*
 * Which processors an INIT reaches (SDM vol. 3 §11.6.1): the shorthands,
 * a physical APIC ID or the broadcast ID. A logical destination is not
 * resolved: every other processor is counted in, which costs at most a
 * needless restart.
 */
static bool init_reaches(const struct hw_cpu *c, uint32_t dest, uint32_t icr_low, bool self)
{
	switch (icr_low & APIC_DEST_SHORTHAND_MASK) {
	case APIC_DEST_SELF:
		return self;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return !self;
	default:
		break;
	}
	if (icr_low & APIC_DEST_LOGICAL)
		return !self;
	return c->apic_id == dest || dest == 0xff || dest == 0xffffffffu;
}

void hw_smp_note_init(uint32_t dest, uint32_t icr_low)
{
	uint32_t me = arch_cpu_index(), n = __atomic_load_n(&hw_cpu_online, __ATOMIC_ACQUIRE);

	/* The level de-assert resets nothing (§10.6.1). */
	if ((icr_low & APIC_INT_LEVELTRIG) && !(icr_low & APIC_INT_ASSERT))
		return;
	for (uint32_t i = 1; i < n; i++)
		if (init_reaches(hw_cpus[i], dest, icr_low, i == me))
			__atomic_store_n(&hw_cpus[i]->state, HW_CPU_RESET, __ATOMIC_RELEASE);
}

/*
 * Starts again a processor an INIT may have taken: an INIT first so that it
 * stops using its area whatever it runs, then the bring-up of hw_smp_init
 * into the same area and index.
 */
static int restart(struct hw_cpu *c)
{
	uint32_t apic_id = c->apic_id, area = c->area, index = c->index;

	hw_apic_send(apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
	wait_ticks(INIT_WAIT_TICKS);
	place_trampoline();
	return start_one(apic_id, area, index) == AP_UP ? 0 : -1;
}

int arch_cpu_start(uint32_t idx, void (*fn)(void *arg), void *arg)
{
	struct hw_cpu *c;
	uint32_t idle = HW_CPU_IDLE;

	if (idx >= __atomic_load_n(&hw_cpu_online, __ATOMIC_ACQUIRE) || idx == arch_cpu_index() ||
	    !fn)
		return -1;
	c = hw_cpus[idx];
	if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == HW_CPU_RESET && restart(c) != 0)
		return -1;
	/* Claim first, so two callers cannot both fill the mailbox. */
	if (!__atomic_compare_exchange_n(&c->state, &idle, HW_CPU_CLAIMED, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -1;
	c->fn = fn;
	c->arg = arg;
	/* Release: fn and arg are visible to the processor that sees PENDING. */
	__atomic_store_n(&c->state, HW_CPU_PENDING, __ATOMIC_RELEASE);
	return 0;
}

/* As on the model, a parked processor that has run nothing counts as done. */
bool arch_cpu_done(uint32_t idx)
{
	if (idx >= __atomic_load_n(&hw_cpu_online, __ATOMIC_ACQUIRE))
		return false;
	return __atomic_load_n(&hw_cpus[idx]->state, __ATOMIC_ACQUIRE) == HW_CPU_IDLE;
}
