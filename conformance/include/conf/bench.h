/* SPDX-License-Identifier: MIT */
/*
 * World-switch benchmark of VMX, portable like the scenarios: the same
 * function runs on the model (`vxemu bench`) and in the hardware image
 * (`benchvmx=N`), so both platforms measure one piece of code.
 *
 * Who may include it: conformance/, cli/, hw/, tests/.
 */
#ifndef CONF_BENCH_H
#define CONF_BENCH_H

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

#endif
