/* SPDX-License-Identifier: MIT */
/*
 * Private to the core: the virtual APIC's register file as both of its
 * interfaces reach it (hv/vlapic.h). vlapic.c owns the registers and the
 * MSR interface; vlapic_mmio.c is the xAPIC page.
 */
#ifndef HV_SRC_CORE_VLAPIC_REG_H
#define HV_SRC_CORE_VLAPIC_REG_H

#include <stdint.h>

#include "hv/vlapic.h"

/* IA32_APIC_BASE EN and EXTD (SDM vol. 3 §10.12.1, table 10-5). */
enum vlapic_mode {
	VLAPIC_DISABLED,
	VLAPIC_XAPIC,
	VLAPIC_X2APIC,
	VLAPIC_INVALID, /* EXTD without EN */
};

/* How a register access went, in the mode the APIC is in. */
enum vlapic_result {
	VLAPIC_OK = 0,
	VLAPIC_ABSENT,  /* no register at this offset in this mode */
	VLAPIC_REFUSED, /* the register refuses it: direction, or x2APIC reserved bits */
	VLAPIC_MISSING, /* a register the architecture has and this APIC does not */
};

enum vlapic_mode hv_vlapic_mode(uint64_t apic_base);

/*
 * The register at xAPIC offset `offset` (x2APIC MSR = 800h + offset / 16),
 * in the APIC's current mode: 64 bits for the x2APIC ICR, 32 otherwise.
 * A result other than VLAPIC_OK leaves every register as it was.
 */
enum vlapic_result hv_vlapic_reg_read(struct hv_vlapic *a, uint32_t offset, uint64_t *value);
enum vlapic_result hv_vlapic_reg_write(struct hv_vlapic *a, uint32_t offset, uint64_t value);

/* The timer (vlapic_timer.c): the LVT timer register and IA32_TSC_DEADLINE. */
void hv_vlapic_write_lvt_timer(struct hv_vlapic *a, uint32_t value);
bool hv_vlapic_rdmsr_tsc_deadline(const struct hv_vlapic *a, uint64_t *value);
bool hv_vlapic_wrmsr_tsc_deadline(struct hv_vlapic *a, uint64_t value);

/* An error the APIC detected, for the next ESR write to latch (§10.5.3). */
void hv_vlapic_error(struct hv_vlapic *a, uint32_t esr_bits);

#endif
