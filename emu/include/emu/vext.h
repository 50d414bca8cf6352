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
struct emu_pending_event;

struct emu_vext {
	const char *name; /* "svm", "vmx" */
	/* Per-processor state, reached through emu_cpu.vext_state. */
	int (*cpu_init)(struct emu_cpu *cpu);
	void (*cpu_fini)(struct emu_cpu *cpu);

	/* --- guest mode (emu/src/guest.c runs the loop) ------------------- */
	/* Code runs in the engine under the extension: its guest, or code a
	 * start-up IPI started. */
	bool (*in_guest)(struct emu_cpu *cpu);
	/* A VM exit completed: the loop returns to host code. */
	bool (*guest_left)(struct emu_cpu *cpu);
	/* Deliver, or exit on, whatever is pending and deliverable; true if
	 * it did. */
	bool (*take_events)(struct emu_cpu *cpu);
	/* Intercept policy for a trap-class instruction the processor does not
	 * always stop before (emu/src/emulate.c): must the engine stop? Has no
	 * side effects. */
	bool (*trap_wanted)(struct emu_cpu *cpu, const struct emu_insn *in);
	/* Does an IRET now end a blocking of NMIs (so it is watched)? */
	bool (*iret_unblocks)(struct emu_cpu *cpu);
	/* An IRET the model watched retired. */
	void (*iret_completed)(struct emu_cpu *cpu);
	/* The engine stopped: before a trap-class instruction, at a #UD
	 * (the extension's own instructions land there), at another
	 * exception, or on a second-level translation fault. */
	void (*trap)(struct emu_cpu *cpu);
	void (*invalid)(struct emu_cpu *cpu);
	void (*exception)(struct emu_cpu *cpu);
	void (*slat_fault)(struct emu_cpu *cpu);
	/* Raise an exception in guest mode: an exit if intercepted, else
	 * delivered. */
	void (*raise)(struct emu_cpu *cpu, const struct emu_pending_event *ev);
	/* MSRs only the extension can answer, in guest mode too. */
	bool (*owns_msr)(uint32_t msr);
	/* A host-mode instruction boundary: events the host takes there. */
	void (*host_events)(struct emu_cpu *cpu);
	/* The extension's part of an INIT reset (emu/src/reset.c): it may end
	 * the run with an error where the model does not follow (an INIT the
	 * extension would redirect). */
	void (*init_reset)(struct emu_cpu *cpu);
	/* Optional: does the extension take a start-up IPI for itself now (a
	 * guest waiting for one takes it as a VM exit)? */
	bool (*sipi_held)(struct emu_cpu *cpu);
	/* Code a start-up IPI started is about to run: as the extension's guest
	 * of nothing, nothing intercepted. */
	void (*bare_enter)(struct emu_cpu *cpu);
	/* A processor the platform starts afresh: the extension's part of the
	 * state the hardware image leaves between functions. */
	void (*host_reset)(struct emu_cpu *cpu);
	/* The MSRs the extension owns (EFER.SVME, VM_CR, the VMX capability
	 * MSRs ...): handled = false leaves msr to the MSR file. */
	arch_fault_t (*rdmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t *value, bool *handled);
	arch_fault_t (*wrmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t value, bool *handled);
	/* What the extension adds to the processor's CPUID answer for
	 * leaf/subleaf (emu/src/cpuid.c), as host code (guest = false) or a
	 * guest of this extension sees it. */
	void (*cpuid)(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		      struct arch_cpuid *out);
};

#endif
