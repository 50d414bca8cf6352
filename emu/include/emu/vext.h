/* SPDX-License-Identifier: MIT */
/*
 * A virtualization extension of the model processor (AMD SVM, Intel VMX):
 * what the neutral processor in emu/ asks of it. One table per extension;
 * the machine's composition root (emu/src/machine.c) picks the one its
 * vendor has, and nothing else in emu/ names an extension.
 *
 * Who may include it: emu/ and the processor models.
 */
#ifndef EMU_VEXT_H
#define EMU_VEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "vx/arch.h"

struct emu_cpu;
struct emu_insn;

struct emu_vext {
	const char *name; /* "svm", "vmx" */
	/* Per-processor state, reached through emu_cpu.vext_state. */
	int (*cpu_init)(struct emu_cpu *cpu);
	void (*cpu_fini)(struct emu_cpu *cpu);
	/* The engine decoded a trap-class instruction: must the engine stop
	 * before it runs (an intercept, or the model emulates it)? */
	bool (*trap_wanted)(struct emu_cpu *cpu, const struct emu_insn *in);
	/* An IRET the model watched retired (NMI unblocking). */
	void (*iret_completed)(struct emu_cpu *cpu);
	/* The interrupt controller raised INIT or start-up (emu/pins.h). */
	void (*signal)(struct emu_cpu *cpu);
	/* A host-mode instruction boundary: events the host takes there. */
	void (*host_events)(struct emu_cpu *cpu);
	/* The platform takes back a processor INIT took from it. */
	void (*reclaim)(struct emu_cpu *cpu);
	/* A processor the platform starts afresh: the extension's part of the
	 * state the hardware image leaves between functions. */
	void (*host_reset)(struct emu_cpu *cpu);
	/* The MSRs the extension owns (EFER.SVME, VM_CR, the VMX capability
	 * MSRs ...): handled = false leaves msr to the MSR file. */
	arch_fault_t (*rdmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t *value, bool *handled);
	arch_fault_t (*wrmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t value, bool *handled);
	/* The CPUID personality: the whole answer for leaf/subleaf, as host
	 * code (guest = false) or a guest of this extension sees it. */
	void (*cpuid)(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		      struct arch_cpuid *out);
};

#endif
