/* SPDX-License-Identifier: MIT */
/*
 * The physical local APIC of each model processor (SDM vol. 3 chapter 11):
 * IA32_APIC_BASE and its xAPIC/x2APIC/disabled states, the register file
 * at its xAPIC offsets and as x2APIC MSRs, interrupt acceptance into IRR,
 * ISR/EOI and PPR, the ICR with every delivery mode, and the LVT timer.
 * INIT, start-up, SMI and NMI reach the processor model, which decides what
 * they mean in its current mode. Internal to the model platform.
 */
#ifndef APIC_MODEL_H
#define APIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/device.h"
#include "vx/arch.h"

struct emu_cpu;

/* Index of each LVT entry in apic_state.lvt, in xAPIC offset order. */
enum apic_lvt {
	APIC_LVT_IDX_CMCI,
	APIC_LVT_IDX_TIMER,
	APIC_LVT_IDX_THERMAL,
	APIC_LVT_IDX_PMC,
	APIC_LVT_IDX_LINT0,
	APIC_LVT_IDX_LINT1,
	APIC_LVT_IDX_ERROR,
	APIC_LVT_COUNT,
};

struct apic_state {
	uint64_t base_msr;      /* IA32_APIC_BASE: BSP, EXTD, EN, base address */
	uint32_t initial_id;    /* the hardware-assigned APIC ID (the processor index) */
	uint32_t xapic_id;      /* xAPIC ID register bits 31:24 (writable, APM §16.3.3) */
	uint32_t tpr;
	uint32_t ldr, dfr, svr;
	uint32_t isr[8], tmr[8], irr[8];
	uint32_t esr;           /* what ESR reads: errors moved in by the last ESR write */
	uint32_t esr_latched;   /* errors seen since the last ESR write (§11.5.3) */
	uint32_t icr_lo, icr_hi; /* x2APIC: icr_hi is the 32-bit destination */
	uint32_t lvt[APIC_LVT_COUNT];
	/* Timer (§11.5.4): count(t) = timer_c0 - (t - timer_t0) / divisor while armed. */
	uint32_t timer_icr, timer_dcr;
	bool timer_armed;
	uint64_t timer_t0;
	uint32_t timer_c0;
	uint64_t tsc_deadline;  /* IA32_TSC_DEADLINE; 0 = disarmed */
	uint32_t timer_gen;     /* bumped whenever apic_model_timer_deadline() may change */
	/* Signals for the processor model, set by delivery and taken by it. */
	bool init_pending;
	bool sipi_pending;
	uint8_t sipi_vector;
	bool smi_pending;       /* no SMM model: recorded and left for inspection */
};

/* The APIC as a device of the machine (apic_device.c). */
extern const struct emu_device apic_device;

int apic_model_init(struct emu_cpu *cpu);
void apic_model_fini(struct emu_cpu *cpu);

/*
 * The xAPIC page as the processor's bus sees it (guest accesses to
 * 0xFEE00000). It responds only in xAPIC mode with the base at its default;
 * otherwise the page is open bus (reads all ones, writes dropped), as for a
 * globally disabled APIC (§11.4.3, §11.12.2).
 */
uint32_t apic_model_read(struct emu_cpu *cpu, uint32_t offset);
void apic_model_write(struct emu_cpu *cpu, uint32_t offset, uint32_t value);

/*
 * arch_apic_read/arch_apic_write/arch_apic_send_ipi: the register at an
 * xAPIC offset through whichever interface the APIC's mode provides (the
 * page in xAPIC mode, the MSRs in x2APIC mode, faults ignored), as the
 * hardware platform does. dest is the APIC ID (8 bits in xAPIC mode, 32 in
 * x2APIC mode).
 */
uint32_t apic_model_arch_read(struct emu_cpu *cpu, uint32_t offset);
void apic_model_arch_write(struct emu_cpu *cpu, uint32_t offset, uint32_t value);
void apic_model_send_ipi(struct emu_cpu *from, uint32_t dest, uint32_t icr_lo);

/* IA32_APIC_BASE, the x2APIC MSRs 800h-8FFh and IA32_TSC_DEADLINE. */
bool apic_model_owns_msr(uint32_t msr);
arch_fault_t apic_model_rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *value);
arch_fault_t apic_model_wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t value);

/* Highest-priority pending fixed interrupt above PPR, or -1. */
int apic_model_pending_vector(struct emu_cpu *cpu);
/* Move the vector from IRR to ISR (interrupt acknowledge). */
void apic_model_ack(struct emu_cpu *cpu, int vector);
/* An EOI write, as the host's interrupt handler makes it (§11.8.5). */
void apic_model_eoi(struct emu_cpu *cpu);

/*
 * Signals for the processor model. Each returns true once per delivered
 * signal and clears it. An INIT replaces a start-up IPI still pending;
 * take_sipi gives the vector of the last start-up IPI.
 */
bool apic_model_take_init(struct emu_cpu *cpu);
bool apic_model_take_sipi(struct emu_cpu *cpu, uint8_t *vector);
bool apic_model_take_smi(struct emu_cpu *cpu);
/* The APIC's part of an INIT the processor acts on (§11.4.7.3). */
void apic_model_init_reset(struct emu_cpu *cpu);

/*
 * The timer. deadline: the processor cycle at which it next fires, or
 * UINT64_MAX (it may lie in the past if fire was not called yet). fire: the
 * timer event due at that deadline; nothing happens if the deadline has not
 * been reached.
 */
uint64_t apic_model_timer_deadline(struct emu_cpu *cpu);
void apic_model_timer_fire(struct emu_cpu *cpu);

#endif
