/* SPDX-License-Identifier: MIT */
/*
 * INIT, SIPI, NMI and fixed interrupts between the vCPUs of a VM, and the
 * MP-state machine they drive (facts §(e) "INIT / SIPI delivery", SDM vol. 3
 * §8.4, §10.6.1):
 *
 *   UNINITIALIZED / RUNNABLE / HALTED --INIT--> INIT_RECEIVED
 *   INIT_RECEIVED --SIPI--> RUNNABLE, at the SIPI vector's real-mode CS:IP
 *   a SIPI in any other state is dropped
 *   HALTED --fixed interrupt (guest IF = 1), NMI--> RUNNABLE
 *
 * The MP code is the virtual APICs' bus (hv/vlapic.h): an IPI a vCPU's
 * APIC sends comes here for each APIC it targets. The sender only writes
 * the target's mailbox or IRR; the target's own processor does everything
 * else, so a vCPU's backend state (its VMCB) is only ever touched by the
 * processor that runs it. An INIT replaces a SIPI still in the mailbox, and
 * the target handles INIT before SIPI, as KVM's kvm_apic_accept_events
 * does: INIT-SIPI sent back to back still boots the vCPU.
 *
 * A target in guest mode is kicked out with a physical IPI, as KVM's
 * kvm_vcpu_kick does. The target publishes in_guest, then looks at
 * mailbox.posts once more before VMRUN; a sender bumps posts, then looks at
 * in_guest (both with full fences). So either the target sees the post and
 * does not enter, or the sender sees in_guest and sends the IPI: the
 * physical APIC holds it until VMRUN, where with the host's IF set and
 * V_INTR_MASKING it becomes #VMEXIT(INTR) (APM vol. 2 §15.21.1).
 */
#include "vx/arch.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "mp.h"
#include "timer.h"
#include "x86/apic.h"
#include "x86/msr.h"

/* Start-up IPIs that get a vCPU waiting for a SIPI out (hv_mp_kick), and the pauses between. */
#define HV_MP_STOP_SIPI_TRIES 100u
#define HV_MP_STOP_SIPI_PAUSES 1000u

void hv_mp_deliver(struct hv_vcpu *target, uint32_t dm, uint8_t vector)
{
	uint32_t old, new;

	switch (dm) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		/* A software-disabled APIC does not accept them (SDM §10.4.7.2). */
		if (!(__atomic_load_n(&target->apic.svr, __ATOMIC_ACQUIRE) & APIC_SVR_ENABLE))
			return;
		hv_vlapic_set_irr(&target->apic, vector);
		break;
	case APIC_DM_NMI:
		__atomic_fetch_add(&target->mailbox.nmis, 1, __ATOMIC_RELEASE);
		break;
	case APIC_DM_INIT:
		old = __atomic_load_n(&target->mailbox.events, __ATOMIC_RELAXED);
		do {
			new = (old | HV_MP_EVENT_INIT) & ~HV_MP_EVENT_SIPI;
		} while (!__atomic_compare_exchange_n(&target->mailbox.events, &old, new, true,
						      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
		break;
	case APIC_DM_STARTUP:
		__atomic_store_n(&target->mailbox.sipi_vector, vector, __ATOMIC_RELAXED);
		/* Release: the vector is visible to whoever sees the bit. */
		__atomic_fetch_or(&target->mailbox.events, HV_MP_EVENT_SIPI, __ATOMIC_RELEASE);
		break;
	default:
		/* SMI and ExtINT have no meaning for these guests: not delivered. */
		return;
	}
	__atomic_fetch_add(&target->mailbox.posts, 1, __ATOMIC_SEQ_CST);
	hv_mp_kick(target);
}

/* The bus of a VM's APICs: APIC n is vCPU n's. */
static struct hv_vlapic *bus_apic(void *ctx, uint32_t n)
{
	struct hv_vm *vm = ctx;

	return n < vm->nr_vcpus ? &vm->vcpus[n]->apic : NULL;
}

static void bus_deliver(void *ctx, uint32_t n, uint32_t dm, uint8_t vector)
{
	struct hv_vm *vm = ctx;

	hv_mp_deliver(vm->vcpus[n], dm, vector);
}

static const struct hv_vlapic_bus mp_bus = { .apic = bus_apic, .deliver = bus_deliver };

void hv_mp_attach(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	hv_vlapic_init(&vcpu->apic, vcpu->id, vm->config.use_npt, &mp_bus, vm);
	/* A guest that owns the APIC has the processor's timer, not this one's. */
	vcpu->apic.tsc_deadline_timer = vm->caps.guest_timer && vcpu->ops->set_timer &&
					!vm->config.apic_passthrough;
}

void hv_mp_kick(struct hv_vcpu *target)
{
	uint32_t dest;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&target->in_guest, __ATOMIC_RELAXED))
		return;
	dest = __atomic_load_n(&target->host_apic_id, __ATOMIC_RELAXED);
	arch_apic_send_ipi(dest, APIC_INT_ASSERT | APIC_DM_FIXED | HV_KICK_VECTOR);
	/*
	 * A guest that owns the APIC may wait for a SIPI in the guest, where
	 * the interrupt stays pending (SDM vol. 3C §26.7.4): a start-up IPI
	 * gets it out (hv/vm.h). One that arrives before the VM entry is
	 * discarded (§25.2), so it goes again until the vCPU is out.
	 */
	for (uint32_t i = 0; i < HV_MP_STOP_SIPI_TRIES && target->vm->config.apic_passthrough &&
			     hv_vcpu_get_mp_state(target) == HV_MP_STATE_INIT_RECEIVED &&
			     __atomic_load_n(&target->in_guest, __ATOMIC_ACQUIRE);
	     i++) {
		arch_apic_send_ipi(dest, APIC_INT_ASSERT | APIC_DM_STARTUP);
		for (uint32_t n = 0; n < HV_MP_STOP_SIPI_PAUSES; n++)
			arch_cpu_pause();
	}
}

void hv_mp_processor_setup(struct hv_vcpu *vcpu)
{
	uint64_t base = 0;
	uint32_t id = arch_apic_read(APIC_ID), svr = arch_apic_read(APIC_SVR);

	(void)arch_rdmsr(MSR_IA32_APIC_BASE, &base);
	/* The ID register holds the ID in bits 31:24 in xAPIC mode (§11.4.6). */
	__atomic_store_n(&vcpu->host_apic_id, (base & MSR_APIC_BASE_EXTD) ? id : id >> 24,
			 __ATOMIC_RELEASE);
	if (!(svr & APIC_SVR_ENABLE))
		arch_apic_write(APIC_SVR, svr | APIC_SVR_ENABLE);
}

bool hv_mp_enter_begin(struct hv_vcpu *vcpu, uint32_t posts_seen)
{
	__atomic_store_n(&vcpu->in_guest, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vcpu->mailbox.posts, __ATOMIC_ACQUIRE) == posts_seen)
		return true;
	__atomic_store_n(&vcpu->in_guest, 0, __ATOMIC_RELEASE);
	return false;
}

void hv_mp_enter_end(struct hv_vcpu *vcpu)
{
	__atomic_store_n(&vcpu->in_guest, 0, __ATOMIC_RELEASE);
}

/*
 * INIT: the processor state of table 9-1 (the backend), the local APIC
 * reset except ID and APIC_BASE (SDM §10.4.7.3), no event or NMI in
 * flight. The bootstrap vCPU too waits for a SIPI: there is no firmware at
 * the reset vector to run.
 */
void hv_mp_init(struct hv_vcpu *vcpu)
{
	vcpu->ops->reset_init(vcpu);
	hv_vlapic_reset(&vcpu->apic, false);
	vcpu->nmi.queued = 0;
	vcpu->nmi.pending = 0;
	vcpu->nmi.injected = false;
	vcpu->reinject.valid = false;
	vcpu->exception.valid = false;
	hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_INIT_RECEIVED);
}

static void accept_events(struct hv_vcpu *vcpu)
{
	uint32_t ev = __atomic_exchange_n(&vcpu->mailbox.events, 0, __ATOMIC_ACQUIRE);
	uint32_t nmis = __atomic_exchange_n(&vcpu->mailbox.nmis, 0, __ATOMIC_ACQUIRE);

	if (ev & HV_MP_EVENT_INIT)
		hv_mp_init(vcpu);
	if (ev & HV_MP_EVENT_SIPI) {
		uint8_t vector = (uint8_t)__atomic_load_n(&vcpu->mailbox.sipi_vector,
							  __ATOMIC_RELAXED);

		/* Consumed only in INIT_RECEIVED; otherwise dropped (facts §(e)). */
		if (hv_vcpu_get_mp_state(vcpu) == HV_MP_STATE_INIT_RECEIVED)
			hv_vcpu_deliver_sipi(vcpu, vector);
	}
	/* A vCPU waiting for SIPI takes no NMI; one sent then is dropped. */
	if (nmis && hv_vcpu_get_mp_state(vcpu) != HV_MP_STATE_INIT_RECEIVED &&
	    hv_vcpu_get_mp_state(vcpu) != HV_MP_STATE_UNINITIALIZED)
		vcpu->nmi.queued += nmis;
}

/*
 * What ends HLT (SDM vol. 3 §8.4 / "HLT"): an NMI, or an interrupt the
 * guest accepts, the APIC timer's among them.
 */
static bool halt_ends(struct hv_vcpu *vcpu)
{
	if (vcpu->nmi.queued || vcpu->nmi.pending)
		return true;
	hv_timer_poll(vcpu);
	return vcpu->ops->interrupts_enabled(vcpu) && hv_vlapic_deliverable(&vcpu->apic) >= 0;
}

bool hv_mp_wait_runnable(struct hv_vcpu *vcpu)
{
	for (;;) {
		accept_events(vcpu);
		if (hv_vm_stopped(vcpu->vm))
			return false;
		switch (hv_vcpu_get_mp_state(vcpu)) {
		case HV_MP_STATE_RUNNABLE:
			return true;
		case HV_MP_STATE_UNINITIALIZED:
		case HV_MP_STATE_INIT_RECEIVED:
			/* A guest that owns the APIC waits in the guest (hv/vm.h). */
			if (vcpu->vm->config.apic_passthrough)
				return true;
			break;
		case HV_MP_STATE_HALTED:
			if (halt_ends(vcpu)) {
				hv_vcpu_set_mp_state(vcpu, HV_MP_STATE_RUNNABLE);
				return true;
			}
			break;
		default:
			break;
		}
		arch_cpu_pause();
	}
}
