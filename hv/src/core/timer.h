/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: the virtual APIC's TSC-deadline timer on the
 * backend's guest timer (hv/vm.h, hv/vlapic.h).
 */
#ifndef HV_SRC_CORE_TIMER_H
#define HV_SRC_CORE_TIMER_H

#include "hv/vcpu.h"

/* Fires the timer if its deadline has passed (a halted vCPU's wait). */
void hv_timer_poll(struct hv_vcpu *vcpu);

/* Before an entry: fires it if due, then arms the backend's guest timer for the rest. */
void hv_timer_prepare_entry(struct hv_vcpu *vcpu);

#endif
