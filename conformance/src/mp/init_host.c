/* SPDX-License-Identifier: MIT */
/*
 * INIT and start-up IPIs to a physical processor: the processors the
 * scenarios run on, not a hypervisor's virtual APIC (SDM vol. 3 §8.4, §9.1,
 * §10.6.1; APM vol. 2 §15.17.1, §15.21.3; facts §(e) "INIT / SIPI
 * delivery").
 *
 * Processor 1 runs a victim: host code that spins until told to stop, or a
 * guest. Processor 0 sends it INIT and start-up IPIs with
 * arch_apic_send_ipi and reads what host_sipi (guest/init_host.S) recorded
 * in its page. Only processor 0 evaluates checks; the victim reports
 * through `vic`.
 *
 * A processor that INIT took is the platform's to take back: each scenario
 * ends by starting host code on processor 1 again with arch_cpu_start (the
 * hardware image repeats its own INIT-SIPI-SIPI for it) and waits for it to
 * return, an ERROR if it does not.
 */
#include "../apic/apic_util.h"
#include "../svm/svm_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"

/* Pages below 1 MiB that both platforms leave to scenarios (mp_util.h). */
#define PAGE_A 0x72000u
#define PAGE_B 0x73000u
#define VEC_A (PAGE_A >> 12)
#define VEC_B (PAGE_B >> 12)

#define VICTIM 1u
/*
 * Between IPIs: time for the target to act on the first (§8.4.4.1 asks for
 * 10 ms after INIT on older processors only). Before looking for what an
 * ignored IPI must not have done: long enough for a QEMU TCG processor
 * thread on a busy host to have done it (about 5 ms at 2 GHz).
 */
#define STEP_TICKS 1000000ull
#define SETTLE_TICKS 10000000ull

#define ICR_INIT (APIC_DM_INIT | APIC_INT_ASSERT)
#define ICR_INIT_DEASSERT (APIC_DM_INIT | APIC_INT_LEVELTRIG)

CONF_PAYLOAD_DECLARE(init_guest);
CONF_PAYLOAD_LABEL(init_guest, entered);
extern const uint8_t host_sipi_start[], host_sipi_end[];
CONF_PAYLOAD_LABEL(host_sipi, after_call);
CONF_PAYLOAD_LABEL(host_sipi, runs);
CONF_PAYLOAD_LABEL(host_sipi, edx);
CONF_PAYLOAD_LABEL(host_sipi, rflags);
CONF_PAYLOAD_LABEL(host_sipi, cs);
CONF_PAYLOAD_LABEL(host_sipi, ip);
CONF_PAYLOAD_LABEL(host_sipi, cr0);
CONF_PAYLOAD_LABEL(host_sipi, efer);
CONF_PAYLOAD_LABEL(host_sipi, apic_id);

enum victim_kind {
	VICTIM_SPIN,       /* host code, GIF set */
	VICTIM_GIF_CLEAR,  /* host code that clears GIF, waits, then sets it */
	VICTIM_GUEST,      /* a guest with GIF set in guest mode */
};

struct victim {
	enum victim_kind kind;
	bool intercept_init;   /* VICTIM_GUEST: the VMCB's INIT intercept */
	uint32_t apic_id;
	uint32_t running;      /* set once the victim is where INIT should find it */
	uint32_t sent;         /* processor 0 sent what it sends */
	uint32_t stop;         /* processor 0: return now */
	uint32_t held;         /* VICTIM_GIF_CLEAR: still running after the INIT */
	uint32_t stgi_next;    /* VICTIM_GIF_CLEAR: about to set GIF */
	uint32_t exited;       /* VICTIM_GUEST: VMRUN returned */
	uint32_t after;        /* reached the code after STGI */
	uint32_t returned;     /* its function returned */
	uint64_t exit_code;    /* VICTIM_GUEST: what VMRUN returned with */
	uint32_t *entered;     /* VICTIM_GUEST: set by the guest once it runs */
	const char *err;       /* set-up failed */
	struct conf_apic_guest g;
};

static struct victim vic;

static void victim_guest(struct victim *v)
{
	struct conf_payload p = CONF_PAYLOAD(init_guest);
	struct hv_guest_config gc = {
		.payload = p.start,
		.payload_len = (size_t)(p.end - p.start),
		.entry = (size_t)(p.entry - p.start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .use_vnmi = false };
	struct vmcb *vmcb;

	if (hv_svm_enable() != HV_OK || hv_guest_build(&v->g.guest, &gc) != HV_OK ||
	    hv_vcpu_create(&v->g.vcpu, &vc, &v->g.guest) != HV_OK) {
		v->err = "could not build the guest";
		return;
	}
	vmcb = hv_svm_vmcb(&v->g.vcpu);
	hv_vmcb_intercept(vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_INIT, v->intercept_init);
	/* Processor 0 sends the INIT once the guest says it runs. */
	v->entered = hv_guest_ptr(&v->g.guest,
				  hv_guest_addr(&v->g.guest, (size_t)(init_guest_entered - p.start)));
	__atomic_store_n(&v->running, 1, __ATOMIC_RELEASE);
	if (hv_vcpu_enter(&v->g.vcpu) != ARCH_OK) {
		v->err = "VMRUN faulted";
		return;
	}
	v->exit_code = vmcb->control.exit_code;
	__atomic_store_n(&v->exited, 1, __ATOMIC_RELEASE);
	(void)arch_stgi();
	__atomic_store_n(&v->after, 1, __ATOMIC_RELEASE);
}

static void victim(void *arg)
{
	struct victim *v = arg;

	v->apic_id = conf_apic_self_id();
	switch (v->kind) {
	case VICTIM_SPIN:
		__atomic_store_n(&v->running, 1, __ATOMIC_RELEASE);
		(void)conf_apic_wait_flag(&v->stop);
		break;
	case VICTIM_GIF_CLEAR:
		if (hv_svm_enable() != HV_OK || arch_clgi() != ARCH_OK) {
			v->err = "could not clear GIF";
			break;
		}
		__atomic_store_n(&v->running, 1, __ATOMIC_RELEASE);
		if (conf_apic_wait_flag(&v->sent)) {
			conf_apic_delay(SETTLE_TICKS);
			__atomic_store_n(&v->held, 1, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&v->stgi_next, 1, __ATOMIC_RELEASE);
		(void)arch_stgi();
		__atomic_store_n(&v->after, 1, __ATOMIC_RELEASE);
		(void)conf_apic_wait_flag(&v->stop);
		break;
	case VICTIM_GUEST:
		victim_guest(v);
		break;
	}
	__atomic_store_n(&v->returned, 1, __ATOMIC_RELEASE);
}

static void idle(void *arg)
{
	(void)arg;
}

static uint32_t *field(uint32_t page, const uint8_t *label)
{
	return (uint32_t *)((uint8_t *)arch_phys_to_virt(page) + (label - host_sipi_start));
}

static void place(uint32_t page)
{
	uint8_t *p = arch_phys_to_virt(page);

	hv_memset(p, 0, 4096);
	hv_memcpy(p, host_sipi_start, (size_t)(host_sipi_end - host_sipi_start));
}

/* Starts the victim and waits until it is where the IPIs should find it. */
static bool begin(struct conf_ctx *ctx, enum victim_kind kind, bool intercept_init)
{
	hv_memset(&vic, 0, sizeof(vic));
	vic.kind = kind;
	vic.intercept_init = intercept_init;
	place(PAGE_A);
	place(PAGE_B);
	if (arch_cpu_start(VICTIM, victim, &vic) != 0) {
		conf_error(ctx, "arch_cpu_start(%u) refused", VICTIM);
		return false;
	}
	if (!conf_apic_wait_flag(&vic.running) || (vic.entered && !conf_apic_wait_flag(vic.entered))) {
		conf_error(ctx, "processor %u did not start: %s", VICTIM,
			   vic.err ? vic.err : "no report");
		return false;
	}
	return true;
}

static void send(uint32_t icr)
{
	arch_apic_send_ipi(vic.apic_id, icr);
	conf_apic_delay(STEP_TICKS);
}

/* Waits for host_sipi in page to have run; false after the bound. */
static bool wait_runs(uint32_t page)
{
	return conf_apic_wait_flag(field(page, host_sipi_runs));
}

/*
 * Gives processor 1 back to the platform and checks it runs host code
 * again. taken: INIT took it (it will not return by itself).
 */
static void end(struct conf_ctx *ctx, bool taken)
{
	__atomic_store_n(&vic.stop, 1, __ATOMIC_RELEASE);
	if (!taken && !conf_apic_join(VICTIM)) {
		conf_error(ctx, "processor %u did not finish", VICTIM);
		return;
	}
	/* A victim that INIT should have taken but did not is still busy. */
	if (arch_cpu_start(VICTIM, idle, NULL) != 0 &&
	    (!conf_apic_join(VICTIM) || arch_cpu_start(VICTIM, idle, NULL) != 0)) {
		conf_error(ctx, "the platform could not start processor %u again", VICTIM);
		return;
	}
	if (!conf_apic_join(VICTIM))
		conf_error(ctx, "processor %u did not run host code again", VICTIM);
}

/* The state host_sipi recorded in page A. */
static void check_started(struct conf_ctx *ctx)
{
	struct arch_cpuid id;
	uint32_t *p_ip = field(PAGE_A, host_sipi_ip);
	uint32_t call_at = (uint32_t)(host_sipi_after_call - host_sipi_start);

	arch_cpuid(1, 0, &id);
	conf_check_u64(ctx, "start-up code runs", *field(PAGE_A, host_sipi_runs), 1);
	conf_check_u64(ctx, "CS selector (vector << 8)", *field(PAGE_A, host_sipi_cs) & 0xffff,
		       VEC_A << 8);
	/* CALL pushed the offset of the instruction after it: IP started at 0. */
	conf_check_u64(ctx, "IP it started at", (*p_ip & 0xffff) - call_at, 0);
	conf_check_u64(ctx, "EDX (processor signature, CPUID Fn0000_0001 EAX)",
		       *field(PAGE_A, host_sipi_edx), id.eax);
	conf_check_u64(ctx, "RFLAGS", *field(PAGE_A, host_sipi_rflags), X86_RFLAGS_FIXED);
	/* INIT keeps CD and NW (SDM vol. 3 table 9-1); the rest is ET alone. */
	conf_check_masked(ctx, "CR0 but CD and NW", *field(PAGE_A, host_sipi_cr0),
			  ~(uint32_t)(X86_CR0_CD | X86_CR0_NW), X86_CR0_ET);
	conf_check_u64(ctx, "EFER (low half)", *field(PAGE_A, host_sipi_efer), 0);
	conf_check_u64(ctx, "initial APIC ID (CPUID Fn0000_0001 EBX[31:24])",
		       *field(PAGE_A, host_sipi_apic_id), vic.apic_id);
}

/* INIT, a start-up IPI with VEC_A, and the state its code found. */
static void init_and_check_start(struct conf_ctx *ctx)
{
	send(ICR_INIT);
	send(APIC_DM_STARTUP | VEC_A);
	if (conf_check_u64(ctx, "start-up code ran", wait_runs(PAGE_A), 1))
		check_started(ctx);
}

/* INIT then SIPI to a processor in host code — Expect: reset, real mode at vector << 12 */
CONF_SCENARIO(mp_host_init_sipi_start, "mp apic",
	      "Expect: INIT resets a processor running host code and it waits for SIPI; the "
	      "start-up IPI starts it in real mode with CS = vector << 8, IP = 0, EDX = its "
	      "signature, RFLAGS = 2, CR0 = ET (CD, NW kept), EFER = 0; the host code it ran never "
	      "returns",
	      "SDM vol. 3 §8.4.1, §8.4.4, §9.1 table 9-1, §10.6.1; facts §(e)", conf_apic_need2)
{
	if (!begin(ctx, VICTIM_SPIN, false))
		return;
	init_and_check_start(ctx);
	conf_check_u64(ctx, "host code returned (INIT must discard it)", vic.returned, 0);
	end(ctx, true);
}

/* A start-up IPI without INIT — Expect: ignored; the host code runs on */
CONF_SCENARIO(mp_host_sipi_without_init_ignored, "mp apic",
	      "Expect: a start-up IPI to a processor that is not waiting for one (no INIT before) "
	      "is ignored: its code never runs and the host code it runs goes on and returns",
	      "SDM vol. 3 §8.4.4, §10.6.1; facts §(e) (SIPI only in wait-for-SIPI)",
	      conf_apic_need2)
{
	if (!begin(ctx, VICTIM_SPIN, false))
		return;
	send(APIC_DM_STARTUP | VEC_A);
	conf_apic_delay(SETTLE_TICKS);
	conf_check_u64(ctx, "start-up code runs", *field(PAGE_A, host_sipi_runs), 0);
	__atomic_store_n(&vic.stop, 1, __ATOMIC_RELEASE);
	conf_check_u64(ctx, "host code returned", conf_apic_join(VICTIM), 1);
	end(ctx, false);
}

/* A second start-up IPI — Expect: ignored once the processor left wait-for-SIPI */
CONF_SCENARIO(mp_host_second_sipi_ignored, "mp apic",
	      "Expect: after INIT and a start-up IPI started the processor, a second start-up IPI "
	      "with another vector does nothing: that vector's code never runs and the first "
	      "ran once",
	      "SDM vol. 3 §8.4.4.1 (the second SIPI); facts §(e)", conf_apic_need2)
{
	if (!begin(ctx, VICTIM_SPIN, false))
		return;
	send(ICR_INIT);
	send(APIC_DM_STARTUP | VEC_A);
	if (!conf_check_u64(ctx, "start-up code ran", wait_runs(PAGE_A), 1)) {
		end(ctx, true);
		return;
	}
	send(APIC_DM_STARTUP | VEC_B);
	conf_apic_delay(SETTLE_TICKS);
	conf_check_u64(ctx, "first vector's code runs", *field(PAGE_A, host_sipi_runs), 1);
	conf_check_u64(ctx, "second vector's code runs", *field(PAGE_B, host_sipi_runs), 0);
	end(ctx, true);
}

/* INIT level de-assert — Expect: ignored; the host code runs on */
CONF_SCENARIO(mp_host_init_deassert_ignored, "mp apic",
	      "Expect: an INIT with trigger = level and level = 0 (ICR 8500h) resets nothing: a "
	      "start-up IPI after it is ignored and the host code goes on and returns",
	      "SDM vol. 3 §10.6.1 (INIT level de-assert); facts §(e)", conf_apic_need2)
{
	if (!begin(ctx, VICTIM_SPIN, false))
		return;
	send(ICR_INIT_DEASSERT);
	send(APIC_DM_STARTUP | VEC_A);
	conf_apic_delay(SETTLE_TICKS);
	conf_check_u64(ctx, "start-up code runs", *field(PAGE_A, host_sipi_runs), 0);
	__atomic_store_n(&vic.stop, 1, __ATOMIC_RELEASE);
	conf_check_u64(ctx, "host code returned", conf_apic_join(VICTIM), 1);
	end(ctx, false);
}

/* INIT while GIF is clear — Expect: held until STGI, then taken */
CONF_SCENARIO(svm_init_held_while_gif_clear, "svm mp apic",
	      "Expect: an INIT that reaches a processor with GIF clear waits: its host code runs "
	      "on; STGI lets it in and the processor resets there (the code after STGI never "
	      "runs); a start-up IPI then starts it",
	      "APM vol. 2 §15.17.1; SDM vol. 3 §8.4.1; facts §(e) (INIT latched while GIF = 0)",
	      conf_apic_need2_svm)
{
	if (!begin(ctx, VICTIM_GIF_CLEAR, false))
		return;
	arch_apic_send_ipi(vic.apic_id, ICR_INIT);
	__atomic_store_n(&vic.sent, 1, __ATOMIC_RELEASE);
	if (!conf_check_u64(ctx, "still running with GIF clear", conf_apic_wait_flag(&vic.held), 1) ||
	    !conf_check_u64(ctx, "reached STGI", conf_apic_wait_flag(&vic.stgi_next), 1)) {
		end(ctx, true);
		return;
	}
	conf_apic_delay(SETTLE_TICKS);
	conf_check_u64(ctx, "code after STGI runs", vic.after, 0);
	send(APIC_DM_STARTUP | VEC_A);
	conf_check_u64(ctx, "start-up code ran", wait_runs(PAGE_A), 1);
	end(ctx, true);
}

/* INIT to a guest with the INIT intercept — Expect: #VMEXIT(INIT), the INIT still pending */
CONF_SCENARIO(svm_init_intercept_vmexit, "svm mp apic intercepts",
	      "Expect: an INIT that reaches a processor in guest mode with the INIT intercept set "
	      "gives #VMEXIT(INIT) (exit code 63h) and stays pending while GIF is clear: STGI "
	      "lets it in, the processor resets there and a start-up IPI starts it",
	      "APM vol. 2 §15.21.3, §15.17.1 (VM_CR.R_INIT exists to catch it); facts §(e) "
	      "(svm_init_intercept_test)",
	      conf_apic_need2_svm)
{
	if (!begin(ctx, VICTIM_GUEST, true))
		return;
	send(ICR_INIT);
	if (!conf_check_u64(ctx, "VMRUN returned", conf_apic_wait_flag(&vic.exited), 1)) {
		end(ctx, true);
		return;
	}
	conf_check_exit(ctx, "exit_code", vic.exit_code, SVM_EXIT_INIT);
	conf_apic_delay(SETTLE_TICKS);
	conf_check_u64(ctx, "code after STGI runs", vic.after, 0);
	send(APIC_DM_STARTUP | VEC_A);
	conf_check_u64(ctx, "start-up code ran", wait_runs(PAGE_A), 1);
	end(ctx, true);
}

/* INIT to a guest without the INIT intercept — Expect: the processor resets */
CONF_SCENARIO(svm_init_not_intercepted_resets, "svm mp apic",
	      "Expect: an INIT that reaches a processor in guest mode with the INIT intercept "
	      "clear is taken by the processor: no #VMEXIT (VMRUN never returns to the "
	      "hypervisor), it waits for SIPI and a start-up IPI starts it in real mode",
	      "APM vol. 2 §15.21.3; SDM vol. 3 §8.4.1, §9.1", conf_apic_need2_svm)
{
	if (!begin(ctx, VICTIM_GUEST, false))
		return;
	init_and_check_start(ctx);
	conf_check_u64(ctx, "VMRUN returned to the hypervisor", vic.exited, 0);
	end(ctx, true);
}
