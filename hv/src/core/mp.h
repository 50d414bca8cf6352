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

/* Delivers one interrupt of ICR delivery mode dm (APIC_DM_*) to target. */
void hv_mp_deliver(struct hv_vcpu *target, uint32_t dm, uint8_t vector);

/*
 * On the vCPU's own processor: takes the mailbox (INIT, then SIPI, then
 * NMIs), then waits with arch_cpu_pause() while the vCPU is not RUNNABLE.
 * Returns false once the VM is stopped.
 */
bool hv_mp_wait_runnable(struct hv_vcpu *vcpu);

#endif
