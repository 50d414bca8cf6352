/* SPDX-License-Identifier: MIT */
/*
 * HLT and the wake-up by a fixed IPI through the virtual x2APIC, and the
 * MP-state API (SDM vol. 3 §10.6.1, §10.8.4, §10.12.1.2; KVM_GET/SET_MP_STATE).
 */
#include "../guest/payload.h"
#include "hv/vlapic.h"
#include "../core/backend.h"
#include "mp_util.h"
#include "x86/apic.h"

#define WAKE_VECTOR 0x50u

/*
 * A VM of two vCPUs: vCPU 0 at the mp_guest label bsp, vCPU 1 made RUNNABLE
 * in long mode at ap on a stack of its own, vector 50h on irq_handler. Runs
 * it; false (ERROR or FAIL recorded) unless vCPU 0 reached MARK_DONE.
 */
static bool run_bsp_and_ap(struct conf_ctx *ctx, struct conf_mp *m, const uint8_t *bsp,
			   const uint8_t *ap_code)
{
	struct hv_vcpu *ap;
	uint64_t stack = arch_page_alloc();

	if (!stack) {
		conf_error(ctx, "no memory for the AP's stack");
		return false;
	}
	if (!conf_mp_setup(ctx, m, 2, bsp))
		return false;
	hv_guest_set_gate(&m->guest, WAKE_VECTOR, hv_guest_addr(&m->guest, (size_t)(
				  mp_guest_irq_handler - mp_guest_start)));
	ap = m->vm.vcpus[1];
	hv_vcpu_set_rip(ap, hv_guest_addr(&m->guest, (size_t)(ap_code - mp_guest_start)));
	hv_vcpu_set_gpr(ap, HV_GPR_RSP, stack + 4096);
	if (!conf_check_u64(ctx, "hv_vcpu_set_mp_state(RUNNABLE)",
			    (uint64_t)(int64_t)hv_vcpu_set_mp_state(ap, HV_MP_STATE_RUNNABLE), HV_OK))
		return false;
	return conf_mp_run(m);
}

/* A halted AP and a fixed IPI from the BSP — Expect: woken, the handler runs once, EOI clears ISR */
CONF_SCENARIO_BACKENDS(mp_hlt_wake_fixed_ipi, "mp apic",
	      "Expect: HLT with IF = 1 makes the AP HALTED; a fixed IPI (ICR 4050h) from the BSP "
	      "makes it RUNNABLE, its vector-50h handler runs once and its EOI (WRMSR 80Bh = 0) "
	      "leaves ISR and IRR clear",
	      "SDM vol. 3 §10.6.1, §10.8.4, §10.12.1.2", conf_mp_need2)
{
	static const uint32_t want[] = { HV_MP_STATE_UNINITIALIZED, HV_MP_STATE_RUNNABLE,
					 HV_MP_STATE_HALTED, HV_MP_STATE_RUNNABLE,
					 HV_MP_STATE_HALTED };
	struct conf_mp m;
	struct hv_vcpu *ap;
	uint32_t isr = 0, irr = 0;

	if (!run_bsp_and_ap(ctx, &m, mp_guest_wake, mp_guest_sleeper))
		return;
	ap = m.vm.vcpus[1];
	conf_check_u64(ctx, "syncs", m.nsyncs, 1);
	conf_check_u64(ctx, "AP MP state before the IPI", m.sync_state[0], HV_MP_STATE_HALTED);
	conf_check_u64(ctx, "handler runs", *conf_mp_u32(&m, mp_guest_irq_count), 1);
	conf_check_u64(ctx, "handler runs seen after HLT", *conf_mp_u32(&m, mp_guest_woke), 1);
	for (unsigned i = 0; i < 8; i++) {
		isr |= ap->apic.isr[i];
		irr |= ap->apic.irr[i];
	}
	conf_check_u64(ctx, "virtual ISR after EOI", isr, 0);
	conf_check_u64(ctx, "virtual IRR", irr, 0);
	conf_mp_check_states(&m, 1, want, 5);
}

/* An AP spinning in the guest and a fixed IPI — Expect: kicked out, the handler runs */
CONF_SCENARIO_BACKENDS(mp_kick_running_vcpu, "mp apic",
	      "Expect: an AP that waits in the guest with IF = 1 and never exits (no PAUSE, no "
	      "HLT) takes a fixed IPI from the BSP: the hypervisor kicks its processor out of "
	      "guest mode with a physical IPI (#VMEXIT(INTR)), injects vector 50h, the handler "
	      "runs once and the AP stays RUNNABLE throughout",
	      "APM vol. 2 §15.21.1, §15.21.2; SDM vol. 3 §10.6.1; KVM kvm_vcpu_kick", conf_mp_need2)
{
	static const uint32_t want[] = { HV_MP_STATE_UNINITIALIZED, HV_MP_STATE_RUNNABLE,
					 HV_MP_STATE_HALTED };
	struct conf_mp m;

	if (!run_bsp_and_ap(ctx, &m, mp_guest_kick, mp_guest_spinner))
		return;
	conf_check_u64(ctx, "handler runs", *conf_mp_u32(&m, mp_guest_irq_count), 1);
	conf_check_u64(ctx, "handler runs seen by the spinning AP", *conf_mp_u32(&m, mp_guest_woke), 1);
	conf_mp_check_states(&m, 1, want, 3);
}

static uint32_t seen_old, seen_new, seen_calls;

static void count_change(struct hv_vcpu *vcpu, uint32_t old_state, uint32_t new_state, void *arg)
{
	(void)vcpu;
	(void)arg;
	seen_old = old_state;
	seen_new = new_state;
	seen_calls++;
}

/* hv_vcpu_get/set_mp_state — Expect: what is set is read back; unknown states give HV_EINVAL */
CONF_SCENARIO_BACKENDS(mp_state_get_set, "mp",
	      "Expect: a VM's vCPU 0 starts RUNNABLE and vCPU 1 UNINITIALIZED (as KVM creates "
	      "them); each of the four states set is read back and reported once as a change; "
	      "setting the same state again reports nothing; SIPI_RECEIVED (4), AP_RESET_HOLD (9) "
	      "and 42 are refused with HV_EINVAL, leaving the state as it was",
	      "KVM_GET_MP_STATE / KVM_SET_MP_STATE; facts §(c)", NULL)
{
	static const uint32_t states[] = { HV_MP_STATE_INIT_RECEIVED, HV_MP_STATE_HALTED,
					   HV_MP_STATE_RUNNABLE, HV_MP_STATE_UNINITIALIZED };
	struct conf_mp m;
	struct hv_vcpu *v;

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_wake))
		return;
	m.vm.config.on_mp_state = count_change;
	seen_calls = 0;
	conf_check_u64(ctx, "vCPU 0 initial", hv_vcpu_get_mp_state(m.vm.vcpus[0]),
		       HV_MP_STATE_RUNNABLE);
	v = m.vm.vcpus[1];
	conf_check_u64(ctx, "vCPU 1 initial", hv_vcpu_get_mp_state(v), HV_MP_STATE_UNINITIALIZED);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t before = hv_vcpu_get_mp_state(v), calls = seen_calls;

		if (!conf_check_u64(ctx, "set", (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, states[i]),
				    HV_OK))
			return;
		conf_check_u64(ctx, "read back", hv_vcpu_get_mp_state(v), states[i]);
		conf_check_u64(ctx, "change reported once", seen_calls - calls, 1);
		conf_check_u64(ctx, "reported old state", seen_old, before);
		conf_check_u64(ctx, "reported new state", seen_new, states[i]);
	}
	seen_calls = 0;
	conf_check_u64(ctx, "set the same state", (uint64_t)(int64_t)hv_vcpu_set_mp_state(
			       v, HV_MP_STATE_UNINITIALIZED), HV_OK);
	conf_check_u64(ctx, "no change reported", seen_calls, 0);
	conf_check_u64(ctx, "set SIPI_RECEIVED",
		       (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, HV_MP_STATE_SIPI_RECEIVED),
		       (uint64_t)(int64_t)HV_EINVAL);
	conf_check_u64(ctx, "set AP_RESET_HOLD",
		       (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, HV_MP_STATE_AP_RESET_HOLD),
		       (uint64_t)(int64_t)HV_EINVAL);
	conf_check_u64(ctx, "set 42", (uint64_t)(int64_t)hv_vcpu_set_mp_state(v, 42),
		       (uint64_t)(int64_t)HV_EINVAL);
	conf_check_u64(ctx, "state unchanged", hv_vcpu_get_mp_state(v), HV_MP_STATE_UNINITIALIZED);
}

/* A fixed IPI to a software-disabled virtual APIC — Expect: not accepted */
CONF_SCENARIO_BACKENDS(mp_sw_disabled_drops_fixed, "mp apic",
	      "Expect: a fixed IPI (x2APIC ICR 830h, vector 50h) to a vCPU whose virtual APIC is "
	      "software-disabled (SVR bit 8 clear, as after reset) leaves its IRR empty; once SVR "
	      "= 1FFh the same IPI sets IRR bit 50h",
	      "SDM vol. 3 §10.4.7.2", NULL)
{
	struct conf_mp m;
	struct hv_vcpu *bsp, *ap;
	uint64_t icr = (1ull << 32) | APIC_INT_ASSERT | APIC_DM_FIXED | WAKE_VECTOR;
	const uint32_t msr_icr = APIC_X2APIC_MSR_FIRST + (APIC_ICR_LOW >> 4);
	const uint32_t msr_svr = APIC_X2APIC_MSR_FIRST + (APIC_SVR >> 4);

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_wake))
		return;
	bsp = m.vm.vcpus[0];
	ap = m.vm.vcpus[1];
	conf_check_true(ctx, "BSP WRMSR ICR", hv_vlapic_wrmsr(&bsp->apic, msr_icr, icr));
	conf_check_u64(ctx, "AP IRR word 2 while software-disabled", ap->apic.irr[WAKE_VECTOR / 32],
		       0);
	conf_check_true(ctx, "AP WRMSR SVR = 1FFh", hv_vlapic_wrmsr(&ap->apic, msr_svr, 0x1ff));
	conf_check_true(ctx, "BSP WRMSR ICR again", hv_vlapic_wrmsr(&bsp->apic, msr_icr, icr));
	conf_check_u64(ctx, "AP IRR word 2 once enabled", ap->apic.irr[WAKE_VECTOR / 32],
		       1u << (WAKE_VECTOR % 32));
}
