/* SPDX-License-Identifier: MIT */
/*
 * The virtual APIC's TSC-deadline timer on the backend's guest timer, and
 * the exit fastpath that takes its exits (hv/vm.h; seed 003, KVM's
 * "TSC-deadline timer emulation fastpath"): the same guest, run with the
 * fastpath and without it, sees the same thing. Only the VMX backend has a
 * guest timer (the preemption timer); on SVM, tsc_deadline_cpuid checks
 * that the feature is absent.
 */
#include "../core/backend.h"
#include "../guest/payload.h"
#include "mp_util.h"
#include "tsc_deadline.h"
#include "x86/apic.h"
#include "x86/cpu.h"

#define DELAY 20000u
#define FAR 0x10000000000ull
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

static uint64_t *u64(struct conf_mp *m, const uint8_t *label)
{
	return hv_guest_ptr(&m->guest, hv_guest_addr(&m->guest, (size_t)(label - tsc_guest_start)));
}

/* RDMSR result n of the payload's reads. */
static uint64_t read_n(struct conf_mp *m, unsigned n)
{
	return u64(m, tsc_guest_reads)[n];
}

static uint64_t gate(struct conf_mp *m, const uint8_t *label)
{
	return hv_guest_addr(&m->guest, (size_t)(label - tsc_guest_start));
}

/* A VM of one vCPU at the payload's entry; with or without the exit fastpath. */
static bool run_guest(struct conf_ctx *ctx, struct conf_mp *m, const uint8_t *entry,
		      bool fastpath)
{
	const struct conf_mp_guest g = {
		.payload = { tsc_guest_start, tsc_guest_end, tsc_guest_entry },
		.ap64 = tsc_guest_ap64,
		.sipi_vector = tsc_guest_sipi_vector,
	};

	if (!conf_mp_setup_guest(ctx, m, 1, &g, entry))
		return false;
	m->vm.config.no_exit_fastpath = !fastpath;
	hv_guest_set_gate(&m->guest, TIMER_VECTOR, gate(m, tsc_guest_timer_handler));
	hv_guest_set_gate(&m->guest, X86_VEC_GP, gate(m, tsc_guest_gp_handler));
	return conf_mp_run(m);
}

static const char *need_timer(void)
{
	return conf_guest_timer_unsupported();
}

/* CPUID.01H:ECX[24] and IA32_TSC_DEADLINE — Expect: present exactly where the backend has a guest timer */
CONF_SCENARIO_BACKENDS(tsc_deadline_cpuid, "mp apic timer",
	      "Expect: CPUID.01H:ECX[24] (TSC-deadline timer) is set exactly where the backend "
	      "has a guest timer (VMX: the preemption timer; SVM: none). There RDMSR 6E0h with "
	      "the LVT timer as reset left it (masked, one-shot) reads 0 and WRMSR 6E0h is taken "
	      "without a fault; elsewhere both raise #GP(0), as on a processor without the "
	      "feature",
	      "SDM vol. 3 §10.5.4.1; facts §(e) IA32_TSC_DEADLINE", NULL)
{
	struct hv_backend_caps caps;
	struct conf_mp m;

	(void)hv_backend_probe(&caps);
	if (!run_guest(ctx, &m, tsc_guest_probe, true))
		return;
	conf_check_u64(ctx, "CPUID.01H:ECX[24]",
		       *conf_mp_u32(&m, tsc_guest_cpuid_ecx) & CPUID_1_ECX_TSC_DEADLINE,
		       caps.guest_timer ? CPUID_1_ECX_TSC_DEADLINE : 0);
	conf_check_u64(ctx, "#GP from RDMSR and WRMSR 6E0h", *conf_mp_u32(&m, tsc_guest_gp_count),
		       caps.guest_timer ? 0 : 2);
	if (caps.guest_timer)
		conf_check_u64(ctx, "RDMSR 6E0h in one-shot mode", read_n(&m, 0), 0);
}

/*
 * The spin entry: a deadline reached while the guest spins without an
 * exit, then one already past when written. What the guest sees must not
 * depend on the path the exits took; only the fastpath count does.
 */
static void spin_run(struct conf_ctx *ctx, bool fastpath)
{
	struct conf_mp m;
	uint64_t deadline;

	if (!run_guest(ctx, &m, tsc_guest_spin, fastpath))
		return;
	deadline = *u64(&m, tsc_guest_deadline);
	conf_check_u64(ctx, "RDMSR 6E0h once armed", read_n(&m, 0), deadline);
	conf_check_true(ctx, "the handler ran no earlier than the deadline",
			*u64(&m, tsc_guest_irq_tsc) >= deadline);
	conf_check_u64(ctx, "RDMSR 6E0h after the timer fired", read_n(&m, 1), 0);
	conf_check_u64(ctx, "handler runs (the future deadline, then the past one)",
		       *conf_mp_u32(&m, tsc_guest_irq_count), 2);
	if (fastpath)
		conf_check_true(ctx, "exits the fastpath took (two WRMSRs and a timer exit at least)",
				m.vm.vcpus[0]->stats.fastpath_exits >= 3);
	else
		conf_check_u64(ctx, "exits the fastpath took", m.vm.vcpus[0]->stats.fastpath_exits,
			       0);
}

/* A deadline reached while spinning, and one already past — Expect: one interrupt each, via the fastpath */
CONF_SCENARIO_VMX_BACKEND(tsc_deadline_fastpath, "mp apic timer",
	      "Expect: with the LVT timer in TSC-deadline mode (vector 51h), a deadline 20000 "
	      "TSC cycles ahead reads back from IA32_TSC_DEADLINE, interrupts the guest spinning "
	      "with IF = 1 once, no earlier than the deadline, and the MSR then reads 0; a "
	      "deadline written at the current TSC interrupts once more at once, and nothing "
	      "follows. The WRMSRs and the guest timer's exits re-enter through the exit "
	      "fastpath (at least three of them)",
	      "SDM vol. 3 §10.5.4.1, vol. 3C §26.5.1; seed 003 (KVM TSC-deadline fastpath)",
	      need_timer)
{
	spin_run(ctx, true);
}

/* The same guest with every exit the full way — Expect: the same as through the fastpath */
CONF_SCENARIO_VMX_BACKEND(tsc_deadline_slowpath, "mp apic timer",
	      "Expect: the guest of tsc_deadline_fastpath, with the VM's exit fastpath off "
	      "(no_exit_fastpath), sees exactly the same: the armed deadline read back, one "
	      "interrupt no earlier than it, the MSR 0 after it, one more for a deadline already "
	      "past; no exit takes the fastpath",
	      "SDM vol. 3 §10.5.4.1; seed 003 (the slow path gives the same guest-visible result)",
	      need_timer)
{
	spin_run(ctx, false);
}

/* HLT with a deadline armed — Expect: the timer ends the halt */
CONF_SCENARIO_VMX_BACKEND(tsc_deadline_halt, "mp apic timer",
	      "Expect: a deadline 20000 TSC cycles ahead, then STI; HLT: the vCPU is HALTED until "
	      "the deadline, then its vector-51h handler runs once (no earlier than the deadline) "
	      "and the guest continues after HLT",
	      "SDM vol. 3 §10.5.4.1, §8.4 (HLT)", need_timer)
{
	static const uint32_t want[] = { HV_MP_STATE_RUNNABLE, HV_MP_STATE_HALTED,
					 HV_MP_STATE_RUNNABLE };
	struct conf_mp m;

	if (!run_guest(ctx, &m, tsc_guest_halt, true))
		return;
	conf_check_u64(ctx, "handler runs seen after HLT", *conf_mp_u32(&m, tsc_guest_woke), 1);
	conf_check_true(ctx, "the handler ran no earlier than the deadline",
			*u64(&m, tsc_guest_irq_tsc) >= *u64(&m, tsc_guest_deadline));
	conf_mp_check_states(&m, 0, want, 3);
}

/* IA32_TSC_DEADLINE's rules — Expect: as facts §(e) lists them */
CONF_SCENARIO_VMX_BACKEND(tsc_deadline_rules, "mp apic timer",
	      "Expect: a WRMSR 6E0h in one-shot mode is ignored (reads 0 there and after "
	      "switching to TSC-deadline mode); an armed deadline reads back; switching the LVT "
	      "timer to periodic and back disarms it (reads 0); writing 0 disarms it; a masked "
	      "timer's deadline passes, the MSR reads 0 after it and no interrupt comes, then or "
	      "once unmasked",
	      "SDM vol. 3 §10.5.1, §10.5.4.1; facts §(e) IA32_TSC_DEADLINE", need_timer)
{
	struct conf_mp m;

	if (!run_guest(ctx, &m, tsc_guest_rules, true))
		return;
	conf_check_u64(ctx, "RDMSR 6E0h in one-shot mode after a write", read_n(&m, 0), 0);
	conf_check_u64(ctx, "RDMSR 6E0h once in TSC-deadline mode", read_n(&m, 1), 0);
	conf_check_u64(ctx, "RDMSR 6E0h armed", read_n(&m, 2), *u64(&m, tsc_guest_deadline));
	conf_check_u64(ctx, "RDMSR 6E0h after periodic and back", read_n(&m, 3), 0);
	conf_check_u64(ctx, "RDMSR 6E0h after writing 0", read_n(&m, 4), 0);
	conf_check_u64(ctx, "RDMSR 6E0h after the masked deadline", read_n(&m, 5), 0);
	conf_check_u64(ctx, "handler runs while masked", *conf_mp_u32(&m, tsc_guest_count_masked),
		       0);
	conf_check_u64(ctx, "handler runs after unmasking", *conf_mp_u32(&m, tsc_guest_irq_count),
		       0);
}
