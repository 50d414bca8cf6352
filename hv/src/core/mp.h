/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: interprocessor events between the vCPUs of a VM
 * (INIT, SIPI, NMI, fixed interrupts) and the wait of a vCPU that is not
 * RUNNABLE. See hv/vm.h for the signalling scheme.
 */
#ifndef HV_SRC_CORE_MP_H
#define HV_SRC_CORE_MP_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"

/*
 * Puts the APIC of vcpu (whose vm is set) on its VM's bus, with the xAPIC
 * page when the VM uses nested paging, and resets it as power-on does.
 */
void hv_mp_attach(struct hv_vcpu *vcpu);

/* Delivers one interrupt of ICR delivery mode dm (APIC_DM_*) to target. */
void hv_mp_deliver(struct hv_vcpu *target, uint32_t dm, uint8_t vector);

/*
 * Sends a vCPU that is in guest mode the kick IPI (HV_KICK_VECTOR), and
 * one that waits for a SIPI in a guest that owns the APIC a start-up IPI
 * as well (hv/vm.h).
 */
void hv_mp_kick(struct hv_vcpu *target);

/*
 * On the processor about to run vcpu: its APIC ID for kicks, and its APIC
 * software-enabled so that kicks are accepted (SDM vol. 3 §11.4.7.2).
 */
void hv_mp_processor_setup(struct hv_vcpu *vcpu);

/*
 * Right before an entry: publishes "in guest", then looks at the mailbox
 * once more. False (and "in guest" withdrawn) when something was posted
 * since posts_seen: take it first. hv_mp_enter_end after the #VMEXIT.
 */
bool hv_mp_enter_begin(struct hv_vcpu *vcpu, uint32_t posts_seen);
void hv_mp_enter_end(struct hv_vcpu *vcpu);

/*
 * INIT on the vCPU's own processor: the processor state of table 9-1, the
 * APIC reset but for ID and APIC_BASE, no event in flight; INIT_RECEIVED.
 */
void hv_mp_init(struct hv_vcpu *vcpu);

/*
 * On the vCPU's own processor: takes the mailbox (INIT, then SIPI, then
 * NMIs), then waits with arch_cpu_pause() while the vCPU is not RUNNABLE.
 * Returns false once the VM is stopped.
 */
bool hv_mp_wait_runnable(struct hv_vcpu *vcpu);

#endif
