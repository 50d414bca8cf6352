/* SPDX-License-Identifier: MIT */
/*
 * The lines between a processor and its interrupt controller (the local
 * APIC, SDM vol. 3 §11.1): the controller raises INTR, NMI, INIT and
 * start-up; the processor model acknowledges interrupts and takes INIT and
 * start-up when its mode lets it. Neither side names the other: the
 * machine's composition root connects them.
 *
 * Who may include it: emu/ and the processor and device models.
 */
#ifndef EMU_PINS_H
#define EMU_PINS_H

#include <stdbool.h>
#include <stdint.h>

struct emu_cpu;

/* What a processor's input lines hold (struct emu_cpu.pins). */
struct emu_pins {
	bool intr;    /* level: a fixed interrupt above the priority is pending */
	bool nmi;     /* edge, latched until the processor takes the NMI */
};

/* Controller → processor. */
void emu_pin_intr(struct emu_cpu *cpu, bool level);
void emu_pin_nmi(struct emu_cpu *cpu);
/* An INIT or a start-up IPI is pending in the controller. */
void emu_pin_init_sipi(struct emu_cpu *cpu);

/* Processor → controller: the interrupt-acknowledge cycle and its kin. */
struct emu_intc {
	/* Highest-priority pending fixed interrupt above PPR, or -1. */
	int (*pending_vector)(struct emu_cpu *cpu);
	/* Move vector from IRR to ISR. */
	void (*ack)(struct emu_cpu *cpu, int vector);
	/* An EOI, as a host interrupt handler writes it. */
	void (*eoi)(struct emu_cpu *cpu);
	/* Is an INIT waiting for the processor to take it? */
	bool (*init_pending)(struct emu_cpu *cpu);
	/* Take the pending INIT / start-up IPI (once each); an INIT replaces a
	 * start-up still pending. */
	bool (*take_init)(struct emu_cpu *cpu);
	bool (*take_sipi)(struct emu_cpu *cpu, uint8_t *vector);
	/* The controller's part of an INIT the processor acts on. */
	void (*init_reset)(struct emu_cpu *cpu);
};

int emu_intc_pending_vector(struct emu_cpu *cpu);
void emu_intc_ack(struct emu_cpu *cpu, int vector);
void emu_intc_eoi(struct emu_cpu *cpu);
bool emu_intc_init_pending(struct emu_cpu *cpu);
bool emu_intc_take_init(struct emu_cpu *cpu);
bool emu_intc_take_sipi(struct emu_cpu *cpu, uint8_t *vector);
void emu_intc_init_reset(struct emu_cpu *cpu);

#endif
