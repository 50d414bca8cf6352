/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks portable like the scenarios: the same function runs on the
 * model (`vxemu bench`) and in the hardware image (`benchvmx=N`), so both
 * platforms measure one piece of code.
 *
 * Who may include it: conformance/, cli/, hw/, tests/.
 */
#ifndef CONF_BENCH_H
#define CONF_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Enters VMX operation with one VMCS and a guest that loops on VMCALL,
 * VMLAUNCHes it once, then n times: VMRESUME, the guest's VMCALL exits,
 * guest RIP moves past it by the VM-exit instruction length. Leaves VMX
 * operation and returns the VMRESUME round trips done: n, or fewer with
 * why (a sentence) saying what stopped it.
 */
uint64_t conf_vmx_bench_roundtrips(uint64_t n, char *why, size_t whylen);

/*
 * The hv core's TSC-deadline timer: a VM of one vCPU whose guest, n times,
 * writes IA32_TSC_DEADLINE with the current TSC and spins until the timer
 * interrupt has run (KVM's vmexit "tscdeadline_immed"); each round trip is
 * the WRMSR's exit, the interrupt's injection and the EOI's exit. With
 * fastpath, the VM takes the WRMSR through the exit fastpath (hv/vm.h);
 * *fastpath_exits says how many exits did. Returns the round trips done:
 * n, or fewer with why saying what stopped it (a processor without a
 * guest timer does none).
 */
uint64_t conf_tsc_deadline_roundtrips(uint64_t n, bool fastpath, uint64_t *fastpath_exits,
				      char *why, size_t whylen);

#endif
