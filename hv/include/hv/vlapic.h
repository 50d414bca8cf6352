/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC of a vCPU, in x2APIC mode only (SDM vol. 3 §10.12).
 *
 * The guest reaches it through RDMSR/WRMSR of 0x800-0x8FF and
 * IA32_APIC_BASE (0x1B), all intercepted through the MSRPM. There is no
 * xAPIC page: without nested paging a guest access to 0xFEE00000 would
 * reach the processor's own APIC, so the virtual APIC comes out of reset
 * already in x2APIC mode (EN and EXTD set), as firmware that enabled it
 * would leave it, and refuses to leave it (#GP).
 *
 * Registers: ID (the vCPU index), version, LDR (derived from the ID,
 * §10.12.10.2), SVR, TPR, PPR, EOI, ISR/TMR/IRR, ESR, the LVTs (stored
 * only: there is no timer), ICR and SELF_IPI. Anything else in the range,
 * a write to a read-only register, or a reserved bit where the SDM says
 * #GP gives #GP(0) in the guest.
 *
 * The IRR is written by other processors (IPIs); everything else only by
 * the processor that runs the vCPU.
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_VLAPIC_H
#define HV_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct hv_vcpu;

struct hv_vlapic {
	uint64_t apic_base;  /* IA32_APIC_BASE */
	uint32_t id;
	uint32_t tpr;
	uint32_t svr;
	uint32_t esr;
	uint32_t lvt[7];     /* 0x82F, 0x832-0x837 */
	uint64_t icr;
	uint32_t isr[8];
	uint32_t irr[8];     /* atomically OR-ed by senders */
	/* The vector put in V_IRQ for the next entry, or -1. */
	int32_t virq_vector;
};

/* Resets the registers as INIT does (SDM §10.4.7.3): all but ID and APIC_BASE. */
void hv_vlapic_reset(struct hv_vcpu *vcpu, bool power_on);

/*
 * RDMSR/WRMSR of IA32_APIC_BASE or an x2APIC register. Returns true when
 * the access is architecturally fine, false when the guest must get #GP(0).
 */
bool hv_vlapic_rdmsr(struct hv_vcpu *vcpu, uint32_t msr, uint64_t *value);
bool hv_vlapic_wrmsr(struct hv_vcpu *vcpu, uint32_t msr, uint64_t value);
/* Is msr one the virtual APIC owns (and the MSRPM intercepts)? */
bool hv_vlapic_owns_msr(uint32_t msr);

/* Marks vector pending in the IRR of vcpu (any processor may call it). */
void hv_vlapic_set_irr(struct hv_vcpu *vcpu, uint8_t vector);
/* The highest IRR vector that may be delivered now (TPR/ISR, §10.8.3.1), or -1. */
int hv_vlapic_deliverable(struct hv_vcpu *vcpu);
/* After a #VMEXIT: a V_IRQ the guest took moves from IRR to ISR. */
void hv_vlapic_sync_after_exit(struct hv_vcpu *vcpu);
/* Before an entry: the best deliverable vector goes to V_IRQ. */
void hv_vlapic_prepare_entry(struct hv_vcpu *vcpu);

#endif
