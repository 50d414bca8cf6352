/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the APIC model share: its modes, acceptance into IRR,
 * errors, the register file behind both interfaces, delivery and the timer.
 */
#ifndef APIC_INTERNAL_H
#define APIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "apic-model/apic_model.h"
#include "emu/src/emu_internal.h"

/* Each processor's APIC is its interrupt controller (emu/pins.h). */
static inline struct apic_state *apic_of(const struct emu_cpu *cpu)
{
	return cpu->intc_state;
}

/* The APIC's state as IA32_APIC_BASE EN and EXTD select it (§11.12.1). */
enum apic_mode { APIC_MODE_DISABLED, APIC_MODE_XAPIC, APIC_MODE_X2APIC };

enum apic_mode apic_mode(const struct apic_state *a);
/* The power-up state of the register file (§11.4.7.1); keep_id for INIT. */
void apic_reset_registers(struct emu_cpu *cpu, bool keep_id);
/* x2APIC LDR from the x2APIC ID: cluster ID[19:4] in 31:16, 1 << ID[3:0] (§11.12.10.2). */
uint32_t apic_x2apic_ldr(uint32_t id);

int apic_highest(const uint32_t r[8]);
uint32_t apic_ppr(const struct apic_state *a);
/* Raise or drop the processor's INTR line from IRR and PPR. */
void apic_update_intr(struct emu_cpu *cpu);
/* Record an error (ESR bit) and signal it through LVT Error (§11.5.3). */
void apic_error(struct emu_cpu *cpu, uint32_t esr_bit);
/* Accept a fixed interrupt into IRR (and TMR), as a received message or a local source. */
/* Into the IRR, unless the APIC refuses it; reported as accepted with dm,
 * the delivery mode it came by (fixed or lowest priority). */
void apic_accept_fixed(struct emu_cpu *cpu, uint8_t vector, bool level, uint32_t dm);

/* The ID a destination is compared with: 8-bit xAPIC or 32-bit x2APIC (§11.12.9). */
static inline uint32_t apic_id_of(const struct apic_state *a)
{
	return apic_mode(a) == APIC_MODE_X2APIC ? a->initial_id : a->xapic_id;
}

/*
 * The register at an xAPIC offset; x2 selects the x2APIC rules (64-bit
 * values, #GP for absent, read-only, write-only and reserved bits). Return
 * 0, or -1 for #GP (only with x2).
 */
int apic_reg_read(struct emu_cpu *cpu, uint32_t off, bool x2, uint64_t *v);
int apic_reg_write(struct emu_cpu *cpu, uint32_t off, uint64_t v, bool x2);

/* apic_ipi.c: send what the ICR now holds (dest: 8-bit xAPIC or 32-bit x2APIC). */
void apic_icr_send(struct emu_cpu *from, uint32_t icr_lo, uint32_t dest);

/* apic_timer.c */
void apic_timer_reset(struct emu_cpu *cpu);
uint32_t apic_timer_current(struct emu_cpu *cpu);
void apic_timer_write_lvt(struct emu_cpu *cpu, uint32_t lvt);
void apic_timer_write_icr(struct emu_cpu *cpu, uint32_t count);
void apic_timer_write_dcr(struct emu_cpu *cpu, uint32_t dcr);
uint64_t apic_timer_read_deadline_msr(struct emu_cpu *cpu);
void apic_timer_write_deadline_msr(struct emu_cpu *cpu, uint64_t tsc);

#endif
