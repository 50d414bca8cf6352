/* SPDX-License-Identifier: MIT */
/*
 * IPI round trips on a two-processor model: processor 0 sends a fixed IPI
 * to processor 1 and waits; processor 1 wakes, answers with a fixed IPI to
 * processor 0, and waits again.
 *
 * The host runs with RFLAGS.IF clear and nothing in the host can move a
 * vector out of IRR, so each processor waits in a guest: "HLT" with IF = 1,
 * INTR not intercepted. The IPI ends the HLT, the guest takes the vector
 * through its IDT (IRR -> ISR) and the builder's default stub reports it
 * with VMMCALL; the host then EOIs the physical APIC. That is the path a
 * hypervisor's idle vCPU takes, so the figure includes the world switches.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_machine.h"
#include "emu/emu.h"
#include "hv/hv.h"
#include "x86/apic.h"
#include "x86/cpu.h"

#define IPI_VECTOR 0x60u
#define IPI_ICR (APIC_DM_FIXED | APIC_INT_ASSERT | IPI_VECTOR)
/*
 * The cycle figure comes from this many round trips, always the same number,
 * so that a deterministic model prints the same integer on every run.
 */
#define FIXED_TRIPS 10000u
#define MAX_TRIPS (UINT64_C(1) << 28)

/* One processor's waiting guest. */
struct ipi_side {
	struct hv_guest g;
	struct hv_vcpu vcpu;
};

/* Shared by both processors; flags are touched with __atomic builtins. */
struct ipi_run {
	double seconds;
	uint32_t ready;  /* processor 1 has its guest and an enabled APIC */
	uint32_t failed; /* either side met something unexpected */
	uint32_t stop;   /* processor 0 is done: processor 1 should return */
	uint64_t fixed_cycles;
	uint64_t trips;  /* the batch sized to the time target */
	double t;
	char why[200];
};

/* HLT, then VMMCALL: reached only if HLT ended without taking the vector. */
static const uint8_t waiter[] = { 0xf4, 0x0f, 0x01, 0xd9 };

static void fail(struct ipi_run *a, const char *what, uint32_t cpu)
{
	if (!__atomic_exchange_n(&a->failed, 1u, __ATOMIC_ACQ_REL))
		snprintf(a->why, sizeof(a->why), "processor %u: %s", cpu, what);
}

static int side_setup(struct ipi_side *s)
{
	struct hv_guest_config gc = {
		.payload = waiter,
		.payload_len = sizeof(waiter),
		.entry = 0,
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .use_vnmi = false };
	int err;

	if ((err = hv_svm_enable()) != HV_OK || (err = hv_guest_build(&s->g, &gc)) != HV_OK ||
	    (err = hv_vcpu_create(&s->vcpu, &vc, &s->g)) != HV_OK)
		return err;
	/* A software-disabled APIC drops fixed interrupts (SDM §11.4.7.2). */
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xffu);
	return HV_OK;
}

/* Waits in the guest for IPI_VECTOR and retires it; false with a->why set. */
static bool wait_ipi(struct ipi_side *s, struct ipi_run *a)
{
	struct vmcb *v = hv_svm_vmcb(&s->vcpu);
	uint32_t cpu = arch_cpu_index();

	/* Start over each time: the last wait left the guest inside its stub. */
	v->save.rip = s->g.entry;
	v->save.rsp = s->g.stack_top;
	v->save.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	if (hv_vcpu_enter(&s->vcpu) != ARCH_OK) {
		fail(a, "VMRUN faulted", cpu);
		return false;
	}
	if (v->control.exit_code != SVM_EXIT_VMMCALL || v->save.rip != s->g.stubs_vmmcall ||
	    v->save.rax != (HV_GUEST_EXC_MAGIC | IPI_VECTOR)) {
		char what[96];

		snprintf(what, sizeof(what), "the waiting guest ended with #VMEXIT %s, not the IPI",
			 svm_exit_name(v->control.exit_code));
		fail(a, what, cpu);
		return false;
	}
	/* The guest's IDT took it into ISR; the host retires it. */
	arch_apic_write(APIC_EOI, 0);
	return true;
}

static void responder(void *p)
{
	struct ipi_run *a = p;
	struct ipi_side s;

	if (side_setup(&s) != HV_OK) {
		fail(a, "guest set-up failed", 1);
		return;
	}
	__atomic_store_n(&a->ready, 1u, __ATOMIC_RELEASE);
	for (;;) {
		if (!wait_ipi(&s, a)) {
			/* Processor 0 is waiting for an answer: wake it to see the failure. */
			arch_apic_send_ipi(0, IPI_ICR);
			return;
		}
		if (__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE))
			return;
		arch_apic_send_ipi(0, IPI_ICR);
	}
}

/* n round trips from processor 0; false when either side failed. */
static bool trips(struct ipi_side *s, struct ipi_run *a, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		arch_apic_send_ipi(1, IPI_ICR);
		if (!wait_ipi(s, a) || __atomic_load_n(&a->failed, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

static void ipi_on_model(void *p)
{
	struct ipi_run *a = p;
	struct ipi_side s;
	uint64_t c0;
	double t0, t;

	if (side_setup(&s) != HV_OK) {
		fail(a, "guest set-up failed", 0);
		return;
	}
	if (arch_cpu_start(1, responder, a) != 0) {
		fail(a, "processor 1 could not be started", 0);
		return;
	}
	while (!__atomic_load_n(&a->ready, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&a->failed, __ATOMIC_ACQUIRE))
		arch_cpu_pause();
	if (__atomic_load_n(&a->failed, __ATOMIC_ACQUIRE))
		return;

	t0 = vx_cpu_seconds();
	c0 = arch_rdtsc();
	if (!trips(&s, a, FIXED_TRIPS))
		goto out;
	a->fixed_cycles = arch_rdtsc() - c0;
	t = vx_cpu_seconds() - t0;
	a->trips = (uint64_t)((double)FIXED_TRIPS * a->seconds / (t > 1e-6 ? t : 1e-6));
	if (a->trips < 1)
		a->trips = 1;
	if (a->trips > MAX_TRIPS)
		a->trips = MAX_TRIPS;
	t0 = vx_cpu_seconds();
	if (!trips(&s, a, a->trips))
		goto out;
	a->t = vx_cpu_seconds() - t0;
out:
	/* Processor 1 is halted in its guest whatever happened: wake it to return. */
	__atomic_store_n(&a->stop, 1u, __ATOMIC_RELEASE);
	arch_apic_send_ipi(1, IPI_ICR);
}

void vx_bench_model_ipi(double seconds, struct vx_bench_ipi *out)
{
	struct ipi_run a;
	struct emu_config cfg;
	char why[sizeof(out->why)];

	memset(&a, 0, sizeof(a));
	a.seconds = seconds;
	memset(out, 0, sizeof(*out));
	emu_config_default(&cfg);
	cfg.ncpus = 2;
	/* A benchmark runs as long as it was sized to, not to a cycle budget. */
	cfg.max_cycles = 0;
	cfg.max_host_ms = 0;
	if (vx_bench_on_machine(&cfg, ipi_on_model, &a, NULL, why, sizeof(why)) != 0) {
		/* A side's own account says more than the model's "deadlock". */
		snprintf(out->why, sizeof(out->why), "%s", a.failed ? a.why : why);
		return;
	}
	if (a.failed || a.t <= 0) {
		snprintf(out->why, sizeof(out->why), "%s",
			 a.failed ? a.why : "the round trips did not run");
		return;
	}
	out->ok = true;
	out->fixed_trips = FIXED_TRIPS;
	out->cycles_per_trip = a.fixed_cycles / FIXED_TRIPS;
	out->trips = a.trips;
	out->seconds = a.t;
}
