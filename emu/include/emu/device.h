/* SPDX-License-Identifier: MIT */
/*
 * A device of the model machine, per processor: an MMIO page on that
 * processor's bus, a timed event on its clock, MSRs it owns, and
 * possibly the role of its interrupt controller. The engine maps the pages
 * and runs the events; only the composition root lists the devices.
 *
 * Who may include it: emu/ and the device models.
 */
#ifndef EMU_DEVICE_H
#define EMU_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/pins.h"
#include "vx/arch.h"

struct emu_cpu;

struct emu_device {
	const char *name;
	/* Per-processor state; the interrupt controller's is reached through
	 * emu_cpu.intc_state. */
	int (*cpu_init)(struct emu_cpu *cpu);
	void (*cpu_fini)(struct emu_cpu *cpu);
	/* MMIO: [mmio_base, mmio_base + mmio_size), size 0 for none. Accesses of
	 * any size and alignment arrive here; the device decides what they do. */
	uint64_t mmio_base;
	uint32_t mmio_size;
	uint64_t (*mmio_read)(struct emu_cpu *cpu, uint32_t offset, unsigned size);
	void (*mmio_write)(struct emu_cpu *cpu, uint32_t offset, unsigned size, uint64_t value);
	/* The timed event: the cycle it next falls due (UINT64_MAX: none; it
	 * may lie in the past until fire runs), and the event itself. */
	uint64_t (*deadline)(struct emu_cpu *cpu);
	void (*fire)(struct emu_cpu *cpu);
	/* MSRs it owns. */
	bool (*owns_msr)(uint32_t msr);
	arch_fault_t (*rdmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t *value);
	arch_fault_t (*wrmsr)(struct emu_cpu *cpu, uint32_t msr, uint64_t value);
	/* Non-NULL for the processor's interrupt controller. */
	const struct emu_intc *intc;
};

#endif
