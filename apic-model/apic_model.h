/* SPDX-License-Identifier: MIT */
/*
 * The physical local APIC of each model processor (SDM vol. 3 chapter 11):
 * the register file at its xAPIC offsets, interrupt acceptance into IRR,
 * ISR/EOI, and the ICR with fixed, NMI and INIT delivery. INIT and NMI reach
 * the processor model, which decides what they mean in its current mode.
 * Internal to the model platform.
 */
#ifndef APIC_MODEL_H
#define APIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct emu_cpu;

struct apic_state {
	uint32_t id;
	uint32_t tpr;
	uint32_t ldr, dfr, svr;
	uint32_t isr[8], tmr[8], irr[8];
	uint32_t esr;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[7]; /* CMCI, timer, thermal, PMC, LINT0, LINT1, error */
	uint32_t timer_icr, timer_dcr;
	bool init_pending;
};

int apic_model_init(struct emu_cpu *cpu);
void apic_model_fini(struct emu_cpu *cpu);
uint32_t apic_model_read(struct emu_cpu *cpu, uint32_t offset);
void apic_model_write(struct emu_cpu *cpu, uint32_t offset, uint32_t value);
void apic_model_send_ipi(struct emu_cpu *from, uint32_t dest, uint32_t icr_lo);
/* Highest-priority pending fixed interrupt above PPR, or -1. */
int apic_model_pending_vector(struct emu_cpu *cpu);
/* Move the vector from IRR to ISR (interrupt acknowledge). */
void apic_model_ack(struct emu_cpu *cpu, int vector);

#endif
