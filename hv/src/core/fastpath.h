/* SPDX-License-Identifier: MIT */
/*
 * Private to the core and its backends: the exit fastpath (hv/vm.h), after
 * KVM's "TSC-deadline timer emulation fastpath" (seed 003). A backend that
 * sees, right after the world switch, an exit the fastpath takes (the
 * guest timer's, or WRMSR of IA32_TSC_DEADLINE) asks hv_fastpath_ready
 * before touching anything; if so, it completes what the entry injected
 * as every exit does and calls hv_fastpath_complete, then enters again.
 */
#ifndef HV_SRC_CORE_FASTPATH_H
#define HV_SRC_CORE_FASTPATH_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"

/*
 * May this exit take the fastpath? Not with the fastpath off (the VM's
 * no_exit_fastpath), nor when anything else waits for the full way: a
 * stop, a post in the mailbox since the entry's last look, an NMI, or an
 * event to deliver again (KVM's kvm_vcpu_exit_request).
 */
bool hv_fastpath_ready(struct hv_vcpu *vcpu);

/*
 * Performs the exit of kind (HV_EXIT_KIND_TIMER, or HV_EXIT_KIND_MSR for
 * WRMSR of IA32_TSC_DEADLINE, insn_len bytes long) and prepares the next
 * entry as hv_vcpu_run does. irq_still_requested: the backend's answer
 * to irq_request_pending for this exit.
 */
void hv_fastpath_complete(struct hv_vcpu *vcpu, uint32_t kind, bool irq_still_requested,
			  unsigned insn_len);

#endif
